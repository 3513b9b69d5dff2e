"""Each storage test runs on SQLite and on the real PostgreSQL server (127.0.0.1:5432)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import fixed
from bot.storage.database import make_engine, make_sessions, upgrade
from tests.conftest import FROZEN_NOW


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, or the PostgreSQL test database emptied."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'numeriqc.db'}"
        upgrade(url)
        yield url
        return
    url = request.getfixturevalue("postgres_url")
    upgrade(url)
    empty(url)
    yield url
    empty(url)


def empty(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "TRUNCATE audit_log, lead_events, lead_conversations, privacy_codes, "
                "tracker_erasures, incidents, rights_requests, login_attempts, web_sessions, "
                "password_resets, "
                "accounts, callback_requests, bookings, diagnostics, decisions, consents, mail_queue, "
                "answers, leads, contacts, businesses RESTART IDENTITY CASCADE"
            )
        )
    engine.dispose()


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_sessions(engine, fixed(FROZEN_NOW))
    engine.dispose()
