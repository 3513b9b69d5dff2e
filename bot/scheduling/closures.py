"""Days the program is closed: Québec's statutory holidays, computed for any year, the program's
yearly closures (the holiday break) and its one-off closed days, both from config/advisors.yml.

The statutory holidays are those of the Loi sur les normes du travail (art. 60) and the Loi sur
la fête nationale, from the `holidays` package (Canada, subdivision QC): New Year's Day, Good
Friday *and* Easter Monday (the law lets the employer choose one; the program closes both),
Journée nationale des patriotes, Fête nationale, Canada Day, Labour Day, Thanksgiving and
Christmas. Only two observed days are the law's: 24 June and 1 July falling on a Sunday move to
Monday. The package also moves a Saturday holiday to Monday, which Québec law does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

MOVED_BY_LAW = {(6, 24), (7, 1)}  # on a Sunday, the next day is the holiday


@lru_cache(maxsize=16)
def statutory_holidays(year: int) -> dict[date, str]:
    """Québec's statutory holidays of `year`, with their French names."""
    actual, observed = (
        holidays.country_holidays(
            "CA",
            subdiv="QC",
            years=year,
            language="fr",
            observed=moved,
            categories=("public", "optional"),  # Easter Monday is QC's "optional" one
        )
        for moved in (False, True)
    )
    found = dict(actual.items())
    for day, name in observed.items():
        sunday = day - timedelta(days=1)
        if day not in found and sunday in actual and (sunday.month, sunday.day) in MOVED_BY_LAW:
            found[day] = name
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class YearlyClosure:
    """A closure that comes back every year, from one (month, day) to another, inclusive; it
    may cross New Year's Day (24 December to 2 January)."""

    name: str
    start: tuple[int, int]
    end: tuple[int, int]

    def covers(self, day: date) -> bool:
        moment = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= moment <= self.end
        return moment >= self.start or moment <= self.end


@dataclass(frozen=True)
class Closures:
    yearly: tuple[YearlyClosure, ...] = ()
    days: frozenset[date] = field(default_factory=frozenset)
    statutory: bool = True

    def closed(self, day: date) -> bool:
        return (
            day in self.days
            or any(closure.covers(day) for closure in self.yearly)
            or (self.statutory and day in statutory_holidays(day.year))
        )
