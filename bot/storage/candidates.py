"""Candidate models and the model in service, as the « Modèle » page and `bot.cli model` see them:
one row per model file (found by its SHA-256, so a file is measured once), its figures, the
approved examples it was trained with, who asked for it and who put it in service.

The model serving is the row whose digest is the file at RASA_MODEL's (`bot.learning.candidate`
compares them): no flag can disagree with the file Rasa loads at its next start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import (
    AuditEntry,
    CandidateModel,
    as_utc,
    now_of,
)

CANDIDATE, SERVICE = "candidate", "service"  # trained here, or found serving
REQUESTED, TRAINING, MEASURING, MEASURED, FAILED = (
    "requested", "training", "measuring", "measured", "failed",
)  # fmt: skip
FOUND = "found"  # the model found in service, not measured yet (with the next candidate)
UNDER_WAY = (REQUESTED, TRAINING, MEASURING)
ERROR_MAX = 2000
PROMOTED, ROLLED_BACK = "modèle mis en service", "retour au modèle précédent"  # the audit's words


class AlreadyUnderWay(Exception):
    """A candidate is already requested or being trained: one at a time."""


@dataclass(frozen=True)
class ModelRecord:
    """A model as the page and the CLI show it."""

    id: int
    origin: str
    status: str
    file: str | None
    digest: str | None
    figures: dict[str, float]
    error: str | None
    example_ids: list[int]
    example_count: int
    requested_by: str | None
    requested_at: datetime
    trained_at: datetime | None
    measured_at: datetime | None
    promoted_by: str | None
    promoted_at: datetime | None
    replaced_id: int | None

    @property
    def under_way(self) -> bool:
        return self.status in UNDER_WAY


def _record(row: CandidateModel) -> ModelRecord:
    def moment(value: datetime | None) -> datetime | None:
        return None if value is None else as_utc(value)

    return ModelRecord(
        id=row.id, origin=row.origin, status=row.status, file=row.file, digest=row.digest,
        figures=dict(row.figures or {}), error=row.error, example_ids=list(row.example_ids or []),
        example_count=row.example_count,
        requested_by=row.requester.name if row.requester else None,
        requested_at=as_utc(row.requested_at), trained_at=moment(row.trained_at),
        measured_at=moment(row.measured_at),
        promoted_by=row.promoter.name if row.promoter else None,
        promoted_at=moment(row.promoted_at), replaced_id=row.replaced_id,
    )  # fmt: skip


def request_candidate(sessions: sessionmaker[Session], account_id: int | None) -> int:
    """Ask for a candidate to be trained and measured (by the scheduled jobs); one at a time."""
    with sessions.begin() as session:
        busy = session.scalar(
            select(CandidateModel.id).where(CandidateModel.status.in_(UNDER_WAY)).limit(1)
        )
        if busy is not None:
            raise AlreadyUnderWay(busy)
        row = CandidateModel(origin=CANDIDATE, status=REQUESTED, requested_by=account_id)
        session.add(row)
        session.flush()
        return row.id


def claim_request(sessions: sessionmaker[Session], stale_after: timedelta) -> int | None:
    """Take the oldest requested candidate for training (one runner wins it); a training that
    started more than `stale_after` ago (its runner stopped) is marked failed first."""
    with sessions.begin() as session:
        now = now_of(session)
        session.execute(
            update(CandidateModel)
            .where(
                CandidateModel.status.in_((TRAINING, MEASURING)),
                CandidateModel.started_at < now - stale_after,
            )
            .values(status=FAILED, error="L'entraînement a été interrompu.")
        )
        found = session.scalar(
            select(CandidateModel.id)
            .where(CandidateModel.status == REQUESTED)
            .order_by(CandidateModel.id)
            .limit(1)
        )
        if found is None:
            return None
        taken = session.execute(
            update(CandidateModel)
            .where(CandidateModel.id == found, CandidateModel.status == REQUESTED)
            .values(status=TRAINING, started_at=now)
        )
        return found if taken.rowcount == 1 else None  # type: ignore[attr-defined]


def new_training(sessions: sessionmaker[Session], account_id: int | None) -> int:
    """A candidate trained at once (the CLI): recorded as under training."""
    with sessions.begin() as session:
        row = CandidateModel(origin=CANDIDATE, status=TRAINING, requested_by=account_id)
        row.started_at = now_of(session)
        session.add(row)
        session.flush()
        return row.id


def record_trained(
    sessions: sessionmaker[Session], model_id: int, file: str, digest: str, example_ids: list[int],
    example_count: int,
) -> None:  # fmt: skip
    """The candidate's file exists: what it holds, and its measurement comes next."""
    with sessions.begin() as session:
        row = session.get_one(CandidateModel, model_id)
        row.file, row.digest, row.status = file, digest, MEASURING
        row.example_ids, row.example_count = list(example_ids), example_count
        row.trained_at = now_of(session)


