"""The figures measured through a running product's REST channel (the replies merchants see):
FAQ response selection on the held-out set, and each set's messages answered as their intent
is. Shared by the tests of the model in service (tests/e2e/test_faq_answers.py) and by the
measurement of a candidate model (`bot.learning.measure`)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.booking_form import find_reference
from bot.learning.responses import Responses
from bot.settings import ROOT

NLU_TESTS = ROOT / "tests" / "nlu"
HELDOUT = NLU_TESTS / "heldout.yml"
TERRITORY = {"utter_faq_territory", "utter_territory_inside", "utter_territory_outside"}
# A session named by its reference is looked up at once: « je ne trouve aucune rencontre avec ce
# numéro » is the right first reply to a message whose reference does not exist.
BOOKING_BY_REFERENCE = {"cancel_booking", "reschedule_booking", "check_booking"}

Miss = tuple[str, str, list[str]]  # intent, message, the responses got


@dataclass(frozen=True)
class Score:
    """How many messages of a set were answered right, and the misses."""

    total: int
    misses: list[Miss]

    @property
    def accuracy(self) -> float:
        return 1 - len(self.misses) / self.total if self.total else 0.0


def answer_sets() -> list[Path]:
    """The sets answered through REST: the held-out set, then the independent ones."""
    return [HELDOUT, *sorted(NLU_TESTS.glob("independent_*.yml"))]


def examples(path: Path) -> list[tuple[str, str]]:
    """(intent, message) for every example of an NLU file."""
    found = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                found.append((block["intent"], line.strip()[2:]))
    return found


def heldout_faq_questions() -> list[tuple[str, str]]:
    """(intent, question) for every FAQ question of the held-out set."""
    return [(i, t) for i, t in examples(HELDOUT) if i.startswith("faq_")]


def said(rasa_url: str, sender: str, message: str) -> list[dict[str, object]]:
    """What the assistant answers `message` in the conversation `sender` (REST channel)."""
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        found: list[dict[str, object]] = json.loads(reply.read() or b"[]")
        return found


def replies(rasa_url: str, responses: Responses, message: str) -> list[str]:
    """The responses a new conversation gets to its first message."""
    found = said(rasa_url, f"ans-{uuid.uuid4().hex[:12]}", message)
    return [responses.name_of(str(r.get("text") or "")) for r in found]


def faq_selection(rasa_url: str, responses: Responses) -> Score:
    """Each held-out FAQ question, asked in a new conversation, gets its topic's answer alone."""
    questions = heldout_faq_questions()
    misses = []
    for intent, text in questions:
        expected = TERRITORY if intent == "faq_territory" else {f"utter_{intent}"}
        got = replies(rasa_url, responses, text)
        if len(got) != 1 or got[0] not in expected:
            misses.append((intent, text, got))
    return Score(len(questions), misses)


def answered_right(rasa_url: str, responses: Responses, cases: list[tuple[str, str]]) -> Score:
    """Each message, first in a new conversation, ends with what its intent gets when the
    intent is sent directly (the reply merchants see: FAQ answer, consent prompt, greeting…)."""
    reference = {
        intent: replies(rasa_url, responses, f"/{intent}") for intent in {i for i, _ in cases}
    }
    misses = []
    for intent, text in cases:
        got = replies(rasa_url, responses, text)
        expected = reference[intent]  # last, after what the message adds
        if intent in BOOKING_BY_REFERENCE and find_reference(text):  # the sets' are made up
            expected = ["utter_booking_unknown_reference"]
        right = got[-len(expected) :] == expected or (
            intent == "faq_territory" and bool(got) and set(got) <= TERRITORY
        )
        if not right:
            misses.append((intent, text, got))
    return Score(len(cases), misses)
