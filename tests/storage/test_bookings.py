"""Booking atomically (50 attempts at once on one slot), cancel, reschedule; SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Slot
from bot.storage.bookings import (
    SlotTaken,
    UnknownBooking,
    book,
    busy_between,
    cancel,
    find,
    reschedule,
)

DAY = date(2026, 11, 30)


def slot(hour: int, advisor: str = "sophie") -> Slot:
    return Slot(
        datetime.combine(DAY, time(hour), TIMEZONE),
        datetime.combine(DAY, time(hour + 1), TIMEZONE),
        advisor,
    )


def test_fifty_simultaneous_attempts_on_one_slot_make_exactly_one_booking(
    sessions: sessionmaker[Session],
) -> None:
    def attempt(_: int) -> str:
        try:
            return book(sessions, slot(9), None).reference
        except SlotTaken:
            return "taken"

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(attempt, range(50)))
    assert results.count("taken") == 49
    [reference] = [r for r in results if r != "taken"]
    assert reference.startswith("NQ-") and len(reference) == 11
    assert len(busy_between(sessions, slot(0).starts_at, slot(22).ends_at)) == 1


def test_cancel_frees_the_slot_and_bumps_the_sequence(sessions: sessionmaker[Session]) -> None:
    booking = book(sessions, slot(10), None)
    cancelled = cancel(sessions, booking.reference.lower())
    assert (cancelled.status, cancelled.sequence) == ("cancelled", 1)
    assert book(sessions, slot(10), None).reference != booking.reference
    with pytest.raises(UnknownBooking):
        cancel(sessions, booking.reference)


def test_reschedule_keeps_the_reference_and_refuses_a_taken_slot(
    sessions: sessionmaker[Session],
) -> None:
    first = book(sessions, slot(9), None)
    book(sessions, slot(11), None)
    moved = reschedule(sessions, first.reference, slot(13, "marc"))
    assert (moved.reference, moved.sequence, moved.advisor_id) == (first.reference, 1, "marc")
    assert find(sessions, first.reference).starts_at.hour in {18, 13}  # stored in UTC
    with pytest.raises(SlotTaken):
        reschedule(sessions, first.reference, slot(11))
    assert find(sessions, first.reference).advisor_id == "marc"  # unchanged by the failed move