def service_model(sessions: sessionmaker[Session], file: str, digest: str) -> int:
    """The row of the model file `digest` (the one serving): found, or recorded as found in
    service, to be measured."""
    with sessions.begin() as session:
        found = session.scalar(select(CandidateModel.id).where(CandidateModel.digest == digest))
        if found is not None:
            return found
        row = CandidateModel(origin=SERVICE, status=FOUND, file=file, digest=digest)
        session.add(row)
        session.flush()
        return row.id


def record_measuring(sessions: sessionmaker[Session], model_id: int) -> None:
    """The model's measurement starts (« en cours »)."""
    with sessions.begin() as session:
        row = session.get_one(CandidateModel, model_id)
        row.status, row.started_at = MEASURING, now_of(session)


def record_figures(
    sessions: sessionmaker[Session], model_id: int, figures: dict[str, float]
) -> None:
    """The model's measured figures (once per file)."""
    with sessions.begin() as session:
        row = session.get_one(CandidateModel, model_id)
        row.figures, row.status, row.error = dict(figures), MEASURED, None
        row.measured_at = now_of(session)


def record_failure(sessions: sessionmaker[Session], model_id: int, error: str) -> None:
    """The training or the measurement failed: why, for the page."""
    with sessions.begin() as session:
        row = session.get_one(CandidateModel, model_id)
        row.status, row.error = FAILED, error[-ERROR_MAX:]


def record_promotion(
    sessions: sessionmaker[Session], model_id: int, account_id: int | None,
    replaced_id: int | None, rollback: bool = False, command_line_user: str = "",
) -> None:  # fmt: skip
    """The model now serves, in place of `replaced_id`; who did it goes in the audit log (a
    team member's account, or the system user of the command line)."""
    with sessions.begin() as session:
        row = session.get_one(CandidateModel, model_id)
        row.promoted_by, row.promoted_at = account_id, now_of(session)
        if not rollback:
            row.replaced_id = replaced_id
        session.add(
            AuditEntry(
                account_id=account_id, action=ROLLED_BACK if rollback else PROMOTED,
                detail=(
                    f"modèle n° {model_id} ({(row.file or '').rsplit('/', 1)[-1][:200]})"
                    + (f", ligne de commande ({command_line_user[:40]})" if command_line_user else "")
                ),
            )
        )  # fmt: skip


def model_of(sessions: sessionmaker[Session], model_id: int) -> ModelRecord | None:
    with sessions() as session:
        row = session.get(CandidateModel, model_id)
        return None if row is None else _record(row)


def model_by_digest(sessions: sessionmaker[Session], digest: str) -> ModelRecord | None:
    with sessions() as session:
        row = session.scalar(select(CandidateModel).where(CandidateModel.digest == digest))
        return None if row is None else _record(row)


def all_models(sessions: sessionmaker[Session], limit: int = 50) -> list[ModelRecord]:
    """The latest models, newest first."""
    with sessions() as session:
        rows = session.scalars(
            select(CandidateModel).order_by(CandidateModel.id.desc()).limit(limit)
        ).all()
        return [_record(row) for row in rows]
