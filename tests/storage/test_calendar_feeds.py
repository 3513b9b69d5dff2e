"""Each account's secret calendar feed, on both databases: only the token's SHA-256 hash is
stored; a new link replaces the old (which stops working), revoking ends it, a disabled account's
feed opens nothing; the advisor's sessions it lists."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.attendance import RECENT
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Slot
from bot.storage import bookings
from bot.storage.accounts import set_active
from bot.storage.agenda import advisor_sessions
from bot.storage.calendar_feeds import feed_created, feed_owner, new_feed, revoke_feed
from bot.storage.leads import save_submission
from bot.storage.models import CalendarFeed
from bot.workspace import Viewer
from tests.conftest import FROZEN_NOW
from tests.storage.test_callback_assignment import team
from tests.storage.test_leads import INTAKE, submission

__all__ = ["team"]


def test_only_the_hash_is_kept_and_a_new_link_replaces_the_old(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    sophie = team["sophie"]
    assert feed_created(sessions, sophie.account_id) is None
    first = new_feed(sessions, sophie.account_id)
    assert len(first) >= 43
    with sessions() as session:
        [stored] = session.scalars(select(CalendarFeed.token_hash)).all()
    assert stored == hashlib.sha256(first.encode()).hexdigest() and first not in stored
    assert feed_created(sessions, sophie.account_id) == FROZEN_NOW
    owner = feed_owner(sessions, first)
    assert owner is not None and owner.advisor_id == "sophie"
    second = new_feed(sessions, sophie.account_id)
    assert second != first
    assert feed_owner(sessions, first) is None  # the old link stopped working
    assert feed_owner(sessions, second) == owner
    for wrong in ("", "x" * 500, second[:-1], second.upper()):
        assert feed_owner(sessions, wrong) is None
    revoke_feed(sessions, sophie.account_id)
    assert feed_owner(sessions, second) is None
    assert feed_created(sessions, sophie.account_id) is None


def test_a_disabled_account_feed_opens_nothing(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    token = new_feed(sessions, team["marc"].account_id)
    set_active(sessions, "marc@qcnum.example", False)
    assert feed_owner(sessions, token) is None


def test_the_feed_lists_the_advisors_sessions_upcoming_and_recent(
    sessions: sessionmaker[Session],
) -> None:
    def book(email: str, start: datetime, advisor: str) -> str:
        intake = replace(INTAKE, business_name=f"Commerce {email}")
        lead_id = save_submission(sessions, submission(intake, email=email))
        slot = Slot(start, start + timedelta(hours=1), advisor)
        return bookings.book(sessions, slot, lead_id).reference

    old = book("a@x.ca", FROZEN_NOW - RECENT - timedelta(days=1), "sophie")
    recent = book("b@x.ca", FROZEN_NOW - timedelta(days=3), "sophie")
    coming = book("c@x.ca", datetime(2026, 12, 2, 9, tzinfo=TIMEZONE), "sophie")
    cancelled = book("d@x.ca", datetime(2026, 12, 3, 9, tzinfo=TIMEZONE), "sophie")
    bookings.cancel(sessions, cancelled)
    book("e@x.ca", datetime(2026, 12, 2, 9, tzinfo=TIMEZONE), "marc")
    listed = advisor_sessions(sessions, "sophie", FROZEN_NOW - RECENT)
    assert [s.reference for s in listed] == [recent, coming]
    assert listed[1].business == "Commerce c@x.ca" and listed[1].status == "booked"
    assert old not in [s.reference for s in listed]
