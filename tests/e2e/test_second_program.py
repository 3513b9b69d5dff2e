"""A second program with no code change: the fictional pack « Cap numérique Sherbrooke »
(tests/packs/fictional/) trained into a model of its own (`make pack-model`), run as the whole
product, answers with Sherbrooke's wording and territory, and the model names its pack.

The model is trained once into var/build/cap-numerique-<version>/ (gitignored): Rasa keeps it
while nothing changed, and reuses the real model's cache for what the two share (the NLU data
and pipeline), so only what depends on the domain is trained again.
"""

from __future__ import annotations

import email
import json
import re
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path

import pytest

from bot.learning import chat as learning_chat
from bot.learning.answers import said
from bot.learning.chat import Chat, diagnose, diagnostic_answers
from bot.learning.responses import Responses
from bot.pack import load_pack, sample_merchant
from bot.pack.responses import texts
from bot.pack.training import build_dir, model_name, pack_of_model
from bot.settings import ROOT, Settings
from bot.storage.database import sessions_for
from bot.storage.leads import lead_rows
from tests.conftest import FICTIONAL_PACK as FICTIONAL
from tests.conftest import FROZEN_NOW, running_stack

PACK = load_pack(FICTIONAL)


@pytest.fixture(scope="module")
def cap_model() -> Path:
    """The fictional pack's model, trained by `make pack-model` (one training at a time)."""
    done = subprocess.run(
        ["make", "--no-print-directory", "pack-model", f"PACK_DIR={FICTIONAL}"],
        cwd=ROOT, capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return build_dir(PACK) / f"{model_name(PACK)}.tar.gz"


@pytest.fixture(scope="module")
def sherbrooke(cap_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The whole product on the fictional pack and its model; this process reads the same
    pack (its responses name the replies)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PROGRAM_DIR", str(FICTIONAL))
        with running_stack(
            tmp_path_factory.mktemp("cap"),
            frozen_clock=FROZEN_NOW,
            model_path=cap_model,
            program_dir=FICTIONAL,
        ) as settings:
            yield settings


def ask(settings: Settings, message: str) -> list[str]:
    """The texts a new conversation gets to its first message."""
    return [
        str(r.get("text")) for r in said(settings.rasa_url, f"cap-{uuid.uuid4().hex[:8]}", message)
    ]


def test_the_model_names_its_pack(cap_model: Path) -> None:
    assert pack_of_model(cap_model) == (PACK.name, PACK.version) == ("cap-numerique", 3)
    assert pack_of_model(ROOT / "models" / "numeriqc.tar.gz") == ("numeriqc", 1)


def test_rasa_serves_the_pack_s_model(sherbrooke: Settings, cap_model: Path) -> None:
    with urllib.request.urlopen(
        f"{sherbrooke.rasa_url}/status?token={sherbrooke.rasa_api_token}", timeout=30
    ) as reply:
        status = json.loads(reply.read())
    assert Path(status["model_file"]).name == cap_model.name == "cap-numerique.tar.gz"


@pytest.mark.parametrize(
    ("message", "response", "place"),
    [
        ("Est-ce que Magog c'est correct pour le programme?", "utter_territory_outside", "Magog"),
        ("mon commerce est à Fleurimont, ça compte?", "utter_territory_inside", "Fleurimont"),
        ("Québec c'est dans le territoire?", "utter_territory_outside", "Québec"),
    ],
)
def test_a_territory_question_gets_sherbrooke_s_answer(
    sherbrooke: Settings, message: str, response: str, place: str
) -> None:
    replies = ask(sherbrooke, message)
    assert replies == [texts(response)[0].replace("{place}", place)], replies
    assert "Sherbrooke" in replies[0] and "Québec numérique" not in replies[0]


def test_the_faq_answers_are_the_pack_s(sherbrooke: Settings) -> None:
    matcher = Responses()
    for message, response in [
        ("Quel territoire est couvert?", "utter_faq_territory"),
        ("c'est combien?", "utter_faq_cost"),
        ("qui finance le programme?", "utter_faq_funding"),
        ("bonjour", "utter_greet"),
    ]:
        replies = ask(sherbrooke, message)
        assert [matcher.name_of(r) for r in replies] == [response], (message, replies)
        assert replies == texts(response)[:1]
    assert "Ville de Sherbrooke" in texts("utter_faq_funding")[0]


def test_the_eligibility_check_asks_with_the_pack_s_words(sherbrooke: Settings) -> None:
    sender = f"cap-{uuid.uuid4().hex[:8]}"
    consent = said(sherbrooke.rasa_url, sender, "je veux vérifier mon admissibilité")
    assert [r.get("text") for r in consent] == texts("utter_ask_consent")[:1]
    assert "Cap numérique (Carrefour numérique de l'Estrie)" in str(consent[0]["text"])


# The fictional pack's sample merchant (tests/packs/fictional/sample_merchant.yml): a crafts
# workshop in Sherbrooke, member of its merchants' association: eligible, and with the fictional
# weights (crafts 30, association 20, 4 hours 20, now 20, impact 10) scored 100.
CAP_ANSWERS = dict(sample_merchant.load(FICTIONAL).intake)


def eligible(settings: Settings, sender: str) -> list[str]:
    """The fictional eligibility check, answered from CAP_ANSWERS: the responses said."""
    matcher = Responses()
    said_last = said(settings.rasa_url, sender, "je veux vérifier mon admissibilité")
    assert "Cap numérique (Carrefour numérique de l'Estrie)" in str(said_last[0]["text"])
    said_last = said(settings.rasa_url, sender, "/affirm")
    asked: list[str] = []
    for _ in range(30):
        names = [matcher.name_of(str(r.get("text"))) for r in said_last]
        asked += names
        if "utter_intake_eligible" in names:
            return asked
        last = names[-1]
        answer = CAP_ANSWERS.get(last) or ("oui" if last.startswith("<unknown: Voici") else None)
        assert answer, asked
        said_last = said(settings.rasa_url, sender, answer)
    raise AssertionError(f"no decision: {asked}")


def test_the_diagnostic_follows_the_pack(sherbrooke: Settings) -> None:
    """The product's own players (`bot.learning.chat`, as the measures use them) reach the
    fictional diagnostic's summary with the pack's sample merchant; the brief is the pack's."""
    chat = Chat(sherbrooke, Responses())
    email = f"diag-{uuid.uuid4().hex[:6]}@exemple.org"
    learning_chat.eligible(chat, email)
    diagnose(chat, diagnostic_answers())
    assert chat.last[-1]["text"].startswith("C'est noté! Cap numérique vous propose :")
    assert chat.say("oui") == ["utter_diagnostic_saved"]
    [row] = [r for r in lead_rows(sessions_for(sherbrooke.database_url)) if r["email"] == email]
    brief = row["diagnostic"]["brief"]
    assert brief.startswith(f"Commerce : Boutique {email}") and "présence en ligne" in brief, brief


def test_the_eligibility_check_decides_and_scores_with_the_pack(sherbrooke: Settings) -> None:
    eligible(sherbrooke, f"cap-{uuid.uuid4().hex[:8]}")
    assert "admissible à Cap numérique!" in texts("utter_intake_eligible")[0]
    [row] = [
        r
        for r in lead_rows(sessions_for(sherbrooke.database_url))
        if r["email"] == CAP_ANSWERS["utter_ask_email"]
    ]
    assert (row["postal_code"], row["outcome"], row["score"]) == ("J1H 5A9", "admissible", 100), row


def test_a_booking_gets_the_pack_s_reference_and_e_mail(sherbrooke: Settings) -> None:
    sender = f"cap-{uuid.uuid4().hex[:8]}"
    eligible(sherbrooke, sender)
    matcher = Responses()
    proposed = said(
        sherbrooke.rasa_url, sender, "je voudrais prendre rendez-vous avec un conseiller"
    )
    assert [matcher.name_of(str(r["text"])) for r in proposed] == [
        "utter_booking_next_free",
        "utter_ask_booking_when",
    ]
    first = proposed[-1]["buttons"][0]  # type: ignore[index]
    confirm = said(sherbrooke.rasa_url, sender, str(first["payload"]))
    assert [matcher.name_of(str(r["text"])) for r in confirm] == ["utter_ask_booking_confirm"]
    done = said(sherbrooke.rasa_url, sender, "oui")
    assert [matcher.name_of(str(r["text"])) for r in done] == ["utter_booking_done"]
    found = re.search(r"CAP-[A-Z2-9]{8}\b", str(done[-1]["text"]))
    assert found, done
    mails = {
        str(mail["To"]): (str(make_header(decode_header(str(mail["From"])))), body)
        for path in sorted((sherbrooke.var_dir / "outbox").glob("*.eml"))
        for mail in [email.message_from_bytes(path.read_bytes())]
        for body in ["\n".join(text_parts(mail))]
        if found.group(0) in body
    }
    sender_name, body = mails[CAP_ANSWERS["utter_ask_email"]]
    assert sender_name.startswith("L'équipe Cap numérique")
    assert "Cap numérique" in body and "NumériQC" not in body
    assert f"{found.group(0)}@capnumerique.example.org" in body  # the invitation's UID


def text_parts(mail: Message) -> list[str]:
    """Every decoded text part of an e-mail (its calendar too)."""
    decoded = (p.get_payload(decode=True) for p in mail.walk() if not p.is_multipart())
    return [b.decode("utf-8", "replace") for b in decoded if isinstance(b, bytes)]
