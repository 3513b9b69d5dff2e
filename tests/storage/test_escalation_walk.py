"""Every question the bot asks escalates: a walk over each question of the intake, the
diagnostic, their recaps and « Que voulez-vous corriger? », the booking form and the rights
requests, each sent three unreadable answers (an emoji, dots, emojis), through the same turns
the actions carry (`actions.forms.apply_turn`: a turn's messages, then the next question's
`utter_ask_*` unless an answer just failed). No message is said word for word a third time, and
a way out (buttons, « Passer », a person, the question skipped or paused) is offered by the
third reply. The domain's prompts outside forms are walked through Rasa in
tests/e2e/test_escalation_prompts.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot import booking_form, forms
from bot.booking import Scheduler
from bot.conversation import Turn
from bot.diagnostic_form import form as diagnostic_form
from bot.forms import FAILURES, Form
from bot.intake import intake_form
from bot.pack.responses import responses
from bot.privacy import chat as privacy
from tests.conftest import FIGURES
from tests.storage.test_booking_form import booked, lead, outbox, scheduler
from tests.storage.test_privacy import tracker
from tests.storage.test_privacy_chat import Chat, clock, context, inbox, last_code, smtp_port
from tests.unit.test_diagnostic_form import REPLIES
from tests.unit.test_diagnostic_form import run as diagnostic_answers
from tests.unit.test_intake import HAPPY, converse
from tests.unit.test_mail import Inbox

__all__ = ["clock", "context", "inbox", "lead", "outbox", "scheduler", "smtp_port", "tracker"]
UNREADABLE = ("🤷", "...", "🙃🙃")
VERBOSE = False
ROOT = Path(__file__).parents[2]
WITH_BUTTONS = {
    name for name, variants in responses().items() if any(v.get("buttons") for v in variants)
}
WAYS_OUT = ("utter_form_skipped", "utter_form_stuck")
WALKED: list[str] = []
Message = tuple[str, str]  # (response, its values): the same words when both are the same


@dataclass
class Step:
    """One question and how to answer it: `send(text, failures=n)` gives the turn."""

    name: str
    ask: str  # the question's response, said before the first answer
    send: Callable[..., Turn]  # (text, failures=...)


def messages(turn: Turn) -> list[tuple[Message, bool]]:
    """What the merchant reads after the turn, each with whether it offers a way out."""
    shown = [
        ((name, repr(sorted((k, v) for k, v in values.items() if k != "buttons"))),
         bool(values.get("buttons")) or name in WITH_BUTTONS or name in WAYS_OUT)
        for name, values in turn.say
    ]  # fmt: skip
    failed = int(turn.updates.get(FAILURES) or 0)
    if turn.next_question and not failed and not turn.paused:
        name = f"utter_ask_{turn.next_question}"
        shown.append(((name, "[]"), name in WITH_BUTTONS))
    return shown


def walk(step: Step) -> None:
    """Three unreadable answers: no message a third time, a way out by the third reply."""
    said: Counter[Message] = Counter({(step.ask, "[]"): 1})
    way_out = False
    failures = 0
    for text in UNREADABLE:
        turn = step.send(text, failures=failures)
        if VERBOSE:
            print(step.name, text, [m for m, _ in messages(turn)], turn.next_question)
        for message, offers in messages(turn):
            said[message] += 1
            way_out = way_out or offers
        if turn.paused or turn.next_question != step.name:  # skipped, paused or moved on
            way_out = True
            break
        failures = int(turn.updates.get(FAILURES) or 0)
    repeated = [message for message, count in said.items() if count >= 3]
    assert not repeated, f"{step.name}: said three times: {repeated}"
    assert way_out, f"{step.name}: no way out by the third unreadable answer"
    WALKED.append(step.name)


def form_steps(form: Form, answers: dict[str, Any]) -> Iterator[Step]:
    """Each question of `form` (the answers given before it as `answers`), then its recap and
    « what to correct? »."""
    for question in form.questions:
        before = {k: v for k, v in answers.items() if k != question.name}
        if question.name == "sector_detail":
            before |= {"sector": "autre", "sector_detail_given": False}
        if question.name == "municipality":
            before |= {"address": None, "postal_code": None}
        if question.name == "association_name":
            before |= {"sdc_member": "oui"}
        assert question.name in form.asked(before), question.name
        send = partial(forms.take_turn, form, before, question.name)
        yield Step(question.name, f"utter_ask_{question.name}", send)
    for slot in (form.recap, form.correct):
        yield Step(slot, f"utter_ask_{slot}", partial(forms.take_turn, form, answers, slot))


@pytest.fixture(scope="module", autouse=True)
def walk_count() -> Iterator[None]:
    yield
    FIGURES["escalation walk: questions walked, three unreadable answers each"] = (
        f"{len(set(WALKED))} questions, no message a third time, a way out by the third"
    )


def test_every_form_question_escalates() -> None:
    intake = converse(HAPPY)
    steps = [
        *form_steps(intake_form(), intake),
        *form_steps(diagnostic_form(), diagnostic_answers(REPLIES)),
    ]
    for step in steps:
        walk(step)
    assert len(steps) == len(intake_form().questions) + len(diagnostic_form().questions) + 4


def test_every_booking_question_escalates(scheduler: Scheduler, lead: tuple[int, str]) -> None:
    reference = booked(scheduler, lead)
    times = [t.isoformat() for t in scheduler.next_free()]
    days = ["2026-11-24", "2026-12-01"]
    states: dict[str, tuple[dict[str, Any], tuple[Any, Any]]] = {
        booking_form.LOOKUP: ({"booking_mode": "cancel"}, (None, None)),
        booking_form.WHEN: ({"booking_mode": "book", "booking_options": times}, lead),
        booking_form.DAY: ({"booking_mode": "book", "booking_days": days}, lead),
        booking_form.CONFIRM: (
            {"booking_mode": "book", "booking_options": times, "booking_choice": times[0]},
            lead,
        ),
        booking_form.CANCEL: ({"booking_mode": "cancel", "booking_reference": reference}, lead),
        booking_form.CALLBACK: ({"booking_mode": "book", "booking_options": []}, lead),
    }
    for question, (state, who) in states.items():
        send = partial(booking_form.take_turn, scheduler, state, who, question)
        walk(Step(question, f"utter_ask_{question}", send))
    assert set(states) == {booking_form.LOOKUP, booking_form.WHEN, booking_form.DAY,
                           booking_form.CONFIRM, booking_form.CANCEL, booking_form.CALLBACK}  # fmt: skip


def test_every_privacy_question_escalates(
    context: privacy.Context, sessions: sessionmaker[Session], tracker: str, inbox: Inbox
) -> None:
    from tests.storage.test_privacy import EMAIL, NAME, PHONE, person

    person(sessions, tracker, (NAME, EMAIL, PHONE), "conv-marie", False)
    requests = {
        privacy.EMAIL: ("privacy_access", []),
        privacy.CODE: ("privacy_access", []),
        privacy.WHICH: ("privacy_correct", ["code"]),
        privacy.VALUE: ("privacy_correct", ["code", "courriel"]),
        privacy.CONFIRM: ("privacy_delete", ["code"]),
    }
    for question, (intent, answers) in requests.items():
        conversation = f"conv-{question}"
        chat = Chat(context.__class__(**{**context.__dict__, "conversation_id": conversation}))
        chat.send("ma demande", intent)
        if question != privacy.EMAIL:
            chat.send(EMAIL)
        for answer in answers:
            chat.send(last_code(inbox) if answer == "code" else answer)
        assert chat.question == question, (question, chat.question)
        state = {n: chat.slots.get(n) for n in privacy.STATE}
        walk(Step(question, f"utter_ask_{question}",
                  partial(privacy.take_turn, chat.ctx, state, question)))  # fmt: skip
