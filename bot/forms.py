"""One form engine: the intake and the diagnostic are data (`Form`, `Question`) run by
`take_turn`, with one vocabulary (`bot.vocabulary`: yes, no, « je ne sais pas »; skip and stop
in `bot.conversation`) and one escalation when an answer cannot be read:

1. the question is asked (its domain response `utter_ask_<name>`, with its buttons);
2. after a failed answer, a re-ask in other words with what is expected and an example;
3. after a second, the closed choices as buttons (ranges for numbers), with « Je ne sais pas »
   or « Passer » where the answer is optional, or else a way out (stop, a person);
4. after a third, an optional question is skipped and a required one paused (answers kept):
   the merchant never reads the same words a third time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.conversation import (
    Turn,
    field_named,
    firmly_stops,
    first_unanswered,
    interruption,
    wants_to_skip,
)
from bot.parsing import NotUnderstood
from bot.text import fold
from bot.vocabulary import Answer, find_yes_no, is_unsure, mentions_unsure, plain_yes_no

UNKNOWN = "je ne sais pas"
WORDS = "une réponse en mots (même « je ne sais pas »)"  # to an emoji or punctuation only
FAILURES = "form_failures"  # the slot counting failed answers to the current question
Choice = tuple[str, str]  # a button: (title, payload)
Reader = Callable[[str, dict[str, Any]], dict[str, Any]]


def same(*titles: str) -> tuple[Choice, ...]:
    """Buttons whose payload is their title."""
    return tuple((title, title) for title in titles)


YES_NO_UNSURE = (("Oui", "oui"), ("Non", "non"), ("Je ne sais pas", UNKNOWN))
SKIP = ("Passer", "passer")
NOTHING = ("Rien à corriger", "rien")
UNSURE = ("Je ne sais pas", UNKNOWN)


def _always(answers: dict[str, Any]) -> bool:
    return True


def _as_is(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Question:
    """One question of a form: how its answer is read and what helps the merchant answer."""

    name: str
    read: Reader  # the answers a reply gives; raises NotUnderstood
    example: str  # shown when re-asking
    buttons: tuple[Choice, ...] = ()  # closed choices shown with the question
    choices: tuple[Choice, ...] = ()  # shown after a second failed answer (default: buttons)
    hears: tuple[str, ...] = ()  # phrases that answer it but would stop another (« pas le temps »)
    optional: bool = False  # « je ne sais pas » and « passer » are answers
    asked: Callable[[dict[str, Any]], bool] = _always  # given the answers so far
    label: str = ""  # in the recap
    words: tuple[str, ...] = ()  # how a merchant names it to correct it
    clears: tuple[str, ...] = ()  # answers that go with it, cleared when it is corrected
    shown: Callable[[Any], Any] = _as_is  # its stored answer as the merchant reads it

    def escalation(self) -> list[Choice]:
        offered = list(self.choices or self.buttons)
        if self.optional and offered and UNSURE not in offered:
            offered.append(UNSURE)
        return offered


@dataclass(frozen=True)
class Form:
    """A form: its questions in order, then a recap to confirm or correct."""

    questions: tuple[Question, ...]
    recap: str  # the confirmation question (a slot)
    correct: str  # "what do you want to correct?" (a slot)
    correct_example: str
    paused: str  # said when the merchant stops
    resumed: str | None = None  # said when the form starts again with answers already given
    # Answers to other questions found in any message (an e-mail, a phone number).
    extra: Callable[[str, str | None], dict[str, Any]] | None = None

    def question(self, name: str) -> Question:
        return next(q for q in self.questions if q.name == name)

    @property
    def slots(self) -> tuple[str, ...]:
        return (*(q.name for q in self.questions), self.recap)

    def asked(self, answers: dict[str, Any]) -> list[str]:
        """The questions this merchant has to answer, given what they already said."""
        return [q.name for q in self.questions if q.asked(answers)] + [self.recap]

    def next_question(self, answers: dict[str, Any]) -> str | None:
        return first_unanswered(self.asked(answers), answers)

    @property
    def names(self) -> set[str]:
        """The names of the form's questions."""
        return {q.name for q in self.questions}

    def buttons(self, name: str) -> list[dict[str, str]]:
        """The buttons shown with the question `name` when it is first asked."""
        return as_buttons(next((q.buttons for q in self.questions if q.name == name), ()))


def as_buttons(choices: tuple[Choice, ...] | list[Choice]) -> list[dict[str, str]]:
    return [{"title": title, "payload": payload} for title, payload in choices]


def take_turn(
    form: Form,
    answers: dict[str, Any],
    question: str | None,
    text: str,
    intent: str | None = None,
    confidence: float = 0.0,
    failures: int = 0,
) -> Turn:
    """Handle one merchant message inside `form`: an answer, a question about the program, a
    correction, « je ne sais pas », « passer », « on arrête », or the recap."""
    if question is None:  # the form starts (or resumes)
        turn = Turn(updates={FAILURES: 0}, next_question=form.next_question(answers))
        started = any(answers.get(q.name) not in (None, "") for q in form.questions)
        if form.resumed and started and turn.next_question != form.recap:
            turn.say.append((form.resumed, {}))
        return turn
    interrupted = interruption(text, question, intent, confidence, form.paused)
    answers_it = interrupted and (not interrupted.paused or _hears(form, question, text))
    if answers_it and _answers(form, question, text, answers):
        interrupted = None  # « Vous pouvez me joindre au 418 555-0101. », « pas le temps »
    if interrupted:
        if not interrupted.paused:  # a question about the program: then ask again in full
            interrupted.updates[FAILURES] = 0
        return interrupted
    if question in {form.recap, form.correct}:
        return _recap_turn(form, answers, question, text, failures)
    return _answer_turn(form, form.question(question), answers, text, failures)


