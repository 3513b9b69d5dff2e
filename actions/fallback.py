"""The fallback action: which stage of the two-stage fallback to answer with.

A message the NLU is unsure about but that names a known town ("Wendake?") is a territory
question: it gets the territory answer instead of a request to rephrase; one that names a day or
a time (« le 22 décembre ») from a merchant who did the intake is a wish to book: the booking
form reads it. During the team's opening hours, the second stage offers a person first: its
button opens the chat's « Parler à une personne », which puts the conversation in the live queue
(`bot/live.py`).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import answer_territory
from bot.buttons import names_a_time
from bot.fallback import FALLBACK_ACTION, OPTIONS, fallback_response, live_offer
from bot.live import available
from bot.settings import load_settings
from bot.territory import find_place


class ActionHandleFallback(Action):
    """Ask to rephrase, then offer topics and a person; the message not understood is forgotten."""

    def name(self) -> str:
        return FALLBACK_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if names_a_time(text) and tracker.get_slot("lead_id") and not tracker.active_loop_name:
            return [FollowupAction("booking_form")]
        place = find_place(text)
        if place is not None:
            answer_territory(dispatcher, place)
            return []
        past = [e["name"] for e in tracker.events if e.get("event") == "action"]
        response = fallback_response(past)
        if response == OPTIONS:
            settings = load_settings()
            response = live_offer(available(settings, settings.clock()))
        dispatcher.utter_message(response=response)
        return [UserUtteranceReverted()]
