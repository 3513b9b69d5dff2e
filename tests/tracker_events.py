"""Conversations as Rasa 3.6 writes them in its tracker store's `events` table (the event JSON of
`rasa.shared.core.events`: `user` with its parse data, `action`, `bot` with the response's name in
its metadata as the action server's responses get it, `slot`, `active_loop`, and the live chat's
`pause`), for the tests of what happened in a conversation and of the pages that show it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine

EVENTS = Table(
    "events", MetaData(),
    Column("id", Integer, primary_key=True), Column("sender_id", String(255)),
    Column("type_name", String(255)), Column("timestamp", Float),
    Column("intent_name", String(255)), Column("action_name", String(255)), Column("data", Text),
)  # fmt: skip


class Conversation:
    """Events of one conversation, each a few seconds after the previous one."""

    def __init__(self, sender: str, start: datetime) -> None:
        self.sender = sender
        self.at = start
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.add("action", name="action_session_start")
        self.add("session_started")
        self.add("action", name="action_listen")

    def add(self, kind: str, **data: Any) -> Conversation:
        self.events.append((kind, {"event": kind, "timestamp": self.at.timestamp(), **data}))
        self.at += timedelta(seconds=5)
        return self

    def wait(self, delay: timedelta) -> Conversation:
        self.at += delay
        return self

    def user(self, text: str, intent: str = "", confidence: float = 0.9) -> Conversation:
        intent = intent or ("nlu_fallback" if confidence < 0.25 else "faq_cost")
        parse = {"text": text, "intent": {"name": intent, "confidence": confidence}}
        return self.add("user", text=text, parse_data=parse, input_channel="rest", metadata={})

    def bot(self, response: str, text: str = "…", **metadata: Any) -> Conversation:
        self.add("action", name=response)
        return self.add("bot", text=text, data={}, metadata={"utter_action": response, **metadata})

    def said(self, response: str, text: str = "…") -> Conversation:
        """A response sent by a custom action (the action server's `response`)."""
        return self.add("bot", text=text, data={}, metadata={"utter_action": response})

    def slot(self, name: str, value: Any) -> Conversation:
        return self.add("slot", name=name, value=value)

    def loop(self, name: str | None) -> Conversation:
        return self.add("active_loop", name=name)

    def faq(self, text: str = "Combien ça coûte?") -> Conversation:
        return self.user(text, "faq_cost").bot("utter_faq_cost", "C'est gratuit.")

    def not_understood(self, text: str = "blablabla") -> Conversation:
        self.user(text, confidence=0.1)
        self.add("action", name="action_handle_fallback")
        return self.said("utter_ask_rephrase", "Pouvez-vous reformuler?")

    def form(self, name: str, answers: list[tuple[str, str]]) -> Conversation:
        """A form started, each question asked and answered in turn (the last one asked left
        unanswered when its answer is "")."""
        self.add("action", name=name).loop(name)
        for question, answer in answers:
            self.slot("requested_slot", question).said(f"utter_ask_{question}", "Question?")
            if not answer:
                return self
            self.user(answer, "inform").add("action", name=f"validate_{name}")
            self.slot(question, answer)
        return self.slot("requested_slot", None).loop(None)

    def stop_form(self, form: str, response: str) -> Conversation:
        """The merchant stops the form at its current question."""
        self.user("arrêter", "stop").add("action", name=f"validate_{form}")
        self.said(response, "D'accord, on arrête ici.")
        return self.slot("requested_slot", None).loop(None)

    def intake(self, outcome: str = "admissible") -> Conversation:
        self.user("Je veux vérifier mon admissibilité", "request_eligibility")
        self.bot("utter_ask_consent", "Acceptez-vous?").user("Oui", "affirm")
        self.add("action", name="action_record_consent").slot("consent_given", True)
        self.form("intake_form", [("business_name", "Boulangerie Tremblay"),
                                  ("email", "julie@exemple.com"), ("recap_confirmed", "oui")])  # fmt: skip
        self.add("action", name="action_submit_intake")
        self.said(f"utter_intake_{'eligible' if outcome == 'admissible' else 'not_eligible'}")
        return self.slot("lead_id", 1).slot("lead_outcome", outcome)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"sender_id": self.sender, "type_name": kind, "timestamp": event["timestamp"],
             "intent_name": (event.get("parse_data") or {}).get("intent", {}).get("name"),
             "action_name": event.get("name") if kind == "action" else None,
             "data": json.dumps(event)}
            for kind, event in self.events
        ]  # fmt: skip


def write(url: str, conversations: list[Conversation]) -> None:
    """The conversations' events in the `events` table of `url` (created if missing)."""
    write_rows(url, [row for conversation in conversations for row in conversation.rows()])


def write_rows(url: str, rows: list[dict[str, Any]]) -> None:
    """Rows of the `events` table in `url` (created if missing)."""
    engine = create_engine(url)
    EVENTS.create(engine, checkfirst=True)
    if rows:
        with engine.begin() as connection:
            connection.execute(EVENTS.insert(), rows)
    engine.dispose()


def drop(url: str) -> None:
    engine = create_engine(url)
    EVENTS.drop(engine, checkfirst=True)
    engine.dispose()
