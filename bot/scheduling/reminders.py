"""Reminders the day before a session: exactly once, safe across restarts and runners.

A session booked (or moved) less than a day ahead gets no reminder: its confirmation is fresh.

The state lives in the database (`bookings.reminded_at`). Each reminder is claimed in its own
transaction (`UPDATE … WHERE reminded_at IS NULL`: on SQLite and PostgreSQL alike, one runner's
update wins), then sent; a reminder that fails to send is released for the next run, and the
others stay sent and marked. Sending queues mail (`bot.mail.send`), so an SMTP failure is
retried from the outbox instead of failing the reminder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling import TIMEZONE
from bot.storage.models import Booking, as_utc

log = logging.getLogger(__name__)


def _due(sessions: sessionmaker[Session], now: datetime) -> list[Booking]:
    """Active bookings of tomorrow (local date) not reminded yet, booked a day ahead or more."""
    tomorrow = (now.astimezone(TIMEZONE) + timedelta(days=1)).date()
    start = datetime.combine(tomorrow, time(0), TIMEZONE)
    with sessions() as session:
        rows = session.scalars(
            select(Booking).where(
                Booking.status == "booked",
                Booking.reminded_at.is_(None),
                Booking.starts_at >= as_utc(start),
                Booking.starts_at < as_utc(start + timedelta(days=1)),
            )
        ).all()
    return [b for b in rows if as_utc(b.updated_at) <= as_utc(b.starts_at) - timedelta(days=1)]


def _mark(sessions: sessionmaker[Session], booking_id: int, at: datetime | None) -> bool:
    """Set (or, with None, release) a booking's reminder mark; False if another runner won."""
    with sessions.begin() as session:
        query = update(Booking).where(Booking.id == booking_id, Booking.status == "booked")
        if at is not None:
            query = query.where(Booking.reminded_at.is_(None))
        # updated_at stays (a Core update is not stamped): it tells when the session was booked
        query = query.values(reminded_at=at)
        return bool(session.execute(query).rowcount == 1)  # type: ignore[attr-defined]


def send_due_reminders(
    sessions: sessionmaker[Session], now: datetime, remind: Callable[[Booking], None]
) -> list[str]:
    """Remind the bookings of tomorrow not reminded yet, each once; return their references."""
    done = []
    for booking in _due(sessions, now):
        if not _mark(sessions, booking.id, now):
            continue  # another runner has it
        try:
            remind(booking)
        except Exception:  # this one waits for the next run; the others go on
            log.exception("reminder %s failed; released for the next run", booking.reference)
            _mark(sessions, booking.id, None)
            continue
        done.append(booking.reference)
    return done
