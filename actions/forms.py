"""Turning a form turn from `bot/` (a `bot.conversation.Turn`) into messages and Rasa events."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import answer_territory
from bot.conversation import Turn
from bot.territory import find_place


def answer_faq(dispatcher: CollectingDispatcher, intent: str, text: str) -> None:
    if intent == "faq_territory":
        answer_territory(dispatcher, find_place(text))
    else:
        dispatcher.utter_message(response=f"utter_{intent}")


def apply_turn(
    dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn
) -> list[dict[str, Any]]:
    """Say what the turn says; return its slot events and the next question (or the end)."""
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
    return [*events, SlotSet("requested_slot", turn.next_question)]
