"""Reminders the day before a session: idempotent, and safe across restarts.

A session booked (or moved) less than a day ahead gets no reminder: its confirmation is fresh.

The state lives in the database (`bookings.reminded_at`): a booking is reminded once, whoever
runs the job and however often. On PostgreSQL, rows are locked with SKIP LOCKED so that two
runners never pick the same booking.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling import TIMEZONE
from bot.storage.bookings import utc
from bot.storage.models import Booking


def send_due_reminders(
    sessions: sessionmaker[Session], now: datetime, remind: Callable[[Booking], None]
) -> list[str]:
    """Remind the active bookings of tomorrow (local date) not reminded yet; return references."""
    tomorrow = (now.astimezone(TIMEZONE) + timedelta(days=1)).date()
    start = datetime.combine(tomorrow, time(0), TIMEZONE)
    end = start + timedelta(days=1)
    done = []
    with sessions.begin() as session:
        query = select(Booking).where(
            Booking.status == "booked",
            Booking.reminded_at.is_(None),
            Booking.starts_at >= utc(start),
            Booking.starts_at < utc(end),
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for booking in session.scalars(query).all():
            if utc(booking.updated_at) > utc(booking.starts_at) - timedelta(days=1):
                continue
            remind(booking)
            booking.reminded_at = datetime.now(timezone.utc)
            done.append(booking.reference)
    return done
