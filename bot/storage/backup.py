"""Backups of a database and their restoration, for the team's CLI (`bot.cli db backup|restore`).

SQLite (the application database by default, and Rasa's tracker store): the online backup API
copies a consistent snapshot while the product keeps running, into one self-contained file.
PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore --clean --if-exists --no-owner`
in a single transaction. See docs/BACKUPS.md.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(RuntimeError):
    """A backup or a restore could not be made; `str()` says why, for the operator."""


def backup(url: str, destination: Path) -> Path:
    """Copy the database at `url` to the file `destination` (replaced only once complete)."""
    parsed = make_url(url)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if parsed.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_file(parsed, must_exist=True), partial, single_file=True)
        elif parsed.get_backend_name() == "postgresql":
            _run("pg_dump", ["--format=custom", f"--file={partial}"], parsed)
        else:
            raise BackupError(f"cannot back up a {parsed.get_backend_name()} database")
        partial.chmod(0o600)  # merchants' personal data: readable by its owner only
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination


def restore(source: Path, url: str) -> None:
    """Replace the content of the database at `url` with the backup `source`."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        target = _sqlite_file(parsed, must_exist=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, target, single_file=False)
    elif parsed.get_backend_name() == "postgresql":
        options = ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)]
        _run("pg_restore", options, parsed)
    else:
        raise BackupError(f"cannot restore into a {parsed.get_backend_name()} database")


def _sqlite_file(url: URL, must_exist: bool) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up or restore")
    path = Path(url.database)
    if must_exist and not path.is_file():
        raise BackupError(f"no SQLite database at {path}")
    return path


def _sqlite_copy(source: Path, target: Path, single_file: bool) -> None:
    """Page-by-page copy through SQLite's online backup API: a consistent snapshot, even while
    other connections write; the target's readers see the old or the new content, never a mix.
    A backup (`single_file`) is left in rollback-journal mode, one self-contained file; a
    restored database keeps its mode (leaving WAL would need the product stopped)."""
    try:
        with (
            closing(sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)) as reading,
            closing(sqlite3.connect(target)) as writing,
        ):
            check = reading.execute("PRAGMA quick_check").fetchone()
            if check != ("ok",):
                raise BackupError(f"{source} failed SQLite's integrity check: {check}")
            reading.backup(writing)
            if single_file:
                writing.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.DatabaseError as error:  # not a database, locked beyond the timeout, disk full
        raise BackupError(f"SQLite copy from {source} to {target} failed: {error}") from None


def _run(tool: str, options: list[str], url: URL) -> None:
    """Run a PostgreSQL client tool on `url` (libpq form; the password in the environment, so
    that it never shows in the process list)."""
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    try:
        done = subprocess.run(
            [tool, f"--dbname={libpq}", *options],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise BackupError(f"{tool} not found on PATH: install the PostgreSQL client") from None
    if done.returncode != 0:
        details = done.stderr.strip() or f"exit status {done.returncode}"
        raise BackupError(f"{tool} failed: {details}")
