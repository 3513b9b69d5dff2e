"""Quantities in merchants' free-text answers: head counts, hours per week, amounts of money.

Duckling (in-process, French, FR_CA; dimensions number and duration) turns number words and
durations into figures ("vingt-cinq", "quatre-vingt-quinze", "une demi-heure", "2 000", "2k");
this thin layer reads what it leaves out in Québec answers: "moi pis ma blonde", "une couple
d'heures", "une quinzaine", "500 piasses", "1h30", "une heure et demie", ranges and bounds
("entre 1000 et 3000", "pas plus de 5000", "3 heures et plus"); it ignores years, phone numbers
and postal codes.

Duckling's amount-of-money dimension is not used: it reads "deux cents dollars" as 2 cents, a
phone number as an interval, "quatre-vingt" as 4 to 20 and misses "500 piasses" and
"1 000 $ à 5 000 $"; the number dimension and the rules below read them right.

Where a range is given: a head count is its upper bound, hours their mean, and a budget label is
the label of the range's midpoint. Every reader returns None when it reads nothing and never
raises, whatever the input (only its first MAX_CHARS characters are read).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

import duckling

from bot.duckling_runtime import runtime
from bot.text import fold

MAX_CHARS = 300  # a longer answer is read from its beginning (Duckling stays under ~10 ms)

BUDGET_LABELS = LOW, MIDDLE, HIGH = ("moins de 1 000 $", "1 000 $ à 5 000 $", "plus de 5 000 $")

Amount = tuple[float | None, float | None]  # (at least, at most) in dollars; None: open

_NUM = r"\d+(?:\.\d+)?"
_HOUR = r"(?:h|hr|hrs|hre|hres|heures?)\b"
_MIN = r"(?:mn|mins?|minutes?)\b"
_APPROXIMATE = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100,
}  # fmt: skip
_CLEANING: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"<[^<>]*>"), " "),  # HTML tags
    (re.compile(r"(?<!\d)(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}(?!\d)"), " "),  # phone
    (re.compile(r"\b[a-z]\d[a-z] ?-?\d[a-z]\d\b"), " "),  # postal code
    (re.compile(r"\b(?:piastres?|piasses?|piaces?|dollars?|bucks)\b"), "$"),
    (re.compile(r"\bcents\b"), "cent"),  # "cinq cents": hundreds, never cents, in a budget
    (re.compile(r"\bmilles\b"), "mille"),
    (  # « une quinzaine de mille »
        re.compile(r"\b(?:une )?(dizaine|quinzaine|vingtaine) de mille\b"),
        lambda m: {"dizaine": "10000", "quinzaine": "15000", "vingtaine": "20000"}[m[1]],
    ),
    (re.compile(r"\bmoe\b"), "moi"),
    (re.compile(r"\bmoin\b"), "moins"),  # a frequent typo
    (re.compile(r"(?<=[a-z])-(?=[a-z])"), " "),  # "vingt-cinq", "demi-heure", "peut-être"
    (re.compile(r"(?<=[a-z0-9$]) ?- ?(?=\d)"), " a "),  # "5-10", "2h-3h", "1000$-3000$"
    (re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))"), ""),  # thousands: "1.500", "1,500"
    (re.compile(r"(?<=\d),(?=\d)"), "."),  # decimal comma
    (re.compile(r"\b(\d{1,3}) a (\d{1,3}) ?k\b"), r"\1k a \2k"),  # "3-8k": thousands both
    (re.compile(r"(?<![\w.])(\d+(?:\.\d+)?) ?k\b"), lambda m: _digits(float(m[1]) * 1000)),
    (
        re.compile(r"(?<=\d) (?:et )?([13])/([24])\b"),
        lambda m: f".{int(m[1]) * 100 // int(m[2])}".rstrip("0"),
    ),
    (re.compile(r"\b(?:une? )?(?:petite |bonne )?couple\b(?: de\b| d\b)?"), "2"),  # Québec: a few
    (re.compile(r"(?<=\d) d (?=heures?\b)"), " "),  # "3/4 d'heure"
    (re.compile(r"\btrois quarts d heure\b"), "45 min"),  # Duckling needs the apostrophe
    (re.compile(r"\b(?:un )?quart d heure\b"), "15 min"),
    (
        re.compile(rf"\b(?:une? )?(?:petite |bonne )?({'|'.join(_APPROXIMATE)})s?\b"),
        lambda m: str(_APPROXIMATE[m.group(1)]),
    ),
    (re.compile(r"\+"), " plus "),
    (re.compile(r"\$"), " $ "),
    (re.compile(r"(?<!\d),|,(?!\d)"), " , "),
)


def _clean(text: str) -> str:
    """Lower case, no accents, no HTML, no phone or postal code, Québec words made standard."""
    decomposed = unicodedata.normalize("NFKD", text[: MAX_CHARS * 4].casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("\u2044", "/").replace("'", " ").replace("’", " ")  # "½" is 1⁄2
    plain = re.sub(r"[^a-z0-9$,.+/\- ]+", " ", plain)
    for pattern, replacement in _CLEANING:
        plain = pattern.sub(replacement, plain)
    return " ".join(plain.split())[:MAX_CHARS]


@lru_cache(maxsize=1)
def _reader() -> tuple[Any, Any]:
    zones, locale = runtime()  # one Duckling for the process, shared with the dates
    context = duckling.Context(duckling.parse_ref_time(zones, "America/Toronto", 0), locale)
    return context, duckling.parse_dimensions(["number", "duration"])


def _digits(value: float) -> str:
    return f"{abs(value):f}".rstrip("0").rstrip(".")


def _written(entity: dict[str, Any]) -> str:
    """A Duckling number in digits, a duration as "N h" or "N min" ("" for days and longer)."""
    value = entity["value"]
    if entity["dim"] == "number":  # "moins 1000" is not -1000 here but a bound
        figure = float(value["value"])
        return f"moins {_digits(figure)}" if figure < 0 else _digits(figure)
    if value.get("unit") not in {"hour", "minute", "second"}:
        return ""
    seconds = float(value["normalized"]["value"])
    return f"{_digits(seconds / 3600)} h" if seconds % 3600 == 0 else f"{_digits(seconds / 60)} min"


_DECIMAL_END = re.compile(r"\d\.$")
_DECIMAL_START = re.compile(r"\.\d")


def _figures(text: str) -> str:
    """`text` cleaned, with the numbers and durations Duckling finds written in figures."""
    cleaned = _clean(text)
    try:
        context, dimensions = _reader()
        found = duckling.parse(cleaned, context, dimensions, False)
        parts, end = [], len(cleaned)
        for entity in sorted(found, key=lambda e: (e["start"], e["end"]), reverse=True):
            start, stop = entity["start"], entity["end"]
            if stop <= end and not (  # not overlapping another reading nor a decimal figure
                _DECIMAL_END.search(cleaned, 0, start) or _DECIMAL_START.match(cleaned, stop)
            ):
                parts += [cleaned[stop:end], f" {_written(entity)} "]
                end = start
        return " ".join((cleaned[:end] + "".join(reversed(parts))).split())
    except Exception:  # Duckling's reading is a bonus: the digits are still there
        return cleaned


@dataclass(frozen=True)
class _Figure:
    value: float
    unit: str  # "h", "min", "$" or ""
    start: int
    end: int


_TOKEN = re.compile(rf"(?<![\w.])(?P<value>{_NUM})(?: ?(?P<unit>{_HOUR}|{_MIN}|\$))?(?![a-z0-9])")


def _tokens(text: str) -> list[_Figure]:
    found = []
    for match in _TOKEN.finditer(text):
        unit = match.group("unit") or ""
        unit = "h" if unit.startswith("h") else "min" if unit.startswith("m") else unit
        found.append(_Figure(float(match.group("value")), unit, match.start(), match.end()))
    return found


def _is_range(text: str, first: _Figure, second: _Figure) -> bool:
    """ "5 à 10", "cinq ou six", "de 1000 jusqu'à 3000", "entre 2 et 3 heures"."""
    gap = text[first.end : second.start].strip()
    return gap in {"a", "ou", "jusqu a", "-"} or (
        gap == "et" and re.search(r"\bentre $", text[: first.start]) is not None
    )


def _range(text: str, figures: list[_Figure]) -> tuple[_Figure, _Figure] | None:
    return next(
        ((a, b) for a, b in pairwise(figures) if _is_range(text, a, b)),
        None,
    )


_AT_MOST, _AT_LEAST = "at most", "at least"
_BOUNDS_BEFORE = (  # checked in this order against the words before a figure
    (re.compile(r"\bpas (?:[a-z]+ ){0,2}plus (?:de|d|que) $"), _AT_MOST),  # "pas dépenser plus de"
    (re.compile(r"\b(?:pas (?:[a-z]+ ){0,2}moins (?:de|d|que)|au moins) $"), _AT_LEAST),
    (
        re.compile(
            r"\b(?:moins (?:de|d|que)|max|maximum|au max|au maximum|au plus|tout au plus|"
            r"jusqu a|sous|en bas de|en dessous de) $"
        ),
        _AT_MOST,
    ),
    (
        re.compile(r"\b(?:plus (?:de|d|que)|min|minimum|au minimum|en haut de|au dessus de) $"),
        _AT_LEAST,
    ),
)
_BOUNDS_AFTER = (  # against the words after it
    (re.compile(r"^ (?:et plus|ou plus|plus|et up|minimum|min|au moins)\b"), _AT_LEAST),
    (re.compile(r"^ (?:max|maximum|au max|au maximum|au plus|tops?|grand max)\b"), _AT_MOST),
)


def _bound(text: str, figure: _Figure) -> str | None:
    """Whether `figure` is said to be a maximum ("pas plus de 5000") or a minimum ("et plus")."""
    before, after = f" {text[: figure.start]}", f"{text[figure.end :]} "
    for pattern, bound in _BOUNDS_BEFORE:
        if pattern.search(before):
            return bound
    return next((bound for pattern, bound in _BOUNDS_AFTER if pattern.search(after)), None)


def number(text: str) -> float | None:
    """The first number in `text` ("vingt-cinq", "2 000", "1,5", "2k"), years included."""
    figures = _tokens(_figures(text))
    return figures[0].value if figures else None


# Head count -----------------------------------------------------------------------------------

_SELF_AND = re.compile(
    r"(?:^| )moi (?:meme )?(?:,|et|pis|puis|plus|avec) |(?:^| )(?:,|et|pis|puis|plus|avec) moi\b|"
    r"(?:^| )me and |"
    r"\bje (?:travaille|suis) avec "  # « je travaille avec mon mari »
)
_SELF_INCLUDED = re.compile(
    r"\b(?:avec moi|moi (?:compris|inclus|incluse)|y compris moi|incluant moi|en me comptant)\b|"
    r"\b(?:on est|on n est que|nous sommes|on sera|nous serons) \d"
)
_ONE_OTHER = re.compile(
    r"\b(?:mon|ma|notre|son|sa|my)\b(?! \d| (?:commerce|business|entreprise|boutique|magasin|"
    r"compagnie|resto|restaurant|equipe|staff|personnel|machine|chien|chat|char|camion|truck|"
    r"ordi|ordinateur|cellulaire|auto|voiture|four)\b)"
)
_UNCOUNTED = re.compile(
    r"\b(?:mes|nos|les|des|quelques|plusieurs|(?:mon|ma|notre) (?:equipe|staff|personnel))\b(?! \d)"
)
_ALONE = re.compile(
    r"^(?:c est )?moi$|\b(?:juste|seulement|rien que|que|uniquement) moi\b|\bseule?\b|"
    r"\bsolo\b|\bpersonne d autre\b|\bmoi meme\b|\b(?:just|only) me\b|^myself$"
)
_NOBODY = re.compile(
    r"^(?:aucun|aucune|personne|nobody)$|\b(?:aucun|aucune|pas d|pas de|sans|0) "
    r"(?:employes?|employees?|salaries?|staff|personnel|aide)\b"
)
_I_EMPLOY = re.compile(r"\b(?:j ai|j emploie) \d+(?:\.\d+)? (?:employes?|employees?|salaries?)\b")


_SEASONS = re.compile(r"\b(?:ete|hiver|printemps|automne|saison|fetes|temps des fetes)\b")


def _count(text: str, figures: list[_Figure]) -> float:
    """A range's upper bound, the busiest season's count ("10 l'été et 3 l'hiver"), figures
    joined by "et", "pis" or "plus" added ("2 à temps plein et 3 à temps partiel"), else the
    first figure."""
    pair = _range(text, figures)
    if pair or (len(figures) > 1 and _SEASONS.search(text)):
        return max(f.value for f in (pair or figures))
    gaps = [text[a.end : b.start] for a, b in pairwise(figures)]
    if gaps and all(re.search(r"\b(?:et|pis|puis|plus|avec)\b", gap) for gap in gaps):
        return sum(f.value for f in figures)
    if figures[0].value == 1 and len(figures) > 1:  # « une équipe de 8 »: an article, not a count
        return figures[1].value
    return figures[0].value


_IN_ALL = re.compile(r"(\w+) (?:en tout|au total)\b|\b(?:en tout|au total),? (\w+)")
_TOTALS = (  # a total said as such: « six en tout », « donc trois personnes », « 2 moi et ma mère »
    _IN_ALL,
    re.compile(r"\bdonc,? (\w+) (?:personnes|en tout|au total)\b"),
    re.compile(r"\b(?:on est|nous sommes) (\d+)\b,? (?=moi\b)"),  # « on est 3, moi pis deux chums »
    re.compile(r"^(\d+)(?: \w+)? (?=moi (?:et|pis|puis|plus|avec)\b)|^(\w+),? (?=moi\b)"),
)
_BOTH_PARENTS = re.compile(r"\b(?:mes|nos) (?:deux )?parents\b")


def headcount(text: str) -> int | None:
    """People working in the business, owner included: "5", "vingt-cinq", "juste moi" (1),
    "moi pis ma blonde" (2), "moi + 2 employés" (3), "une quinzaine" (15), "entre 5 et 10"
    (10: a range gives its upper bound), "aucun employé" (1: the owner), "j'ai 3 employés" (4).
    Years, phone numbers, postal codes, durations and amounts are not counts; a total said as
    such wins ("cinq plus moi, donc six en tout" is 6)."""
    folded_text = fold(text)
    said = next((m for p in _TOTALS if (m := p.search(folded_text))), None)
    if said and (stated := headcount(next(g for g in said.groups() if g))) is not None:
        return stated
    folded = _figures(_BOTH_PARENTS.sub("2 parents", text.casefold()))
    people = [f for f in _tokens(folded) if not f.unit and f.value < 1000]
    if people and _SELF_INCLUDED.search(folded):
        total = _count(folded, people)
    elif _SELF_AND.search(folded):
        if _UNCOUNTED.search(folded):
            return None  # "moi et mes employés": how many?
        others = _count(folded, people) if people else 0
        total = 1 + others + len(_ONE_OTHER.findall(folded))
    elif _ALONE.search(folded) or _NOBODY.search(folded):
        total = 1
    elif people:
        total = _count(folded, people) + (1 if _I_EMPLOY.search(folded) else 0)
    else:
        return None
    return max(1, math.ceil(total))


# Hours per week -------------------------------------------------------------------------------

_HOURS_MINUTES = re.compile(
    rf"\b({_NUM}) ?{_HOUR} ?(?:et )?(?:(\d+) ?{_MIN}|(\d\d)\b(?! ?{_HOUR}))"
)
_AND_A_FRACTION = re.compile(
    rf"\b({_NUM})( ?{_HOUR})? (?:et )?(demie?|quart|(?:trois|3) quarts|0\.5|0\.25|0\.75)\b"
)
_FRACTIONS = {"demi": 0.5, "demie": 0.5, "quart": 0.25, "trois quarts": 0.75, "3 quarts": 0.75}
_NO_TIME = re.compile(
    r"^(?:rien|aucun|aucune|0)\b|\bpas (?:1|le|de|une?) (?:min|h|temps|seconde)\b|"
    r"\baucun temps\b|\baucune (?:heure|minute)\b|\b0 (?:h|min)\b"
)
_PER_DAY = re.compile(
    r"\b(?:par|chaque|a chaque|/) ?(?:jour|journee|soir)\b|\btous les (?:jours|soirs)\b|"
    r"\bquotidien"
)
_PER_MONTH = re.compile(r"\b(?:par|chaque|/) ?mois\b|\btous les mois\b|\bmensuel")
WORKDAYS_PER_WEEK = 5  # "1 h par jour": working days
WEEKS_PER_MONTH = 52 / 12
MAX_HOURS = 80  # more is not a time per week for the program


def _plus_fraction(match: re.Match[str]) -> str:
    """ "1 h et demie" is "1.5 h", "2 ½ h" ("2 0.5 h") is "2.5 h"."""
    fraction = _FRACTIONS.get(match[3]) or float(match[3])
    return f"{_digits(float(match[1]) + fraction)}{' h' if match[2] else ''}"


def _in_hours(figure: _Figure, unit: str) -> float:
    return figure.value / 60 if (figure.unit or unit) == "min" else figure.value


def hours(text: str) -> float | None:
    """Time per week, in hours: "2 h", "1h30", "une heure et demie", "une demi-heure" (0.5),
    "quinze minutes" (0.25), "une couple d'heures" (2), "3 heures et plus" (3), "moins d'une
    heure" (0.5: the middle of 0 to 1), "entre 2 et 3 heures" (2.5: a range gives its mean),
    "1 h par jour" (5: working days); a bare number is in hours; "pas beaucoup" is None."""
    folded = _figures(text)
    folded = _HOURS_MINUTES.sub(
        lambda m: f"{_digits(float(m[1]) + int(m[2] or m[3]) / 60)} h", folded
    )
    folded = _AND_A_FRACTION.sub(_plus_fraction, folded)
    if _NO_TIME.search(folded):
        return 0.0
    figures = [
        f for f in _tokens(folded) if f.unit != "$" and not folded.startswith(" fois", f.end)
    ]
    pair = _range(folded, figures)
    if pair:
        unit = pair[1].unit or pair[0].unit
        time = (_in_hours(pair[0], unit) + _in_hours(pair[1], unit)) / 2
    elif figures:
        figure = next((f for f in figures if f.unit), figures[0])
        time = _in_hours(figure, "h")
        strictly_less = re.search(
            r"(?<!au )(?<!pas )\bmoins (?:de|d|que) $", folded[: figure.start]
        )
        time = time / 2 if strictly_less else time
    else:
        return None
    if _PER_DAY.search(folded):
        time *= WORKDAYS_PER_WEEK
    elif _PER_MONTH.search(folded):
        time /= WEEKS_PER_MONTH
    return round(time, 2) if time <= MAX_HOURS else None


# Money ----------------------------------------------------------------------------------------

_NOTHING = re.compile(
    r"^(?:rien|aucun|aucune|nada|pantoute|0)(?: du tout| pantoute)?(?: \$)?$|"
    r"\bpas (?:une?|1) (?:\w+ )?(?:cenne|sou|rond|\$)|"
    r"\b(?:pas (?:vraiment |beaucoup |gros |trop )?de|pas d|aucun|sans) (?:budget|argent|cash)\b|"
    r"\brien (?:du tout|pantoute)\b|\bpresque rien\b"
)


def money(text: str) -> Amount | None:
    """An amount or a range in dollars as (at least, at most), None for an open end: "1500",
    "peut-être 2000$", "2 000 $", "2k", "mille piasses" (1000, 1000); "entre 1000 et 3000
    dollars" (1000, 3000); "pas plus de 5000" (None, 5000); "au moins 1000" (1000, None);
    "zéro", "rien" (0, 0). A figure followed by "$" wins over other figures."""
    folded = _figures(text)
    if _NOTHING.search(folded):
        return (0.0, 0.0)
    figures = [  # « un », « une » alone are articles (« un bras pis une jambe »)
        f for f in _tokens(folded) if f.unit == "$" or (f.unit == "" and f.value != 1)
    ]
    pair = _range(folded, figures)
    if pair:
        low, high = sorted((pair[0].value, pair[1].value))
        return (low, high)
    if not figures:
        return None
    figure = next((f for f in figures if f.unit == "$"), figures[0])
    bound = _bound(folded, figure)
    if bound == _AT_MOST:
        return (None, figure.value)
    if bound == _AT_LEAST:
        return (figure.value, None)
    return (figure.value, figure.value)


def budget_label(amount: Amount | None) -> str | None:
    """The program's budget label for an amount or range: the label of its midpoint; an upper
    bound alone is the budget, just under it ("moins de 1000" is "moins de 1 000 $", "1200
    max" is "1 000 $ à 5 000 $"); a range open above reads as its low end ("plus de 5000" is
    "plus de 5 000 $", "au moins 1000" "1 000 $ à 5 000 $"). 1 000 $ and 5 000 $ themselves
    are in the middle label."""
    if amount is None or amount == (None, None):
        return None
    low, high = amount
    if high is None:  # open above: its low end ("at least 5000" is more than 5000)
        low = low or 0.0
        return LOW if low < 1000 else MIDDLE if low < 5000 else HIGH
    middle = high - 0.01 if low is None else (low + high) / 2
    return LOW if middle < 1000 else MIDDLE if middle <= 5000 else HIGH
