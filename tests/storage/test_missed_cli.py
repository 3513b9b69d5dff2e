"""The command line of the missed-messages inbox: `bot.cli missed` reads the tracker store
(Rasa's PostgreSQL store with TRACKER_STORE_URL, as in production, or the embedded SQLite file)
into the inbox once, and `accounts inbox|no-inbox EMAIL` gives an advisor the inbox or takes it
back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.storage import missed
from bot.storage.accounts import create_account
from bot.storage.models import Account
from tests.conftest import FROZEN_NOW
from tests.storage.test_missed_inbox import PASSWORD, emptied, say
from tests.unit.test_missed_detection import FALLBACK_TURN


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CLI on the database under test; the tracker store in it on PostgreSQL (Rasa's
    SQLTrackerStore), a SQLite file otherwise (the embedded default)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("FROZEN_CLOCK", FROZEN_NOW.isoformat())  # retention's today, any date
    if database_url.startswith("postgresql"):
        tracker = database_url
        monkeypatch.setenv("TRACKER_STORE_URL", database_url.replace("+psycopg", ""))
    else:
        tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
        monkeypatch.setenv("RASA_TRACKER_DB", str(tmp_path / "tracker.db"))
        monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    yield from emptied(database_url, tracker)


def test_the_missed_job_reads_the_tracker_store_once(
    sessions: sessionmaker[Session], env: str
) -> None:
    say(env, "conv-1", *FALLBACK_TURN)
    assert main(["missed"]) == 0
    assert main(["missed"]) == 0
    assert [g.count for g in missed.inbox(sessions)] == [1]
    say(env, "conv-2", *FALLBACK_TURN)
    assert main(["jobs"]) == 0  # the whole scheduled work reads it too
    assert [g.count for g in missed.inbox(sessions)] == [2]


def test_an_advisor_given_the_inbox_and_back(
    sessions: sessionmaker[Session], env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    create_account(sessions, "sophie@qcnum.example", "Sophie", "advisor", PASSWORD, "sophie")

    def given() -> bool:
        with sessions() as session:
            return bool(session.scalar(select(Account.missed_inbox)))

    assert not given()
    assert main(["accounts", "inbox", "Sophie@qcnum.example"]) == 0
    assert given() and "inbox given to" in capsys.readouterr().out
    assert main(["accounts", "no-inbox", "sophie@qcnum.example"]) == 0
    assert not given()
    assert main(["accounts", "inbox", "personne@qcnum.example"]) == 2
    assert "no account" in capsys.readouterr().err
