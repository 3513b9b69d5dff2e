"""Reminders the day before: sent once, even when the job runs again (or after a restart)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling import TIMEZONE
from bot.scheduling.reminders import send_due_reminders
from bot.scheduling.slots import Slot
from bot.storage.bookings import book, cancel, utc
from bot.storage.models import Booking

BOOKED_AT = datetime(2026, 11, 20, 10, 0, tzinfo=TIMEZONE)


def at(day: date, hour: int) -> Slot:
    return Slot(
        datetime.combine(day, time(hour), TIMEZONE),
        datetime.combine(day, time(hour + 1), TIMEZONE),
        "sophie",
    )


def test_reminders_go_out_once_for_tomorrows_sessions(sessions: sessionmaker[Session]) -> None:
    tomorrow = book(sessions, at(date(2026, 11, 24), 9), None)
    late = book(sessions, at(date(2026, 11, 24), 16), None)
    book(sessions, at(date(2026, 11, 25), 9), None)  # the day after: not yet
    cancelled = book(sessions, at(date(2026, 11, 24), 11), None)
    cancel(sessions, cancelled.reference)
    with sessions.begin() as session:  # all booked three days ahead...
        session.execute(
            update(Booking).values(created_at=utc(BOOKED_AT), updated_at=utc(BOOKED_AT))
        )
    fresh = book(sessions, at(date(2026, 11, 24), 14), None)  # ...this one today: no reminder
    with sessions.begin() as session:
        session.execute(
            update(Booking)
            .where(Booking.reference == fresh.reference)
            .values(updated_at=utc(datetime(2026, 11, 23, 17, 0, tzinfo=TIMEZONE)))
        )
    sent: list[str] = []

    def remind(booking: Booking) -> None:
        sent.append(booking.reference)

    now = datetime(2026, 11, 23, 18, 0, tzinfo=TIMEZONE)
    assert sorted(send_due_reminders(sessions, now, remind)) == sorted(
        [tomorrow.reference, late.reference]
    )
    assert send_due_reminders(sessions, now, remind) == []  # run again: nothing new
    assert sorted(sent) == sorted([tomorrow.reference, late.reference])
