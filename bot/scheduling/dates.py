"""French date and time wishes ("demain matin", "mardi prochain vers 14 h", "pas le lundi").

Duckling (in-process, French) resolves dates and times; this thin layer adds what it leaves
out: parts of the day ("jeudi pm"), excluded weekdays ("pas le lundi"), "n'importe quand",
past dates, and the Québec ambiguity of a bare weekday or "mardi prochain" (this week's or next
week's?), which the bot echoes back for the merchant to confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any

import duckling

from bot.scheduling import TIMEZONE
from bot.text import fold

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
PARTS_OF_DAY = (
    (("avant midi", "matin", "am"), (time(8), time(12))),
    (("apres midi", "pm", "apm"), (time(12), time(17))),
    (("soir", "soiree"), (time(17), time(21))),
)
ANYTIME = (
    "n importe quand",
    "peu importe",
    "quand vous voulez",
    "nimporte quand",
    "le plus tot possible",
    "au plus vite",
)


@dataclass(frozen=True)
class Wish:
    """When the merchant would like the session."""

    start: datetime  # search window, local time
    end: datetime
    exact: datetime | None = None  # a precise time was given
    hours: tuple[time, time] | None = None  # part of the day
    excluded_weekdays: frozenset[int] = frozenset()
    alternatives: tuple[datetime, ...] = ()  # two dates fit: ask which
    past: bool = False
    understood: bool = True
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _duckling() -> tuple[Any, Any, Any]:
    duckling.init()
    zones = duckling.load_time_zones("/usr/share/zoneinfo")
    locale = duckling.parse_locale("FR_CA", duckling.default_locale_lang(duckling.parse_lang("FR")))
    return zones, locale, duckling.parse_dimensions(["time"])


# Duckling's time grows exponentially with the date words it can combine: 9 of them can take
# seconds, a dozen minutes (with the action server stalled). A longer message is read from the
# word before the first one that names a day, at most this many words (the corpus needs 8).
DUCKLING_MAX_WORDS = 8
_WORD = re.compile(r"\d+|[^\W\d]+")


def _bounded(text: str) -> str:
    """`text`, or its part Duckling can read in milliseconds (see DUCKLING_MAX_WORDS)."""
    words = list(_WORD.finditer(text))
    if len(words) <= DUCKLING_MAX_WORDS:
        return text
    first = next((i for i, w in enumerate(words) if _NAMES_A_DAY.match(w.group())), 0)
    start = max(0, min(first - 1, len(words) - DUCKLING_MAX_WORDS))
    return text[words[start].start() : words[start + DUCKLING_MAX_WORDS - 1].end()]


def _resolve(text: str, now: datetime) -> dict[str, Any] | None:
    zones, locale, dimensions = _duckling()
    reference = duckling.parse_ref_time(zones, "America/Toronto", int(now.timestamp()))
    found = duckling.parse(_bounded(text), duckling.Context(reference, locale), dimensions, False)
    return found[0]["value"] if found else None


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(TIMEZONE)


def _day_start(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), time(0), TIMEZONE)


_MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|dec"
_NAMES_A_DAY = re.compile(
    rf"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|aujourd|hier|ce|cet|cette|"
    rf"semaine|mois|prochain|prochaine|dans|{_MONTHS})\b|\d"
)
_TYPOS = {
    "dmain": "demain",
    "demin": "demain",
    "auj": "aujourd hui",
    "ajd": "aujourd hui",
    "apres demain": "apres demain",
}
_NAMES_A_TIME = re.compile(r"\d\s*h|\d:\d|\bmidi\b|\bminuit\b|\bheures?\b")


def understand(text: str, now: datetime, horizon_days: int = 21) -> Wish:
    """The wish expressed in `text`, relative to `now` (aware)."""
    now = now.astimezone(TIMEZONE)
    folded = f" {fold(text)} "
    for typo, word in _TYPOS.items():
        folded = folded.replace(f" {typo} ", f" {word} ")
    folded = re.sub(r"\b(\d{1,2}) ?pm\b", lambda m: f"{int(m.group(1)) % 12 + 12} h", folded)
    folded = re.sub(r"\b(\d{1,2}) ?am\b", lambda m: f"{int(m.group(1))} h", folded)
    excluded = frozenset(
        i
        for i, day in enumerate(WEEKDAYS)
        if re.search(rf"\b(pas|sauf|excepte)( le)? {day}s?\b", folded)
    )
    cleaned = re.sub(rf"\b(pas|sauf|excepte)( le)? ({'|'.join(WEEKDAYS)})s?\b", " ", folded)
    hours = next(
        (window for words, window in PARTS_OF_DAY if any(f" {w} " in cleaned for w in words)), None
    )
    for abbreviation in ("pm", "am", "apm"):  # Duckling does not read these
        cleaned = cleaned.replace(f" {abbreviation} ", " ")
    horizon_end = _day_start(now) + timedelta(days=horizon_days)
    anytime = Wish(now, horizon_end, hours=hours, excluded_weekdays=excluded)
    if not _NAMES_A_DAY.search(cleaned):  # "n'importe quand", "en après-midi", "pas le lundi"
        if hours or excluded or any(f" {w} " in folded for w in ANYTIME):
            return anytime
        return Wish(now, now, understood=False)
    value = _resolve(cleaned.strip(), now)
    if value is None:
        return (
            anytime
            if any(f" {w} " in folded for w in ANYTIME)
            else Wish(now, now, understood=False)
        )
    if value.get("type") == "interval":
        start = _at(value["from"]["value"]) if value.get("from") else now
        end = _at(value["to"]["value"]) if value.get("to") else start + timedelta(days=1)
        if " semaine " in cleaned:
            week = _day_start(start) - timedelta(days=start.weekday())
            start, end = week, week + timedelta(weeks=1)
        if end - start > timedelta(days=1):
            return Wish(
                max(start, _day_start(now)),
                end,
                hours=hours,
                excluded_weekdays=excluded,
                past=end <= now,
            )
        moment, grain = start, "day"
    else:
        moment, grain = _at(value["value"]), str(value.get("grain") or "day")
    names_weekday = any(f" {d} " in folded for d in WEEKDAYS) and not re.search(
        r"\b\d{1,2}\b(?! ?h)", cleaned
    )
    explicit = any(w in folded for w in ("cette semaine", "semaine prochaine", "aujourd", "demain"))
    next_week = _day_start(now) + timedelta(days=7 - now.weekday())
    if grain in {"hour", "minute", "second"} and _NAMES_A_TIME.search(folded):
        if names_weekday and not explicit and moment <= now:
            moment += timedelta(weeks=1)  # "lundi vers 9 h" said on a Monday afternoon
        ambiguous = names_weekday and not explicit and moment < next_week
        return Wish(
            _day_start(moment), _day_start(moment) + timedelta(days=1), exact=moment,
            excluded_weekdays=excluded, past=moment <= now,
            alternatives=(moment, moment + timedelta(weeks=1)) if ambiguous else (),
        )  # fmt: skip
    if grain in {"hour", "minute", "second"}:
        grain = "day"
    length = {"week": timedelta(weeks=1), "month": timedelta(days=31)}.get(
        grain or "", timedelta(days=1)
    )
    start = _day_start(moment)
    if grain == "month":
        length = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - start
    next_week = _day_start(now) + timedelta(days=7 - now.weekday())
    names_weekday = any(f" {d} " in folded for d in WEEKDAYS) and not re.search(
        r"\b\d{1,2}\b", cleaned
    )
    explicit = any(w in folded for w in ("cette semaine", "semaine prochaine", "aujourd", "demain"))
    alternatives: tuple[datetime, ...] = ()
    if grain == "day" and names_weekday and not explicit and start < next_week:
        alternatives = (start, start + timedelta(weeks=1))
    return Wish(
        max(start, _day_start(now)), start + length, hours=hours, excluded_weekdays=excluded,
        alternatives=alternatives, past=start + length <= now,
    )  # fmt: skip
