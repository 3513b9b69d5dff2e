"""What happened in a conversation, read from its tracker events (Rasa's `events` table, decoded
as `bot.storage.transcripts` does): when it started and last moved, how many messages the
merchant wrote, and its outcomes — FAQ only, intake done (and its decision), diagnostic done,
session booked, not understood twice in a row, a person asked for (live chat or callback), a
form abandoned at a question, consent refused. Several can hold; `main` names the one the list
shows first: the furthest step reached, else the problem met.

Pure functions: `read` turns the events into `Facts` (independent of the time of reading, so
that they can be cached until the conversation moves); `Facts.outcomes(now)` decides what an
open form means (abandoned once the conversation has been idle `IDLE`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bot.diagnostic_form import form as diagnostic_form
from bot.fallback import FALLBACK_ACTION
from bot.forms import Form
from bot.intake import intake_form
from bot.rasa_api import LIVE
from bot.scheduling import TIMEZONE

IDLE = timedelta(minutes=30)  # an open form left this long is abandoned
AUTOMATIC = ("/greet",)  # what the page sends by itself: not a message of the merchant

# Outcome codes (in the page's query strings) and their French labels.
FAQ_ONLY, INTAKE_DONE, DIAGNOSTIC_DONE, BOOKED = "faq", "admissibilite", "diagnostic", "rencontre"
FELL_BACK, PERSON, ABANDONED, CONSENT_REFUSED = "incompris", "personne", "abandon", "refus"
FORM_ENDED = "sans-suite"  # a form ended otherwise (a booking cancelled or moved, none free…)
LABELS = {
    BOOKED: "Rencontre réservée",
    DIAGNOSTIC_DONE: "Diagnostic fait",
    INTAKE_DONE: "Admissibilité vérifiée",
    CONSENT_REFUSED: "Consentement refusé",
    ABANDONED: "Formulaire abandonné",
    PERSON: "A demandé une personne",
    FELL_BACK: "Incompris deux fois de suite",
    FORM_ENDED: "Formulaire terminé sans réservation",
    FAQ_ONLY: "Questions seulement",
}
MAIN_ORDER = tuple(LABELS)  # the first that holds is the main outcome
LIVE_CHAT, CALLBACK = "live", "callback"  # how a person was asked for
PERSON_LABELS = {LIVE_CHAT: "clavardage en direct", CALLBACK: "demande de rappel"}

FORM_NAMES = {
    "intake_form": "Admissibilité",
    "diagnostic_form": "Diagnostic",
    "booking_form": "Prise de rendez-vous",
}
BOOKING_LABELS = {
    "booking_lookup": "Numéro de réservation",
    "booking_when": "Choix du moment",
    "booking_day": "Choix du jour",
    "booking_confirm": "Confirmation du moment",
    "booking_cancel": "Confirmation de l'annulation",
    "booking_callback": "Rappel par l'équipe",
}
PAUSED = {  # what each form says when the merchant stops it
    "utter_intake_paused": "intake_form",
    "utter_diagnostic_paused": "diagnostic_form",
    "utter_booking_paused": "booking_form",
}
INTAKE_OUTCOME_SLOT, CONSENT_SLOT = "lead_outcome", "consent_given"
DIAGNOSTIC_SAVED, BOOKING_DONE = "utter_diagnostic_saved", "utter_booking_done"
CONSENT_DECLINED, CALLBACK_RECORDED = "utter_consent_declined", "utter_booking_callback_recorded"


def _form_questions(form: Form) -> tuple[tuple[str, str], ...]:
    """A form's questions in order with their French labels, its recap and correction last."""
    asked = tuple((q.name, q.label or q.name) for q in form.questions)
    return (*asked, (form.recap, "Récapitulatif à confirmer"), (form.correct, "Correction"))


def questions() -> dict[str, tuple[tuple[str, str], ...]]:
    """Each form's questions in order with their French labels (the intake's from the pack)."""
    return {
        "intake_form": _form_questions(intake_form()),
        "diagnostic_form": _form_questions(diagnostic_form()),
        "booking_form": tuple(BOOKING_LABELS.items()),
    }


