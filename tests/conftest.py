"""Shared test helpers: the domain's responses, HTTP calls, and the running product."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from bot.learning.chat import post as chat_post
from bot.learning.responses import Responses as Responses  # re-exported for the tests
from bot.settings import ROOT, Settings, load_settings
from bot.stack import Stack

# The tests' clock: Monday 23 November 2026, 10 h in Québec. Fixed so that « mardi » is always
# ambiguous, the dates proposed are reproducible and the test data's dates keep their meaning.
# Every test that seeds or compares times uses it: the storage tests' sessions stamp their rows
# with it, the running product gets it as FROZEN_CLOCK. `make test-any-date` runs the unit,
# storage, web and action suites with the system clock moved 400 days ahead to prove it.
FROZEN_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Toronto"))

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def new_postgres_database(prefix: str = "numeriqc_test") -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    # Checked before use: a test may restart the server meanwhile.
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped afterwards."""
    with new_postgres_database() as url:
        yield url


# The real Redis server, a database of its own per parallel worker (`pytest -n 2`: 15 and 14).
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_TEST_URL = f"redis://127.0.0.1:6379/{15 - _WORKER}"


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The real Redis server's test database, emptied before and after the test."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.flushdb()
    yield REDIS_TEST_URL
    client.flushdb()
    client.close()


# Figures measured by the tests, printed at the end of the run (see pytest_terminal_summary).
FIGURES: dict[str, str] = {}


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A parallel worker hands its figures to the main process (pytest-xdist)."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["figures"] = json.dumps(FIGURES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """The main process gathers the figures of a parallel worker that finished."""
    FIGURES.update(json.loads(getattr(node, "workeroutput", {}).get("figures", "{}")))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("measured figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")


def free_port(run: int = 1) -> int:
    """A port free now with the `run - 1` ports after it (the production profile's instances
    take the ports after their balancer's)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if all(_free(port + offset) for offset in range(1, run)):
            return port


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# A partner site allowed to host the chat widget (the widget tests serve a page there).
PARTNER_ORIGIN = f"http://localhost:{free_port()}"


@contextmanager
def web_app_alone(database_url: str, folder: Path) -> Iterator[str]:
    """The web app alone (no Rasa) in its own process on the tests' clock, with `database_url`,
    its files and the tracker store `tracker.db` under `folder`: its address, once it answers."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": str(folder),
           "WEB_PORT": str(port), "RASA_TRACKER_DB": str(folder / "tracker.db"),
           "FROZEN_CLOCK": FROZEN_NOW.isoformat()}  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "bot.web"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a browser's stream still open
            process.kill()
            process.wait(timeout=10)


# A second program, fictional (tests/packs/README.md): the same code runs it with no change.
FICTIONAL_PACK = ROOT / "tests" / "packs" / "fictional"


@pytest.fixture
def fictional(monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test reads the fictional pack (`PROGRAM_DIR`), as a process started on it would."""
    monkeypatch.setenv("PROGRAM_DIR", str(FICTIONAL_PACK))
    return FICTIONAL_PACK


# The production tests' nginx serves a self-signed certificate.
UNVERIFIED = ssl._create_unverified_context()


def post(
    url: str, body: bytes | str | dict[str, Any], headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    """`bot.learning.chat.post`, accepting the tests' self-signed certificate over HTTPS."""
    return chat_post(url, body, headers, UNVERIFIED if url.startswith("https:") else None)


@pytest.fixture(scope="session")
def responses() -> Responses:
    return Responses()


@contextmanager
def started_stack(
    var_dir: Path,
    database_url: str | None = None,
    frozen_clock: datetime | None = None,
    **changes: Any,
) -> Iterator[Stack]:
    """The whole product (actions, Rasa, web app, reminders) on free ports with its own files,
    supervised (a process that dies is restarted); the `Stack`, for tests that fault it.
    `changes`: other settings (e.g. an SMTP server's `smtp_host` and `smtp_port`). The live
    chat is closed unless `live_chat_file` says otherwise: these suites' « Parler à une
    personne » is the callback request of the hours when nobody answers live (the live chat's
    own suite opens it: tests/e2e/test_live_handoff_browser.py)."""
    if "live_chat_file" not in changes:
        var_dir.mkdir(parents=True, exist_ok=True)
        changes["live_chat_file"] = var_dir / "live_chat_closed.yml"
        changes["live_chat_file"].write_text("hours: {}\n", encoding="utf-8")
    run = 1 + int(changes.get("instances", 1))  # a balancer's port and its instances'
    settings = dataclasses.replace(
        load_settings(),
        rasa_port=free_port(run),
        action_port=free_port(run),
        web_port=free_port(run),
        var_dir=var_dir,
        tracker_db=var_dir / "tracker.db",
        database_url=database_url or f"sqlite:///{var_dir / 'numeriqc.db'}",
        frozen_clock=frozen_clock,
        allowed_origins=(PARTNER_ORIGIN,),
        **changes,
    )
    stack = Stack(settings, log_dir=var_dir / "logs")
    try:
        stack.start(timeout=180)
    except RuntimeError:
        for log in sorted((var_dir / "logs").glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    try:
        yield stack
    finally:
        stack.stop()


@contextmanager
def running_stack(
    var_dir: Path,
    database_url: str | None = None,
    frozen_clock: datetime | None = None,
    **changes: Any,
) -> Iterator[Settings]:
    """The whole product (actions, Rasa, web app, reminders) on free ports with its own files."""
    with started_stack(var_dir, database_url, frozen_clock, **changes) as stack:
        yield stack.settings


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The product on the embedded default (SQLite files in a temporary folder), its scheduling
    clock frozen on a Monday morning so that booking conversations are reproducible."""
    with running_stack(tmp_path_factory.mktemp("var"), frozen_clock=FROZEN_NOW) as settings:
        yield settings
