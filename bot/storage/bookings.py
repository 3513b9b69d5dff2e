"""Bookings: atomic booking of a slot, cancel, reschedule, and the busy times of advisors.

The database enforces the rules, whatever runs at the same time:
- one active booking per advisor and start time (a partial unique index): when many
  conversations take the same slot at once exactly one insert succeeds and the others get
  `SlotTaken` (and are offered other slots);
- one active booking per lead (another partial unique index): `AlreadyBooked`;
- an advisor's daily maximum: bookings of one advisor and day are serialised (a transaction
  lock on PostgreSQL, the database's write lock on SQLite) and counted before the insert.

A move or a cancellation can write more in its own transaction (`Within`: the workspace's line
in the lead's history), so that both are kept or neither.
"""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.pack import current_pack
from bot.scheduling.slots import Busy, Slot
from bot.storage.models import Booking, Lead, as_utc, now_of

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud
# More to write in a change's transaction, given the booking as changed (it raises: nothing kept).
Within = Callable[[Session, Booking], None]


class SlotTaken(Exception):
    """Someone else booked this slot first."""


class UnknownBooking(LookupError):
    """No active booking has this reference."""


class AlreadyBooked(Exception):
    """The lead already has an active booking (booked from another conversation meanwhile)."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference


@dataclass(frozen=True)
class DayLimit:
    """An advisor's maximum of sessions on the local day [start, end) of a slot."""

    start: datetime
    end: datetime
    maximum: int


def _serialise(session: Session, advisor_id: str, day: DayLimit) -> None:
    """Make the bookings of one advisor and day wait for each other until commit."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"{advisor_id}|{as_utc(day.start).date()}".encode())
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:  # SQLite: a first write takes the database's write lock (waiting busy_timeout)
        session.execute(text("UPDATE bookings SET id = id WHERE 0"))


def _check_rules(
    session: Session, slot: Slot, lead_id: int | None, day: DayLimit | None, moving: int | None
) -> None:
    """Raise `AlreadyBooked` or `SlotTaken` (advisor's day full) before writing `slot`."""
    others = (Booking.status == "booked") & (Booking.id != (moving or -1))
    if lead_id is not None and moving is None:
        existing = session.scalar(
            select(Booking.reference).where(others, Booking.lead_id == lead_id)
        )
        if existing is not None:
            raise AlreadyBooked(existing)
    if day is not None:
        taken = session.scalar(
            select(func.count()).where(
                others,
                Booking.advisor_id == slot.advisor_id,
                Booking.starts_at >= as_utc(day.start),
                Booking.starts_at < as_utc(day.end),
            )
        )
        if (taken or 0) >= day.maximum:
            raise SlotTaken(slot)


REFERENCE_LENGTH = 8  # 32**8 = 2**40 references; older ones have 6 characters and still work


def new_reference() -> str:
    return current_pack().identity.reference_prefix + "".join(
        secrets.choice(_ALPHABET) for _ in range(REFERENCE_LENGTH)
    )


def book(
    sessions: sessionmaker[Session], slot: Slot, lead_id: int | None, day: DayLimit | None = None
) -> Booking:
    """Book `slot` atomically; raise SlotTaken if it is no longer free (or its advisor's day is
    full), AlreadyBooked if the lead has a session."""
    try:
        with sessions.begin() as session:
            if day is not None:
                _serialise(session, slot.advisor_id, day)
            _check_rules(session, slot, lead_id, day, moving=None)
            booking = Booking(
                reference=new_reference(),
                lead_id=lead_id,
                advisor_id=slot.advisor_id,
                starts_at=as_utc(slot.starts_at),
                ends_at=as_utc(slot.ends_at),
                status="booked",
                sequence=0,
            )
            session.add(booking)
            if lead_id is not None:  # the lead's first advisor, unless the team chose one
                session.execute(
                    update(Lead)
                    .where(Lead.id == lead_id, Lead.advisor_id.is_(None))
                    .values(advisor_id=slot.advisor_id, updated_at=now_of(session))
                )
        return booking
    except IntegrityError:
        if lead_id is not None and (existing := active_for_lead(sessions, lead_id)):
            raise AlreadyBooked(existing.reference) from None
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


def cancel(
    sessions: sessionmaker[Session], reference: str, within: Within | None = None
) -> Booking:
    """Cancel an active booking (its slot is free again); its invitation sequence goes up.
    `within` writes more in the same transaction."""
    with sessions.begin() as session:
        booking = _active(session, reference)
        booking.status = "cancelled"
        booking.sequence += 1
        if within is not None:
            within(session, booking)
        return booking


def reschedule(
    sessions: sessionmaker[Session],
    reference: str,
    slot: Slot,
    day: DayLimit | None = None,
    within: Within | None = None,
) -> Booking:
    """Move an active booking to `slot` in one transaction (same reference, sequence + 1);
    `within` writes more in that transaction."""
    try:
        with sessions.begin() as session:
            if day is not None:
                _serialise(session, slot.advisor_id, day)
            booking = _active(session, reference)
            _check_rules(session, slot, booking.lead_id, day, moving=booking.id)
            booking.advisor_id = slot.advisor_id
            booking.starts_at = as_utc(slot.starts_at)
            booking.ends_at = as_utc(slot.ends_at)
            booking.sequence += 1
            if within is not None:
                session.flush()  # the rules' indexes first: a slot taken is not `within`'s
                within(session, booking)
            return booking
    except IntegrityError:
        raise SlotTaken(slot) from None


def busy_between(sessions: sessionmaker[Session], start: datetime, end: datetime) -> list[Busy]:
    """Active bookings overlapping [start, end), for slot generation and fair assignment."""
    with sessions() as session:
        rows = session.scalars(
            select(Booking).where(
                Booking.status == "booked",
                Booking.starts_at < as_utc(end),
                Booking.ends_at > as_utc(start),
            )
        ).all()
    return [Busy(b.advisor_id, as_utc(b.starts_at), as_utc(b.ends_at)) for b in rows]


def last_assigned(sessions: sessionmaker[Session]) -> dict[str, datetime]:
    """When each advisor was last given a session (for round robin on ties)."""
    with sessions() as session:
        rows = session.execute(
            select(Booking.advisor_id, func.max(Booking.created_at)).group_by(Booking.advisor_id)
        ).all()
    return {advisor: as_utc(at) for advisor, at in rows}
