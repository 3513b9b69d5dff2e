"""An advisor's calendar feed, read back by the icalendar library: its name, refresh hints, one
event per session with the invitations' UID, the business, the place with its address, the
reference and the lead's link, a mark in the title; typed line breaks never start a property."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar

from bot.calendar_feed import feed, location
from bot.scheduling import TIMEZONE
from bot.scheduling.config import load_availability

START = datetime(2026, 11, 24, 13, tzinfo=TIMEZONE)
ADVISORS = {a.id: a for a in load_availability().advisors}


@dataclass(frozen=True)
class Session:
    reference: str
    lead_id: int | None
    business: str | None
    starts_at: datetime
    ends_at: datetime
    status: str = "booked"


def test_the_feed_as_a_calendar_application_reads_it() -> None:
    sessions = [
        Session("NQ-ABCDEFGH", 12, "Café\r\nX-EVIL:1", START, START + timedelta(hours=1)),
        Session(
            "NQ-HJKLMNPQ",
            None,
            None,
            START + timedelta(days=1),
            START + timedelta(days=1, hours=1),
            "no_show",
        ),
    ]
    raw = feed(
        "Sophie Gagnon", sessions, ADVISORS["sophie"], "https://x.example/conseillers", START
    )
    calendar = Calendar.from_ical(raw)
    assert str(calendar["X-WR-CALNAME"]) == "100 % NumériQC — Sophie Gagnon"
    assert str(calendar["METHOD"]) == "PUBLISH" and "REFRESH-INTERVAL" in calendar
    first, second = calendar.walk("VEVENT")
    assert str(first["UID"]) == "NQ-ABCDEFGH@numeriqc"
    assert str(first["SUMMARY"]) == "Rencontre 100 % NumériQC — Café X-EVIL:1"
    assert first.decoded("DTSTART") == START
    assert str(first["LOCATION"]) == ADVISORS["sophie"].where
    assert (
        str(first["DESCRIPTION"]).splitlines()[-1]
        == "Dossier : https://x.example/conseillers/pistes/12"
    )
    assert "X-EVIL" not in raw.decode().replace("Café X-EVIL:1", "")
    assert (
        str(second["SUMMARY"])
        == "Rencontre 100 % NumériQC — Commerce inconnu (absence du commerçant)"
    )
    assert "Dossier" not in str(second["DESCRIPTION"])


def test_where_a_session_happens() -> None:
    assert location(ADVISORS["marc"]) == "par vidéoconférence : lien envoyé par courriel"
    assert location(None) == ""
