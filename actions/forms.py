"""Turning a form turn from `bot/` (a `bot.conversation.Turn`) into messages and Rasa events,
and what every action says when the application database fails."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from actions.faq import answer_session_place, answer_territory
from bot.conversation import Turn
from bot.forms import FAILURES, Form
from bot.settings import load_settings
from bot.storage.database import sessions_of
from bot.territory import find_place

log = logging.getLogger(__name__)
T = TypeVar("T")
STORAGE_FAILED = "utter_storage_failed"


class StorageFailed(Exception):
    """The database refused or could not be reached; the merchant was told (logged)."""


async def stored(dispatcher: CollectingDispatcher, work: Callable[[], T]) -> T:
    """Run blocking database `work` off the event loop. If the database fails, apologise in
    French and raise `StorageFailed`: the caller keeps the answers and asks to confirm again,
    so nothing is confirmed to the merchant that is not committed."""
    try:
        return await asyncio.to_thread(work)
    except SQLAlchemyError as error:  # its text may quote personal data: log the kinds only
        cause = type(getattr(error, "orig", None) or error).__name__
        log.error("storage failed: %s (%s)", type(error).__name__, cause)
        dispatcher.utter_message(response=STORAGE_FAILED)
        raise StorageFailed from error


def database() -> sessionmaker[Session]:
    """The application database's sessions (DATABASE_URL, read from the settings)."""
    return sessions_of(load_settings())


def latest_message(tracker: Tracker) -> tuple[str, str | None, float]:
    """The merchant's last message: its text, its intent and the intent's confidence."""
    latest = tracker.latest_message
    intent = latest.get("intent") or {}
    return latest.get("text") or "", intent.get("name"), float(intent.get("confidence") or 0.0)


def answer_faq(dispatcher: CollectingDispatcher, intent: str, text: str) -> None:
    if intent == "faq_territory":
        answer_territory(dispatcher, find_place(text))
    elif intent == "faq_session_place":
        answer_session_place(dispatcher)
    else:
        dispatcher.utter_message(response=f"utter_{intent}")


def apply_turn(
    dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn, form: Form | None = None
) -> list[dict[str, Any]]:
    """Say what the turn says, then `form`'s next question (Rasa's `action_ask_<question>` then
    stays silent: `rasa_components.asked_questions`); return the slot events and the next
    question (or the end)."""
    text = tracker.latest_message.get("text") or ""
    if turn.faq:
        answer_faq(dispatcher, turn.faq, text)
    for response, values in turn.say:
        dispatcher.utter_message(response=response, **values)
    events = [SlotSet(name, value) for name, value in turn.updates.items()]
    question = tracker.get_slot("requested_slot")
    if not events and question:  # one slot event tells Rasa the form handled the message
        events.append(SlotSet(question, tracker.get_slot(question)))
    if turn.paused:
        return [*events, SlotSet("requested_slot", None), ActiveLoop(None)]
    failed = turn.updates.get(FAILURES, tracker.get_slot(FAILURES))
    if form and turn.next_question in form.names and not failed:
        ask(dispatcher, turn.next_question, form.buttons(turn.next_question))
    return [*events, SlotSet("requested_slot", turn.next_question)]


def ask(dispatcher: CollectingDispatcher, question: str, buttons: list[dict[str, str]]) -> None:
    dispatcher.utter_message(response=f"utter_ask_{question}", buttons=buttons)


def ask_action(question: str, buttons: Callable[[], list[dict[str, str]]] = list) -> type[Action]:
    """`action_ask_<question>`: the question's domain response (with the `buttons()` of the
    moment), or nothing after a failed answer (the form's re-ask in other words stands
    instead, `bot.forms`)."""

    def name(self: Action) -> str:
        return f"action_ask_{question}"

    async def run(
        self: Action, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> list[dict[str, Any]]:
        if not tracker.get_slot(FAILURES):
            ask(dispatcher, question, buttons())
        return []

    return type(f"Ask_{question}", (Action,), {"name": name, "run": run})


def ask_actions(form: Form | Callable[[], Form], names: Iterable[str] = ()) -> list[type[Action]]:
    """One `ask_action` per question of `form`, with its buttons, and one for « what do you
    want to correct? ». A form in the pack's words is given as the function that builds it (the
    buttons are read at call time), with the names of its questions and its correction."""
    if isinstance(form, Form):
        return ask_actions(lambda: form, (*(q.name for q in form.questions), form.correct))
    return [ask_action(name, partial(_buttons, form, name)) for name in names]


def _buttons(form: Callable[[], Form], name: str) -> list[dict[str, str]]:
    return form().buttons(name)
