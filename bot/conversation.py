"""What a message means inside a form, whatever the form: stop, a question about the program,
or an answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.text import fold

# Stopping: these phrases anywhere in a message, or these words as the whole message (a shop
# may well be called "Café Stop").
STOP_PHRASES = (
    "on arrete", "on s arrete", "je veux arreter", "arreter ca", "arrete ca", "laisse faire",
    "on continuera", "on reprendra",
)  # fmt: skip
# Stops unless they answer the question (« zéro, j'ai pas le temps » to the hours question).
MAYBE_STOP_PHRASES = ("pas le temps", "plus tard")
STOP_WORDS = ("stop", "arrete", "arreter", "pause", "annuler", "annule", "quitter")
SKIP_WORDS = ("passer", "passe", "sauter", "saute", "skip", "question suivante", "prochaine")
# A question about the program asked mid-form (the classifier spreads its confidence over
# many intents: 0.4 on a message that also reads as a question is a clear sign).
DIGRESSION_CONFIDENCE = 0.4
_QUESTION_START = re.compile(
    r"^(est ce|c est quoi|c quoi|kosse|comment|combien|qui|quand|pourquoi|quel|quelle|quels|"
    r"quelles|ou|ca coute|c tu|c est tu|y a tu|vous|pouvez|faut il|faut tu|est il)\b"
)


@dataclass
class Turn:
    """The outcome of one merchant message inside a form."""

    updates: dict[str, Any] = field(default_factory=dict)
    say: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    next_question: str | None = None
    paused: bool = False
    faq: str | None = None  # a FAQ intent to answer before asking again


def first_unanswered(questions: list[str], answers: dict[str, Any]) -> str | None:
    """The first question without an answer yet, in order."""
    return next((q for q in questions if answers.get(q) in (None, "")), None)


def looks_like_question(text: str) -> bool:
    return text.strip().endswith("?") or bool(_QUESTION_START.match(fold(text)))


def _says(text: str, words: tuple[str, ...]) -> bool:
    folded = f" {fold(text)} "
    return any(f" {w} " in folded for w in words)


def firmly_stops(text: str) -> bool:
    return _says(text, STOP_PHRASES) or fold(text) in STOP_WORDS


def wants_to_stop(text: str) -> bool:
    return firmly_stops(text) or _says(text, MAYBE_STOP_PHRASES)


_PAST = re.compile(r"\b(?:an|annee|mois|semaine|fois|ete|hiver|automne|printemps) passee?s?\b")


_SKIP_PHRASES = ("passer cette question", "passer la question", "sauter cette question")


def wants_to_skip(text: str) -> bool:
    """« passer », « on saute celle-là », « question suivante », not « refait l'an passé » nor
    « non, faut passer en boutique »."""
    folded = fold(text)
    short = len(folded.split()) <= 4 and not _PAST.search(folded)
    return (short and _says(text, SKIP_WORDS)) or _says(text, _SKIP_PHRASES)


def faq_digression(text: str, intent: str | None, confidence: float) -> str | None:
    """The FAQ intent to answer if the message is a question about the program, else None."""
    if not intent or not intent.startswith("faq_"):
        return None
    if text.startswith("/") or (confidence >= DIGRESSION_CONFIDENCE and looks_like_question(text)):
        return intent
    return None


def field_named(text: str, fields: dict[str, tuple[str, ...]]) -> str | None:
    """The field a merchant names ("le courriel", "l'adresse"), for corrections."""
    folded = f" {fold(text)} "
    for name, words in fields.items():
        if any(f" {w} " in folded for w in words):
            return name
    return None


def interruption(
    text: str, question: str, intent: str | None, confidence: float, paused_response: str
) -> Turn | None:
    """A stop ("on arrête ça") or a question about the program asked mid-form, else None."""
    if wants_to_stop(text):
        return Turn(say=[(paused_response, {})], paused=True)
    faq = faq_digression(text, intent, confidence)
    if faq:
        return Turn(faq=faq, next_question=question)
    return None
