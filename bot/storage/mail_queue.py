"""The mail retry queue (`mail_queue`): mails the SMTP server did not take, in the database that
every instance shares, each claimed by one runner at a time (a claim older than `STALE_CLAIM`
belongs to a runner that died and is taken over)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import QueuedMail

STALE_CLAIM = timedelta(minutes=10)


@dataclass(frozen=True)
class Waiting:
    """A queued mail as a runner sees it."""

    id: int
    raw: bytes
    attempts: int
    first_at: datetime
    next_at: datetime


def enqueue(
    sessions: sessionmaker[Session], raw: bytes, now: datetime, wait: timedelta, error: str
) -> int:
    """Queue a mail whose first try failed at `now`; its id."""
    with sessions.begin() as session:
        row = QueuedMail(
            raw=raw, attempts=1, first_at=now, next_at=now + wait, error=error[:100], failed=False
        )
        session.add(row)
        session.flush()
        return row.id


def pending(sessions: sessionmaker[Session]) -> list[tuple[int, datetime]]:
    """The mails still to send (not given up), with their next try, oldest first."""
    with sessions() as session:
        rows = session.execute(
            select(QueuedMail.id, QueuedMail.next_at)
            .where(QueuedMail.failed.is_(False))
            .order_by(QueuedMail.id)
        )
        return [(mail_id, next_at) for mail_id, next_at in rows]


def claim(sessions: sessionmaker[Session], mail_id: int, now: datetime) -> Waiting | None:
    """Take a due mail for this runner; None if another runner has it or it is not due."""
    with sessions.begin() as session:
        taken = session.execute(
            update(QueuedMail)
            .where(
                QueuedMail.id == mail_id,
                QueuedMail.failed.is_(False),
                QueuedMail.next_at <= now,
                or_(QueuedMail.claimed_at.is_(None), QueuedMail.claimed_at < now - STALE_CLAIM),
            )
            .values(claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        row = session.get_one(QueuedMail, mail_id)
        return Waiting(row.id, row.raw, row.attempts, row.first_at, row.next_at)


def sent(sessions: sessionmaker[Session], mail_id: int) -> None:
    with sessions.begin() as session:
        session.execute(delete(QueuedMail).where(QueuedMail.id == mail_id))


def try_later(
    sessions: sessionmaker[Session], mail_id: int, attempts: int, next_at: datetime, error: str
) -> None:
    """Release a claimed mail with its next try."""
    with sessions.begin() as session:
        session.execute(
            update(QueuedMail)
            .where(QueuedMail.id == mail_id)
            .values(attempts=attempts, next_at=next_at, error=error[:100], claimed_at=None)
        )


def give_up(sessions: sessionmaker[Session], mail_id: int, attempts: int, error: str) -> None:
    """Keep a mail that could not be sent for the team, out of the queue."""
    with sessions.begin() as session:
        session.execute(
            update(QueuedMail)
            .where(QueuedMail.id == mail_id)
            .values(attempts=attempts, error=error[:100], claimed_at=None, failed=True)
        )


def all_mails(session: Session) -> list[tuple[int, bytes]]:
    """Every queued or given-up mail, for the erasure of a person."""
    return [
        (mail_id, raw) for mail_id, raw in session.execute(select(QueuedMail.id, QueuedMail.raw))
    ]


def remove(session: Session, ids: list[int]) -> None:
    session.execute(delete(QueuedMail).where(QueuedMail.id.in_(ids)))
