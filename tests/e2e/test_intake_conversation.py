"""The eligibility intake through the running product: consent, form, recap, decision, storage."""

from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from bot import limits
from bot.cli import main as cli
from bot.learning.chat import RECAP as RECAP
from bot.learning.chat import Chat as Chat
from bot.learning.chat import intake_answers
from bot.learning.chat import names_of as names_of
from bot.learning.chat import start as start
from bot.settings import Settings
from bot.storage.database import sessions_for
from bot.storage.leads import lead_rows
from bot.storage.models import Business
from bot.storage.transcripts import transcript
from tests.conftest import Responses

ANSWERS = intake_answers()  # the real pack's sample merchant; other e2e tests import it


def leads(stack: Settings) -> list[dict[str, Any]]:
    return lead_rows(sessions_for(stack.database_url))


def lead_of(stack: Settings, email: str) -> dict[str, Any]:
    [row] = [r for r in leads(stack) if r["email"] == email]
    return row


def test_happy_path_stores_the_lead_with_consent_and_decision(
    stack: Settings, responses: Responses, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = Chat(stack, responses)
    assert start(chat) == ["utter_ask_business_name"]
    said = chat.answer_until(RECAP, ANSWERS, ["utter_ask_business_name"])
    recap = chat.last[-1]["text"]
    assert "• Courriel : marie@exemple.com" in recap and "• Téléphone : 418 555-1234" in recap
    assert chat.say("oui") == ["utter_intake_eligible"]
    assert said[-1] == RECAP
    row = lead_of(stack, "marie@exemple.com")
    assert (row["business"], row["postal_code"], row["outcome"]) == (
        "Boutique Chez Marie",
        "G1L 2W5",
        "admissible",
    )
    assert row["consent_version"] == "2026-11-v1" and row["consent_given_at"]
    assert row["score"] == 87 and row["answers"]["Impact attendu"].startswith("Vendre en ligne")
    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    assert cli(["leads", "--format", "json", "--output", str(tmp_path / "leads.json")]) == 0
    exported = json.loads((tmp_path / "leads.json").read_text())
    assert any(r["email"] == "marie@exemple.com" for r in exported)


def test_no_consent_means_questions_only_and_nothing_stored(
    stack: Settings, responses: Responses
) -> None:
    chat = Chat(stack, responses)
    before = len(leads(stack))
    assert chat.say("je veux vérifier mon admissibilité") == ["utter_ask_consent"]
    assert chat.say("/deny") == ["utter_consent_declined"]
    assert chat.say("c'est combien?") == ["utter_faq_cost"]
    assert len(leads(stack)) == before


def test_faq_mid_form_then_the_question_again(stack: Settings, responses: Responses) -> None:
    chat = Chat(stack, responses)
    start(chat)
    assert chat.say("Boutique Chez Paul") == ["utter_ask_contact_name"]
    assert chat.say("est-ce que c'est vraiment gratuit?") == [
        "utter_faq_cost",
        "utter_ask_contact_name",
    ]
    assert chat.say("Paul Roy") == ["utter_ask_contact_role"]


def test_correction_and_several_answers_in_one_message(
    stack: Settings, responses: Responses
) -> None:
    chat = Chat(stack, responses)
    start(chat)
    chat.say("Café Saint-Roch")
    chat.say("Julie Côté")
    assert chat.say("Gérante") == ["utter_ask_email"]
    assert chat.say("julie@cafe.ca, mon cell 581 555-0000") == ["utter_ask_address"]
    assert chat.say("en fait mon courriel c'est julie.cote@cafe.ca") == [
        "utter_form_noted",
        "utter_ask_address",
    ]
    assert "julie.cote@cafe.ca" in chat.last[0]["text"]


def test_stop_and_resume_later(stack: Settings, responses: Responses) -> None:
    chat = Chat(stack, responses)
    start(chat)
    chat.say("Garage Beauport")
    assert chat.say("on arrête ça") == ["utter_intake_paused"]
    assert chat.say("c'est quoi une SDC?") == ["utter_faq_sdc"]
    assert chat.say("/request_eligibility") == ["utter_intake_resumed", "utter_ask_contact_name"]


def silence(stack: Settings, sender: str, minutes: int) -> None:
    """Move the conversation's events back in time, as if the merchant had left for a while
    (Rasa's session expiry reads the events' own timestamps)."""
    engine = create_engine(stack.tracker_url)
    with engine.begin() as connection:
        rows = connection.execute(
            text("SELECT id, data FROM events WHERE sender_id = :s"), {"s": sender}
        ).all()
        for row_id, data in rows:
            event = json.loads(data)
            event["timestamp"] = event["timestamp"] - minutes * 60
            connection.execute(
                text("UPDATE events SET timestamp = :t, data = :d WHERE id = :id"),
                {"t": event["timestamp"], "d": json.dumps(event), "id": row_id},
            )
    engine.dispose()


def test_the_form_resumes_after_the_session_expired(stack: Settings, responses: Responses) -> None:
    """Back after 90 minutes (Rasa's session lasts 60), the answer to the question on screen
    still goes to the form, with the answers given before."""
    chat = Chat(stack, responses)
    start(chat)
    assert chat.say("Boutique Chez Lise") == ["utter_ask_contact_name"]
    silence(stack, chat.sender, 90)
    assert chat.say("Lise Fortin") == ["utter_ask_contact_role"]
    said = chat.answer_until(RECAP, ANSWERS | {"utter_ask_email": "lise@exemple.com"},
                             ["utter_ask_contact_role"])  # fmt: skip
    assert said == [RECAP] and "Boutique Chez Lise" in chat.last[-1]["text"]
    assert "Lise Fortin" in chat.last[-1]["text"]


@pytest.mark.parametrize(
    ("asked", "bad"),
    [
        ("utter_ask_email", "marie at exemple"),
        ("utter_ask_phone", "555-12"),
        ("utter_ask_address", "sur la rue principale"),
    ],
)
def test_invalid_answers_are_asked_again_in_other_words_then_paused(
    stack: Settings, responses: Responses, asked: str, bad: str
) -> None:
    chat = Chat(stack, responses)
    said = chat.answer_until(asked, ANSWERS, start(chat))
    assert said[-1] == asked
    assert chat.say(bad) == ["utter_form_retry"]  # in other words, with an example
    assert chat.say(bad) == ["utter_form_help"]  # a way out: stop, or a person
    assert chat.say(bad) == ["utter_form_stuck", "utter_intake_paused"]  # never a third time
    assert chat.say("/request_eligibility") == ["utter_intake_resumed", asked]
    assert chat.say(ANSWERS[asked]) != ["utter_form_retry"]


def test_refusal_is_explained_and_review_can_be_requested(
    stack: Settings, responses: Responses
) -> None:
    chat = Chat(stack, responses)
    answers = ANSWERS | {
        "utter_ask_address": "5000 boulevard Guillaume-Couture, Lévis G6V 1A1",
        "utter_ask_email": "levis@exemple.com",
    }
    chat.answer_until(RECAP, answers, start(chat))
    assert chat.say("oui c'est exact") == ["utter_intake_not_eligible"]
    text = chat.last[0]["text"]
    assert "hors de l'agglomération" in text and "prise automatiquement" in text and "CQCD" in text
    assert chat.say("/affirm") == ["utter_review_requested"]
    row = lead_of(stack, "levis@exemple.com")
    assert row["outcome"] == "non admissible" and row["review_requested"] is True


def test_correction_at_the_recap(stack: Settings, responses: Responses) -> None:
    chat = Chat(stack, responses)
    chat.answer_until(RECAP, ANSWERS | {"utter_ask_email": "recap@exemple.com"}, start(chat))
    assert chat.say("non") == ["utter_ask_field_to_correct"]
    assert chat.say("le téléphone") == ["utter_ask_phone"]
    assert chat.say("581 555-7777") == [RECAP]
    assert "• Téléphone : 581 555-7777" in chat.last[0]["text"]


def test_hostile_answers_are_stored_as_inert_text(stack: Settings, responses: Responses) -> None:
    chat = Chat(stack, responses)
    hostile = "<script>alert('x')</script>'); DROP TABLE leads;--"
    answers = ANSWERS | {
        "utter_ask_business_name": hostile,
        "utter_ask_email": "hostile@exemple.com",
    }
    chat.answer_until(RECAP, answers, start(chat))
    chat.say("oui")
    assert lead_of(stack, "hostile@exemple.com")["business"] == hostile


def longest(start: str, field: str, end: str = "") -> str:
    """An answer of exactly the field's maximum length, with accents and emoji."""
    size = limits.INTAKE[field] - len(end)
    return (start + " Érable doré 😀 ça" * size)[:size].rstrip().ljust(size, "é") + end


COLUMNS = [f for f in limits.INTAKE if f != "sector"]  # "autre", then the sector's detail
LONGEST_EMAIL = "marie." + "x" * 58 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".ca"
LONGEST_ANSWERS = ANSWERS | {
    "utter_ask_business_name": longest("Boutique", "business_name"),
    "utter_ask_contact_name": longest("Marie", "contact_name"),
    "utter_ask_contact_role": longest("Propriétaire", "contact_role"),
    "utter_ask_email": LONGEST_EMAIL,
    "utter_ask_address": longest("12, rue", "address", end=" G0A 1A0"),
    "utter_ask_municipality": longest("Village", "municipality"),
    "utter_ask_sector": "autre",
    "utter_ask_sector_detail": longest("Atelier", "sector_detail"),
    "utter_ask_association_name": longest("Regroupement", "association_name"),
    "utter_ask_impact": longest("Vendre", "impact"),
}


def check_longest_answers_are_stored(stack: Settings, responses: Responses) -> None:
    """Every free-text answer at its maximum goes through the conversation and is stored whole."""
    assert all(len(LONGEST_ANSWERS[f"utter_ask_{f}"]) == limits.INTAKE[f] for f in COLUMNS)
    chat = Chat(stack, responses)
    chat.answer_until(RECAP, LONGEST_ANSWERS, start(chat))
    assert chat.say("oui") == ["utter_intake_to_review"]
    row = lead_of(stack, LONGEST_EMAIL)
    assert (row["business"], row["contact"], row["role"], row["municipality"]) == (
        LONGEST_ANSWERS["utter_ask_business_name"],
        LONGEST_ANSWERS["utter_ask_contact_name"],
        LONGEST_ANSWERS["utter_ask_contact_role"],
        LONGEST_ANSWERS["utter_ask_municipality"],
    )
    assert row["answers"]["Adresse"] == LONGEST_ANSWERS["utter_ask_address"]
    assert row["answers"]["Impact attendu"] == LONGEST_ANSWERS["utter_ask_impact"]
    assert row["answers"]["SDC ou regroupement"] == LONGEST_ANSWERS["utter_ask_association_name"]
    assert row["answers"]["Précision sur le secteur"] == LONGEST_ANSWERS["utter_ask_sector_detail"]


def test_longest_answers_are_stored(stack: Settings, responses: Responses) -> None:
    check_longest_answers_are_stored(stack, responses)


def test_one_character_too_many_is_asked_again(stack: Settings, responses: Responses) -> None:
    chat = Chat(stack, responses)
    start(chat)
    too_long = LONGEST_ANSWERS["utter_ask_business_name"] + "é"
    assert chat.say(too_long) == ["utter_form_retry"]
    assert "120 caractères au maximum" in chat.last[0]["text"]
    assert chat.say(too_long) == ["utter_form_help"]


def test_database_locked_at_submission_keeps_the_answers(
    stack: Settings, responses: Responses
) -> None:
    """SQLite held by another writer beyond its 5 s busy timeout: the same promise as on
    PostgreSQL (see test_intake_postgres.py): nothing confirmed, answers kept, next try stored."""
    chat = Chat(stack, responses)
    chat.answer_until(RECAP, ANSWERS | {"utter_ask_email": "verrou@exemple.com"}, start(chat))
    database = sqlite3.connect(stack.database_url.removeprefix("sqlite:///"), timeout=1)
    try:
        database.execute("BEGIN EXCLUSIVE")
        assert chat.say("oui") == ["utter_storage_failed", RECAP]
    finally:
        database.rollback()
        database.close()
    assert chat.say("oui") == ["utter_intake_eligible"]
    assert lead_of(stack, "verrou@exemple.com")["business"] == "Boutique Chez Marie"


def test_a_no_led_storefront_answer_is_stored_as_no(stack: Settings, responses: Responses) -> None:
    """« non, pas de local… » is no, through the whole product, up to the decision."""
    chat = Chat(stack, responses)
    answers = ANSWERS | {
        "utter_ask_storefront": "non, pas de local, je vends juste en ligne et dans des marchés",
        "utter_ask_email": "sans-local@exemple.com",
    }
    chat.answer_until(RECAP, answers, start(chat))
    assert "• Local ouvert à la clientèle : non" in chat.last[-1]["text"]
    assert chat.say("oui") == ["utter_intake_not_eligible"]
    assert lead_of(stack, "sans-local@exemple.com")["outcome"] == "non admissible"


# ---- a merchant who types sentences instead of clicking (user testing) ------------------------

CHARLESBOURG = "Association des gens d'affaires de Charlesbourg"
# The merchant's own phrasings; the role and the association's name said before they are asked.
IN_SENTENCES = {
    "utter_ask_contact_name": "Ginette Tremblay, la propriétaire",
    "utter_ask_contact_role": "comme j'ai dit, la propriétaire",
    "utter_ask_sdc_member": "oui, une SDC ou un regroupement, les gens d'affaires de Charlesbourg",
    "utter_ask_association_name": "ben je viens de le dire, les gens d'affaires de Charlesbourg",
}


def answer_all(chat: Chat, answers: dict[str, str]) -> list[str]:
    """Answer every question from `answers` up to the recap; every response the bot said."""
    said = start(chat)
    every = list(said)
    while RECAP not in said:
        assert said[-1] in answers and len(every) < 40, every
        said = chat.say(answers[said[-1]])
        every += said
    return every


@dataclass
class Merchant:
    """A conversation, its merchant's e-mail and every response the bot said up to the recap."""

    chat: Chat
    email: str
    asked: list[str]


def intake_in_sentences(
    stack: Settings, responses: Responses, phrasings: dict[str, str]
) -> Merchant:
    """An intake answered in `phrasings`, for a business and an e-mail of its own."""
    chat = Chat(stack, responses)
    email = f"{chat.sender}@exemple.com"
    answers = (
        ANSWERS
        | phrasings
        | {
            "utter_ask_business_name": f"Fleuriste {chat.sender}",
            "utter_ask_email": email,
        }
    )
    return Merchant(chat, email, answer_all(chat, answers))


def check_answers_stored_as_meant(
    stack: Settings, responses: Responses, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Merchant:
    """Answers typed as sentences are stored as meant, up to the CSV export; what was typed
    stays in the transcript; the role and the association said early are not asked again."""
    merchant = intake_in_sentences(stack, responses, IN_SENTENCES)
    chat, email = merchant.chat, merchant.email
    assert "utter_ask_contact_role" not in merchant.asked
    assert "utter_ask_association_name" not in merchant.asked
    recap = chat.last[-1]["text"]
    for line in ("• Votre nom : Ginette Tremblay\n", "• Votre rôle : Propriétaire\n",
                 "• SDC ou regroupement : Gens d'affaires de Charlesbourg\n"):  # fmt: skip
        assert line in recap, recap
    assert chat.say("oui") == ["utter_intake_eligible"]
    row = lead_of(stack, email)
    assert (row["contact"], row["role"]) == ("Ginette Tremblay", "Propriétaire")
    assert row["answers"]["Votre nom"] == "Ginette Tremblay"
    assert row["answers"]["SDC ou regroupement"] == "Gens d'affaires de Charlesbourg"
    with sessions_for(stack.database_url)() as session:
        business = session.scalar(
            select(Business).where(Business.name == f"Fleuriste {chat.sender}")
        )
        assert business is not None and business.association_name == (
            "Gens d'affaires de Charlesbourg"
        )
    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    exported = tmp_path / "leads.csv"
    assert cli(["leads", "--format", "csv", "--output", str(exported)]) == 0
    with exported.open(encoding="utf-8") as sheet:
        [cells] = [r for r in csv.DictReader(sheet) if r["Courriel"] == email]
    assert (cells["Contact"], cells["Rôle"]) == ("Ginette Tremblay", "Propriétaire")
    assert cells["Réponse : SDC ou regroupement"] == "Gens d'affaires de Charlesbourg"
    typed = [t.text for t in transcript(stack.tracker_url, chat.sender) if t.speaker == "merchant"]
    assert IN_SENTENCES["utter_ask_contact_name"] in typed  # the transcript keeps it as typed
    assert IN_SENTENCES["utter_ask_sdc_member"] in typed
    return merchant


def test_answers_in_sentences_are_stored_as_meant(
    stack: Settings, responses: Responses, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_answers_stored_as_meant(stack, responses, tmp_path, monkeypatch)


@pytest.mark.parametrize(
    ("phrasings", "stored"),
    [
        # Asked, then answered with the fillers of someone repeating.
        ({"utter_ask_contact_name": "Ginette Tremblay", "utter_ask_sdc_member": "oui",
          "utter_ask_contact_role": "comme j'ai dit, la propriétaire",
          "utter_ask_association_name": "ben je viens de le dire, les gens d'affaires de Charlesbourg"},
         ("Ginette Tremblay", "Propriétaire", "Gens d'affaires de Charlesbourg")),
        ({"utter_ask_contact_name": "mon nom c'est Ginette Tremblay", "utter_ask_sdc_member": "ouais",
          "utter_ask_contact_role": "je l'ai déjà dit, la proprio",
          "utter_ask_association_name": f"comme je disais, l'{CHARLESBOURG}"},
         ("Ginette Tremblay", "Propriétaire", CHARLESBOURG)),
        # Said before being asked: not asked.
        ({"utter_ask_contact_name": "Moi c'est Ginette Tremblay pis je suis la gérante",
          "utter_ask_sdc_member": "ouin, on est membre de la SDC du Trait-Carré"},
         ("Ginette Tremblay", "Gérante", "SDC du Trait-Carré")),
        ({"utter_ask_contact_name": "Ginette Tremblay (proprio)",
          "utter_ask_sdc_member": "oui on fait partie du regroupement des gens d'affaires de Charlesbourg"},
         ("Ginette Tremblay", "Propriétaire", "Regroupement des gens d'affaires de Charlesbourg")),
    ],
)  # fmt: skip
def test_neighbouring_phrasings_are_stored_as_meant(
    stack: Settings,
    responses: Responses,
    phrasings: dict[str, str],
    stored: tuple[str, str, str],
) -> None:
    merchant = intake_in_sentences(stack, responses, phrasings)
    asked = merchant.asked
    assert ("utter_ask_contact_role" in asked) is ("utter_ask_contact_role" in phrasings)
    assert ("utter_ask_association_name" in asked) is ("utter_ask_association_name" in phrasings)
    assert merchant.chat.say("oui") == ["utter_intake_eligible"]
    row = lead_of(stack, merchant.email)
    assert (row["contact"], row["role"], row["answers"]["SDC ou regroupement"]) == stored


def test_the_association_question_names_what_it_asks() -> None:
    """« Laquelle? » after « une SDC ou un regroupement » read badly: the question says what
    it asks for (docs/WORDING.md)."""
    asked = Responses().patterns["utter_ask_association_name"][0].pattern
    assert "nom de votre SDC ou de votre regroupement" in asked.replace("\\", "")


@pytest.mark.parametrize(
    "correction",
    [
        f"la SDC c'est l'{CHARLESBOURG}",
        f"SDC ou regroupement : {CHARLESBOURG}",  # the recap's own label
        f"l'{CHARLESBOURG}",  # the new value alone
        CHARLESBOURG,
        f"non, le nom du regroupement c'est {CHARLESBOURG}",
    ],
)
def test_the_association_corrected_at_the_recap(
    stack: Settings, responses: Responses, correction: str
) -> None:
    merchant = intake_in_sentences(stack, responses, IN_SENTENCES)
    chat = merchant.chat
    assert chat.say(correction) == ["utter_form_noted", RECAP]
    assert f"SDC ou regroupement → {CHARLESBOURG}." in chat.last[0]["text"]
    assert f"• SDC ou regroupement : {CHARLESBOURG}\n" in chat.last[-1]["text"]
    assert chat.say("oui") == ["utter_intake_eligible"]
    row = lead_of(stack, merchant.email)
    assert row["answers"]["SDC ou regroupement"] == CHARLESBOURG


def test_the_association_named_alone_is_asked_again(stack: Settings, responses: Responses) -> None:
    chat = intake_in_sentences(stack, responses, IN_SENTENCES).chat
    assert chat.say("le nom du regroupement") == ["utter_ask_association_name"]  # not « nom »
    assert chat.say(f"c'est l'{CHARLESBOURG}") == [RECAP]
    assert f"• SDC ou regroupement : {CHARLESBOURG}\n" in chat.last[-1]["text"]


@pytest.mark.parametrize(
    ("correction", "said", "stored"),
    [
        ("mon nom c'est juste Ginette Tremblay pis mon rôle c'est propriétaire",
         ["utter_form_unchanged", "utter_form_unchanged", RECAP],
         ("Ginette Tremblay", "Propriétaire")),
        ("mon nom c'est Ginette Roy pis mon rôle c'est gérante",
         ["utter_form_noted", "utter_form_noted", RECAP], ("Ginette Roy", "Gérante")),
        ("Votre nom : Ginette Roy\nVotre rôle : Gérante",
         ["utter_form_noted", "utter_form_noted", RECAP], ("Ginette Roy", "Gérante")),
        ("je suis plutôt la gérante", ["utter_form_noted", RECAP], ("Ginette Tremblay", "Gérante")),
    ],
)  # fmt: skip
def test_several_corrections_in_one_message(
    stack: Settings,
    responses: Responses,
    correction: str,
    said: list[str],
    stored: tuple[str, str],
) -> None:
    merchant = intake_in_sentences(stack, responses, IN_SENTENCES)
    chat = merchant.chat
    assert chat.say(correction) == said
    assert f"• Votre nom : {stored[0]}\n• Votre rôle : {stored[1]}\n" in chat.last[-1]["text"]
    assert chat.say("oui") == ["utter_intake_eligible"]
    row = lead_of(stack, merchant.email)
    assert (row["contact"], row["role"]) == stored
