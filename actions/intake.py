"""The eligibility intake in Rasa: consent, the form's turns, the recap, the decision.

The conversation logic is `bot.intake.take_turn`; the rules are `bot.eligibility`; storage is
`bot.storage.leads`. These actions only read the tracker, call them, and say the result.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import (
    StorageFailed,
    apply_turn,
    ask_actions,
    database,
    latest_message,
    stored,
)
from bot import consent
from bot.eligibility import Outcome, decide, priority
from bot.forms import FAILURES
from bot.intake import (
    CORRECT,
    QUESTIONS,
    RECAP,
    intake_form,
    labels,
    recap,
    take_turn,
    to_intake,
)
from bot.notifications import NEW_LEAD, REVIEW_REQUESTED, tell_team
from bot.settings import load_settings
from bot.storage.leads import (
    ConsentRecord,
    ContactInfo,
    Submission,
    request_review,
    save_submission,
)

ANSWER_SLOTS = (*QUESTIONS, "postal_code", "sector_detail_given")
ASK_ACTIONS = ask_actions(intake_form, (*(q for q in QUESTIONS if q != RECAP), CORRECT))


def answers_of(tracker: Tracker) -> dict[str, Any]:
    return {name: tracker.get_slot(name) for name in ANSWER_SLOTS}


class ActionRecordConsent(Action):
    """The merchant accepted: remember when, for this conversation."""

    def name(self) -> str:
        return "action_record_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [
            SlotSet("consent_given", True),
            SlotSet("consent_at", load_settings().clock().isoformat()),
        ]


class ValidateIntakeForm(FormValidationAction):
    """The form's validation: each merchant message goes through `bot.intake.take_turn`.

    `run` is replaced whole: questions are dynamic (municipality, sector detail, association
    only when needed), and digressions, corrections and "on arrête" are decided in `bot/`.
    """

    def name(self) -> str:
        return "validate_intake_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        failures = int(tracker.get_slot(FAILURES) or 0)
        question = tracker.get_slot("requested_slot")
        turn = take_turn(answers_of(tracker), question, *latest_message(tracker), failures)
        return apply_turn(dispatcher, tracker, turn, intake_form())


class ActionAskRecapConfirmed(Action):
    """Show everything noted, to confirm or correct before anything is submitted."""

    def name(self) -> str:
        return "action_ask_recap_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            text=recap(answers_of(tracker)),
            buttons=[
                {"title": "Oui, c'est exact", "payload": "oui"},
                {"title": "Corriger", "payload": "non"},
            ],
        )
        return []


class ActionSubmitIntake(Action):
    """After a confirmed recap: decide, store the lead in one transaction, tell the merchant."""

    def name(self) -> str:
        return "action_submit_intake"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answers = answers_of(tracker)
        if answers.get("recap_confirmed") is not True or not tracker.get_slot("consent_given"):
            return []  # paused: nothing is submitted
        intake = to_intake(answers)
        decision = decide(intake)
        named = labels()
        submission = Submission(
            conversation_id=tracker.sender_id,
            intake=intake,
            contact=ContactInfo(
                answers["contact_name"],
                answers.get("contact_role"),
                answers["email"],
                answers["phone"],
            ),
            consent=ConsentRecord(
                consent.current_version().purpose,
                consent.current_version().version,
                datetime.fromisoformat(tracker.get_slot("consent_at")),
            ),
            decision=decision,
            priority=priority(intake),
            answers={
                named[k]: str(v) for k, v in answers.items() if k in named and v not in (None, "")
            },
            sector_detail=answers.get("sector_detail"),
            association_name=answers.get("association_name"),
        )
        sessions = database()
        try:
            lead_id = await stored(dispatcher, lambda: save_submission(sessions, submission))
        except StorageFailed:  # the recap again: confirming it tries once more
            return [SlotSet("recap_confirmed", None), FollowupAction("intake_form")]
        await asyncio.to_thread(tell_team, sessions, NEW_LEAD, lead_id)  # never raises
        reasons = "; ".join(decision.reasons)
        response = {
            Outcome.ELIGIBLE: "utter_intake_eligible",
            Outcome.TO_REVIEW: "utter_intake_to_review",
            Outcome.NOT_ELIGIBLE: "utter_intake_not_eligible",
        }[decision.outcome]
        dispatcher.utter_message(response=response, reasons=reasons)
        return [
            SlotSet("lead_id", lead_id),
            SlotSet("lead_outcome", decision.outcome.value),
            SlotSet("recap_confirmed", None),
        ]


class ActionAfterDecision(Action):
    """ "Yes" after the decision: a review by a person after a refusal, else the diagnostic."""

    def name(self) -> str:
        return "action_after_decision"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lead_id = tracker.get_slot("lead_id")
        if lead_id is None:
            dispatcher.utter_message(response="utter_ask_topic")
            return []
        if tracker.get_slot("lead_outcome") != Outcome.NOT_ELIGIBLE.value:
            return [FollowupAction("diagnostic_form")]
        sessions = database()
        try:
            await stored(dispatcher, lambda: request_review(sessions, int(lead_id)))
        except StorageFailed:
            dispatcher.utter_message(response="utter_review_retry")
            return []
        await asyncio.to_thread(tell_team, sessions, REVIEW_REQUESTED, int(lead_id))
        dispatcher.utter_message(response="utter_review_requested")
        return []
