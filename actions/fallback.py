"""The fallback action: which stage of the two-stage fallback to answer with.

A message the NLU is unsure about but that names a known town ("Wendake?") is a territory
question: it gets the territory answer instead of a request to rephrase.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import answer_territory
from bot.fallback import FALLBACK_ACTION, fallback_response
from bot.territory import find_place


class ActionHandleFallback(Action):
    """Ask to rephrase, then offer topics and a person; the message not understood is forgotten."""

    def name(self) -> str:
        return FALLBACK_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        place = find_place(tracker.latest_message.get("text") or "")
        if place is not None:
            answer_territory(dispatcher, place)
            return []
        past = [e["name"] for e in tracker.events if e.get("event") == "action"]
        dispatcher.utter_message(response=fallback_response(past))
        return [UserUtteranceReverted()]
