"""FAQ response selection: each held-out FAQ question, asked in a new conversation, must get
the answer of its topic. Measured on the replies merchants see, through the REST channel."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml

from bot.booking_form import find_reference
from bot.settings import ROOT, Settings
from bot.text import fold
from tests.conftest import FIGURES, Responses, post
from tests.model.test_nlu_heldout import training_examples

MIN_ACCURACY = 0.95
TERRITORY = {"utter_faq_territory", "utter_territory_inside", "utter_territory_outside"}
# A session named by its reference is looked up at once: « je ne trouve aucune rencontre avec ce
# numéro » is the right first reply to a message whose reference does not exist.
BOOKING_BY_REFERENCE = {"cancel_booking", "reschedule_booking", "check_booking"}


def heldout_faq_questions() -> list[tuple[str, str]]:
    questions = []
    for block in yaml.safe_load((ROOT / "tests" / "nlu" / "heldout.yml").read_text())["nlu"]:
        if block["intent"].startswith("faq_"):
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    questions.append((block["intent"], line.strip()[2:]))
    return questions


def test_faq_response_selection_accuracy(stack: Settings, responses: Responses) -> None:
    questions = heldout_faq_questions()
    misses = []
    for intent, text in questions:
        status, replies = post(
            f"{stack.rasa_url}/webhooks/rest/webhook",
            {"sender": f"faq-{uuid.uuid4().hex[:12]}", "message": text},
        )
        assert status == 200
        expected = TERRITORY if intent == "faq_territory" else {f"utter_{intent}"}
        got = [responses.name_of(r.get("text", "")) for r in replies]
        if len(got) != 1 or got[0] not in expected:
            misses.append((intent, text, got))
    accuracy = 1 - len(misses) / len(questions)
    FIGURES["FAQ response-selection accuracy on held-out (min 0.95)"] = (
        f"{accuracy:.4f} ({len(questions) - len(misses)}/{len(questions)} questions)"
    )
    assert len(questions) >= 19 * 10
    assert accuracy >= MIN_ACCURACY, misses


# An independent set is measured once with the model of its day, then registered here and
# guarded at that figure until it is folded into the held-out set (docs/NLU.md); the held-out
# set must reach 0.95.
# Sets no. 2 (0.8949) and 3 (0.9063) are now part of the held-out set (tests/nlu/README.md).
MEASURED = {
    "independent_4": 0.96,  # 2026-11-24: 0.9725 (353/363), measured once; 0.9614 with describe_business
    "independent_5_openings": 0.89,  # 2026-12-04: 0.8901 (81/91), measured once
}


def minimum(path: Path) -> float:
    return MEASURED.get(path.stem, MIN_ACCURACY)


def examples(path: Path) -> list[tuple[str, str]]:
    """(intent, message) for every example of an NLU file."""
    found = []
    for block in yaml.safe_load(path.read_text())["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                found.append((block["intent"], line.strip()[2:]))
    return found


def replies(stack: Settings, responses: Responses, message: str) -> list[str]:
    """The responses a new conversation gets to its first message."""
    status, said = post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        {"sender": f"ans-{uuid.uuid4().hex[:12]}", "message": message},
    )
    assert status == 200
    return [responses.name_of(r.get("text", "")) for r in said]


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "tests" / "nlu" / "heldout.yml",
        *sorted((ROOT / "tests" / "nlu").glob("independent_*.yml")),
    ],
    ids=lambda p: p.stem,
)
def test_every_message_gets_the_answer_of_its_intent(
    stack: Settings, responses: Responses, path: Path
) -> None:
    """Each message of a set, first in a new conversation, ends with what its intent gets when
    the intent is sent directly (the reply merchants see: FAQ answer, consent prompt, greeting…)."""
    cases = examples(path)
    reference = {
        intent: replies(stack, responses, f"/{intent}") for intent in {i for i, _ in cases}
    }
    misses = []
    for intent, text in cases:
        got = replies(stack, responses, text)
        expected = reference[intent]  # last, after what the message adds
        if intent in BOOKING_BY_REFERENCE and find_reference(text):  # the sets' are made up
            expected = ["utter_booking_unknown_reference"]
        right = got[-len(expected) :] == expected or (
            intent == "faq_territory" and bool(got) and set(got) <= TERRITORY
        )
        if not right:
            misses.append((intent, text, got))
    accuracy = 1 - len(misses) / len(cases)
    trained = set(training_examples())  # lines also in data/nlu say little: counted apart
    unseen = [text for _, text in cases if fold(text) not in trained]
    unseen_misses = [m for m in misses if fold(m[1]) not in trained]
    report = ROOT / "test-results" / f"answers-{path.stem}.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text("".join(f"{i}\t{t}\t{' | '.join(g)}\n" for i, t, g in misses))
    FIGURES[f"answered right through REST, {path.name} (min {minimum(path)})"] = (
        f"{accuracy:.4f} ({len(cases) - len(misses)}/{len(cases)} messages; "
        f"{1 - len(unseen_misses) / max(len(unseen), 1):.4f} on the {len(unseen)} not in data/nlu)"
    )
    assert accuracy >= minimum(path), misses


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Bonjour! J'ai une petite fromagerie dans Saint-Roch depuis dix ans. Une amie m'a parlé "
         "de vous la semaine passée. Est-ce que c'est gratuit?", "faq_cost"),
        ("Allo. Mon chum pis moi on a un café depuis 2019, les affaires vont bien. On aimerait ça "
         "s'inscrire au programme, comment on fait?", "request_eligibility"),
        ("bonsoir je voudrais inscrire mon salon de coiffure au programme", "request_eligibility"),
    ],
)  # fmt: skip
def test_a_long_or_greeting_led_message_gets_the_answer_of_what_it_asks(
    stack: Settings, responses: Responses, text: str, intent: str
) -> None:
    """The story and the greeting around a request do not hide it (read sentence by sentence)."""
    expected = replies(stack, responses, f"/{intent}")
    got = replies(stack, responses, text)
    # The program's offer to a merchant who describes the business says it is free.
    offered = intent == "faq_cost" and got == ["utter_offer_for_business"]
    assert got[-len(expected) :] == expected or offered
