"""Marking a session held or no-show, and undoing the mark the same day (the rules are
`bot.attendance`'s): the booking's status, who and when, and the line in the lead's history, in
one transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.attendance import BOOKED, MARKED, check_mark, check_undo, history_line
from bot.storage.agenda import write_session_change
from bot.storage.models import Booking, as_utc
from bot.workspace import NotAllowed, NotYours, Viewer

REBOOKED = (
    "Le commerçant a réservé une autre rencontre depuis : ce marquage ne peut plus être défait."
)


def _session_for(session: Session, viewer: Viewer, reference: str) -> Booking:
    """The session `reference` to mark: LookupError if none (or cancelled), NotYours if it is
    another advisor's."""
    booking = session.scalar(
        select(Booking)
        .where(Booking.reference == reference.strip().upper(), Booking.status != "cancelled")
        .with_for_update()
    )
    if booking is None:
        raise LookupError(reference)
    if not viewer.handles_session(booking.advisor_id):
        raise NotYours(booking.advisor_id)
    return booking


def mark(
    sessions: sessionmaker[Session], viewer: Viewer, reference: str, status: str, now: datetime
) -> int | None:
    """Mark the session held or no-show (`status`, one of `MARKED`) once it has started, with
    its history line; return its lead (None: a session without one)."""
    if status not in MARKED:
        raise NotAllowed("Choisissez « Tenue » ou « Absence ».")
    with sessions.begin() as session:
        booking = _session_for(session, viewer, reference)
        check_mark(booking.status, as_utc(booking.starts_at), now)
        before, booking.status = booking.status, status
        booking.marked_at, booking.marked_by = as_utc(now), viewer.account_id
        _trace(session, viewer, booking, before)
        return booking.lead_id


def undo(
    sessions: sessionmaker[Session], viewer: Viewer, reference: str, now: datetime
) -> int | None:
    """Undo the session's mark (the same day only): booked again, to be marked; its history line.
    Refused if the merchant booked another session since (one active session per lead)."""
    try:
        with sessions.begin() as session:
            booking = _session_for(session, viewer, reference)
            marked_at = as_utc(booking.marked_at) if booking.marked_at else None
            check_undo(booking.status, marked_at, now)
            if booking.lead_id is not None and session.scalar(
                select(Booking.id).where(
                    Booking.lead_id == booking.lead_id, Booking.status == BOOKED
                )
            ):
                raise NotAllowed(REBOOKED)
            before, booking.status = booking.status, BOOKED
            booking.marked_at, booking.marked_by = None, None
            session.flush()  # the booking rules' indexes (one active session per lead)
            _trace(session, viewer, booking, before)
            return booking.lead_id
    except IntegrityError:  # booked meanwhile, from the chat
        raise NotAllowed(REBOOKED) from None


def _trace(session: Session, viewer: Viewer, booking: Booking, before: str) -> None:
    if booking.lead_id is not None:
        what = history_line(booking.reference, as_utc(booking.starts_at), before, booking.status)
        write_session_change(session, viewer, booking.lead_id, what)
