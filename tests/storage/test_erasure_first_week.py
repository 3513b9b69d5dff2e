"""Erasing a person also erases what the advisor's first week adds to their lead, on both
databases: the mails the team wrote them (history lines), their follow-up reminders, and the
reminder lines that name them; a session's mark stays (the analytics count it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.privacy.erasure import erase_lead
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Slot
from bot.storage import bookings
from bot.storage.attendance import mark
from bot.storage.lead_reminders import set_reminder
from bot.storage.leads import save_submission
from bot.storage.merchant_mails import record_mail
from bot.storage.models import Booking, LeadEvent, LeadReminder
from bot.workspace import Viewer
from tests.conftest import FROZEN_NOW
from tests.storage.test_callback_assignment import team
from tests.storage.test_leads import submission
from tests.tracker_events import EVENTS
from tests.tracker_events import drop as drop_tracker

__all__ = ["team"]


@pytest.fixture
def tracker(database_url: str) -> Iterator[str]:
    """Rasa's events table (empty), in the application database."""
    drop_tracker(database_url)
    engine = create_engine(database_url)
    EVENTS.create(engine)
    engine.dispose()
    yield database_url
    drop_tracker(database_url)


def test_mails_and_reminders_go_the_mark_stays(
    sessions: sessionmaker[Session], team: dict[str, Viewer], tracker: str, tmp_path: Path
) -> None:
    lead_id = save_submission(sessions, submission())
    sophie = team["sophie"]
    start = datetime.combine(FROZEN_NOW.date(), time(8), TIMEZONE)
    reference = bookings.book(
        sessions, Slot(start, start + timedelta(hours=1), "sophie"), lead_id
    ).reference
    mark(sessions, sophie, reference, "held", FROZEN_NOW)
    record_mail(sessions, sophie, lead_id, "Suivi", "Bonjour Marie Tremblay, voici le devis.")
    set_reminder(
        sessions, sophie, lead_id, FROZEN_NOW.date(), "Appeler Marie Tremblay", FROZEN_NOW.date()
    )
    erase_lead(sessions, lead_id, tracker_url=tracker, outbox=tmp_path / "outbox", now=FROZEN_NOW)
    with sessions() as session:
        kinds = [
            e.kind for e in session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead_id))
        ]
        notes = " ".join(
            e.note or ""
            for e in session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead_id))
        )
        assert session.scalars(select(LeadReminder)).all() == []
        assert session.scalars(select(Booking.status)).all() == ["held"]
    assert kinds == ["rencontre"]  # the mark's line (a reference and a date) stays
    assert "Marie" not in notes and "devis" not in notes
