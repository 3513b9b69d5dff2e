"""Reminders the day before: sent once, even when the job runs again (or after a restart)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time
from threading import Barrier

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling import TIMEZONE
from bot.scheduling.reminders import send_due_reminders
from bot.scheduling.slots import Slot
from bot.storage.bookings import book, cancel
from bot.storage.models import Booking, as_utc

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
            update(Booking).values(created_at=as_utc(BOOKED_AT), updated_at=as_utc(BOOKED_AT))
        )
    fresh = book(sessions, at(date(2026, 11, 24), 14), None)  # ...this one today: no reminder
    with sessions.begin() as session:
        session.execute(
            update(Booking)
            .where(Booking.reference == fresh.reference)
            .values(updated_at=as_utc(datetime(2026, 11, 23, 17, 0, tzinfo=TIMEZONE)))
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


def three_days_ahead(sessions: sessionmaker[Session], count: int) -> list[str]:
    """`count` sessions tomorrow (24 November), booked three days before."""
    references = [
        book(sessions, at(date(2026, 11, 24), 9 + n), None).reference for n in range(count)
    ]
    with sessions.begin() as session:
        session.execute(update(Booking).values(updated_at=as_utc(BOOKED_AT)))
    return references


EVENING = datetime(2026, 11, 23, 18, 0, tzinfo=TIMEZONE)


def test_a_failing_reminder_leaves_the_others_sent_and_is_retried(
    sessions: sessionmaker[Session],
) -> None:
    first, second, third = three_days_ahead(sessions, 3)
    sent: list[str] = []

    def remind_but_fail_the_second(booking: Booking) -> None:
        if booking.reference == second:
            raise ConnectionError("mail queue unavailable")
        sent.append(booking.reference)

    assert sorted(send_due_reminders(sessions, EVENING, remind_but_fail_the_second)) == sorted(
        [first, third]
    )
    assert send_due_reminders(sessions, EVENING, lambda b: sent.append(b.reference)) == [second]
    assert sorted(sent) == sorted([first, second, third])  # each exactly once
    assert send_due_reminders(sessions, EVENING, lambda b: sent.append(b.reference)) == []


def test_two_runners_at_once_never_send_a_reminder_twice(sessions: sessionmaker[Session]) -> None:
    references = three_days_ahead(sessions, 6)
    sent: list[str] = []
    barrier = Barrier(4)

    def runner() -> list[str]:
        barrier.wait()
        return send_due_reminders(sessions, EVENING, lambda b: sent.append(b.reference))

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: runner(), range(4)))
    assert sorted(sent) == sorted(references)
    assert sorted(r for result in results for r in result) == sorted(references)


def test_reminders_across_the_daylight_saving_changes(sessions: sessionmaker[Session]) -> None:
    """Run on the eve of a Monday after a change (a 23-hour and a 25-hour Sunday): Monday's
    sessions, morning and late afternoon, are reminded, Tuesday's are not; the mark is the
    run's time."""
    for sunday in (date(2027, 3, 14), date(2027, 11, 7)):  # DST starts, then ends
        monday, tuesday = (
            date.fromordinal(sunday.toordinal() + 1),
            date.fromordinal(sunday.toordinal() + 2),
        )
        early, late = book(sessions, at(monday, 9), None), book(sessions, at(monday, 16), None)
        book(sessions, at(tuesday, 9), None)
        evening = datetime.combine(sunday, time(18), TIMEZONE)
        due = send_due_reminders(sessions, evening, lambda _: None)
        assert sorted(due) == sorted([early.reference, late.reference]), sunday
        with sessions() as session:
            marks = session.scalars(select(Booking.reminded_at).where(Booking.reference.in_(due)))
            assert set(marks) == {as_utc(evening)}
