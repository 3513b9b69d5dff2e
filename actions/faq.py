"""Answers that depend on what the merchant wrote, not only on the intent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.scheduling.config import load_availability, places
from bot.settings import load_settings
from bot.territory import Place, find_place


def answer_territory(dispatcher: CollectingDispatcher, place: Place | None) -> None:
    """Say whether `place` is in the agglomeration, or describe the territory if None."""
    if place is None:
        dispatcher.utter_message(response="utter_faq_territory")
        return
    response = "utter_territory_inside" if place.inside else "utter_territory_outside"
    dispatcher.utter_message(response=response, place=place.name[0].upper() + place.name[1:])


class ActionAnswerTerritory(Action):
    """Say whether the place the merchant names is in the agglomeration de Québec."""

    def name(self) -> str:
        return "action_answer_territory"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answer_territory(dispatcher, find_place(tracker.latest_message.get("text") or ""))
        return []


def answer_session_place(dispatcher: CollectingDispatcher) -> None:
    """Where sessions happen, from the advisors' file (the in-person address included)."""
    advisors = load_availability(load_settings().advisors_file).advisors
    dispatcher.utter_message(response="utter_faq_session_place", places=places(advisors))


class ActionAnswerSessionPlace(Action):
    """« C'est où le bureau? »: the places and formats of the sessions."""

    def name(self) -> str:
        return "action_answer_session_place"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answer_session_place(dispatcher)
        return []
