"""French date and time wishes ("demain matin", "jeudi à 2 h pm", "entre 10 h et midi jeudi",
"dans deux semaines", "pas le lundi").

Duckling (in-process, French) resolves dates and times; this thin layer adds Québec usage:
- a bare weekday is the next one to come ("jeudi" said on a Monday is this Thursday; "lundi"
  or "lundi à 15 h" said on a Monday is next Monday: the confirmation names the date); only
  "jeudi prochain" is ambiguous (this week's or next week's?), and the bot echoes both dates
  for the merchant to choose;
- "2 h pm", "2pm", "9h am"; other times on the 24-hour clock ("9h30" said at 10:00 is
  tomorrow's, not 21:30), except a bare hour from 1 to 6 ("jeudi à 2 h"): the afternoon;
- parts of the day ("jeudi pm", "en matinée", "dans l'avant-midi", "fin de journée") and hour
  ranges ("entre 10 h et midi", "de 9 à 11") kept as the wish's hours;
- windows of several days: "dans deux semaines" or "dans un mois" is that calendar week,
  "d'ici deux semaines" or "d'ici la fin du mois" runs from today;
- excluded weekdays ("pas le lundi"), "n'importe quand", and dates in the past.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any

import duckling

from bot.duckling_runtime import runtime
from bot.scheduling import TIMEZONE
from bot.text import fold

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_DAYS = "|".join(WEEKDAYS)
# Parts of the day, the more specific first ("fin d'après-midi" before "après-midi").
PARTS_OF_DAY = (
    (("fin d apres midi", "fin de journee", "fin de la journee"), (time(15), time(17))),
    (("avant midi", "matin", "matinee", "am"), (time(8), time(12))),
    (("apres midi", "pm", "apm"), (time(12), time(17))),
    (("soir", "soiree"), (time(17), time(21))),
)
ANYTIME = (
    "n importe quand",
    "peu importe",
    "quand vous voulez",
    "nimporte quand",
    "le plus tot possible",
    "le plus tot",
    "au plus vite",
)
AFTERNOON_HOURS = range(1, 7)  # "à 2 h": nobody books a session at 2 a.m.


@dataclass(frozen=True)
class Wish:
    """When the merchant would like the session."""

    start: datetime  # search window, local time
    end: datetime
    exact: datetime | None = None  # a precise time was given
    hours: tuple[time, time] | None = None  # part of the day or range of hours
    excluded_weekdays: frozenset[int] = frozenset()
    alternatives: tuple[datetime, ...] = ()  # two dates fit: ask which
    past: bool = False
    understood: bool = True


@lru_cache(maxsize=1)
def _time() -> list[Any]:
    runtime()  # Duckling started first
    return list(duckling.parse_dimensions(["time"]))


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
    strong = [i for i, w in enumerate(words) if _STRONG_DAY.match(w.group())]
    weak = [i for i, w in enumerate(words) if _NAMES_A_DAY.match(w.group())]
    first = (strong or weak or [0])[0]
    start = max(0, min(first - 1, len(words) - DUCKLING_MAX_WORDS))
    return text[words[start].start() : words[start + DUCKLING_MAX_WORDS - 1].end()]


def _resolve(text: str, now: datetime) -> dict[str, Any] | None:
    zones, locale = runtime()
    reference = duckling.parse_ref_time(zones, "America/Toronto", int(now.timestamp()))
    found = duckling.parse(_bounded(text), duckling.Context(reference, locale), _time(), False)
    return found[0]["value"] if found else None


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(TIMEZONE)


def _day_start(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), time(0), TIMEZONE)


_MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|dec"
_NAMES_A_DAY = re.compile(
    rf"\b({_DAYS}|demain|aujourd|hier|ce|cet|cette|semaines?|mois|prochain|prochaine|dans|"
    rf"{_MONTHS})\b|\d"
)
# Words that name a day for sure (« ce » or « dans » may not: « est-ce que », « dans le fond »).
_STRONG_DAY = re.compile(rf"\b({_DAYS}|demain|aujourd|hier|semaines?|{_MONTHS})\b|\d")
_TYPOS = {  # on folded text: « st » is already « saint »
    "dmain": "demain", "demin": "demain", "auj": "aujourd hui", "ajd": "aujourd hui",
    "a matin": "ce matin", "a soir": "ce soir", "saint aprem": "aujourd hui apres midi",
    "cet aprem": "aujourd hui apres midi", "c t aprem": "aujourd hui apres midi",
    "cet apres midi": "aujourd hui apres midi", "aprem": "apres midi",
    "avant noel": "d ici le 24 decembre", "avant les fetes": "d ici le 24 decembre",
}  # fmt: skip
_REFUSED_PART = (
    (
        re.compile(r"\b(?:pas|rien) (?:le |la |en |l )?(?:matin|matinee|avant midi|am)\b"),
        "apres midi",
    ),
    (re.compile(r"\bpas (?:l |en |dans l )?(?:apres midi|pm)\b"), "matin"),
)
_NAMES_A_TIME = re.compile(r"\d\s*h|\bmidi\b|\bminuit\b|\bheures?\b")
_MORNING = re.compile(r"\b(matin|matinee|avant midi|nuit)\b")
# "2 h pm", "2pm", "2 h 30 pm", "9h am", "2 30 pm" (from "2:30 pm"), "2 p m" (from "2 p.m.")
_AM_PM = re.compile(r"\b(\d{1,2})(?: ?h(?: ?(\d\d))?| heures?| (\d\d))? ?(a ?m|p ?m)\b")
# "entre 10 h et midi", "de 9 à 11", "de 13h30 à 15h", "10h-12h"
_MINUTES = r"(?: ?\d\d(?! ?h))"  # not the next hour: "10h 12h" (from "10h-12h")
_HOUR = rf"(?:\d{{1,2}}(?: ?h{_MINUTES}?| heures?)?|midi)"
_HOUR_H = rf"(?:\d{{1,2}} ?h{_MINUTES}?|midi)"
_RANGE = re.compile(
    rf"\b(?:(?:entre|de) ({_HOUR}) (?:et|a|pis) ({_HOUR})|({_HOUR_H}) (?:a )?({_HOUR_H}))\b"
    rf"(?! (?:{_MONTHS}|jours?|semaines?|mois)\b)"
)
_NUMBER = r"(?:un|une|deux|trois|quatre|cinq|six|quinze|\d+)"
# "dans deux semaines", "dans un mois", "dans quinze jours": around then, that calendar week
_AROUND = re.compile(rf"\bdans {_NUMBER} (?:semaines?|mois)\b|\bdans (?:quinze|15) jours\b")
# "d'ici deux semaines", "d'ici la fin du mois", "jusqu'à vendredi", "dans les deux prochaines
# semaines": from today until then
_UNTIL = re.compile(
    rf"\b(?:d ici|jusqu a|jusqu au)\b|\bles {_NUMBER} prochaine?s (?:jours|semaines)\b"
)
_NEXT_WEEKDAY = re.compile(rf"\b({_DAYS}) prochaine?\b|\bprochaine? ({_DAYS})\b")
_EXPLICIT_WEEK = ("cette semaine", "semaine prochaine", "aujourd", "demain")


_DAY_WORDS = re.compile(
    rf"\b({_DAYS}|demain|aujourd|hier|lendemain|semaines?|mois|{_MONTHS})\b|(?<!h )\b\d{{1,2}}(?:er)?\b(?! ?h)"
)


def names_a_day(text: str) -> bool:
    """Whether `text` names a day or a week, not only a time of day (« 15 h ça serait mieux »
    does not: it is about the day already on the table)."""
    return _DAY_WORDS.search(_normalized(text)) is not None


def _normalized(text: str) -> str:
    """`text` folded, padded with spaces, with typos fixed and 12-hour times in 24 hours."""
    folded = f" {fold(text)} "
    for typo, word in _TYPOS.items():
        folded = folded.replace(f" {typo} ", f" {word} ")
    folded = re.sub(
        r"\bdans (?:l|la) (?=avant midi|apres midi|matinee|soiree|journee)", "en ", folded
    )
    for refused, instead in _REFUSED_PART:  # « pas le matin » is the afternoon
        folded = refused.sub(instead, folded)

    def twenty_four(match: re.Match[str]) -> str:
        hour = int(match.group(1)) % 12 + (12 if match.group(4).startswith("p") else 0)
        minutes = match.group(2) or match.group(3)
        return f"{hour} h {minutes}" if minutes else f"{hour} h"

    return _AM_PM.sub(twenty_four, folded)


def _clock(text: str) -> time | None:
    """ "10 h" → 10:00, "13h30" → 13:30, "midi" → 12:00 (hour as written), or None."""
    if text == "midi":
        return time(12)
    hour, _, minutes = re.sub(r"\s|heures?", "", text).partition("h")
    if int(hour) > 23 or (minutes and int(minutes) > 59):
        return None
    return time(int(hour), int(minutes or 0))


def _hour_range(folded: str) -> tuple[tuple[time, time] | None, str]:
    """The range of hours in `folded` ("entre 10 h et midi" → 10:00-12:00) and the text
    without it; afternoon unless said otherwise ("de 1 à 3" → 13:00-15:00, "de 10 à 2" →
    10:00-14:00)."""
    match = _RANGE.search(folded)
    if match is None:
        return None, folded
    start, end = (_clock(match.group(i) or match.group(i + 2)) for i in (1, 2))
    if start is None or end is None:
        return None, folded
    morning = _MORNING.search(folded) is not None
    if start.hour in AFTERNOON_HOURS and not morning:
        start = start.replace(hour=start.hour + 12)
    if end <= start and end.hour < 12:
        end = end.replace(hour=end.hour + 12)
    if end <= start:
        return None, folded
    return (start, end), f"{folded[: match.start()]} {folded[match.end() :]}"


def _as_written(moment: datetime, value: dict[str, Any], text: str) -> datetime:
    """Duckling reads « 9h30 » said at 10:00 as 21:30, the next 9:30 on a 12-hour clock; Québec
    writes 24-hour times: the first of its readings at the hour as written instead."""
    written = {int(hour) for hour in re.findall(r"\b(\d{1,2}) ?h", text)}
    morning = moment.hour - 12
    if moment.hour in written or morning not in written or morning in AFTERNOON_HOURS:
        return moment
    readings = (_at(v["value"]) for v in value.get("values", []) if "value" in v)
    return next((r for r in readings if r.hour == morning), moment)


def _part_of_day(folded: str) -> tuple[time, time] | None:
    return next(
        (window for words, window in PARTS_OF_DAY if any(f" {w} " in folded for w in words)), None
    )


# « pas le 30 », « rien cette semaine », « pas demain »: days refused, left out of the reading.
_REFUSED_DAY = re.compile(
    rf"\b(?:pas|rien)(?: le| la| cette| ce)? (?:\d{{1,2}}(?:er)?(?: (?:{_MONTHS}))?|semaine|"
    r"aujourd hui|demain)\b(?! prochaine?| d apres)"
)
# « rien avant la semaine prochaine », « pas avant le 3 », « à partir du 7 décembre »
_FROM = re.compile(r"\b(?:rien|pas) avant\b|\ba partir (?:d |du |de )(?!\d{1,2} ?h)")
_WEEK_OF = re.compile(rf"\bsemaine du (\d{{1,2}})(?:er)?(?: ({_MONTHS}))?\b")
_TWO_DAYS = re.compile(rf"\b({_DAYS}) (?:ou|et) ({_DAYS})\b")
# « après 3 h » (until the end of the day), « avant 11 h » (from the morning)
_AFTER = re.compile(r"\b(?:apres|passe) (\d{1,2}) ?h(?: ?(\d\d))?\b")
_BEFORE = re.compile(r"\bavant (\d{1,2}) ?h(?: ?(\d\d))?\b")
_NOT_BEFORE = re.compile(r"\b(?:pas|rien) avant (\d{1,2}) ?h(?: ?(\d\d))?\b")  # after
_WEEKEND = re.compile(r"\bfin de semaine\b")
_MONTH_NUMBERS = {name: i + 1 for i, name in enumerate(_MONTHS.split("|")[:12])} | {"dec": 12}


def understand(text: str, now: datetime, horizon_days: int = 21) -> Wish:
    """The wish expressed in `text`, relative to `now` (aware): one day or moment, or the
    forms Duckling does not read whole (days refused, « rien avant … », « la semaine du 7 »,
    « mercredi ou jeudi », « après 3 h », « la fin de semaine »)."""
    now = now.astimezone(TIMEZONE)
    folded = _with_month(_REFUSED_DAY.sub(" ", _normalized(text)), now)
    today = _day_start(now)
    end = today + timedelta(days=horizon_days)
    bound, folded = _bounds(folded)
    found = _FROM.search(folded)
    if found:
        after = _understand(folded[found.end() :], now, horizon_days)
        if after.understood:
            return replace(after, end=max(end, after.end), exact=None, alternatives=(),
                           hours=bound or after.hours)  # fmt: skip
    week = _WEEK_OF.search(folded)
    if week:
        day = _day_number(int(week.group(1)), week.group(2), now)
        if day is not None:
            start = day - timedelta(days=day.weekday())
            rest = _understand(folded.replace(week.group(0), " "), now, horizon_days)
            hours = bound or (rest.hours if rest.understood else None) or _part_of_day(folded)
            excluded = rest.excluded_weekdays if rest.understood else frozenset()
            return Wish(max(start, today), start + timedelta(weeks=1), hours=hours,
                        excluded_weekdays=excluded, past=start + timedelta(weeks=1) <= now)  # fmt: skip
    two = _TWO_DAYS.search(folded)
    if two:
        first, second = (
            _understand(folded.replace(two.group(0), f" {day} "), now, horizon_days)
            for day in two.groups()
        )
        if first.understood and second.understood:
            start, stop = min(first.start, second.start), max(first.end, second.end)
            between = frozenset(range(7)) - {WEEKDAYS.index(day) for day in two.groups()}
            excluded = between if stop - start <= timedelta(weeks=1) else frozenset()
            return Wish(start, stop, hours=bound or first.hours or second.hours,
                        excluded_weekdays=excluded, past=stop <= now)  # fmt: skip
    if _WEEKEND.search(folded):
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if " prochaine " in folded and saturday - today < timedelta(days=5):
            saturday += timedelta(weeks=1)
        return Wish(saturday, saturday + timedelta(days=2), hours=bound)
    wish = _understand(folded, now, horizon_days)
    return replace(wish, hours=bound) if bound and wish.understood and not wish.exact else wish


_WEEKDAY_NUMBER = re.compile(
    rf"\b({_DAYS}) (?:le )?(\d{{1,2}})(?:er)?\b(?! ?h)(?! (?:{_MONTHS})\b)"
)


def _with_month(folded: str, now: datetime) -> str:
    """« mercredi 18 » with its month: the nearest month, past or to come, where the 18th is a
    Wednesday (Duckling would take the next one, in August)."""

    def dated(found: re.Match[str]) -> str:
        weekday, number = WEEKDAYS.index(found.group(1)), int(found.group(2))
        fits = []
        for ahead in range(-1, 3):
            year, month = divmod(now.month - 1 + ahead, 12)
            try:
                day = datetime(now.year + year, month + 1, number, tzinfo=TIMEZONE)
            except ValueError:
                continue
            if day.weekday() == weekday:
                fits.append(day)
        if not fits:
            return found.group(0)
        day = min(fits, key=lambda d: abs(d - _day_start(now)))
        return f"{found.group(1)} {number} {_MONTHS.split('|')[day.month - 1]} "

    return _WEEKDAY_NUMBER.sub(dated, folded)


def _day_number(number: int, month: str | None, now: datetime) -> datetime | None:
    """« le 7 » (this month's if still to come, else next month's), « le 7 décembre »."""
    year, which = now.year, _MONTH_NUMBERS[month] if month else now.month
    if month is None and number < now.day:
        which += 1
    if which > 12:
        year, which = year + 1, which - 12
    try:
        return datetime(year, which, number, tzinfo=TIMEZONE)
    except ValueError:
        return None


def _bounds(folded: str) -> tuple[tuple[time, time] | None, str]:
    """« après 3 h » → 15:00-17:00, « avant 11 h » → 8:00-11:00, and the text without it."""
    for pattern, after in ((_NOT_BEFORE, True), (_AFTER, True), (_BEFORE, False)):
        found = pattern.search(folded)
        if found:
            hour, minutes = int(found.group(1)), int(found.group(2) or 0)
            if hour in AFTERNOON_HOURS and not _MORNING.search(folded):
                hour += 12
            if hour > 23 or minutes > 59:
                return None, folded
            moment = time(hour, minutes)
            bound = (moment, time(17)) if after else (time(8), moment)
            if bound[0] < bound[1]:
                return bound, folded.replace(found.group(0), " ")
    return None, folded


_REFUSED_WEEKDAYS = re.compile(
    rf"\b(?:pas|sauf|excepte|ferme)(?: les?)? ({_DAYS})s?((?:(?: ?,| et| pis| ni| ou)(?: les?)? (?:{_DAYS})s?)*)\b"
)
_ONLY_WEEKDAYS = re.compile(
    rf"\b(?:juste|seulement|que|uniquement)(?: les?)? ({_DAYS})s((?:(?: ?,| et| pis| ou)(?: les?)? (?:{_DAYS})s?)*)\b"
)


def _weekdays_refused(folded: str) -> tuple[frozenset[int], str]:
    """The weekdays refused (« pas le lundi », « sauf les lundis pis vendredis ») or left out by
    « juste les mercredis », and the text without them."""
    refused: set[int] = set()
    for pattern, only in ((_REFUSED_WEEKDAYS, False), (_ONLY_WEEKDAYS, True)):
        for found in pattern.finditer(folded):
            named = {WEEKDAYS.index(d) for d in re.findall(_DAYS, found.group(0))}
            refused |= set(range(7)) - named if only else named
        folded = pattern.sub(" ", folded)
    return frozenset(refused), folded


def _understand(folded: str, now: datetime, horizon_days: int) -> Wish:
    """`understand` for one day, moment or window, on normalized text."""
    excluded, cleaned = _weekdays_refused(folded)
    hours, cleaned = _hour_range(cleaned)
    if hours is None and (hours := _part_of_day(cleaned)):  # ours, not Duckling's « après »
        cleaned = re.sub(r"\bapres midi\b", " ", cleaned)
    for abbreviation in ("pm", "am", "apm"):  # Duckling does not read these
        cleaned = cleaned.replace(f" {abbreviation} ", " ")
    until = _UNTIL.search(cleaned) is not None
    cleaned = re.sub(rf"\bd ici (?={_NUMBER} (?:jours?|semaines?|mois)\b)", "dans ", cleaned)
    today = _day_start(now)
    anytime = Wish(
        now, today + timedelta(days=horizon_days), hours=hours, excluded_weekdays=excluded
    )
    said_anytime = any(f" {w} " in folded for w in ANYTIME)
    if not _NAMES_A_DAY.search(cleaned):  # "n'importe quand", "en après-midi", "pas le lundi"
        return anytime if hours or excluded or said_anytime else Wish(now, now, understood=False)
    value = _resolve(cleaned.strip(), now)
    if value is None:
        return anytime if said_anytime else Wish(now, now, understood=False)

    def window(start: datetime, end: datetime) -> Wish:
        if until:
            start = today
        return Wish(
            max(start, today), end, hours=hours, excluded_weekdays=excluded, past=end <= now
        )

    if value.get("type") == "interval":
        start = _at(value["from"]["value"]) if value.get("from") else now
        end = _at(value["to"]["value"]) if value.get("to") else start + timedelta(days=1)
        if " semaine " in cleaned and not until:
            week = _day_start(start) - timedelta(days=start.weekday())
            start, end = week, week + timedelta(weeks=1)
        if end - start > timedelta(days=1):
            return window(start, end)
        moment, grain = start, "day"
    else:
        moment = _as_written(_at(value["value"]), value, cleaned)
        grain = str(value.get("grain") or "day")
    if _AROUND.search(cleaned):
        if until:
            return window(today, _day_start(moment) + timedelta(days=1))
        week = _day_start(moment) - timedelta(days=moment.weekday())
        return window(week, week + timedelta(weeks=1))
    weekday = re.search(rf"\b({_DAYS})\b", cleaned) is not None and not re.search(
        r"\b\d{1,2}\b(?! ?h)", cleaned
    )
    explicit = any(w in cleaned for w in _EXPLICIT_WEEK)
    if weekday and not explicit and moment.date() == now.date():
        moment += timedelta(weeks=1)  # "lundi", "lundi à 15 h" said on a Monday: next Monday
    next_week = today + timedelta(days=7 - now.weekday())
    ambiguous = bool(weekday and not explicit and _NEXT_WEEKDAY.search(cleaned)) and (
        moment < next_week
    )
    if grain in {"hour", "minute", "second"} and _NAMES_A_TIME.search(cleaned):
        if moment.hour in AFTERNOON_HOURS and not _MORNING.search(cleaned):
            moment += timedelta(hours=12)  # "jeudi à 2 h"
        return Wish(
            _day_start(moment), _day_start(moment) + timedelta(days=1), exact=moment,
            excluded_weekdays=excluded, past=moment <= now,
            alternatives=(moment, moment + timedelta(weeks=1)) if ambiguous else (),
        )  # fmt: skip
    start = _day_start(moment)
    if grain == "week":
        end = start + timedelta(weeks=1)
    elif grain == "month":
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        end = start + timedelta(days=1)
    if until:
        return window(today, end)
    return Wish(
        max(start, today), end, hours=hours, excluded_weekdays=excluded,
        alternatives=(start, start + timedelta(weeks=1)) if ambiguous else (), past=end <= now,
    )  # fmt: skip


_NEXT_DAY = re.compile(r"\blendemain\b|\bjour d apres\b|\bjournee d apres\b")
_SAME_DAY = re.compile(r"\bmeme (?:jour|journee|date)\b")
_SAME_TIME = re.compile(r"\bmeme heure\b")
_OTHER_DAYS = re.compile(
    rf"\b(demain|aujourd|hier|semaines?|{_MONTHS})\b|\b\d{{1,2}}(?:er)?\b(?! ?h)"
)
_WEEK_AFTER = re.compile(r"\bsemaine (?:d apres|suivante)\b")
# « plus tôt dans la journée », « plus tard dans l'aprem »: the day proposed, before or after it
SHIFT_IN_DAY = re.compile(
    r"\bplus (tot|tard) (?:dans |en |le |la |l )*(?:journee|apres midi|matinee|matin|avant midi|"
    r"aprem|apm|meme jour)\b"
)
# « une heure plus tard », « 30 minutes plus tôt »
_OFFSET = re.compile(
    r"\b(une|1|deux|2|une demi|30|quinze|15) ?(heures?|h|minutes?|min)(?: et demie?)? plus (tard|tot)\b"
)
_OFFSET_NUMBERS = {
    "une": 1,
    "1": 1,
    "deux": 2,
    "2": 2,
    "une demi": 0.5,
    "30": 30,
    "quinze": 15,
    "15": 15,
}
# « lundi c'est plate, plutôt le vendredi 4 », « mais le mardi 1er à la même heure »: a date
# named after the last « plutôt » or « mais » is the wish
_INSTEAD = re.compile(r"\b(?:plutot|mais)\b")
_DAY_NUMBER = re.compile(r"\b\d{1,2}(?:er)?\b(?! ?h)")
_CLOCKS = re.compile(r"\b(\d{1,2}) ?h(?: ?(\d\d))?\b")
_FOLLOWING = re.compile(rf"\b({_DAYS}) (?:d apres|suivant)\b|\b({_DAYS})\b")


def understand_near(text: str, proposed: datetime, now: datetime, horizon_days: int = 21) -> Wish:
    """A counter-proposal read against the time `proposed` (« le lendemain à la même heure »,
    « même journée mais le matin », « plutôt le mardi »: the Tuesday after it); other wishes as
    `understand` reads them."""
    proposed = proposed.astimezone(TIMEZONE)
    folded = _normalized(text)
    plain = understand(text, now, horizon_days)
    if plain.excluded_weekdays:  # « pas lundi, je suis fermé le lundi »
        return plain
    instead = list(_INSTEAD.finditer(folded))
    if instead:
        after = folded[instead[-1].end() :]
        if _DAY_NUMBER.search(after) and understand(after, now, horizon_days).understood:
            return understand_near(after, proposed, now, horizon_days)
    offset = _OFFSET.search(folded)
    if offset:
        amount = _OFFSET_NUMBERS[offset.group(1)]
        step = (
            timedelta(hours=amount)
            if offset.group(2).startswith("h")
            else timedelta(minutes=amount)
        )
        moment = proposed + (step if offset.group(3) == "tard" else -step)
        start = _day_start(moment)
        return Wish(start, start + timedelta(days=1), exact=moment, past=moment <= now)
    shift = SHIFT_IN_DAY.search(folded)
    if shift and not names_a_day(text):
        return _shifted(proposed, shift.group(1) == "tot", _part_of_day(folded))
    clocks = [c for c in _clocks(folded) if c != proposed.time().replace(tzinfo=None)]
    day = None
    if not names_a_day(text) and plain.exact is not None:  # « 15 h ça serait mieux »
        day = proposed.date()
        if clocks:  # « 1h c'est serré, 3h30 correct? »: the other time
            plain = replace(plain, exact=datetime.combine(day, clocks[-1], TIMEZONE))
    elif _WEEK_AFTER.search(folded):  # « la semaine d'après à la même heure »
        day = proposed.date() + timedelta(weeks=1)
    elif _NEXT_DAY.search(folded):
        day = proposed.date() + timedelta(days=1)
    elif (
        _SAME_TIME.search(folded)
        and _DAY_NUMBER.search(folded)
        and plain.understood
        and plain.end - plain.start == timedelta(days=1)
    ):
        day = plain.start.date()  # « même heure le 18 déc? »
    elif _SAME_DAY.search(folded) or (_SAME_TIME.search(folded) and not _FOLLOWING.search(folded)):
        day = proposed.date()
    elif (
        (named := _FOLLOWING.search(folded))
        and not _OTHER_DAYS.search(folded)
        and not (_NEXT_WEEKDAY.search(folded))
    ):
        weekday = WEEKDAYS.index(named.group(1) or named.group(2))
        ahead = (weekday - proposed.weekday()) % 7  # « à lundi! »: the Monday proposed
        day = proposed.date() + timedelta(days=ahead or (7 if named.group(1) else 0))
    if day is None:
        return plain
    start = datetime.combine(day, time(0), TIMEZONE)
    said = understand(_WEEK_AFTER.sub(" ", _FOLLOWING.sub(" ", folded)), now, horizon_days)
    clock = proposed.timetz() if _SAME_TIME.search(folded) else None
    if clock is None and plain.exact is not None and plain.exact.date() == day:
        clock = plain.exact.timetz()
    if clock is None and said.understood and said.exact is not None:
        clock = said.exact.timetz()
    hours = said.hours if said.understood else _part_of_day(folded)
    exact = datetime.combine(day, clock) if clock is not None else None
    return Wish(start, start + timedelta(days=1), exact=exact, hours=None if exact else hours,
                past=(exact or start + timedelta(days=1)) <= now)  # fmt: skip


def _clocks(folded: str) -> list[time]:
    """The times of day written in `folded`, in order (« 1h » is 13:00 unless in the morning)."""
    found = []
    for match in _CLOCKS.finditer(folded):
        hour, minutes = int(match.group(1)), int(match.group(2) or 0)
        if hour in AFTERNOON_HOURS and not _MORNING.search(folded):
            hour += 12
        if hour < 24 and minutes < 60:
            found.append(time(hour, minutes))
    return found


def _shifted(proposed: datetime, earlier: bool, part: tuple[time, time] | None) -> Wish:
    """The day `proposed`, before it (`earlier`) or from the hour after it, within `part`."""
    start = datetime.combine(proposed.date(), time(0), TIMEZONE)
    if earlier:
        hours = (part[0] if part else time(8), proposed.time().replace(tzinfo=None))
    else:
        after = (proposed + timedelta(hours=1)).time().replace(tzinfo=None)
        hours = (max(after, part[0]) if part else after, part[1] if part else time(17))
    return Wish(start, start + timedelta(days=1), hours=hours)
