"""The program team's command line lists and exports leads."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.storage.leads import save_submission
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
        assert next(csv.DictReader(file))["outcome"] == "admissible"


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