def _hears(form: Form, question: str, text: str) -> bool:
    """Whether `text` says one of the phrases that answer `question` (not a firm stop)."""
    heard = form.question(question).hears if question in form.names else ()
    folded = f" {fold(text)} "
    return not firmly_stops(text) and any(f" {phrase} " in folded for phrase in heard)


def _answers(form: Form, question: str, text: str, answers: dict[str, Any]) -> bool:
    """Whether `text`, not a question (no « ? »), reads as an answer to `question`."""
    if text.rstrip().endswith("?") or question in {form.recap, form.correct}:
        return False
    try:
        form.question(question).read(text, answers)
    except NotUnderstood:
        return False
    return True


def _answer_turn(
    form: Form, question: Question, answers: dict[str, Any], text: str, failures: int
) -> Turn:
    turn = Turn()
    extra = form.extra(text, question.name) if form.extra else {}
    corrections = {k: v for k, v in extra.items() if answers.get(k) not in (None, "", v)}
    if corrections:  # "en fait mon courriel c'est ...": an earlier answer changes
        turn.updates = corrections
        for name, value in corrections.items():
            turn.say.append(
                (
                    "utter_form_noted",
                    {"label": form.question(name).label, "value": form.question(name).shown(value)},
                )
            )
    elif question.optional and (wants_to_skip(text) or is_unsure(text)):
        turn.updates = {question.name: UNKNOWN, FAILURES: 0}
    else:
        try:
            if not any(character.isalnum() for character in text):  # « 🤷 », « ... »
                raise NotUnderstood(WORDS)
            turn.updates = question.read(text, answers) | extra | {FAILURES: 0}
        except NotUnderstood as expected:
            turn.updates = extra
            # « ouf, je le sais pas pantoute », « jsp, c'est mon frère qui gère ça »
            unsure = mentions_unsure(text) or find_yes_no(text) is Answer.UNSURE
            if question.optional and unsure:
                turn.updates |= {question.name: UNKNOWN, FAILURES: 0}
            else:
                _escalate(form, turn, question, str(expected), failures + 1)
    turn.next_question = form.next_question({**answers, **turn.updates})
    return turn


def _escalate(form: Form, turn: Turn, question: Question, expected: str, failures: int) -> None:
    """What to say after the merchant's `failures`-th unreadable answer to `question`."""
    turn.updates[FAILURES] = failures
    offered = question.escalation()
    if failures == 1:
        values = {"expected": expected, "example": question.example}
        turn.say.append(("utter_form_retry", values | {"buttons": as_buttons(question.buttons)}))
    elif failures == 2 and offered:
        turn.say.append(("utter_form_choices", {"buttons": as_buttons(offered)}))
    elif failures == 2:
        skip = [SKIP] if question.optional else []
        turn.say.append(("utter_form_help", {"expected": expected, "buttons": as_buttons(skip)}))
    elif question.optional:
        turn.updates |= {question.name: UNKNOWN, FAILURES: 0}
        turn.say.append(("utter_form_skipped", {}))
    else:
        _pause(form, turn)


def _pause(form: Form, turn: Turn) -> None:
    """The third unreadable answer: a person offered, the form paused with its answers kept."""
    turn.updates[FAILURES] = 0
    turn.say += [("utter_form_stuck", {}), (form.paused, {})]
    turn.paused = True


def _recap_turn(
    form: Form, answers: dict[str, Any], question: str, text: str, failures: int
) -> Turn:
    """At the recap: confirm, or say what to correct (a field's name, or the right value);
    « rien », « non », « je sais pas » to « que voulez-vous corriger? » is nothing to correct."""
    extra = form.extra(text, None) if form.extra else {}
    if extra:  # "mon courriel c'est plutôt ..."
        return Turn(updates=extra | {FAILURES: 0}, next_question=form.recap)
    named = field_named(text, {q.name: q.words for q in form.questions if q.words})
    if named is not None:
        cleared = (named, *form.question(named).clears)
        return Turn(updates={name: None for name in cleared} | {FAILURES: 0}, next_question=named)
    if question == form.correct:
        if plain_yes_no(text) is not None or fold(text) in NOTHING_TO_CORRECT:
            turn = Turn(updates={form.recap: True, FAILURES: 0}, next_question=None)
            turn.say.append(("utter_form_nothing_to_correct", {}))
            return turn
        return _correction_not_understood(form, answers, failures + 1)
    if find_yes_no(text) is Answer.YES:
        return Turn(updates={form.recap: True}, next_question=None)
    return Turn(updates={FAILURES: 0}, next_question=form.correct)


NOTHING_TO_CORRECT = (
    "rien", "rien du tout", "rien a corriger", "rien a changer", "aucun", "aucune", "aucune idee",
    "c est beau", "c est correct", "c est bon", "tout est beau", "tout est correct",
    "tout est bon", "laisse faire", "laissez faire", "nevermind", "oublie ca", "oubliez ca",
)  # fmt: skip


def _correction_not_understood(form: Form, answers: dict[str, Any], failures: int) -> Turn:
    """Which answer to correct was not understood: an example, then the answers as buttons
    (and « Rien à corriger »), then a pause with the answers kept."""
    turn = Turn(updates={FAILURES: failures}, next_question=form.correct)
    if failures == 1:
        values = {"expected": "le nom de ce qui est à corriger", "example": form.correct_example}
        turn.say.append(("utter_form_retry", values))
    elif failures == 2:
        given = [q for q in form.questions if q.words and answers.get(q.name) not in (None, "")]
        choices = [(q.label or q.words[0], q.words[0]) for q in given] + [NOTHING]
        turn.say.append(("utter_form_choices", {"buttons": as_buttons(choices)}))
    else:
        _pause(form, turn)
    return turn
