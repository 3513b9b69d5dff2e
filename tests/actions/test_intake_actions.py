"""Intake actions from inline trackers: the events they return and what they say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.intake import ActionAfterDecision, ActionSubmitIntake, ValidateIntakeForm
from bot.storage.database import sessions_for
from bot.storage.leads import lead_rows

ANSWERED = {
    "business_name": "Gîte du Vieux",
    "contact_name": "Luc Roy",
    "contact_role": "Propriétaire",
    "email": "luc@gite.ca",
    "phone": "+14185550000",
    "address": "12 rue Saint-Jean, G1R 1P1",
    "postal_code": "G1R 1P1",
    "municipality": None,
    "storefront": "oui",
    "sector": "hébergement",
    "sdc_member": "non",
    "employees": 2,
    "hours_per_week": 1.0,
    "readiness": "d'ici quelques mois",
    "impact": "Plus de réservations directes",
    "consent_given": True,
    "consent_at": "2026-11-23T15:00:00+00:00",
}


def tracker(
    slots: dict[str, Any], text: str = "", intent: str = "", confidence: float = 1.0
) -> Tracker:
    return Tracker(
        sender_id="conv-test",
        slots=slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": confidence}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "intake_form"},
        latest_action_name="action_listen",
    )


def events_by_name(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def test_an_answer_is_stored_and_the_next_question_requested() -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "requested_slot": "email",
        "business_name": "X",
        "contact_name": "Y",
        "contact_role": "Z",
    }
    events = await ValidateIntakeForm().run(
        dispatcher, tracker(slots, "Luc@Gite.ca", "nlu_fallback", 0.1), {}
    )
    assert events_by_name(events)["email"] == "Luc@gite.ca"  # domain lower-cased only
    assert events_by_name(events)["requested_slot"] == "phone"
    # The validation asks the next question itself (Rasa's action_ask_phone then stays silent).
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_phone"]


async def test_the_next_question_comes_with_its_buttons() -> None:
    dispatcher = CollectingDispatcher()
    slots = {"requested_slot": "municipality", "address": "12, rue X, G1K 3A5"}
    slots |= {"business_name": "X", "contact_name": "Y", "contact_role": "Z"}
    slots |= {"email": "a@b.ca", "phone": "+14185550101", "postal_code": "G1K 3A5"}
    await ValidateIntakeForm().run(dispatcher, tracker(slots, "Québec", "nlu_fallback", 0.1), {})
    [asked] = dispatcher.messages
    assert asked["response"] == "utter_ask_storefront"
    assert [b["title"] for b in asked["buttons"]] == ["Oui", "Non", "Je ne sais pas"]


async def test_a_question_mid_form_is_answered_and_the_same_question_asked_again() -> None:
    dispatcher = CollectingDispatcher()
    events = await ValidateIntakeForm().run(
        dispatcher,
        tracker({"requested_slot": "business_name"}, "c'est gratuit?", "faq_cost", 0.9),
        {},
    )
    said = [m["response"] for m in dispatcher.messages]
    assert said == ["utter_faq_cost", "utter_ask_business_name"]
    assert events_by_name(events)["requested_slot"] == "business_name"


async def test_stopping_pauses_the_form() -> None:
    dispatcher = CollectingDispatcher()
    events = await ValidateIntakeForm().run(
        dispatcher, tracker({"requested_slot": "phone"}, "on arrête ça", "deny", 0.5), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_intake_paused"]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


async def test_submit_decides_stores_and_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'numeriqc.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    from bot.storage.database import upgrade

    upgrade(url)
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitIntake().run(
        dispatcher, tracker(ANSWERED | {"recap_confirmed": True}), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_intake_eligible"]
    assert events_by_name(events)["lead_outcome"] == "admissible"
    [row] = lead_rows(sessions_for(url))
    assert (row["business"], row["email"], row["score"]) == ("Gîte du Vieux", "luc@gite.ca", 35)


async def test_nothing_is_submitted_without_a_confirmed_recap() -> None:
    dispatcher = CollectingDispatcher()
    assert await ActionSubmitIntake().run(dispatcher, tracker(ANSWERED), {}) == []
    assert dispatcher.messages == []


async def test_yes_after_an_eligible_decision_starts_the_diagnostic() -> None:
    dispatcher = CollectingDispatcher()
    slots = {"lead_id": 1, "lead_outcome": "admissible"}
    events = await ActionAfterDecision().run(dispatcher, tracker(slots), {})
    assert events == [{"event": "followup", "name": "diagnostic_form", "timestamp": None}]
    assert dispatcher.messages == []
