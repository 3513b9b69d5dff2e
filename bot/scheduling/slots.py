"""Free session slots from working hours, buffers, days off, closed days (bot.scheduling.closures)
and existing bookings.

Times are built in local time (America/Toronto) and compared as aware datetimes, so a slot at
9:00 stays at 9:00 across the daylight-saving changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.scheduling import TIMEZONE
from bot.scheduling.config import Advisor, Availability


@dataclass(frozen=True, order=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    advisor_id: str


@dataclass(frozen=True)
class Busy:
    """An existing booking of an advisor."""

    advisor_id: str
    starts_at: datetime
    ends_at: datetime


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day < end:
        yield day
        day += timedelta(days=1)


def advisor_slots(
    advisor: Advisor, availability: Availability, start: datetime, end: datetime, busy: list[Busy]
) -> list[Slot]:
    """The free slots of one advisor between `start` and `end` (aware datetimes)."""
    length = timedelta(minutes=availability.session_minutes)
    gap = timedelta(minutes=availability.buffer_minutes)
    mine = [b for b in busy if b.advisor_id == advisor.id]
    per_day = Counter(b.starts_at.astimezone(TIMEZONE).date() for b in mine)
    slots = []
    local_start = start.astimezone(TIMEZONE)
    for day in _days(local_start.date(), end.astimezone(TIMEZONE).date() + timedelta(days=1)):
        if availability.closures.closed(day) or day in advisor.days_off:
            continue
        if per_day[day] >= availability.max_sessions_per_day:
            continue
        for period_start, period_end in advisor.hours.get(day.weekday(), []):
            at = datetime.combine(day, period_start, TIMEZONE)
            closes = datetime.combine(day, period_end, TIMEZONE)
            while at + length <= closes:
                slot_end = at + length
                clash = any(b.starts_at < slot_end + gap and at < b.ends_at + gap for b in mine)
                if start <= at and slot_end <= end and not clash:
                    slots.append(Slot(at, slot_end, advisor.id))
                at = slot_end + gap
    return slots


def free_slots(
    availability: Availability, start: datetime, end: datetime, busy: list[Busy]
) -> list[Slot]:
    """Every advisor's free slots, earliest first."""
    return sorted(
        slot
        for advisor in availability.advisors
        for slot in advisor_slots(advisor, availability, start, end, busy)
    )


def horizon(now: datetime, availability: Availability) -> tuple[datetime, datetime]:
    """From the next full hour to the end of the booking horizon."""
    start = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return start, start + timedelta(weeks=availability.horizon_weeks)
