"""Whether a session took place, plain Python: once it has started, its advisor (or a manager)
marks it held or no-show; the mark can be undone the same day (Québec time). The analytics count
the no-shows (`bot.analytics`). A marked session is no longer the merchant's active booking:
they can book another one."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.scheduling import TIMEZONE
from bot.scheduling.invitation import french_datetime
from bot.workspace import NotAllowed

# Booking statuses (`bookings.status`).
BOOKED, CANCELLED, HELD, NO_SHOW = "booked", "cancelled", "held", "no_show"
MARKED = (HELD, NO_SHOW)
# The forms' values, in French, and the status each one sets.
MARKS = {"tenue": HELD, "absence": NO_SHOW}
UNDO = "defaire"
# A session's state as a page shows it.
STATES = {BOOKED: "prévue", HELD: "tenue", NO_SHOW: "absence du commerçant", CANCELLED: "annulée"}
TO_MARK = "à marquer"
RECENT = timedelta(days=30)  # past sessions listed to mark, and kept in the calendar feed


def state(status: str, starts_at: datetime, now: datetime) -> str:
    """« prévue », « à marquer » (started, not marked yet), « tenue », « absence du
    commerçant » or « annulée »."""
    if status == BOOKED and starts_at <= now:
        return TO_MARK
    return STATES.get(status, status)


def may_mark(status: str, starts_at: datetime, now: datetime) -> bool:
    """A booked session can be marked once it has started."""
    return status == BOOKED and starts_at <= now


def may_undo(status: str, marked_at: datetime | None, now: datetime) -> bool:
    """A mark can be undone on the day it was made (Québec time)."""
    return (
        status in MARKED
        and marked_at is not None
        and marked_at.astimezone(TIMEZONE).date() == now.astimezone(TIMEZONE).date()
    )


def check_mark(status: str, starts_at: datetime, now: datetime) -> None:
    """Raise `NotAllowed` (in French) unless the session can be marked now."""
    if status in MARKED:
        raise NotAllowed(f"Cette rencontre est déjà marquée « {STATES[status]} ».")
    if status != BOOKED:
        raise NotAllowed("Cette rencontre est annulée : elle ne se marque pas.")
    if starts_at > now:
        raise NotAllowed(
            "Cette rencontre n'a pas encore commencé : marquez-la après son heure de début."
        )


def check_undo(status: str, marked_at: datetime | None, now: datetime) -> None:
    """Raise `NotAllowed` (in French) unless the session's mark can be undone now."""
    if status not in MARKED:
        raise NotAllowed("Cette rencontre n'est pas marquée : il n'y a rien à défaire.")
    if not may_undo(status, marked_at, now):
        raise NotAllowed("Un marquage se défait seulement le jour même.")


def history_line(reference: str, starts_at: datetime, before: str, after: str) -> str:
    """The lead's history line for a mark (`after` HELD or NO_SHOW) or its undoing (`after`
    BOOKED, `before` the mark undone)."""
    session = f"Rencontre {reference} ({french_datetime(starts_at)})"
    if after == BOOKED:
        return f"{session} : marquage « {STATES.get(before, before)} » défait."
    return f"{session} marquée : {STATES[after]}."
