"""Calendar invitations (RFC 5545, built with the icalendar library) and French date wording."""

from __future__ import annotations

from datetime import date, datetime, timezone

from icalendar import Calendar, Event, vCalAddress, vText

from bot.pack import identity
from bot.scheduling import TIMEZONE
from bot.text import one_line

_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip


def prodid() -> str:
    """The calendars' product identifier: « -//<operator>//<brand>//FR »."""
    return f"-//{identity().operator}//{identity().brand}//FR"


def french_date(day: date) -> str:
    """ "le mardi 24 novembre", "le mardi 1er décembre"."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"le {_DAYS[day.weekday()]} {number} {_MONTHS[day.month - 1]}"


def french_time(moment: datetime) -> str:
    """ "14 h" or "14 h 30", in Québec time."""
    local = moment.astimezone(TIMEZONE)
    return f"{local.hour} h" + (f" {local.minute:02d}" if local.minute else "")


def french_datetime(moment: datetime) -> str:
    """ "le mardi 24 novembre à 14 h" (or "à 14 h 30"), in Québec time."""
    return f"{french_date(moment.astimezone(TIMEZONE).date())} à {french_time(moment)}"


def invitation(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    description: str,
    organizer_email: str,
    attendee_emails: list[str],
    stamped_at: datetime,
    cancelled: bool = False,
) -> bytes:
    """An iCalendar invitation: METHOD:REQUEST, or METHOD:CANCEL with the same UID. Texts and
    addresses are put on one line first: a typed line break never starts a property.
    `stamped_at`: when the invitation is written (its DTSTAMP)."""
    calendar = Calendar()
    calendar.add("prodid", prodid())
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamped_at.astimezone(timezone.utc))
    event.add("dtstart", starts_at.astimezone(timezone.utc))
    event.add("dtend", ends_at.astimezone(timezone.utc))
    event.add("summary", one_line(summary))
    event.add("location", one_line(location))
    event.add("description", one_line(description))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{one_line(organizer_email)}")
    organizer.params["cn"] = vText(identity().brand)
    event["organizer"] = organizer
    for email in attendee_emails:
        attendee = vCalAddress(f"mailto:{one_line(email)}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
