"""A session moved or cancelled from the workspace writes the lead's history in the change's own
transaction, on both databases: both are kept, or neither (a failing history line rolls the
move or the cancellation back, and no mail goes); a change that fails writes no line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.booking import Appointment, Scheduler, SlotTaken, Trace
from bot.mail import MailSettings
from bot.scheduling import TIMEZONE
from bot.scheduling.config import load_availability
from bot.storage.agenda import write_session_change
from bot.storage.leads import save_submission
from bot.storage.models import Booking, LeadEvent
from bot.workspace import Viewer
from tests.conftest import FROZEN_NOW
from tests.storage.test_callback_assignment import team
from tests.storage.test_leads import submission

__all__ = ["team"]
TUESDAY_13 = datetime(2026, 11, 24, 13, tzinfo=TIMEZONE)
THURSDAY_9 = datetime(2026, 11, 26, 9, tzinfo=TIMEZONE)


class HistoryBroke(Exception):
    """The history line could not be written (a database error, say)."""


@pytest.fixture
def scheduler(sessions: sessionmaker[Session], tmp_path: Path) -> Scheduler:
    mail = MailSettings("100 % NumériQC <noreply@example.org>", outbox=tmp_path / "outbox")
    return Scheduler(sessions, load_availability(), mail, "https://site", clock=lambda: FROZEN_NOW)


def written(viewer: Viewer, lead_id: int, fail: bool = False) -> Trace:
    def write(session: Session, after: Appointment) -> None:
        write_session_change(session, viewer, lead_id, f"{after.reference} : {after.when}")
        if fail:
            session.flush()  # the line is in the transaction when it breaks
            raise HistoryBroke

    return write


def state(sessions: sessionmaker[Session], reference: str) -> tuple[str, datetime, int]:
    with sessions() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        return booking.status, booking.starts_at, booking.sequence


def notes(sessions: sessionmaker[Session]) -> list[str | None]:
    with sessions() as session:
        return list(session.scalars(select(LeadEvent.note).order_by(LeadEvent.id)))


def test_a_move_and_its_history_line_are_kept_together(
    scheduler: Scheduler, sessions: sessionmaker[Session], team: dict[str, Viewer], tmp_path: Path
) -> None:
    lead_id = save_submission(sessions, submission())
    reference = scheduler.book(TUESDAY_13, lead_id, "sophie").reference
    mails = len(list((tmp_path / "outbox").glob("*.eml")))
    with pytest.raises(HistoryBroke):
        scheduler.reschedule(
            reference, THURSDAY_9, None, "x", written(team["sophie"], lead_id, True)
        )
    assert state(sessions, reference)[1:] == (TUESDAY_13, 0)  # not moved
    assert notes(sessions) == []  # and no line
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == mails  # nor any mail
    after = scheduler.reschedule(reference, THURSDAY_9, None, "x", written(team["sophie"], lead_id))
    assert state(sessions, reference)[1:] == (THURSDAY_9, 1)
    assert notes(sessions) == [f"{reference} : {after.when}"]
    assert after.when == "le jeudi 26 novembre à 9 h"


def test_a_cancellation_and_its_history_line_are_kept_together(
    scheduler: Scheduler, sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    lead_id = save_submission(sessions, submission())
    reference = scheduler.book(TUESDAY_13, lead_id, "sophie").reference
    with pytest.raises(HistoryBroke):
        scheduler.cancel(reference, "x", written(team["gestion"], lead_id, True))
    assert state(sessions, reference)[0] == "booked" and notes(sessions) == []
    scheduler.cancel(reference, "x", written(team["gestion"], lead_id))
    assert state(sessions, reference)[0] == "cancelled"
    assert notes(sessions) == [f"{reference} : le mardi 24 novembre à 13 h"]


def test_a_move_that_fails_writes_no_line(
    scheduler: Scheduler, sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    lead_id = save_submission(sessions, submission())
    reference = scheduler.book(TUESDAY_13, lead_id, "sophie").reference
    sunday = datetime(2026, 11, 29, 10, tzinfo=TIMEZONE)  # nobody works then
    with pytest.raises(SlotTaken):
        scheduler.reschedule(reference, sunday, None, "x", written(team["sophie"], lead_id))
    assert state(sessions, reference)[1:] == (TUESDAY_13, 0)
    assert notes(sessions) == []
