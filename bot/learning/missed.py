"""Which of a merchant's messages the assistant missed, read from one conversation's events as
Rasa's tracker store keeps them (the `events` table's decoded `data`, oldest first):

- « fallback »: the message fell back (intent `nlu_fallback`, or `action_handle_fallback` ran
  after it);
- « doubtful »: its top intent was read with a confidence below `DOUBTFUL` (0.5). Between the
  fallback threshold (0.25, config.yml) and 0.5 the model gives its choice less weight than all
  the other intents together. Measured on the held-out set (1 012 messages, the model of
  2026-12-07): 4.9 % of messages read between 0.25 and 0.5 and a third of them are wrong
  (33/49 right), against 94 % right between 0.5 and 0.6 and 98.7 % above: the band flags few
  messages, and the ones worth a look;
- « rejected »: the merchant's next message turned the answer down (« c'est pas ça », intent
  `deny` with a rejection's words) or asked for a person (`faq_contact`) right after it;
- « not_understood »: a form's question was answered with something the form could not read
  (its failure counter `form_failures` went up, and the question is asked again).

While a form waits for an answer only the last reason counts: a free-text answer (a business
name, an address) is often read as `nlu_fallback` and is not a missed question. Answers to the
questions that ask for personal information are never kept (they could only be that
information). Clicks and commands (« /faq_cost ») and what is said during a live chat with a
person are not the assistant's to miss."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.text import fold

FALLBACK, DOUBTFUL_READING, REJECTED, NOT_UNDERSTOOD = (
    "fallback", "doubtful", "rejected", "not_understood",
)  # fmt: skip
REASONS = {  # as the team reads them
    FALLBACK: "Non compris",
    DOUBTFUL_READING: "Compris avec doute",
    REJECTED: "Réponse refusée",
    NOT_UNDERSTOOD: "Réponse de formulaire non comprise",
}
DOUBTFUL = 0.5
FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = frozenset({"action_handle_fallback", "action_default_fallback"})
FAILURES_SLOT = "form_failures"  # bot.forms.FAILURES (not imported: bot.forms pulls the forms)
ASK_FOR_A_PERSON = "faq_contact"
DENY = "deny"
# A `deny` that turns the answer down, not a « non » to the assistant's own yes/no question.
REJECTION_WORDS = ("pas ca", "pas ce que", "pas la question", "pas ma question", "rien a voir",
                   "pas repondu", "mauvaise reponse", "pas compris", "aucun rapport",
                   "pas ce que je", "ca repond pas", "repond pas")  # fmt: skip
# Questions whose answers are personal information: never kept when not understood.
PERSONAL_QUESTIONS = frozenset({
    "business_name", "contact_name", "contact_role", "email", "phone", "address",
    "association_name", "privacy_email", "privacy_code", "privacy_value", "booking_lookup",
})  # fmt: skip


@dataclass(frozen=True)
class Missed:
    """A missed message, as typed (masked before it is kept: `bot.learning.masking`)."""

    event_id: int
    sender_id: str
    text: str
    reason: str
    intent: str | None  # what the model would suggest (its best intent but the fallback)
    confidence: float | None
    at: datetime
    question: str | None = None  # the form's question it answered, when not understood


def suggestion(parse_data: Mapping[str, Any]) -> tuple[str | None, float | None]:
    """The best intent of a message's `intent_ranking` that is not the fallback, with its
    confidence (the message's own intent when there is no ranking)."""
    ranking = list(parse_data.get("intent_ranking") or [])
    ranking.append(parse_data.get("intent") or {})
    for entry in ranking:
        name = entry.get("name") if isinstance(entry, dict) else None
        if name and name != FALLBACK_INTENT:
            return str(name), _number(entry.get("confidence"))
    return None, None


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _typed(event: Mapping[str, Any]) -> str:
    """What the merchant typed ("" for a click, a command or an empty message)."""
    text = str(event.get("text") or "").strip()
    if not text or text.startswith("/"):
        return ""
    return text


def _intent(event: Mapping[str, Any]) -> tuple[str | None, float]:
    intent = (event.get("parse_data") or {}).get("intent") or {}
    return intent.get("name"), _number(intent.get("confidence")) or 0.0


def _rejects(event: Mapping[str, Any]) -> bool:
    """Whether a message turns the previous answer down or asks for a person."""
    name, _ = _intent(event)
    if name == ASK_FOR_A_PERSON:
        return True
    folded = f" {fold(str(event.get('text') or ''))} "
    return name == DENY and any(f" {words} " in folded for words in REJECTION_WORDS)


def _failed(turn: Iterable[Mapping[str, Any]], before: int) -> bool:
    """Whether the form's failure counter went up in the events after a message."""
    for event in turn:
        if event.get("event") == "slot" and event.get("name") == FAILURES_SLOT:
            value = _number(event.get("value"))
            if value is not None and value > before:
                return True
    return False


def missed_messages(sender_id: str, events: list[tuple[int, dict[str, Any]]]) -> list[Missed]:
    """The conversation's missed messages, oldest first (`events`: (event id, decoded event)
    as stored, oldest first, every session)."""
    state: dict[str, Any] = {"loop": None, "requested": None, "failures": 0, "paused": False}
    before: list[dict[str, Any]] = []  # the state before each event
    for _, event in events:
        before.append(dict(state))
        _follow(state, event)
    users = [i for i, (_, event) in enumerate(events) if event.get("event") == "user"]
    found: list[Missed] = []
    for number, start in enumerate(users):
        end = users[number + 1] if number + 1 < len(users) else len(events)
        event_id, event = events[start]
        turn = [later for _, later in events[start + 1 : end]]
        context = before[start]
        text = _typed(event)
        if not text or context["paused"]:
            continue
        in_form = bool(context["loop"] and context["requested"])
        reason = _reason(event, turn, context, in_form)
        if reason is None and not in_form and end < len(events):
            said = any(later.get("event") == "bot" for later in turn)
            if said and _intent(event)[0] != ASK_FOR_A_PERSON and _rejects(events[end][1]):
                reason = REJECTED
        if reason is None or (
            reason == NOT_UNDERSTOOD and context["requested"] in PERSONAL_QUESTIONS
        ):
            continue
        intent, confidence = suggestion(event.get("parse_data") or {})
        found.append(
            Missed(
                event_id=event_id, sender_id=sender_id, text=text, reason=reason,
                intent=intent, confidence=confidence,
                at=datetime.fromtimestamp(_number(event.get("timestamp")) or 0, timezone.utc),
                question=context["requested"] if reason == NOT_UNDERSTOOD else None,
            )
        )  # fmt: skip
    return found


def _reason(
    event: Mapping[str, Any], turn: list[dict[str, Any]], context: dict[str, Any], in_form: bool
) -> str | None:
    if in_form:
        return NOT_UNDERSTOOD if _failed(turn, int(context["failures"] or 0)) else None
    name, confidence = _intent(event)
    ran = {later.get("name") for later in turn if later.get("event") == "action"}
    if name == FALLBACK_INTENT or ran & FALLBACK_ACTIONS:
        return FALLBACK
    if confidence < DOUBTFUL:
        return DOUBTFUL_READING
    return None


def _follow(state: dict[str, Any], event: Mapping[str, Any]) -> None:
    """Keep `state` (the form in progress, its question and failures, a live chat's pause) up
    to date with one event."""
    kind = event.get("event")
    if kind == "active_loop":
        state["loop"] = event.get("name")
    elif kind == "slot" and event.get("name") == "requested_slot":
        state["requested"] = event.get("value")
    elif kind == "slot" and event.get("name") == FAILURES_SLOT:
        state["failures"] = _number(event.get("value")) or 0
    elif kind in ("session_started", "restart"):
        state.update(loop=None, requested=None, failures=0)
    elif kind == "pause":
        state["paused"] = True
    elif kind == "resume":
        state["paused"] = False


def slots_of(events: Iterable[tuple[int, Mapping[str, Any]]]) -> list[tuple[str, Any]]:
    """Every value a slot took in the conversation, as (slot, value), corrections included."""
    return [
        (str(event.get("name")), event.get("value"))
        for _, event in events
        if event.get("event") == "slot" and event.get("value") not in (None, "")
    ]
