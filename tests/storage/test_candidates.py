"""Candidate models' rows on SQLite and PostgreSQL: one request at a time, claimed by one
runner, a stopped training marked failed, a model file recorded once, the promotion audited."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.clock import fixed
from bot.learning import candidate
from bot.learning.candidate import build, digest_of
from bot.learning.quality import load_quality
from bot.settings import load_settings
from bot.storage import candidates
from bot.storage.accounts import create_account
from bot.storage.database import make_engine, make_sessions
from bot.storage.missed import Example
from bot.storage.models import AuditEntry, Base
from tests.conftest import FROZEN_NOW, free_port

PASSWORD = "une phrase de passe assez longue"
HOUR = timedelta(hours=1)


def manager(sessions: sessionmaker[Session], key: str = "gestion") -> int:
    return create_account(sessions, f"{key}@qcnum.example", key.title(), "manager", PASSWORD)


def test_the_migration_makes_the_table_of_the_model(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert [d for d in differences if "candidate_models" in repr(d)] == []


def test_one_request_at_a_time_taken_by_one_runner(sessions: sessionmaker[Session]) -> None:
    account = manager(sessions)
    first = candidates.request_candidate(sessions, account)
    with pytest.raises(candidates.AlreadyUnderWay):
        candidates.request_candidate(sessions, account)
    assert candidates.claim_request(sessions, HOUR) == first
    assert candidates.claim_request(sessions, HOUR) is None  # the other runner gets nothing
    row = candidates.model_of(sessions, first)
    assert row is not None and row.status == candidates.TRAINING and row.requested_by == "Gestion"
    with pytest.raises(candidates.AlreadyUnderWay):  # still under way while it trains
        candidates.request_candidate(sessions, account)


def test_a_training_whose_runner_stopped_is_marked_failed(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    first = candidates.request_candidate(sessions, None)
    assert candidates.claim_request(sessions, HOUR) == first
    engine = make_engine(database_url)
    later = make_sessions(engine, fixed(FROZEN_NOW + 2 * HOUR))
    with pytest.raises(candidates.AlreadyUnderWay):
        candidates.request_candidate(later, None)
    assert candidates.claim_request(later, HOUR) is None  # marks the stopped one failed
    second = candidates.request_candidate(later, None)
    engine.dispose()
    assert second != first
    row = candidates.model_of(sessions, first)
    assert row is not None and row.status == candidates.FAILED
    assert row.error == "L'entraînement a été interrompu."


def test_a_model_file_is_recorded_once_and_its_promotion_audited(
    sessions: sessionmaker[Session],
) -> None:
    account = manager(sessions)
    serving = candidates.service_model(sessions, "/m/numeriqc.tar.gz", "a" * 64)
    assert candidates.service_model(sessions, "/m/numeriqc.tar.gz", "a" * 64) == serving
    found = candidates.model_of(sessions, serving)
    assert found is not None and found.status == candidates.FOUND and not found.under_way
    asked = candidates.request_candidate(sessions, account)  # the model in service: no training
    candidates.record_figures(sessions, serving, {"nlu_macro_f1": 0.97})
    trained = candidates.new_training(sessions, account)
    candidates.record_trained(sessions, trained, "/m/candidate-1.tar.gz", "b" * 64, [3, 5], 2)
    candidates.record_figures(sessions, trained, {"nlu_macro_f1": 0.98})
    candidates.record_promotion(sessions, trained, account, serving)
    row = candidates.model_by_digest(sessions, "b" * 64)
    assert row is not None and row.promoted_by == "Gestion" and row.replaced_id == serving
    assert (row.example_ids, row.example_count, row.figures) == ([3, 5], 2, {"nlu_macro_f1": 0.98})
    assert row.promoted_at == FROZEN_NOW and row.status == candidates.MEASURED
    assert [m.id for m in candidates.all_models(sessions)] == [trained, asked, serving]
    with sessions() as session:
        audit = session.scalars(select(AuditEntry)).all()
    assert [(a.account_id, a.action) for a in audit] == [(account, candidates.PROMOTED)]
    assert "candidate-1.tar.gz" in (audit[0].detail or "")


def test_the_command_line_refuses_a_drop_promotes_and_rolls_back(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    model = tmp_path / "numeriqc.tar.gz"
    model.write_bytes(b"the model in service")
    for name, value in {
        "DATABASE_URL": database_url, "VAR_DIR": str(tmp_path), "RASA_MODEL": str(model),
        "RASA_PORT": str(free_port()), "RASA_API_TOKEN": "", "INSTANCES": "1", "PUBLIC_PORT": "0",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    folder = tmp_path / "models"
    folder.mkdir()
    figures = {k: f.minimum or 0.0 for k, f in load_quality().items() if f.candidate}
    ids = []
    for content, values in ((b"weaker", figures | {"stories": 0.9}), (b"good", figures)):
        file = folder / f"{content.decode()}.tar.gz"
        file.write_bytes(content)
        model_id = candidates.new_training(sessions, None)
        candidates.record_trained(sessions, model_id, str(file), digest_of(file), [], 0)
        candidates.record_figures(sessions, model_id, values)
        ids.append(model_id)
    assert main(["model", "promote", str(ids[0])]) == 1
    assert (
        "refusé : « Histoires de test prédites » : 0,9, le seuil est ≥ 1."
        in capsys.readouterr().err
    )
    assert main(["model", "promote", str(ids[1])]) == 0
    said = capsys.readouterr()
    assert f"modèle n° {ids[1]} en service" in said.out and "prochain démarrage" in said.err
    assert model.read_bytes() == b"good"
    assert main(["model", "rollback"]) == 0
    assert model.read_bytes() == b"the model in service"
    with sessions() as session:
        details = [a.detail or "" for a in session.scalars(select(AuditEntry)).all()]
    assert len(details) == 2 and all("ligne de commande" in d for d in details)


def test_a_failed_build_is_recorded_for_the_page(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    settings = dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path, frozen_clock=FROZEN_NOW
    )
    model_id = candidates.request_candidate(sessions, None)
    assert candidates.claim_request(sessions, HOUR) == model_id

    def unreadable(_: sessionmaker[Session]) -> list[Example]:
        raise OSError("la base des exemples est injoignable")

    build(settings, model_id, unreadable)
    row = candidates.model_of(sessions, model_id)
    assert row is not None and row.status == candidates.FAILED and not row.under_way
    assert row.error == "la base des exemples est injoignable"
    candidates.request_candidate(sessions, None)  # a new one may be asked for


def test_a_model_is_measured_again_when_a_figure_it_lacks_is_asked_of_candidates(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A model measured before the booking turns and the simulated merchants were asked of
    candidates (config/quality.yml) is measured again; once it has every figure, never again."""
    settings = dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path, frozen_clock=FROZEN_NOW
    )
    asked = {k: f.minimum or 0.0 for k, f in load_quality().items() if f.candidate}
    measured: list[Path] = []

    def measure(_: object, model: Path, work: Path) -> dict[str, float]:
        measured.append(model)
        return asked

    monkeypatch.setattr(candidate, "measure", measure)
    settings.candidates.mkdir()
    file = tmp_path / "old.tar.gz"
    file.write_bytes(b"measured before")
    model_id = candidates.service_model(sessions, str(file), digest_of(file))
    older = {k: v for k, v in asked.items() if k not in {"booking_turns", "simulated_merchants"}}
    candidates.record_figures(sessions, model_id, older)
    for _ in range(2):
        row = candidates.model_of(sessions, model_id)
        assert row is not None
        candidate.measure_once(settings, sessions, row)
    assert measured == [file]
    row = candidates.model_of(sessions, model_id)
    assert row is not None and row.figures == asked
