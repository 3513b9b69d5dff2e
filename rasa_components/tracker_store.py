"""Rasa's SQL tracker store, tuned for the embedded SQLite default.

Rasa's `SQLTrackerStore` opens a new SQLite connection for every read and write (SQLAlchemy
1.4's `NullPool` for files) and commits through a rollback journal with a full disk sync:
about three quarters of the time of a message went there. This store keeps the same tables
and queries, but reuses one connection per thread and writes through a write-ahead log with
`synchronous=NORMAL` (durable across application crashes; readers never block the writer).
PostgreSQL deployments use Rasa's `SQLTrackerStore` unchanged.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.pool import SingletonThreadPool

PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000")


def _set_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    for pragma in PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


class SQLiteTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` on a SQLite file: one reused connection per thread, WAL journal."""

    def __init__(
        self,
        domain: Domain | None = None,
        db: str = "rasa.db",
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("dialect", None)
        super().__init__(
            domain=domain, dialect="sqlite", db=db, event_broker=event_broker, **kwargs
        )
        self.engine.dispose()  # type: ignore[has-type]
        self.engine = sa.create_engine(f"sqlite:///{db}", poolclass=SingletonThreadPool)
        sa.event.listen(self.engine, "connect", _set_pragmas)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
