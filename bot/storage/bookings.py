"""Bookings: atomic booking of a slot, cancel, reschedule, and the busy times of advisors.

Double booking is impossible: a partial unique index allows one active booking per advisor
and start time, so when many conversations take the same slot at once exactly one insert
succeeds and the others get `SlotTaken` (and are offered other slots).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling.slots import Busy, Slot
from bot.storage.models import Booking

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud


class SlotTaken(Exception):
    """Someone else booked this slot first."""


class UnknownBooking(LookupError):
    """No active booking has this reference."""


def utc(moment: datetime) -> datetime:
    """Times are stored in UTC (SQLite keeps no offset: a naive value read back is UTC)."""
    return (
        moment.replace(tzinfo=timezone.utc)
        if moment.tzinfo is None
        else moment.astimezone(timezone.utc)
    )


def new_reference() -> str:
    return "NQ-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def book(sessions: sessionmaker[Session], slot: Slot, lead_id: int | None) -> Booking:
    """Book `slot` atomically; raise SlotTaken if it is no longer free."""
    try:
        with sessions.begin() as session:
            booking = Booking(
                reference=new_reference(),
                lead_id=lead_id,
                advisor_id=slot.advisor_id,
                starts_at=utc(slot.starts_at),
                ends_at=utc(slot.ends_at),
                status="booked",
                sequence=0,
            )
            session.add(booking)
        return booking
    except IntegrityError:
        raise SlotTaken(slot) from None


def _active(session: Session, reference: str) -> Booking:
    booking = session.scalar(
        select(Booking).where(
            Booking.reference == reference.strip().upper(), Booking.status == "booked"
        )
    )
    if booking is None:
        raise UnknownBooking(reference)
    return booking


def find(sessions: sessionmaker[Session], reference: str) -> Booking:
    with sessions() as session:
        return _active(session, reference)


def active_for_lead(sessions: sessionmaker[Session], lead_id: int) -> Booking | None:
    """The lead's next active booking, if any."""
    with sessions() as session:
        return session.scalar(
            select(Booking)
            .where(Booking.lead_id == lead_id, Booking.status == "booked")
            .order_by(Booking.starts_at)
            .limit(1)
        )


def cancel(sessions: sessionmaker[Session], reference: str) -> Booking:
    """Cancel an active booking (its slot is free again); its invitation sequence goes up."""
    with sessions.begin() as session:
        booking = _active(session, reference)
        booking.status = "cancelled"
        booking.sequence += 1
        return booking


def reschedule(sessions: sessionmaker[Session], reference: str, slot: Slot) -> Booking:
    """Move an active booking to `slot` in one transaction (same reference, sequence + 1)."""
    try:
        with sessions.begin() as session:
            booking = _active(session, reference)
            booking.advisor_id = slot.advisor_id
            booking.starts_at = utc(slot.starts_at)
            booking.ends_at = utc(slot.ends_at)
            booking.sequence += 1
            return booking
    except IntegrityError:
        raise SlotTaken(slot) from None


def busy_between(sessions: sessionmaker[Session], start: datetime, end: datetime) -> list[Busy]:
    """Active bookings overlapping [start, end), for slot generation and fair assignment."""
    with sessions() as session:
        rows = session.scalars(
            select(Booking).where(
                Booking.status == "booked",
                Booking.starts_at < utc(end),
                Booking.ends_at > utc(start),
            )
        ).all()
    return [Busy(b.advisor_id, utc(b.starts_at), utc(b.ends_at)) for b in rows]


def last_assigned(sessions: sessionmaker[Session]) -> dict[str, datetime]:
    """When each advisor was last given a session (for round robin on ties)."""
    with sessions() as session:
        rows = session.execute(
            select(Booking.advisor_id, func.max(Booking.created_at)).group_by(Booking.advisor_id)
        ).all()
    return {advisor: utc(at) for advisor, at in rows}
