"""FAQ response selection: each held-out FAQ question, asked in a new conversation, must get
the answer of its topic. Measured on the replies merchants see, through the REST channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.learning.answers import answer_sets, answered_right, examples, faq_selection, replies
from bot.learning.quality import answers_minimum
from bot.learning.quality import minimum as threshold
from bot.settings import ROOT, Settings
from bot.text import fold
from tests.conftest import FIGURES, Responses
from tests.model.test_nlu_heldout import training_examples

MIN_ACCURACY = threshold("faq_selection")  # config/quality.yml


def test_faq_response_selection_accuracy(stack: Settings, responses: Responses) -> None:
    score = faq_selection(stack.rasa_url, responses)
    FIGURES[f"FAQ response-selection accuracy on held-out (min {MIN_ACCURACY})"] = (
        f"{score.accuracy:.4f} ({score.total - len(score.misses)}/{score.total} questions)"
    )
    assert score.total >= 19 * 10
    assert score.accuracy >= MIN_ACCURACY, score.misses


def minimum(path: Path) -> float:
    """The set's minimum (config/quality.yml: answers_<stem>, else the held-out set's)."""
    return answers_minimum(path.stem)


@pytest.mark.parametrize(
    "path",
    answer_sets(),
    ids=lambda p: p.stem,
)
def test_every_message_gets_the_answer_of_its_intent(
    stack: Settings, responses: Responses, path: Path
) -> None:
    """Each message of a set, first in a new conversation, ends with what its intent gets when
    the intent is sent directly (the reply merchants see: FAQ answer, consent prompt, greeting…)."""
    cases = examples(path)
    score = answered_right(stack.rasa_url, responses, cases)
    misses, accuracy = score.misses, score.accuracy
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
    expected = replies(stack.rasa_url, responses, f"/{intent}")
    got = replies(stack.rasa_url, responses, text)
    # The program's offer to a merchant who describes the business says it is free.
    offered = intent == "faq_cost" and got == ["utter_offer_for_business"]
    assert got[-len(expected) :] == expected or offered
