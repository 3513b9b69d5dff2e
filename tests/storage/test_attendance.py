"""Sessions marked held or no-show, on both databases: only once started, by their advisor or a
manager, with a line in the lead's history; the mark undone the same day only, and not once the
merchant booked again; the analytics count what was marked."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.analytics import compute
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Slot
from bot.storage import analytics, bookings
from bot.storage.attendance import REBOOKED, mark, undo
from bot.storage.leads import save_submission
from bot.storage.models import Booking, LeadEvent
from bot.workspace import NotAllowed, NotYours, Viewer
from tests.conftest import FROZEN_NOW
from tests.storage.test_callback_assignment import team
from tests.storage.test_leads import INTAKE, submission

__all__ = ["team"]
NOW = FROZEN_NOW  # Monday 23 November 2026, 10 h: why it is fixed, in tests/conftest.py


def session_at(
    sessions: sessionmaker[Session], business: str, hour: int, advisor: str = "sophie", day: int = 0
) -> tuple[int, str]:
    """A new lead of `advisor` and its session today (+ `day`) at `hour`: (lead, reference)."""
    lead_id = save_submission(
        sessions, submission(replace(INTAKE, business_name=business), email=f"{business}@x.ca")
    )
    start = datetime.combine(NOW.date() + timedelta(days=day), time(hour), TIMEZONE)
    booked = bookings.book(sessions, Slot(start, start + timedelta(hours=1), advisor), lead_id)
    return lead_id, booked.reference


def status_of(sessions: sessionmaker[Session], reference: str) -> tuple[str, datetime | None]:
    with sessions() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        return booking.status, booking.marked_at


def history(sessions: sessionmaker[Session], lead_id: int) -> list[str]:
    with sessions() as session:
        return [
            f"{e.account.name if e.account else '—'} : {e.note}"
            for e in session.scalars(
                select(LeadEvent).where(LeadEvent.lead_id == lead_id).order_by(LeadEvent.id)
            )
        ]


def test_a_started_session_is_marked_held_or_no_show_with_its_history(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    held_lead, held = session_at(sessions, "Boutique", 9)
    missed_lead, missed = session_at(sessions, "Café", 10)  # starts right now: it has started
    assert mark(sessions, team["sophie"], held, "held", NOW) == held_lead
    assert mark(sessions, team["gestion"], missed, "no_show", NOW) == missed_lead
    assert status_of(sessions, held) == ("held", NOW)
    assert status_of(sessions, missed)[0] == "no_show"
    assert history(sessions, held_lead) == [
        f"Sophie Gagnon : Rencontre {held} (le lundi 23 novembre à 9 h) marquée : tenue."
    ]
    assert history(sessions, missed_lead) == [
        f"Geneviève Gestion : Rencontre {missed} (le lundi 23 novembre à 10 h) marquée : "
        "absence du commerçant."
    ]


def test_not_before_it_starts_not_twice_not_cancelled_not_someone_elses(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    lead_id, later = session_at(sessions, "Boutique", 11)
    with pytest.raises(NotAllowed, match="pas encore commencé"):
        mark(sessions, team["sophie"], later, "held", NOW)
    _, today = session_at(sessions, "Café", 8)
    with pytest.raises(NotYours) as other:
        mark(sessions, team["marc"], today, "no_show", NOW)
    assert other.value.advisor_id == "sophie"
    mark(sessions, team["sophie"], today, "held", NOW)
    with pytest.raises(NotAllowed, match="déjà marquée « tenue »"):
        mark(sessions, team["sophie"], today, "no_show", NOW)
    with pytest.raises(NotAllowed, match="Tenue"):
        mark(sessions, team["sophie"], today, "booked", NOW)
    bookings.cancel(sessions, later)
    with pytest.raises(LookupError):
        mark(sessions, team["sophie"], later, "held", NOW + timedelta(hours=2))
    with pytest.raises(LookupError):
        mark(sessions, team["sophie"], "NQ-INCONNU2", "held", NOW)
    assert status_of(sessions, later)[0] == "cancelled"
    assert history(sessions, lead_id) == []


def test_the_mark_is_undone_the_same_day_only(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    lead_id, reference = session_at(sessions, "Boutique", 9)
    mark(sessions, team["sophie"], reference, "no_show", NOW)
    late_evening = datetime.combine(NOW.date(), time(23, 30), TIMEZONE)
    assert undo(sessions, team["sophie"], reference, late_evening) == lead_id
    assert status_of(sessions, reference) == ("booked", None)
    assert history(sessions, lead_id)[-1] == (
        f"Sophie Gagnon : Rencontre {reference} (le lundi 23 novembre à 9 h) : marquage "
        "« absence du commerçant » défait."
    )
    with pytest.raises(NotAllowed, match="rien à défaire"):
        undo(sessions, team["sophie"], reference, late_evening)
    mark(sessions, team["sophie"], reference, "held", NOW)
    next_morning = datetime.combine(NOW.date() + timedelta(days=1), time(0, 5), TIMEZONE)
    with pytest.raises(NotAllowed, match="le jour même"):
        undo(sessions, team["sophie"], reference, next_morning)
    with pytest.raises(NotYours):
        undo(sessions, team["marc"], reference, NOW)
    assert status_of(sessions, reference)[0] == "held"


def test_a_marked_session_frees_the_lead_and_a_new_booking_blocks_the_undo(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    lead_id, reference = session_at(sessions, "Boutique", 9)
    mark(sessions, team["sophie"], reference, "held", NOW)
    start = datetime.combine(NOW.date() + timedelta(days=2), time(13), TIMEZONE)
    bookings.book(sessions, Slot(start, start + timedelta(hours=1), "sophie"), lead_id)
    with pytest.raises(NotAllowed) as refused:
        undo(sessions, team["sophie"], reference, NOW)
    assert str(refused.value) == REBOOKED
    assert status_of(sessions, reference)[0] == "held"


def test_the_analytics_count_what_was_marked(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    _, held = session_at(sessions, "Boutique", 8)
    _, missed = session_at(sessions, "Café", 9)
    _, coming = session_at(sessions, "Fleuriste", 13, day=1)
    _, cancelled = session_at(sessions, "Librairie", 14, day=1)
    mark(sessions, team["sophie"], held, "held", NOW)
    mark(sessions, team["sophie"], missed, "no_show", NOW)
    bookings.cancel(sessions, cancelled)
    figures = compute([], analytics.leads(sessions), analytics.bookings(sessions), NOW, 100)
    assert list(figures.table("bilan_rencontres").rows) == [
        ("Tenues", (1,)), ("À venir ou à marquer", (1,)), ("Annulées", (1,)), ("Absences", (1,)),
    ]  # fmt: skip
    [this_week] = [row for row in figures.table("rencontres").rows if row[0] == "2026-S48"]
    assert this_week == ("2026-S48", (4, 1, 1))  # planned, cancelled, no-shows
    assert coming