@dataclass(frozen=True)
class Stop:
    """Where a form was left: the form, the question (its slot), its number and French label."""

    form: str
    question: str

    @property
    def number(self) -> int:
        names = [name for name, _ in questions().get(self.form, ())]
        return names.index(self.question) + 1 if self.question in names else 0

    @property
    def label(self) -> str:
        """« Admissibilité, question 4 : Courriel »."""
        labels = dict(questions().get(self.form, ()))
        form = FORM_NAMES.get(self.form, self.form)
        question = labels.get(self.question, self.question)
        return f"{form}, question {self.number} : {question}" if self.number else form


@dataclass(frozen=True)
class Facts:
    """What a conversation's events say, whatever the time of reading."""

    conversation_id: str
    started_at: datetime
    last_at: datetime
    messages: int  # what the merchant wrote (clicks included, the page's own commands not)
    per_day: tuple[tuple[date, int, int], ...] = ()  # Québec day, messages, not understood
    longest_fallback_streak: int = 0
    intake: str | None = None  # the decision when the intake was done
    diagnostic_done: bool = False
    booked_at: datetime | None = None
    consent_refused: bool = False
    live_chat: bool = False  # a person of the team wrote in it, or it waited for one
    callback: bool = False  # a callback asked for in the booking
    started_forms: tuple[str, ...] = ()
    completed_forms: tuple[str, ...] = ()
    stopped: Stop | None = None  # a form stopped by the merchant and not taken up again
    open_form: Stop | None = None  # a form still waiting for an answer at the end

    def abandoned(self, now: datetime) -> Stop | None:
        """The form left: stopped, or still open and idle for `IDLE`."""
        if self.open_form is not None and now - self.last_at >= IDLE:
            return self.open_form
        return self.stopped if self.open_form is None else None

    def person(self, asked: str | None = None) -> str | None:
        """How a person was asked for (`asked`: what the application database knows)."""
        if asked:
            return asked
        return LIVE_CHAT if self.live_chat else CALLBACK if self.callback else None

    def outcomes(self, now: datetime, asked: str | None = None) -> tuple[str, ...]:
        """Every outcome that holds, main first (`MAIN_ORDER`)."""
        held = {
            BOOKED: self.booked_at is not None,
            DIAGNOSTIC_DONE: self.diagnostic_done,
            INTAKE_DONE: self.intake is not None,
            CONSENT_REFUSED: self.consent_refused,
            ABANDONED: self.abandoned(now) is not None,
            PERSON: self.person(asked) is not None,
            FELL_BACK: self.longest_fallback_streak >= 2,
        }
        found = tuple(code for code in MAIN_ORDER if held.get(code))
        if found or (self.open_form is not None and self.abandoned(now) is None):
            return found  # nothing yet while a form is under way
        return (FORM_ENDED,) if self.started_forms else (FAQ_ONLY,)

    def main(self, now: datetime, asked: str | None = None) -> str | None:
        """The outcome the list shows first (None: a form under way, nothing else yet)."""
        found = self.outcomes(now, asked)
        return found[0] if found else None

    @property
    def time_to_booking(self) -> timedelta | None:
        return self.booked_at - self.started_at if self.booked_at else None


