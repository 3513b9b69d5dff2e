"""The program team's command line lists and exports leads."""

from __future__ import annotations

import csv
import email
import email.policy
import json
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Slot
from bot.storage.bookings import book
from bot.storage.leads import save_submission
from bot.storage.models import Booking, as_utc
from tests.storage.test_leads import submission


def test_export_json_and_csv(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    save_submission(sessions, submission())
    assert main(["leads", "--format", "json", "--output", str(tmp_path / "leads.json")]) == 0
    assert json.loads((tmp_path / "leads.json").read_text())[0]["business"] == "Boutique Chez Marie"
    assert main(["leads", "--format", "csv", "--output", str(tmp_path / "leads.csv")]) == 0
    with (tmp_path / "leads.csv").open() as file:
        assert next(csv.DictReader(file))["Décision"] == "admissible"


def test_table_on_screen(
    sessions: sessionmaker[Session],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    save_submission(sessions, submission())
    assert main(["leads"]) == 0
    assert "Boutique Chez Marie" in capsys.readouterr().out


def test_reminders_command_mails_tomorrows_sessions_once(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("FROZEN_CLOCK", "2026-11-23T09:00:00-05:00")
    monkeypatch.setenv("SMTP_HOST", "")
    lead_id = save_submission(sessions, submission())
    tuesday = datetime(2026, 11, 24, 9, 0, tzinfo=TIMEZONE)
    booking = book(sessions, Slot(tuesday, tuesday + timedelta(hours=1), "sophie"), lead_id)
    with sessions.begin() as session:  # booked last week
        session.execute(update(Booking).values(updated_at=as_utc(tuesday - timedelta(days=8))))
    assert main(["reminders"]) == 0
    assert main(["jobs"]) == 0  # the scheduled work again: nothing new
    [path] = (tmp_path / "outbox").glob("*.eml")
    mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(mail, EmailMessage) and mail["To"] == "marie@exemple.com"
    body = mail.get_body()
    assert body is not None and booking.reference in body.get_content()
