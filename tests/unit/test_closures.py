"""Closed days: Québec's statutory holidays for any year (checked against the law's list for
2026-2028), the program's yearly holiday break, one-off days, and two years of slots with none."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.scheduling import TIMEZONE
from bot.scheduling.closures import Closures, YearlyClosure, statutory_holidays
from bot.scheduling.config import load_availability
from bot.scheduling.slots import free_slots

# The statutory holidays as the CNESST lists them (Loi sur les normes du travail, art. 60, and
# the Loi sur la fête nationale), written from the law, not from the library. Good Friday and
# Easter Monday are both there: the employer chooses one, the program closes both.
LAW = {
    2026: ["01-01", "04-03", "04-06", "05-18", "06-24", "07-01", "09-07", "10-12", "12-25"],
    2027: ["01-01", "03-26", "03-29", "05-24", "06-24", "07-01", "09-06", "10-11", "12-25"],
    2028: ["01-01", "04-14", "04-17", "05-22", "06-24", "07-01", "09-04", "10-09", "12-25"],
}


@pytest.mark.parametrize("year", sorted(LAW))
def test_the_statutory_holidays_are_the_laws(year: int) -> None:
    assert [d.strftime("%m-%d") for d in statutory_holidays(year)] == LAW[year]


def test_only_the_laws_sunday_moves_are_observed() -> None:
    # 2029: 24 June and 1 July are Sundays, so the Mondays 25 June and 2 July are holidays.
    days = statutory_holidays(2029)
    assert date(2029, 6, 25) in days and date(2029, 7, 2) in days
    # A Saturday holiday stays on the Saturday (Christmas 2027, New Year's Day 2028).
    assert date(2027, 12, 27) not in statutory_holidays(2027)
    assert date(2028, 1, 3) not in statutory_holidays(2028)
    assert statutory_holidays(2027)[date(2027, 3, 26)] == "Vendredi saint"


def test_a_yearly_closure_may_cross_new_years_day() -> None:
    fetes = YearlyClosure("Congé des Fêtes", (12, 24), (1, 2))
    assert all(fetes.covers(date(2027, 12, 24) + timedelta(days=n)) for n in range(10))
    assert not fetes.covers(date(2027, 12, 23)) and not fetes.covers(date(2028, 1, 3))
    summer = YearlyClosure("Vacances", (7, 20), (7, 31))
    assert summer.covers(date(2030, 7, 25)) and not summer.covers(date(2030, 8, 1))


def test_one_off_days_and_no_statutory_holidays() -> None:
    closures = Closures(days=frozenset({date(2027, 2, 3)}), statutory=False)
    assert closures.closed(date(2027, 2, 3)) and not closures.closed(date(2027, 12, 25))


def test_two_years_of_slots_never_fall_on_a_closed_day() -> None:
    """The shipped availability from December 2026 to the end of 2028: slots on both years'
    working days, none on a statutory holiday nor in the holiday break."""
    availability = load_availability()
    start = datetime.combine(date(2026, 12, 1), time(0), TIMEZONE)
    end = datetime.combine(date(2028, 12, 31), time(23), TIMEZONE)
    days = {
        s.starts_at.astimezone(TIMEZONE).date() for s in free_slots(availability, start, end, [])
    }
    holidays = {d for year in (2026, 2027, 2028) for d in statutory_holidays(year)}
    assert not days & holidays
    assert not [d for d in days if (d.month, d.day) >= (12, 24) or (d.month, d.day) <= (1, 2)]
    assert {d.year for d in days} == {2026, 2027, 2028} and len(days) > 400
    # the days before and after each 2027-2028 holiday that falls on a working day stay open
    for holiday in sorted(h for h in holidays if h.year > 2026 and h.weekday() in (0, 4)):
        neighbour = holiday + timedelta(days=1 if holiday.weekday() == 0 else -1)
        if not availability.closures.closed(neighbour):
            assert neighbour in days, neighbour


def test_a_list_of_holidays_in_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "advisors.yml"
    path.write_text("advisors: []\nholidays: [2027-12-25]\n")
    with pytest.raises(ValueError, match="holidays: statutory holidays are computed"):
        load_availability(path)
    path.write_text("advisors: []\nyearly_closures: [{name: Été, from: '07-32', to: '08-01'}]\n")
    with pytest.raises(ValueError, match="yearly closure 'Été': '07-32'"):
        load_availability(path)
