"""Typed equals clicked: the button a merchant means when they type instead of touching one.

After a bot message with buttons, a merchant may type the button's title (« choisir un moment »,
accents and capitals aside) or a colloquial yes or no (« ouais », « ok », « non merci »,
« pas tout de suite »), or a time for « Choisir un moment » (« oui, mardi matin », « vendredi fin
de journée », or a format: « oui, idéalement en visioconférence »: the booking form reads the time
and the format in the typed words). `typed_choice` returns the payload of the button meant, so the message
can be handled exactly as the click would be (`rasa_components/typed_buttons.py`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.text import fold
from bot.vocabulary import Answer, find_yes_no, plain_yes_no, says_not_now, yes_no_phrase

_YES_PAYLOADS = {"/affirm", "oui"}
_NO_PAYLOADS = {"/deny", "non"}
_LONGEST_TITLE = 80
_FORMAT_WORDS = re.compile(r"\b(?:visio\w*|video\w*|zoom|teams|en personne|presentiel|sur place)\b")
_BOOKING = "/request_booking"
_MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
_TIME_WORDS = re.compile(
    rf"\b(?:lundi|mardi|mercredi|jeudi|vendredi)s?\b|"
    rf"\b(demain|aujourd hui|hier|lendemain|semaine|matin|matinee|midi|apres midi|aprem|soir|pm|"
    rf"am|le plus tot|au plus vite|n importe quand|{_MONTHS})\b|\b\d{{1,2}} ?h\b|\b\d{{1,2}} ?h ?\d\d\b"
)


def names_a_time(text: str) -> bool:
    """Whether `text` names a day or a time (« oui, mardi matin »): a wish to book, read by the
    booking form (this test needs no date parser, so the Rasa server can run it)."""
    return _TIME_WORDS.search(fold(text)) is not None


def _button_answer(button: Mapping[str, Any]) -> Answer | None:
    payload = str(button.get("payload") or "")
    if payload in _YES_PAYLOADS:
        return Answer.YES
    if payload in _NO_PAYLOADS:
        return Answer.NO
    return find_yes_no(str(button.get("title") or ""))


def typed_choice(text: str, buttons: Sequence[Mapping[str, Any]]) -> str | None:
    """The payload of the button `text` means, or None (then the text is read as it is)."""
    if not buttons or not text.strip() or text.lstrip().startswith("/"):
        return None
    folded = fold(text)
    for button in buttons:
        title, payload = str(button.get("title") or ""), str(button.get("payload") or "")
        if folded and folded in {fold(title[:_LONGEST_TITLE]), fold(payload)}:
            return payload
    offered = any(b.get("payload") == _BOOKING for b in buttons)
    said = Answer.NO if offered and says_not_now(text) else plain_yes_no(text)
    # « oui, mardi matin », « vendredi fin de journée », « oui, en visioconférence »
    if said is None and (names_a_time(text) or _FORMAT_WORDS.search(folded)):
        found = yes_no_phrase(text)
        return _BOOKING if offered and not (found and found[0] is not Answer.YES) else None
    if said is None:
        return None
    answers = [_button_answer(button) for button in buttons]
    if answers.count(said) == 1:
        return str(buttons[answers.index(said)].get("payload") or "") or None
    if (
        len(buttons) == 2 and said is not Answer.UNSURE and said not in answers
    ):  # « Choisir un moment » / « Plus tard »
        opposite = Answer.NO if said is Answer.YES else Answer.YES
        if opposite in answers:
            return str(buttons[1 - answers.index(opposite)].get("payload") or "") or None
    return None
