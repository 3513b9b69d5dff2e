"""An advisor's calendar feed (RFC 5545, built with the icalendar library): the sessions their
calendar application subscribes to through the secret address of « Mon calendrier »
(`bot.storage.calendar_feeds`). Each session is an event with the invitations' UID
(`<reference>@numeriqc`), the business name, the mode, place and address, the reference and
the link to the lead's page: what the advisor sees in the workspace, never the merchant's contact
details. A held or missed session says so in its title."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Protocol

from icalendar import Calendar, Event

from bot.attendance import HELD, NO_SHOW
from bot.pack import identity
from bot.pack.emails import part
from bot.scheduling.config import Advisor
from bot.scheduling.invitation import prodid
from bot.text import one_line

REFRESH = timedelta(hours=1)  # how often calendar applications are asked to read it again
# Each session's title in the pack, by its status.
SUMMARY = {HELD: "calendar_summary_held", NO_SHOW: "calendar_summary_no_show"}


class FeedSession(Protocol):
    """A session as the feed needs it (`bot.storage.agenda.SessionLine`)."""

    @property
    def reference(self) -> str: ...
    @property
    def lead_id(self) -> int | None: ...
    @property
    def business(self) -> str | None: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...


def location(advisor: Advisor | None) -> str:
    """Where the session happens, as its invitation says (`bot.booking`)."""
    if advisor is None:
        return ""
    return advisor.where if advisor.address else f"{advisor.mode} : {advisor.place}"


def feed(
    name: str,
    sessions: Sequence[FeedSession],
    advisor: Advisor | None,
    workspace: str,
    stamped_at: datetime,
) -> bytes:
    """The calendar named for `name` with `sessions` (the advisor's, `advisor`'s place);
    `workspace` is the address of the workspace ("https://…/conseillers") for the leads' links,
    `stamped_at` when the feed is written."""
    calendar = Calendar()
    calendar.add("prodid", prodid())
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(part("calendar_name", name=name)))
    calendar.add("x-wr-timezone", "America/Toronto")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for session in sessions:
        calendar.add_component(_event(session, advisor, workspace, stamped_at))
    return bytes(calendar.to_ical())


def _event(
    session: FeedSession, advisor: Advisor | None, workspace: str, stamped_at: datetime
) -> Event:
    business = one_line(session.business or part("calendar_unknown_business"))
    lines = [part("invitation_description", reference=session.reference)]
    if advisor is not None:
        mode, where = one_line(advisor.mode), one_line(advisor.where)
        lines.append(part("calendar_mode", mode=mode, place=where))
    if session.lead_id is not None:
        lines.append(part("calendar_lead", link=f"{workspace}/pistes/{session.lead_id}"))
    event = Event()
    event.add("uid", f"{session.reference}@{identity().calendar_domain}")
    event.add("dtstamp", stamped_at.astimezone(timezone.utc))
    event.add("dtstart", session.starts_at.astimezone(timezone.utc))
    event.add("dtend", session.ends_at.astimezone(timezone.utc))
    event.add("summary", part(SUMMARY.get(session.status, "calendar_summary"), business=business))
    event.add("location", one_line(location(advisor)))
    event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED")
    return event
