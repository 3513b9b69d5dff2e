"""A new session (after Rasa's 60 minutes of silence, `domain/session.yml`) carries the slots
over, as `carry_over_slots_to_new_session` would, and resumes a form left in progress: the
merchant who comes back to answer the question still on screen is not read by another flow."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

METADATA_SLOT = "session_started_metadata"  # Rasa sets it itself for every session


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        events += [
            SlotSet(name, value)
            for name, value in tracker.current_slot_values().items()
            if value is not None and name != METADATA_SLOT
        ]
        form = (tracker.active_loop or {}).get("name")
        if form:
            events.append(ActiveLoop(form))
        events.append(ActionExecuted("action_listen"))
        return events
