"""The quality report's figures (« Qualité » in the workspace), plain Python over the
conversations' facts (`bot.learning.outcomes`) for a period of Québec days: the share of
messages not understood per ISO week, the questions where forms are abandoned, forms started,
completed and abandoned, the time from the first message to a booking (median and
distribution) and the top missed topics (counted by `bot.storage.missed`).

A conversation counts in the period of its first message; the weekly rate counts each message on
its own day. Each figure is drawn by the page as a chart beside a table with the same figures
(the page's script is the statistics page's)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.analytics import iso_week
from bot.learning.outcomes import FORM_NAMES, Facts
from bot.scheduling import TIMEZONE

DEFAULT_WEEKS = 12
LONGEST_PERIOD = timedelta(days=366 * 2)
BOOKING_DELAYS = (  # upper bound (excluded), label
    (timedelta(minutes=10), "Moins de 10 min"),
    (timedelta(minutes=30), "10 à 30 min"),
    (timedelta(hours=1), "30 min à 1 h"),
    (timedelta(days=1), "1 h à 24 h"),
    (timedelta(days=7), "1 à 7 jours"),
    (timedelta.max, "Plus de 7 jours"),
)


@dataclass(frozen=True)
class Figure:
    """One chart's figures: rows of values under named columns; the first `charted` columns are
    drawn, the others only in the table (rates beside their counts)."""

    key: str
    title: str
    chart: str  # "bar", "horizontal" or "line" (as the statistics page's script draws them)
    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float, ...]], ...]
    charted: int = 1

    def as_json(self) -> dict[str, Any]:
        drawn = range(min(self.charted, len(self.columns)))
        return {
            "key": self.key, "title": self.title, "chart": self.chart,
            "columns": [self.columns[i] for i in drawn],
            "labels": [label for label, _ in self.rows],
            "series": [[values[i] for _, values in self.rows] for i in drawn],
        }  # fmt: skip


@dataclass(frozen=True)
class Report:
    since: date
    until: date
    conversations: int
    booked: int  # conversations of the period where a session was booked
    median_to_booking: timedelta | None
    figures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure:
        return next(figure for figure in self.figures if figure.key == key)


def default_period(now: datetime) -> tuple[date, date]:
    """The last `DEFAULT_WEEKS` weeks, today (in Québec) included."""
    today = now.astimezone(TIMEZONE).date()
    return today - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1), today


def day_of(moment: datetime) -> date:
    return moment.astimezone(TIMEZONE).date()


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def duration(delay: timedelta | None) -> str:
    """A delay in French, e.g. « 12 min », « 3 h 05 », « 2 j 4 h »; « — » for none."""
    if delay is None:
        return "—"
    minutes = int(delay.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} j {hours} h"


def _weekly(facts: list[Facts], since: date, until: date) -> Figure:
    weeks: dict[str, list[int]] = {}
    day = since
    while day <= until:  # every week of the period, even without messages
        weeks.setdefault(iso_week(datetime(day.year, day.month, day.day, 12, tzinfo=TIMEZONE)),
                         [0, 0])  # fmt: skip
        day += timedelta(days=1)
    for one in facts:
        for moment, messages, missed in one.per_day:
            if since <= moment <= until:
                week = weeks[iso_week(datetime(moment.year, moment.month, moment.day, 12,
                                               tzinfo=TIMEZONE))]  # fmt: skip
                week[0] += messages
                week[1] += missed
    rows = tuple((week, (percent(missed, sent), sent, missed))
                 for week, (sent, missed) in weeks.items())  # fmt: skip
    return Figure("incompris", "Messages incompris par semaine (% des messages)", "line",
                  "Semaine", ("Incompris (%)", "Messages", "Incompris"), rows)  # fmt: skip


def compute(
    facts: list[Facts],
    now: datetime,
    since: date,
    until: date,
    topics: list[tuple[str, int]],
) -> Report:
    """The report for the conversations whose first message is between `since` and `until`
    (Québec days, included); an open form counts as abandoned once idle (`Facts.abandoned`)."""
    period = [one for one in facts if since <= day_of(one.started_at) <= until]
    stops: Counter[str] = Counter()
    forms = {form: [0, 0, 0] for form in FORM_NAMES}
    delays: list[timedelta] = []
    for one in period:
        left = one.abandoned(now)
        if left is not None:
            stops[left.label] += 1
        for form, counts in forms.items():
            counts[0] += form in one.started_forms
            counts[1] += form in one.completed_forms
            counts[2] += left is not None and left.form == form
        if (delay := one.time_to_booking) is not None:
            delays.append(delay)
    spread = Counter(next(label for bound, label in BOOKING_DELAYS if delay < bound)
                     for delay in delays)  # fmt: skip
    figures = (
        _weekly(facts, since, until),
        Figure("abandons", "Questions où les formulaires sont abandonnés", "horizontal",
               "Question", ("Abandons",),
               tuple((label, (n,)) for label, n in sorted(stops.items(),
                                                          key=lambda s: (-s[1], s[0])))),
        Figure("formulaires", "Formulaires commencés, terminés et abandonnés", "bar",
               "Formulaire", ("Commencés", "Terminés", "Abandonnés", "Terminés (%)"),
               tuple((FORM_NAMES[form], (started, done, left, percent(done, started)))
                     for form, (started, done, left) in forms.items()), charted=3),
        Figure("reservation", "Délai entre le premier message et la réservation", "bar",
               "Délai", ("Rencontres réservées",),
               tuple((label, (spread[label],)) for _, label in BOOKING_DELAYS)),
        Figure("sujets", "Sujets les plus souvent incompris", "horizontal", "Sujet",
               ("Messages",), tuple((label, (n,)) for label, n in topics)),
    )  # fmt: skip
    median = (
        timedelta(seconds=statistics.median(d.total_seconds() for d in delays)) if delays else None
    )
    return Report(since, until, len(period), len(delays), median, figures)
