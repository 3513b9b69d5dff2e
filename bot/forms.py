"""One form engine: the intake and the diagnostic are data (`Form`, `Question`) run by
`take_turn`, with one vocabulary (`bot.vocabulary`: yes, no, « je ne sais pas »; skip and stop
in `bot.conversation`) and one escalation when an answer cannot be read:

1. the question is asked (its domain response `utter_ask_<name>`, with its buttons);
2. after a failed answer, a re-ask in other words with what is expected and an example;
3. after a second, the closed choices as buttons (ranges for numbers), with « Je ne sais pas »
   or « Passer » where the answer is optional, or else a way out (stop, a person);
4. after a third, an optional question is skipped and a required one paused (answers kept):
   the merchant never reads the same words a third time.

« c'est quoi une infolettre? » is answered in one sentence (`bot.glossary`) and the question
asked again. At the recap, answers are corrected by the recap's labels or the fields' usual
names, with or without the new value, several in one message (`bot.corrections`), or by a new
value alone that can belong to one question only; the bot says what changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from bot import glossary
from bot.conversation import (
    Turn,
    firmly_stops,
    first_unanswered,
    interruption,
    wants_to_skip,
)
from bot.corrections import Said, fields_said
from bot.parsing import NotUnderstood
from bot.text import fold
from bot.vocabulary import Answer, find_yes_no, is_unsure, mentions_unsure, plain_yes_no

UNKNOWN = "je ne sais pas"
WORDS = "une réponse en mots (même « je ne sais pas »)"  # to an emoji or punctuation only
FAILURES = "form_failures"  # the slot counting failed answers to the current question
Choice = tuple[str, str]  # a button: (title, payload)
Reader = Callable[[str, dict[str, Any]], dict[str, Any]]
# The answers a value typed alone gives when it can only be one question's, else None.
Recogniser = Callable[[str, dict[str, Any]], dict[str, Any] | None]


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
    # Reads a new value typed alone at the recap when it can only be this question's (an
    # address with its postal code, « propriétaire »); its buttons' titles count too.
    alone: Recogniser | None = None

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
    # Answers to other questions found in any message (an e-mail, a phone number), given the
    # message, the question asked (None at the recap) and the answers so far.
    extra: Callable[[str, str | None, dict[str, Any]], dict[str, Any]] | None = None

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

    def naming(self) -> dict[str, tuple[str, ...]]:
        """How a merchant names each question to correct it: its words and its recap label."""
        return {
            q.name: tuple(dict.fromkeys(w for w in (*q.words, fold(q.label)) if w))
            for q in self.questions
            if q.words or q.label
        }

    def buttons(self, name: str) -> list[dict[str, str]]:
        """The buttons shown with the question `name` when it is first asked."""
        return as_buttons(next((q.buttons for q in self.questions if q.name == name), ()))


def as_buttons(choices: tuple[Choice, ...] | list[Choice]) -> list[dict[str, str]]:
    return [{"title": title, "payload": payload} for title, payload in choices]


class FormTurns:
    """`take_turn` on the form `form_of()` builds at call time (from the current pack)."""

    def __init__(self, form_of: Callable[[], Form]) -> None:
        self.form_of = form_of

    def __call__(
        self,
        answers: dict[str, Any],
        question: str | None,
        text: str,
        intent: str | None = None,
        confidence: float = 0.0,
        failures: int = 0,
    ) -> Turn:
        return take_turn(self.form_of(), answers, question, text, intent, confidence, failures)


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
    term = glossary.asked_about(text)
    if term and not _answers(form, question, text, answers, unsure=False):
        after = text.rpartition("?")[2].strip()  # « c'est quoi une infolettre? on envoie rien »
        if not _answers(form, question, after, answers, unsure=False):
            # « c'est quoi une infolettre? »: what the word means, then the same question again
            return Turn(updates={FAILURES: 0}, say=[(term, {})], next_question=question)
        text = after
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


def _answers(
    form: Form, question: str, text: str, answers: dict[str, Any], unsure: bool = True
) -> bool:
    """Whether `text`, not a question (no « ? »), reads as an answer to `question` (« je ne
    sais pas » too, unless not `unsure`)."""
    if text.rstrip().endswith("?") or question in {form.recap, form.correct}:
        return False
    try:
        read = form.question(question).read(text, answers)
    except NotUnderstood:
        return False
    return unsure or read.get(question) != UNKNOWN


def _answer_turn(
    form: Form, question: Question, answers: dict[str, Any], text: str, failures: int
) -> Turn:
    turn = Turn()
    extra = form.extra(text, question.name, answers) if form.extra else {}
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
    """At the recap: confirm, or correct: fields named with their new values (« mon nom c'est
    Ginette Tremblay pis mon rôle c'est propriétaire », « SDC ou regroupement : … »), a new
    value alone that can only be one question's, or a field named alone (asked again);
    « rien », « non », « je sais pas » to « que voulez-vous corriger? » is nothing to correct."""
    naming = form.naming()
    said = fields_said(text, naming)
    if any(s.value is not None for s in said):
        return _corrected(form, answers, said)
    if len(said) == 1 and _bare(text) in naming[said[0].field]:  # « le budget »: its name
        return _corrected(form, answers, said)
    alone = _alone(form, answers, text)
    if alone:
        return _corrected(form, answers, [], alone)
    if said:  # « le téléphone », « le nom du regroupement »: asked again
        return _corrected(form, answers, said)
    extra = form.extra(text, None, answers) if form.extra else {}
    if extra:  # "mon cell c'est plutôt ..."
        return _corrected(form, answers, [], extra)
    if question == form.correct:
        if plain_yes_no(text) is not None or fold(text) in NOTHING_TO_CORRECT:
            turn = Turn(updates={form.recap: True, FAILURES: 0}, next_question=None)
            turn.say.append(("utter_form_nothing_to_correct", {}))
            return turn
        return _correction_not_understood(form, answers, failures + 1)
    if find_yes_no(text) is Answer.YES:
        return Turn(updates={form.recap: True}, next_question=None)
    return Turn(updates={FAILURES: 0}, next_question=form.correct)


def _bare(text: str) -> str:
    """The folded text without the determiners before it (« le budget » is « budget »)."""
    return re.sub(
        r"^(?:(?:le|la|l|les|mon|ma|mes|votre|vos|notre|nos|son|sa|ses)\s+)+", "", fold(text)
    )


def _alone(form: Form, answers: dict[str, Any], text: str) -> dict[str, Any] | None:
    """The answers a value typed alone gives, when it can belong to one question only (an
    address with its postal code, a named association, a button's title of one question). A
    plain « oui » or « non » answers the recap itself, even where one question only has such a
    button."""
    if plain_yes_no(text) is not None:
        return None
    claims: list[dict[str, Any]] = []
    folded = fold(text)
    for q in form.questions:
        values = None
        with suppress(NotUnderstood):
            values = q.alone(text, answers) if q.alone else None
            titles = [p for t, p in (*q.buttons, *q.choices) if folded in {fold(t), fold(p)}]
            if values is None and titles:
                values = q.read(titles[0], answers)
        if values and q.asked({**answers, **values}):
            claims.append(values)
    return claims[0] if len(claims) == 1 else None


def _corrected(
    form: Form, answers: dict[str, Any], said: list[Said], values: dict[str, Any] | None = None
) -> Turn:
    """The answers corrected at the recap: each new value read by its question (one that
    cannot be read, or a field named alone, is asked again), the answers that go with a
    changed one cleared, and what changed said (« C'est noté : Votre nom → … »)."""
    updates: dict[str, Any] = dict(values or {})
    again: list[str] = []
    for field in said:
        try:
            if field.value is None:
                raise NotUnderstood(field.field)
            updates |= form.question(field.field).read(field.value, {**answers, **updates})
        except NotUnderstood:
            again.append(field.field)
    for name in [n for n in updates if n in form.names and updates[n] != answers.get(n)]:
        for gone in form.question(name).clears:
            updates.setdefault(gone, None)
    for name in again:
        updates |= dict.fromkeys((name, *form.question(name).clears))
    turn = Turn(updates=updates | {FAILURES: 0})
    shown = [
        (form.question(n), v) for n, v in updates.items() if n in form.names and n not in again
    ]
    changed = [(q, v) for q, v in shown if v != answers.get(q.name) and v is not None]
    if changed:
        turn.say += [("utter_form_noted", _noted(q, v)) for q, v in changed if q.label]
    elif not again:  # « mon rôle c'est propriétaire », as noted already
        named = {f.field for f in said} or set(list(values or {})[:1])
        kept = [(q, v) for q, v in shown if q.name in named]
        turn.say += [("utter_form_unchanged", _noted(q, v)) for q, v in kept if q.label]
    turn.next_question = form.next_question({**answers, **updates})
    return turn


def _noted(question: Question, value: Any) -> dict[str, Any]:
    return {"label": question.label, "value": question.shown(value)}


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
