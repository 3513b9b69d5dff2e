"""The diagnostic conversation: questions, answer readers, skipping, stop, summary correction.

Buttons for closed choices, free text everywhere, "je ne sais pas" always valid, "passer"
skips a question, "on arrête" stops (what was answered is kept).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot import diagnostic as d
from bot.conversation import Turn, field_named, first_unanswered, interruption, wants_to_skip
from bot.limits import FREE_TEXT
from bot.parsing import NotUnderstood, parse_yes_no
from bot.text import one_line
from bot.vocabulary import Answer, find_yes_no

QUESTIONS = (
    "diag_website", "diag_platform", "diag_social_networks", "diag_posting", "diag_google_profile",
    "diag_online_sales", "diag_newsletter", "diag_online_booking", "diag_tools", "diag_goals",
    "diag_obstacles", "diag_budget", "diag_first_change", "diag_summary_confirmed",
)  # fmt: skip
FIELD_TO_CORRECT = "diag_field_to_correct"


def _yes_no_unsure(text: str) -> str:
    try:
        answer = parse_yes_no(text)
    except NotUnderstood:
        raise NotUnderstood("oui, non ou « je ne sais pas »") from None
    return d.UNKNOWN if answer is Answer.UNSURE else answer.value


def _free(text: str) -> str:
    text = one_line(text)
    if not text or len(text) > FREE_TEXT:
        raise NotUnderstood(
            f"une réponse de {FREE_TEXT} caractères au maximum (« je ne sais pas » convient)"
        )
    return text


READERS: dict[str, Callable[[str], str]] = {
    "diag_website": d.read_website,
    "diag_platform": _free,
    "diag_social_networks": lambda t: d.read_list(t, d.SOCIAL_NETWORKS, "les réseaux utilisés, par exemple « Facebook, Instagram », ou « aucun »"),
    "diag_posting": d.read_frequency,
    "diag_google_profile": _yes_no_unsure,
    "diag_online_sales": _yes_no_unsure,
    "diag_newsletter": _yes_no_unsure,
    "diag_online_booking": _yes_no_unsure,
    "diag_tools": lambda t: d.read_list(t, d.TOOLS, "vos outils, par exemple « caisse, comptabilité », ou « aucun »"),
    "diag_goals": lambda t: d.read_list(t, d.GOALS, "vos objectifs, par exemple « visibilité, ventes en ligne »"),
    "diag_obstacles": lambda t: d.read_list(t, d.OBSTACLES, "vos freins, par exemple « le temps, le budget »"),
    "diag_budget": d.read_budget,
    "diag_first_change": _free,
}  # fmt: skip
_FIELD_WORDS = {
    "diag_website": ("site", "site web"),
    "diag_social_networks": ("reseaux", "reseaux sociaux", "facebook", "instagram"),
    "diag_google_profile": ("google", "avis", "fiche"),
    "diag_online_sales": ("vente", "ventes", "vente en ligne"),
    "diag_newsletter": ("infolettre",),
    "diag_online_booking": ("reservation", "commande"),
    "diag_tools": ("outils", "caisse", "comptabilite", "inventaire"),
    "diag_goals": ("objectifs", "objectif", "buts"),
    "diag_obstacles": ("freins", "obstacles", "defis"),
    "diag_budget": ("budget",),
    "diag_first_change": ("changement", "premier", "priorite"),
}


def questions_for(answers: dict[str, Any]) -> list[str]:
    skip = set()
    if answers.get("diag_website") in {None, d.Website.NONE, d.UNKNOWN}:
        skip.add("diag_platform")
    if answers.get("diag_social_networks") in {None, "aucun", d.UNKNOWN}:
        skip.add("diag_posting")
    return [q for q in QUESTIONS if q not in skip]


def next_question(answers: dict[str, Any]) -> str | None:
    return first_unanswered(questions_for(answers), answers)


def take_turn(
    answers: dict[str, Any],
    question: str | None,
    text: str,
    intent: str | None = None,
    confidence: float = 0.0,
) -> Turn:
    """Handle one message of the diagnostic."""
    turn = Turn()
    if question is None:
        turn.next_question = next_question(answers)
        return turn
    interrupted = interruption(text, question, intent, confidence, "utter_diagnostic_paused")
    if interrupted:
        return interrupted
    if question in {"diag_summary_confirmed", FIELD_TO_CORRECT}:
        named = field_named(text, _FIELD_WORDS)
        if named is not None:
            turn.updates = {named: None}
        elif question == FIELD_TO_CORRECT:
            expected = "le sujet à corriger, par exemple « site », « réseaux » ou « budget »"
            turn.say.append(("utter_intake_not_understood", {"expected": expected}))
            turn.next_question = FIELD_TO_CORRECT
            return turn
        elif find_yes_no(text) is Answer.YES:
            turn.updates = {"diag_summary_confirmed": True}
        else:
            turn.next_question = FIELD_TO_CORRECT
            return turn
    elif wants_to_skip(text):
        turn.updates = {question: d.UNKNOWN}
    else:
        try:
            turn.updates = {question: READERS[question](text)}
        except NotUnderstood as expected:
            turn.say.append(("utter_intake_not_understood", {"expected": str(expected)}))
    turn.next_question = next_question({**answers, **turn.updates})
    return turn


def to_answers(answers: dict[str, Any]) -> d.Answers:
    """The diagnostic answers so far; what was not answered is "je ne sais pas"."""
    values = {q.removeprefix("diag_"): answers.get(q) for q in READERS}
    return d.Answers(**{k: v for k, v in values.items() if v not in (None, "")})
