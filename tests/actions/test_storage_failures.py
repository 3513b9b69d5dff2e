"""The application database unreachable (nothing listens on its port): every action that
stores something apologises in French, confirms nothing, keeps the answers in the conversation
and asks to confirm again, instead of failing."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ValidateBookingForm
from actions.diagnostic import ActionSaveDiagnostic
from actions.intake import ActionAfterDecision, ActionSubmitIntake
from tests.actions.test_intake_actions import ANSWERED, tracker
from tests.conftest import free_port


@pytest.fixture(autouse=True)
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/x")


def said(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages]


FOLLOWUP = {"event": "followup", "timestamp": None}


async def test_submission_apologises_and_shows_the_recap_again() -> None:
    dispatcher = CollectingDispatcher()
    slots = ANSWERED | {"recap_confirmed": True}
    events = await ActionSubmitIntake().run(dispatcher, tracker(slots), {})
    assert said(dispatcher) == ["utter_storage_failed"]
    assert {"event": "slot", "name": "recap_confirmed", "value": None, "timestamp": None} in events
    assert FOLLOWUP | {"name": "intake_form"} in events
    assert not any(e.get("name") == "lead_id" for e in events)  # no lead is claimed


async def test_a_review_request_apologises_and_offers_to_try_again() -> None:
    dispatcher = CollectingDispatcher()
    slots = {"lead_id": 1, "lead_outcome": "non admissible"}
    assert await ActionAfterDecision().run(dispatcher, tracker(slots), {}) == []
    assert said(dispatcher) == ["utter_storage_failed", "utter_review_retry"]


async def test_a_finished_diagnostic_apologises_and_shows_the_summary_again() -> None:
    dispatcher = CollectingDispatcher()
    slots: dict[str, Any] = {"lead_id": 1, "diag_summary_confirmed": True, "diag_website": "aucun"}
    events = await ActionSaveDiagnostic().run(dispatcher, tracker(slots), {})
    assert said(dispatcher) == ["utter_storage_failed"]
    assert FOLLOWUP | {"name": "diagnostic_form"} in events
    assert all(m.get("response") != "utter_diagnostic_saved" for m in dispatcher.messages)


async def test_a_booking_confirmation_apologises_and_asks_again() -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "requested_slot": "booking_confirm",
        "booking_mode": "book",
        "booking_choice": "2026-11-24T09:00:00-05:00",
        "booking_advisor": "sophie",
        "lead_id": 1,
        "lead_outcome": "admissible",
    }
    events = await ValidateBookingForm().run(dispatcher, tracker(slots, "oui"), {})
    assert said(dispatcher) == ["utter_storage_failed"]
    slot_events = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slot_events["requested_slot"] == "booking_confirm"
    assert "booking_choice" not in slot_events  # the chosen time is kept
