"""A merchant's wish said back in French, so every proposal or refusal names what the bot
understood: « le jeudi 26 novembre en après-midi », « la semaine du 30 novembre, sauf le
lundi », « le lundi 30 novembre à 13 h »."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.scheduling import TIMEZONE
from bot.scheduling.dates import WEEKDAYS, Wish
from bot.scheduling.invitation import french_date, french_datetime

_PARTS = {
    (time(8), time(12)): "en matinée",
    (time(9), time(12)): "en matinée",
    (time(12), time(17)): "en après-midi",
    (time(13), time(17)): "en après-midi",
    (time(17), time(21)): "en soirée",
}


def _hours(hours: tuple[time, time] | None) -> str:
    if hours is None:
        return ""
    if hours in _PARTS:
        return f" {_PARTS[hours]}"
    return f" entre {_clock(hours[0])} et {_clock(hours[1])}"


def _clock(moment: time) -> str:
    """ "15 h", "10 h 30", "midi"."""
    if moment == time(12):
        return "midi"
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


def _except(weekdays: frozenset[int]) -> str:
    if not weekdays:
        return ""
    names = [f"le {WEEKDAYS[d]}" for d in sorted(weekdays)]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} et {names[-1]}"
    return f", sauf {listed}"


def _days(start: datetime, end: datetime, now: datetime) -> str:
    last = (end - timedelta(microseconds=1)).date()
    first = min(start.date(), last)  # a past wish's window starts today: « hier »
    if first == last:
        return french_date(first)
    if first.weekday() == 0 and (last - first).days in (4, 6):
        return f"la semaine du {french_date(first).removeprefix('le ').split(' ', 1)[1]}"
    if start <= now < end:
        return f"d'ici {french_date(last)}"
    first_words = french_date(first).removeprefix("le ").split(" ", 1)[1]
    last_words = french_date(last).removeprefix("le ").split(" ", 1)[1]
    if first.month == last.month:
        first_words = first_words.split(" ")[0]
    return f"du {first_words} au {last_words}"


def wish_words(wish: Wish, now: datetime) -> str:
    """The wish as a French phrase that fits after « Voici les moments libres » or « Rien n'est
    libre »: « le jeudi 26 novembre en après-midi », « la semaine du 30 novembre »,
    « d'ici le vendredi 11 décembre, sauf le lundi », « le lundi 30 novembre à 13 h »."""
    if wish.exact is not None:
        return french_datetime(wish.exact)
    start, end = wish.start.astimezone(TIMEZONE), wish.end.astimezone(TIMEZONE)
    kept_days = set(range(7)) - wish.excluded_weekdays
    if len(kept_days) == 1 and end - start > timedelta(weeks=1):  # « juste les mercredis »
        only = WEEKDAYS[kept_days.pop()]
        return f"les {only}s {_days(start, end, now.astimezone(TIMEZONE))}{_hours(wish.hours)}"
    if len(wish.excluded_weekdays) >= 3:  # « mardi ou jeudi »: the days themselves
        days = [start.date() + timedelta(days=i) for i in range((end - start).days + 1)]
        kept = [d for d in days if d.weekday() not in wish.excluded_weekdays and d < end.date()]
        if 1 < len(kept) <= 3:
            return f"{' ou '.join(french_date(d) for d in kept)}{_hours(wish.hours)}"
    return f"{_days(start, end, now.astimezone(TIMEZONE))}{_hours(wish.hours)}{_except(wish.excluded_weekdays)}"