def _moment(event: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(float(event.get("timestamp") or 0), timezone.utc)


def _utterance(event: dict[str, Any]) -> str:
    return str((event.get("metadata") or {}).get("utter_action") or "")


@dataclass
class _Reading:
    """The running state of `read` (one pass over the events)."""

    messages: int = 0
    first: datetime | None = None
    last: datetime | None = None
    days: Counter[date] = field(default_factory=Counter)
    missed: Counter[date] = field(default_factory=Counter)
    turn_day: date | None = None
    turn_fell_back: bool = False
    streak: int = 0
    longest: int = 0
    form: str | None = None
    question: str | None = None
    stopped: Stop | None = None
    started: dict[str, None] = field(default_factory=dict)
    completed: dict[str, None] = field(default_factory=dict)

    def end_turn(self) -> None:
        if self.turn_day is None:
            return
        if self.turn_fell_back:
            self.missed[self.turn_day] += 1
            self.streak += 1
            self.longest = max(self.longest, self.streak)
        else:
            self.streak = 0
        self.turn_day, self.turn_fell_back = None, False

    def end_form(self, paused: bool) -> None:
        """The active form ends: stopped by the merchant (at its last question) or done."""
        if self.form is None:
            return
        if paused:
            self.stopped = Stop(self.form, self.question or "")
        else:
            self.completed[self.form] = None
            if self.stopped is not None and self.stopped.form == self.form:
                self.stopped = None
        self.form, self.question = None, None


def read(conversation_id: str, events: Iterable[tuple[str, dict[str, Any]]]) -> Facts | None:
    """The facts of a conversation from its events, oldest first, as (type_name, decoded
    event); None when the merchant never wrote."""
    state = _Reading()
    intake: str | None = None
    diagnostic = consent_refused = live = callback = False
    booked_at: datetime | None = None
    paused_form: str | None = None  # the form whose "stopped" message was just said
    for kind, event in events:
        at = _moment(event)
        if kind == "user":
            text = str(event.get("text") or "")
            if text in AUTOMATIC:
                continue
            state.end_turn()
            state.messages += 1
            state.first = state.first or at
            state.last = at
            day = at.astimezone(TIMEZONE).date()
            state.days[day] += 1
            state.turn_day = day
        elif kind == "action" and event.get("name") == FALLBACK_ACTION:
            state.turn_fell_back = True
        elif kind == "bot":
            said = _utterance(event)
            if said in PAUSED:
                paused_form = PAUSED[said]
            elif said == DIAGNOSTIC_SAVED:
                diagnostic = True
            elif said == BOOKING_DONE and booked_at is None:
                booked_at = at
            elif said == CONSENT_DECLINED:
                consent_refused = True
            elif said == CALLBACK_RECORDED:
                callback = True
            if isinstance((event.get("metadata") or {}).get(LIVE), dict):
                live = True
        elif kind == "pause":
            live = True
        elif kind == "slot":
            name, value = event.get("name"), event.get("value")
            if name == "requested_slot" and value and state.form:
                state.question = str(value)
            elif name == INTAKE_OUTCOME_SLOT and value:
                intake = str(value)
            elif name == CONSENT_SLOT and value is False:
                consent_refused = True
        elif kind == "active_loop":
            name = event.get("name")
            if name in questions() and name != state.form:  # a form starts (or replaces one)
                state.form, state.question = str(name), None
                state.started[str(name)] = None
                paused_form = None
            elif not name and state.form:
                state.end_form(paused=paused_form == state.form)
                paused_form = None
    state.end_turn()
    if state.first is None or state.last is None:
        return None
    return Facts(
        conversation_id=conversation_id,
        started_at=state.first,
        last_at=state.last,
        messages=state.messages,
        per_day=tuple((day, n, state.missed[day]) for day, n in sorted(state.days.items())),
        longest_fallback_streak=state.longest,
        intake=intake,
        diagnostic_done=diagnostic,
        booked_at=booked_at,
        consent_refused=consent_refused,
        live_chat=live,
        callback=callback,
        started_forms=tuple(state.started),
        completed_forms=tuple(state.completed),
        stopped=state.stopped,
        open_form=Stop(state.form, state.question or "") if state.form else None,
    )


def describe(facts: Facts, now: datetime, asked: str | None = None) -> list[str]:
    """Each outcome in French as the list shows it, e.g. « Admissibilité vérifiée (admissible) »,
    « Formulaire abandonné : Admissibilité, question 4 : Courriel »."""
    details = {
        INTAKE_DONE: f" ({facts.intake})" if facts.intake else "",
        PERSON: f" ({PERSON_LABELS.get(facts.person(asked) or '', '')})",
        ABANDONED: f" : {stop.label}" if (stop := facts.abandoned(now)) else "",
    }
    return [LABELS[code] + details.get(code, "") for code in facts.outcomes(now, asked)]
