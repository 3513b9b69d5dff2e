"""Backups: a lead saved, backed up, restored into a fresh database and read back, on SQLite and
PostgreSQL; an online SQLite backup taken while another connection writes; the CLI."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.clock import fixed
from bot.storage.backup import BackupError, backup, restore
from bot.storage.database import make_engine, make_sessions, upgrade
from bot.storage.leads import lead_rows, save_submission
from tests.conftest import FROZEN_NOW, new_postgres_database
from tests.storage.test_leads import submission


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A database that does not exist yet (SQLite) or is empty (a new PostgreSQL database),
    of the same kind as `database_url`."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'numeriqc.db'}"
        return
    with new_postgres_database("numeriqc_restore") as url:
        yield url


def leads_in(url: str) -> list[tuple[str, str, str | None]]:
    """Business, contact e-mail and decision of each lead, read through the repository."""
    engine = make_engine(url)
    try:
        rows = lead_rows(make_sessions(engine, fixed(FROZEN_NOW)))
    finally:
        engine.dispose()
    return [(r["business"], r["email"], r["outcome"]) for r in rows]


MARIE = ("Boutique Chez Marie", "marie@exemple.com", "admissible")


def test_a_lead_comes_back_in_a_fresh_database(
    sessions: sessionmaker[Session], database_url: str, fresh_url: str, tmp_path: Path
) -> None:
    save_submission(sessions, submission())
    file = backup(database_url, tmp_path / "backups" / "numeriqc.backup")
    assert file.stat().st_size > 0 and file.stat().st_mode & 0o777 == 0o600
    restore(file, fresh_url)
    assert leads_in(fresh_url) == [MARIE]
    upgrade(fresh_url)  # the schema's version came with the data: nothing to migrate
    assert leads_in(fresh_url) == [MARIE]


def test_a_restore_replaces_what_the_database_holds(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    save_submission(sessions, submission())
    file = backup(database_url, tmp_path / "numeriqc.backup")
    save_submission(sessions, submission(email="luc@exemple.com", conversation_id="conv-2"))
    restore(file, database_url)
    assert leads_in(database_url) == [MARIE]


def test_the_cli_backs_up_and_restores(
    sessions: sessionmaker[Session],
    database_url: str,
    fresh_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    save_submission(sessions, submission())
    file = tmp_path / "numeriqc.backup"
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["db", "backup", str(file)]) == 0
    monkeypatch.setenv("DATABASE_URL", fresh_url)
    assert main(["db", "restore", str(file)]) == 0
    assert leads_in(fresh_url) == [MARIE]
    assert "restored from" in capsys.readouterr().out
    assert main(["db", "restore", str(tmp_path / "missing.backup")]) == 1
    assert "restore failed: no backup file" in capsys.readouterr().err


def test_the_cli_backs_up_the_tracker_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tracker = tmp_path / "var" / "tracker.db"
    tracker.parent.mkdir()
    with sqlite3.connect(tracker) as connection:
        connection.execute("CREATE TABLE events (sender_id TEXT, data TEXT)")
        connection.execute("INSERT INTO events VALUES ('moi', '{\"text\": \"allo\"}')")
    connection.close()
    monkeypatch.setenv("RASA_TRACKER_DB", str(tracker))
    assert main(["db", "backup", "--tracker", str(tmp_path / "tracker.backup")]) == 0
    tracker.unlink()
    assert main(["db", "restore", "--tracker", str(tmp_path / "tracker.backup")]) == 0
    with sqlite3.connect(tracker) as connection:
        assert connection.execute("SELECT sender_id FROM events").fetchall() == [("moi",)]
    connection.close()
    assert "tracker store restored" in capsys.readouterr().out


def test_an_online_sqlite_backup_is_consistent_while_another_connection_writes(
    tmp_path: Path,
) -> None:
    """Every transaction of the writer adds two rows; each backup holds whole transactions."""
    live = tmp_path / "live.db"
    with sqlite3.connect(live) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE pairs (n INTEGER, half TEXT)")
    connection.close()
    stop = threading.Event()
    written = [0]

    def write() -> None:
        writer = sqlite3.connect(live, timeout=10)
        while not stop.is_set():
            with writer:
                n = written[0]
                writer.executemany("INSERT INTO pairs VALUES (?, ?)", [(n, "a"), (n, "b")])
            written[0] += 1
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    while not written[0]:
        time.sleep(0.001)
    counts = []
    try:
        for i in range(20):
            copy = backup(f"sqlite:///{live}", tmp_path / f"copy-{i}.db")
            with sqlite3.connect(copy) as reading:
                [(rows, transactions)] = reading.execute(
                    "SELECT count(*), count(DISTINCT n) FROM pairs"
                ).fetchall()
                assert reading.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            reading.close()
            assert rows == 2 * transactions
            counts.append(transactions)
    finally:
        stop.set()
        thread.join()
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0  # taken while it grew


def test_failures_are_clear(tmp_path: Path, database_url: str) -> None:
    with pytest.raises(BackupError, match="no SQLite database at"):
        backup(f"sqlite:///{tmp_path / 'nothing.db'}", tmp_path / "copy.db")
    (tmp_path / "not-a-backup").write_text("bonjour")
    with pytest.raises(BackupError, match="failed"):
        restore(tmp_path / "not-a-backup", database_url)
    if database_url.startswith("postgresql"):
        missing = database_url.rsplit("/", 1)[0] + "/numeriqc_does_not_exist"
        with pytest.raises(BackupError, match=r"pg_dump failed: .*numeriqc_does_not_exist"):
            backup(missing, tmp_path / "copy.backup")
    assert not list(tmp_path.glob("copy*"))  # nothing half-written is left
