"""The diagnostic in Rasa: the form's turns, the summary, saving answers, profile and brief."""

from __future__ import annotations

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
from bot.diagnostic import profile, summary
from bot.diagnostic_form import (
    FIELD_TO_CORRECT,
    QUESTIONS,
    RECAP,
    form,
    take_turn,
    to_answers,
)
from bot.forms import FAILURES
from bot.storage.leads import save_diagnostic

ASK_ACTIONS = ask_actions(form, (*(q for q in QUESTIONS if q != RECAP), FIELD_TO_CORRECT))


def answers_of(tracker: Tracker) -> dict[str, Any]:
    return {name: tracker.get_slot(name) for name in QUESTIONS}


class ValidateDiagnosticForm(FormValidationAction):
    """Each merchant message during the diagnostic goes through `bot.diagnostic_form`."""

    def name(self) -> str:
        return "validate_diagnostic_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        failures = int(tracker.get_slot(FAILURES) or 0)
        question = tracker.get_slot("requested_slot")
        turn = take_turn(answers_of(tracker), question, *latest_message(tracker), failures)
        return apply_turn(dispatcher, tracker, turn, form())


class ActionAskDiagSummaryConfirmed(Action):
    """The short summary the merchant can confirm or correct."""

    def name(self) -> str:
        return "action_ask_diag_summary_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            text=summary(profile(to_answers(answers_of(tracker)))),
            buttons=[
                {"title": "Oui, c'est bien ça", "payload": "oui"},
                {"title": "Corriger", "payload": "non"},
            ],
        )
        return []


class ActionSaveDiagnostic(Action):
    """Store the diagnostic with the lead, finished or stopped midway (answers are kept)."""

    def name(self) -> str:
        return "action_save_diagnostic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lead_id = tracker.get_slot("lead_id")
        if lead_id is None:
            return []
        answers = answers_of(tracker)
        completed = answers.get("diag_summary_confirmed") is True
        sessions = database()
        try:
            await stored(
                dispatcher,
                lambda: save_diagnostic(sessions, int(lead_id), to_answers(answers), completed),
            )
        except StorageFailed:  # finished: the summary again, confirming it tries once more
            if not completed:  # stopped midway: kept in the conversation for its next turn
                return []
            return [SlotSet("diag_summary_confirmed", None), FollowupAction("diagnostic_form")]
        if completed:
            dispatcher.utter_message(response="utter_diagnostic_saved")
        return []
