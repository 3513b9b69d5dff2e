"""Slot generation (hours, buffers, closed days, days off, DST) and fair assignment."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from bot.scheduling import TIMEZONE
from bot.scheduling.assignment import choose_slot
from bot.scheduling.closures import Closures
from bot.scheduling.config import Advisor, Availability, load_availability
from bot.scheduling.slots import Busy, advisor_slots, free_slots, horizon

UTC = timezone.utc
MORNINGS = {d: [(time(9), time(12))] for d in range(5)}
ANNE = Advisor("anne", "Anne", "anne@example.org", "en personne", "Bureau", MORNINGS)
BOB = Advisor("bob", "Bob", "bob@example.org", "vidéo", "Lien", MORNINGS, sectors=("hébergement",))
RULES = Availability(
    [ANNE, BOB],
    session_minutes=60,
    buffer_minutes=15,
    max_sessions_per_day=4,
    closures=Closures(days=frozenset({date(2026, 12, 2)})),
)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TIMEZONE)


def day_slots(
    advisor: Advisor, day: date, busy: list[Busy] | None = None, rules: Availability = RULES
) -> list[str]:
    start, end = local(day, 0), local(day, 23, 59)
    return [
        s.starts_at.astimezone(TIMEZONE).strftime("%H:%M")
        for s in advisor_slots(advisor, rules, start, end, busy or [])
    ]


def test_hours_and_buffers() -> None:
    assert day_slots(ANNE, date(2026, 11, 23)) == ["09:00", "10:15"]  # 11:30 would end after noon


def test_weekends_holidays_and_days_off() -> None:
    assert day_slots(ANNE, date(2026, 11, 28)) == []  # Saturday
    assert day_slots(ANNE, date(2026, 12, 25)) == []  # Christmas, statutory
    assert day_slots(ANNE, date(2026, 12, 2)) == []  # a one-off closed day
    assert day_slots(ANNE, date(2026, 12, 3)) == ["09:00", "10:15"]
    off = Advisor(
        "anne", "Anne", "a@x", "m", "p", MORNINGS, days_off=frozenset({date(2026, 11, 24)})
    )
    assert day_slots(off, date(2026, 11, 24)) == []


def test_a_booking_blocks_its_slot_and_the_buffer_around_it() -> None:
    day = date(2026, 11, 23)
    busy = [Busy("anne", local(day, 9, 30), local(day, 10, 30))]
    assert (
        day_slots(ANNE, day, busy) == []
    )  # 9:00 overlaps, 10:15 is inside the buffer... 10:45 too late
    assert day_slots(BOB, day, busy) == ["09:00", "10:15"]


def test_maximum_sessions_per_day() -> None:
    day = date(2026, 11, 23)
    one_a_day = Availability([ANNE], max_sessions_per_day=1)
    assert day_slots(ANNE, day, rules=one_a_day) == ["09:00", "10:15"]  # either may be taken
    busy = [Busy("anne", local(day, 11), local(day, 11, 30))]
    assert day_slots(ANNE, day, busy, rules=one_a_day) == []


def test_daylight_saving_change_keeps_local_hours() -> None:
    before, after = date(2027, 3, 12), date(2027, 3, 15)  # DST starts Sunday 2027-03-14
    [first_before, *_] = advisor_slots(ANNE, RULES, local(before, 0), local(before, 23), [])
    [first_after, *_] = advisor_slots(ANNE, RULES, local(after, 0), local(after, 23), [])
    assert first_before.starts_at.astimezone(UTC).hour == 14  # 9:00 EST
    assert first_after.starts_at.astimezone(UTC).hour == 13  # 9:00 EDT
    autumn = date(2026, 11, 2)  # the Monday after DST ended (2026-11-01)
    assert day_slots(ANNE, autumn) == ["09:00", "10:15"]


def test_free_slots_are_sorted_and_start_after_now() -> None:
    now = local(date(2026, 11, 23), 9, 20)
    start, end = horizon(now, RULES)
    slots = free_slots(RULES, start, end, [])
    assert slots == sorted(slots) and slots[0].starts_at >= now
    assert slots[0].starts_at == local(date(2026, 11, 23), 10, 15)
    assert end - start == timedelta(weeks=3)


def test_least_loaded_advisor_then_round_robin() -> None:
    day = date(2026, 11, 30)
    same_time = [
        s
        for s in free_slots(RULES, local(day, 0), local(day, 23), [])
        if s.starts_at == local(day, 9)
    ]
    busy_anne = [Busy("anne", local(date(2026, 12, 1), 9), local(date(2026, 12, 1), 10))]

    def chosen(
        busy: list[Busy], recent: dict[str, datetime] | None = None, sector: str | None = None
    ) -> str:
        slot = choose_slot(same_time, RULES.advisors, busy, recent, sector)
        assert slot is not None
        return slot.advisor_id

    assert chosen(busy_anne) == "bob"  # least loaded
    assert chosen([]) == "anne"  # tie: configuration order
    assert chosen([], {"anne": local(day, 8)}) == "bob"  # tie: round robin
    assert chosen(busy_anne * 0, sector="hébergement") == "bob"  # sector preference
    assert choose_slot([], RULES.advisors, []) is None


def test_the_shipped_configuration_loads() -> None:
    availability = load_availability()
    assert {a.id for a in availability.advisors} == {"sophie", "marc"}
    assert availability.closures.closed(date(2026, 12, 28))  # the holiday break
    assert availability.closures.closed(date(2027, 3, 26))  # Good Friday, computed


@pytest.mark.parametrize(
    ("place", "error"),
    [
        ('place: "Bureau"', "an in-person advisor needs an address"),
        (
            'place: "Bureau (2e étage)"\n    address: "1, rue A"',
            "no parentheses in place or address",
        ),
    ],
)
def test_an_in_person_advisor_without_an_address_is_refused(
    tmp_path: Path, place: str, error: str
) -> None:
    path = tmp_path / "advisors.yml"
    path.write_text(
        "advisors:\n  - id: anne\n    name: Anne\n    email: anne@example.org\n"
        f"    mode: en personne\n    {place}\n    hours:\n      lundi: ['09:00-12:00']\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=error):
        load_availability(path)
