"""Advisors and availability, read from config/advisors.yml (edited by the program team)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

import yaml

from bot.settings import ROOT

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True)
class Advisor:
    id: str
    name: str
    email: str
    mode: str
    place: str
    hours: dict[int, list[tuple[time, time]]]  # weekday (Monday 0) -> working periods
    days_off: frozenset[date] = frozenset()
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Availability:
    advisors: list[Advisor]
    session_minutes: int = 60
    buffer_minutes: int = 15
    max_sessions_per_day: int = 4
    horizon_weeks: int = 3
    holidays: frozenset[date] = field(default_factory=frozenset)


def _period(text: str) -> tuple[time, time]:
    start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    if end <= start:
        raise ValueError(f"period {text!r} ends before it starts")
    return start, end


def _date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


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
            )
        )
    return Availability(
        advisors=advisors,
        session_minutes=int(data.get("session_minutes", 60)),
        buffer_minutes=int(data.get("buffer_minutes", 15)),
        max_sessions_per_day=int(data.get("max_sessions_per_day", 4)),
        horizon_weeks=int(data.get("horizon_weeks", 3)),
        holidays=frozenset(_date(d) for d in data.get("holidays") or []),
    )
