"""The merchant's rights in Rasa: the privacy form's turns (`bot.privacy.chat`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import AllSlotsReset
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import StorageFailed, apply_turn, ask_action, latest_message, stored
from bot.booking import scheduler_for
from bot.conversation import Turn
from bot.forms import FAILURES
from bot.mail import mail_settings
from bot.privacy.chat import CODE, CONFIRM, EMAIL, ERASED, STATE, VALUE, WHICH, Context, take_turn
from bot.settings import load_settings
from bot.storage.database import sessions_of
from bot.throttle import Throttle, process_store


class ValidatePrivacyForm(FormValidationAction):
    """Each merchant message of a rights request goes through `bot/`."""

    def name(self) -> str:
        return "validate_privacy_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        settings = load_settings()
        context = Context(
            sessions=sessions_of(settings),
            mail=mail_settings(settings),
            tracker_url=settings.tracker_url,
            outbox=settings.var_dir / "outbox",
            scheduler=lambda: scheduler_for(settings),
            clock=settings.clock,
            conversation_id=tracker.sender_id,
            limits=Throttle(process_store(settings.redis_url), settings.clock),
        )
        state = {name: tracker.get_slot(name) for name in STATE}
        question = tracker.get_slot("requested_slot")
        text, intent, _ = latest_message(tracker)
        failures = int(tracker.get_slot(FAILURES) or 0)
        try:
            turn = await stored(
                dispatcher, lambda: take_turn(context, state, question, text, intent, failures)
            )
        except StorageFailed:  # the same question again
            turn = Turn(next_question=question)
        events = apply_turn(dispatcher, tracker, turn)
        if turn.updates.get(ERASED):  # nothing of the merchant stays in the conversation
            return [AllSlotsReset(), *events]
        return events


# The questions, asked by the action server (after a failed answer, `bot.privacy.chat` says
# what to say instead).
ASK_ACTIONS = [ask_action(question) for question in (EMAIL, CODE, WHICH, VALUE, CONFIRM)]
