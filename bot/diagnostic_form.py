"""The diagnostic as data for the form engine (`bot.forms`): its questions, how each answer is
read, and the answers the profile is computed from.

Buttons for closed choices, free text everywhere; every question is optional (« je ne sais
pas » and « passer » are answers); « on arrête » stops (what was answered is kept). A website
platform named in any answer (« oui, un site Wix ») answers the platform question, which is
then not asked. The questions' labels, examples, words and buttons, and the words the answers
are read with, are the program pack's (`program/diagnostic.yml`), read at call time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot import diagnostic as d
from bot import extraction, forms
from bot.forms import UNSURE, Form, Question, Reader, Recogniser, same
from bot.limits import FREE_TEXT
from bot.pack import diagnostic as pack
from bot.parsing import NotUnderstood, parse_yes_no
from bot.text import fold, one_line, typo_tolerant
from bot.vocabulary import Answer, opens_unsure


def _free(text: str) -> str:
    text = one_line(text)
    if not text or len(text) > FREE_TEXT:
        raise NotUnderstood(
            f"une réponse de {FREE_TEXT} caractères au maximum (« je ne sais pas » convient)"
        )
    return text


def _reading(question: str, read: Callable[[str], str]) -> Reader:
    return lambda text, answers: {question: read(text)}


def _platform(text: str) -> str:
    """The platforms named (« WordPress, je crois » is « WordPress »), « je ne sais pas », or
    the answer as said (« c'est mon neveu qui l'a fait »)."""
    named = extraction.platforms(text, only_websites=False)
    if named:
        return named
    if opens_unsure(text):
        return d.UNKNOWN
    return _free(extraction.after_lead_in(text, articles=False))


def _platform_said(text: str, question: str | None, answers: dict[str, Any]) -> dict[str, Any]:
    """A website platform named in an answer to another question (« oui, un site Wix »), when
    the platform is not answered yet: it is not asked."""
    if question == "diag_platform" or answers.get("diag_platform") not in (None, ""):
        return {}
    named = extraction.platforms(text)
    return {"diag_platform": named} if named else {}


def _short(text: str) -> bool:
    return len(fold(text).split()) <= 6


def _alone(question: str, read: Callable[[str], str], sign: Callable[[str], bool]) -> Recogniser:
    """Reads a value typed alone at the summary when `sign` says it is this question's."""

    def alone(text: str, answers: dict[str, Any]) -> dict[str, Any] | None:
        return {question: read(text)} if _short(text) and sign(text) else None

    return alone


def _names_platform(text: str) -> bool:
    return extraction.platforms(text) is not None


def _is_amount(text: str) -> bool:
    return any(w in f" {fold(text)} " for w in (" $", " dollars ", " piasses ")) or "$" in text


def _names_networks(text: str) -> bool:
    return bool(typo_tolerant(fold(text), d.vocabulary("social_networks")))


def _says_how_often(text: str) -> bool:
    return d.frequency_said(text)


RECAP, FIELD_TO_CORRECT = "diag_summary_confirmed", "diag_field_to_correct"
QUESTIONS = (*pack.QUESTIONS, RECAP)  # the form's slots


def _site_asked(answers: dict[str, Any]) -> bool:
    return answers.get("diag_website") not in {None, d.Website.NONE, d.UNKNOWN}


def _networks_asked(answers: dict[str, Any]) -> bool:
    return answers.get("diag_social_networks") not in {None, "aucun", d.UNKNOWN}


def _list(
    vocabulary: str, in_order_said: bool = False, lacking: bool = False
) -> Callable[[str], str]:
    """Reads a list of the pack's `vocabulary` (social_networks, tools, goals, obstacles)."""

    def read(text: str) -> str:
        diagnostic = pack.current_diagnostic()
        expected = diagnostic.question(f"diag_{vocabulary}").expected
        everything = diagnostic.goals_asked if vocabulary == "goals" else ()
        words = d.vocabulary(vocabulary)
        return d.read_list(text, words, expected, lacking, in_order_said, everything)

    return read


def _yes_no_unsure(question: str) -> Callable[[str], str]:
    """Oui, non or « je ne sais pas »; the question's words that say yes (« un peu sur Etsy »)
    or no (« juste en boutique ») count too."""

    def read(text: str) -> str:
        said = pack.current_diagnostic().question(question)
        try:
            answer = parse_yes_no(text, said.says_yes, said.says_no)
        except NotUnderstood:
            raise NotUnderstood("oui ou non") from None
        return d.UNKNOWN if answer is Answer.UNSURE else answer.value

    return read


@dataclass(frozen=True)
class _How:
    """How a question is read, when it is asked, and what it reads typed alone at the recap."""

    read: Callable[[str], str]
    asked: Callable[[dict[str, Any]], bool] | None = None
    alone: Recogniser | None = None


# Each question's reading; its wording (label, example, words, buttons) is the pack's
# (`program/diagnostic.yml`).
_HOW = {
    "diag_website": _How(d.read_website),
    "diag_platform": _How(
        _platform, _site_asked, _alone("diag_platform", _platform, _names_platform)
    ),
    "diag_social_networks": _How(
        _list("social_networks"),
        alone=_alone("diag_social_networks", _list("social_networks"), _names_networks),
    ),
    "diag_posting": _How(
        d.read_frequency, _networks_asked, _alone("diag_posting", d.read_frequency, _says_how_often)
    ),
    "diag_google_profile": _How(_yes_no_unsure("diag_google_profile")),
    "diag_online_sales": _How(_yes_no_unsure("diag_online_sales")),
    "diag_newsletter": _How(_yes_no_unsure("diag_newsletter")),
    "diag_online_booking": _How(_yes_no_unsure("diag_online_booking")),
    "diag_tools": _How(_list("tools")),
    "diag_goals": _How(_list("goals", in_order_said=True)),
    "diag_obstacles": _How(_list("obstacles", lacking=True)),
    "diag_budget": _How(d.read_budget, alone=_alone("diag_budget", d.read_budget, _is_amount)),
    "diag_first_change": _How(_free),
}


@cache
def _form(diagnostic: pack.Diagnostic) -> Form:
    questions = []
    for name in pack.QUESTIONS:
        said, how = diagnostic.question(name), _HOW[name]
        asked: dict[str, Any] = {"asked": how.asked} if how.asked else {}
        questions.append(
            Question(
                name, _reading(name, how.read), said.example, optional=True,
                buttons=(*said.buttons, *((UNSURE,) if said.unsure else ())),
                choices=same(*said.choices), hears=said.hears, alone=how.alone,
                label=said.label, words=said.words, **asked,
            )
        )  # fmt: skip
    return Form(
        questions=tuple(questions),
        recap=RECAP,
        correct=FIELD_TO_CORRECT,
        correct_example=diagnostic.correct_example,
        paused="utter_diagnostic_paused",
        extra=_platform_said,
    )


def form() -> Form:
    """The diagnostic form of the current pack (its wording), read at call time."""
    return _form(pack.current_diagnostic())


# Handle one message of the form (`bot.forms.take_turn` on the current pack's form).
take_turn = forms.FormTurns(form)


def to_answers(answers: dict[str, Any]) -> d.Answers:
    """The diagnostic answers so far; what was not answered is "je ne sais pas", and the
    answer to a question no longer asked is left out (a platform when there is no site)."""
    values = {
        q.name.removeprefix("diag_"): answers.get(q.name)
        for q in form().questions
        if q.asked(answers)
    }
    return d.Answers(**{k: v for k, v in values.items() if v not in (None, "")})
