"""Answers that depend on what the merchant wrote, not only on the intent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.territory import find_place


class ActionAnswerTerritory(Action):
    """Say whether the place the merchant names is in the agglomeration de Québec."""

    def name(self) -> str:
        return "action_answer_territory"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        place = find_place(tracker.latest_message.get("text") or "")
        if place is None:
            dispatcher.utter_message(response="utter_faq_territory")
        else:
            response = "utter_territory_inside" if place.inside else "utter_territory_outside"
            name = place.name[0].upper() + place.name[1:]
            dispatcher.utter_message(response=response, place=name)
        return []
