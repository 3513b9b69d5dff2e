"""The privacy officer's command line: find, export, correct, erase, retention."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from tests.storage.test_analytics import EVENTS, NOW
from tests.storage.test_privacy import EMAIL, NAME, NEEDLES, PHONE, occurrences, person


def test_find_export_correct_erase_and_retention(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(tracker)
    EVENTS.create(engine)
    engine.dispose()
    for name, value in {"DATABASE_URL": database_url, "VAR_DIR": str(tmp_path),
                        "RASA_TRACKER_DB": str(tmp_path / "tracker.db")}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    lead_id = person(sessions, tracker, (NAME, EMAIL, PHONE), "conv-marie", False)
    capsys.readouterr()

    assert main(["privacy", "find", "418-555-1234"]) == 0
    assert f"{lead_id:>5}  Boutique de Marie Tremblay" in capsys.readouterr().out
    assert main(["privacy", "export", str(lead_id), "--output", str(tmp_path / "f.json")]) == 0
    record = json.loads((tmp_path / "f.json").read_text())
    assert record["contacts"][0]["email"] == EMAIL
    assert record["conversation"][0]["text"] == f"je m'appelle {NAME}"
    assert main(["privacy", "correct", str(lead_id), "email", "pas valide"]) == 2
    assert "adresse courriel" in capsys.readouterr().err
    assert main(["privacy", "erase", str(lead_id)]) == 0
    assert "add --yes" in capsys.readouterr().out
    assert occurrences(database_url, NEEDLES)
    assert main(["privacy", "erase", str(lead_id), "--yes"]) == 0
    assert f"lead {lead_id} erased; sessions cancelled: none" in capsys.readouterr().out
    assert occurrences(database_url, NEEDLES) == [] and occurrences(tracker, NEEDLES) == []
    assert main(["privacy", "retention", "--dry-run"]) == 0
    assert "would erase 0 lead(s)" in capsys.readouterr().out
    assert main(["privacy", "export", "999"]) == 2


def test_the_scheduled_jobs_apply_the_retention(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(tracker)
    EVENTS.create(engine)
    engine.dispose()
    person(sessions, tracker, (NAME, EMAIL, PHONE), "conv-marie", False)
    later = NOW + timedelta(days=400)  # the rows were stamped at NOW
    for name, value in {"DATABASE_URL": database_url, "VAR_DIR": str(tmp_path),
                        "RASA_TRACKER_DB": str(tmp_path / "tracker.db"),
                        "FROZEN_CLOCK": later.isoformat(), "RETENTION_DAYS": "365"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    assert main(["jobs"]) == 0
    assert occurrences(database_url, NEEDLES) == [] and occurrences(tracker, NEEDLES) == []
