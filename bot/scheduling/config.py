"""Advisors and availability, read from config/advisors.yml (edited by the program team)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

import yaml

from bot.scheduling.closures import Closures, YearlyClosure
from bot.settings import ROOT

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


IN_PERSON = "en personne"


@dataclass(frozen=True)
class Advisor:
    id: str
    name: str
    email: str
    mode: str  # « en personne » or « par vidéoconférence »
    place: str  # « Bureaux de Québec numérique », « lien envoyé par courriel »
    hours: dict[int, list[tuple[time, time]]]  # weekday (Monday 0) -> working periods
    days_off: frozenset[date] = frozenset()
    sectors: tuple[str, ...] = ()
    address: str = ""  # street address of an in-person advisor's place

    @property
    def where(self) -> str:
        """The place with its address: « Bureaux de Québec numérique, 1000, rue … »."""
        return f"{self.place}, {self.address}" if self.address else self.place


@dataclass(frozen=True)
class Availability:
    advisors: list[Advisor]
    session_minutes: int = 60
    buffer_minutes: int = 15
    max_sessions_per_day: int = 4
    horizon_weeks: int = 3
    closures: Closures = field(default_factory=Closures)


def places(advisors: list[Advisor]) -> str:
    """Where sessions happen, for the merchant: « en personne (Bureaux …, 1000, rue …) ou par
    vidéoconférence (lien envoyé par courriel) »."""
    seen = dict.fromkeys(f"{a.mode} ({a.where})" for a in advisors)
    return " ou ".join(seen)


def _period(text: str) -> tuple[time, time]:
    start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    if end <= start:
        raise ValueError(f"period {text!r} ends before it starts")
    return start, end


def _date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _month_day(value: object, where: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in str(value).split("-"))
        date(2028, month, day)  # a leap year: 02-29 is allowed
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a month and day such as 12-24") from None
    return month, day


def _closures(data: dict[str, object]) -> Closures:
    if "holidays" in data:
        raise ValueError("holidays: statutory holidays are computed; list closed_days instead")
    yearly = []
    for raw in data.get("yearly_closures") or []:  # type: ignore[attr-defined]
        name = str(raw["name"])
        start = _month_day(raw["from"], f"yearly closure {name!r}")
        end = _month_day(raw["to"], f"yearly closure {name!r}")
        yearly.append(YearlyClosure(name, start, end))
    days = frozenset(_date(d) for d in data.get("closed_days") or [])  # type: ignore[attr-defined]
    return Closures(tuple(yearly), days)


def load_availability(path: Path = ROOT / "config" / "advisors.yml") -> Availability:
    """Read and check the availability file; a mistake is a clear error naming the advisor."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    advisors = []
    for raw in data["advisors"]:
        hours: dict[int, list[tuple[time, time]]] = {}
        for day, periods in (raw.get("hours") or {}).items():
            if day not in WEEKDAYS:
                raise ValueError(f"advisor {raw['id']}: unknown weekday {day!r}")
            hours[WEEKDAYS.index(day)] = [_period(p) for p in periods]
        if raw["mode"] == IN_PERSON and not raw.get("address"):
            raise ValueError(f"advisor {raw['id']}: an in-person advisor needs an address")
        if any(c in f"{raw['place']}{raw.get('address') or ''}" for c in "()"):
            raise ValueError(f"advisor {raw['id']}: no parentheses in place or address")
        advisors.append(
            Advisor(
                id=str(raw["id"]),
                name=raw["name"],
                email=raw["email"],
                mode=raw["mode"],
                place=raw["place"],
                hours=hours,
                days_off=frozenset(_date(d) for d in raw.get("days_off") or []),
                sectors=tuple(raw.get("sectors") or ()),
                address=str(raw.get("address") or ""),
            )
        )
    return Availability(
        advisors=advisors,
        session_minutes=int(data.get("session_minutes", 60)),
        buffer_minutes=int(data.get("buffer_minutes", 15)),
        max_sessions_per_day=int(data.get("max_sessions_per_day", 4)),
        horizon_weeks=int(data.get("horizon_weeks", 3)),
        closures=_closures(data),
    )
