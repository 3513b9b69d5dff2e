"""FAQ response selection: each held-out FAQ question, asked in a new conversation, must get
the answer of its topic. Measured on the replies merchants see, through the REST channel."""

from __future__ import annotations

import uuid

import yaml

from bot.settings import ROOT, Settings
from tests.conftest import FIGURES, Responses, post

MIN_ACCURACY = 0.95
TERRITORY = {"utter_faq_territory", "utter_territory_inside", "utter_territory_outside"}


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
