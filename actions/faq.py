"""Answers that depend on what the merchant wrote, not only on the intent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

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
