"""The retention job with a frozen clock, on SQLite and PostgreSQL: the dry run lists and
changes nothing, the real run erases (figures unchanged), a second run does nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.privacy.person import find_people
from bot.privacy.retention import run_retention
from tests.storage.test_analytics import NOW
from tests.storage.test_privacy import (
    EMAIL,
    NAME,
    NEEDLES,
    OTHER,
    PHONE,
    figures,
    occurrences,
    person,
    tracker,
    tracker_events,
)

__all__ = ["tracker"]  # the fixture
DAYS = 365


@pytest.fixture
def seeded(sessions: sessionmaker[Session], tracker: str) -> Iterator[dict[str, int]]:
    """Marie's lead is 400 days old, Jean's 3 days; two conversations without a lead, one old
    (typed a phone) and one recent."""
    old = person(sessions, tracker, (NAME, EMAIL, PHONE), "conv-marie", False)
    recent = person(sessions, tracker, OTHER, "conv-jean", False)
    tracker_events(tracker, "conv-old", ["mon numéro 418 555-4321"], {"consent_given": True})
    tracker_events(tracker, "conv-new", ["c'est gratuit?"], {})
    engine = create_engine(tracker)
    with engine.begin() as connection:
        age = timedelta(days=400).total_seconds()
        for sender in ("conv-marie", "conv-old"):
            connection.execute(
                text("UPDATE events SET timestamp = timestamp - :age WHERE sender_id = :s"),
                {"age": age, "s": sender},
            )
        for table, column in (("leads", "updated_at"), ("lead_events", "at"),
                              ("diagnostics", "updated_at")):  # fmt: skip
            key = "id" if table == "leads" else "lead_id"
            connection.execute(
                text(f"UPDATE {table} SET {column} = :at WHERE {key} = :lead"),
                {"at": NOW - timedelta(days=400), "lead": old},
            )
        connection.execute(
            text("UPDATE bookings SET starts_at = :at, ends_at = :at WHERE lead_id = :lead"),
            {"at": NOW - timedelta(days=390), "lead": old},
        )
    engine.dispose()
    yield {"old": old, "recent": recent}


def test_dry_run_then_real_run_then_nothing_to_do(
    sessions: sessionmaker[Session], tracker: str, seeded: dict[str, int], tmp_path: Path
) -> None:
    before = figures(sessions, tracker)
    dry = run_retention(sessions, tracker, tmp_path, NOW, DAYS, dry_run=True)
    assert (dry.leads, dry.conversations) == ([seeded["old"]], ["conv-old"])
    assert dry.lines()[1] == f"would erase 1 lead(s): {seeded['old']}"
    assert occurrences(tracker, NEEDLES) and occurrences(tracker, ("4185554321",))

    real = run_retention(sessions, tracker, tmp_path, NOW, DAYS)
    assert (real.leads, real.conversations) == ([seeded["old"]], ["conv-old"])
    assert occurrences(tracker, NEEDLES) == [] and occurrences(tracker, ("4185554321",)) == []
    assert figures(sessions, tracker) == before
    assert [m.lead_id for m in find_people(sessions, OTHER[0])] == [seeded["recent"]]

    again = run_retention(sessions, tracker, tmp_path, NOW, DAYS)
    assert (again.leads, again.conversations) == ([], [])
    assert again.lines()[1:] == [
        "erased 0 lead(s)",
        "erased 0 conversation(s) without a lead",
        "erased 0 live chat(s) with the team",
        "erased 0 unlabelled missed message(s)",
    ]


def test_a_lead_with_a_session_to_come_is_kept(
    sessions: sessionmaker[Session], tracker: str, seeded: dict[str, int], tmp_path: Path
) -> None:
    later = NOW + timedelta(days=DAYS + 10)  # even Jean's lead is old by then
    engine = create_engine(tracker)
    with engine.begin() as connection:  # Marie's old session moved to the day after
        connection.execute(
            text("UPDATE bookings SET starts_at = :at, status = 'booked' WHERE lead_id = :lead"),
            {"at": later + timedelta(days=1), "lead": seeded["old"]},
        )
    engine.dispose()
    report = run_retention(sessions, tracker, tmp_path, later, DAYS, dry_run=True)
    assert report.leads == [seeded["recent"]]
