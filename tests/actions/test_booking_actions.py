"""Booking actions from inline trackers: the proposed times and the two dates as buttons."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ActionAskBookingDay, ActionAskBookingWhen
from tests.actions.trackers import tracker


def with_slots(**slots: object) -> Tracker:
    base = tracker()
    base.slots.update(slots)
    return base


def test_proposed_times_become_buttons_with_other_times_last() -> None:
    dispatcher = CollectingDispatcher()
    slots = with_slots(booking_options=["2026-11-24T14:00:00-05:00", "2026-12-01T09:15:00-05:00"])
    asyncio.run(ActionAskBookingWhen().run(dispatcher, slots, {}))
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_booking_when"
    assert message["buttons"] == [
        {"title": "mardi 24 novembre, 14 h", "payload": "2026-11-24T14:00:00-05:00"},
        {"title": "mardi 1er décembre, 9 h 15", "payload": "2026-12-01T09:15:00-05:00"},
        {"title": "Autres moments", "payload": "autres moments"},
    ]


def test_two_candidate_dates_are_named_and_offered() -> None:
    dispatcher = CollectingDispatcher()
    slots = with_slots(booking_days=["2026-11-24", "2026-12-01"])
    asyncio.run(ActionAskBookingDay().run(dispatcher, slots, {}))
    [message] = dispatcher.messages
    assert (message["first"], message["second"]) == (
        "le mardi 24 novembre",
        "le mardi 1er décembre",
    )
    assert [b["title"] for b in message["buttons"]] == ["Mardi 24 novembre", "Mardi 1er décembre"]
    assert [b["payload"] for b in message["buttons"]] == ["2026-11-24", "2026-12-01"]
