"""Booking in Rasa: the form's turns (`bot.booking_form`) and the questions with dynamic buttons."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import StorageFailed, apply_turn, ask_action, latest_message, stored
from bot.booking import scheduler_for
from bot.booking_form import (
    CALLBACK,
    CANCEL,
    LOOKUP,
    STATE,
    day_buttons,
    take_turn,
    time_buttons,
)
from bot.conversation import Turn
from bot.forms import FAILURES
from bot.scheduling.invitation import french_date
from bot.settings import load_settings


class ValidateBookingForm(FormValidationAction):
    """Each merchant message while booking, moving or cancelling goes through `bot/`."""

    def name(self) -> str:
        return "validate_booking_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        state = {name: tracker.get_slot(name) for name in STATE}
        lead = (tracker.get_slot("lead_id"), tracker.get_slot("lead_outcome"))
        question = tracker.get_slot("requested_slot")
        scheduler = scheduler_for(load_settings())
        message = latest_message(tracker)
        typed = (tracker.latest_message.get("metadata") or {}).get("typed")
        if question is None and typed:  # « oui, mardi matin » typed for « Choisir un moment »
            message = (str(typed), *message[1:])
        failures = int(tracker.get_slot(FAILURES) or 0)
        sender = tracker.sender_id
        client = str((tracker.latest_message.get("metadata") or {}).get("client") or "")
        try:
            turn = await stored(
                dispatcher,
                lambda: take_turn(
                    scheduler, state, lead, question, *message, failures, sender, client
                ),
            )
        except StorageFailed:  # the same question again, with what was chosen so far
            turn = Turn(next_question=question)
        return apply_turn(dispatcher, tracker, turn)


class ActionAskBookingWhen(Action):
    """The proposed times as buttons, plus "other times"."""

    def name(self) -> str:
        return "action_ask_booking_when"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.get_slot(FAILURES):  # the re-ask (`bot.booking_form`) carries the buttons
            return []
        buttons = time_buttons(tracker.get_slot("booking_options"))
        dispatcher.utter_message(response="utter_ask_booking_when", buttons=buttons)
        return []


class ActionAskBookingDay(Action):
    """ "Mardi" could be two dates: which one?"""

    def name(self) -> str:
        return "action_ask_booking_day"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.get_slot(FAILURES):
            return []
        days = [date.fromisoformat(d) for d in tracker.get_slot("booking_days") or []]
        dispatcher.utter_message(
            response="utter_ask_booking_day",
            first=french_date(days[0]),
            second=french_date(days[-1]),
            buttons=day_buttons(days),
        )
        return []


ASK_ACTIONS = [ask_action(question) for question in (LOOKUP, CANCEL, CALLBACK)]
