"""Rasa's SQL tracker store through plain SQL: SQLite for the embedded default, PostgreSQL for
the production profile.

Rasa's `SQLTrackerStore` opens a new SQLite connection for every read and write (SQLAlchemy
1.4's `NullPool` for files) and commits through a rollback journal with a full disk sync:
about three quarters of the time of a message went there. `SQLiteTrackerStore` keeps the same
tables and queries, but reuses one connection per thread and writes through a write-ahead log
with `synchronous=NORMAL` (durable across application crashes; readers never block the
writer). Both stores read and write through two plain SQL statements each (same table, same
meaning as Rasa's ORM queries: the events of the latest session), which halves the store's
cost (on PostgreSQL, Rasa's CPU per FAQ message went from 19.5 to 16.8 ms under load);
`PostgresTrackerStore` also checks its pooled connections before use (docs/DEPLOY.md).
They override Rasa 3.6.21 internals, so they refuse to start on another Rasa
(`rasa_components/patching.py`); `tests/model/test_tracker_store.py` checks that both return
the same events as `SQLTrackerStore`.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.pool import SingletonThreadPool

from rasa_components.patching import require_rasa_version

# The Rasa functions this store overrides or mirrors in plain SQL, with the SHA-256 of their
# source in Rasa 3.6.21.
PATCHED = {
    "rasa.core.tracker_store.SQLTrackerStore.__init__": (
        "64e704d159dfa35b86175cccdc9d08b05cbf91b2e0779bccf115671106ad9314"
    ),
    "rasa.core.tracker_store.SQLTrackerStore._retrieve": (
        "c8adbf6f4b61ddd1124690944ebdf2ebc82d0723bd07c6704caab0b80120a0ef"
    ),
    "rasa.core.tracker_store.SQLTrackerStore._event_query": (
        "cd44f7901b860bfd598a813bde17d0d5b0d7bab129feaf76bb2dca87d628625b"
    ),
    "rasa.core.tracker_store.SQLTrackerStore.save": (
        "57165e46eab3de0866e77f03df0bf7fd5eac2c1de617ed431b934c9a4edfeef6"
    ),
    "rasa.core.tracker_store.SQLTrackerStore._additional_events": (
        "d22f99eb863acb07afee63d9fe3a04ca8464251e67a43eb7d36c2d65ffc1653f"
    ),
}

PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000")
# Events of the latest session of a sender: since its last `session_started`, or all of them.
_LATEST_SESSION = """
    FROM events WHERE sender_id = :sender AND (
        timestamp >= (SELECT max(timestamp) FROM events
                      WHERE sender_id = :sender AND type_name = 'session_started')
        OR NOT EXISTS (SELECT 1 FROM events
                       WHERE sender_id = :sender AND type_name = 'session_started'))
"""


def _set_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    for pragma in PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


class _PlainSQLEvents(SQLTrackerStore):
    """Rasa's events table read and written through two plain SQL statements each."""

    def _use(self, engine: sa.engine.Engine) -> None:
        """Replace the engine Rasa made (disposed) by `engine`."""
        self.engine.dispose()  # type: ignore[has-type]
        self.engine = engine
        self.sessionmaker = sa.orm.session.sessionmaker(bind=engine)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.text(f"SELECT data {_LATEST_SESSION} ORDER BY id"), {"sender": sender_id}
            ).all()
        if not rows or self.domain is None:
            return None
        events = [json.loads(data) for (data,) in rows]
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        sender = tracker.sender_id
        with self.engine.begin() as connection:
            stored = connection.execute(
                sa.text(f"SELECT count(*) {_LATEST_SESSION}"), {"sender": sender}
            ).scalar_one()
            rows = []
            for event in list(tracker.events)[stored:]:
                data = event.as_dict()
                rows.append(
                    {
                        "sender": sender,
                        "type_name": event.type_name,
                        "timestamp": data.get("timestamp"),
                        "intent": data.get("parse_data", {}).get("intent", {}).get("name"),
                        "action": data.get("name"),
                        "data": json.dumps(data),
                    }
                )
            if rows:
                connection.execute(
                    sa.text(
                        "INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                        "action_name, data) VALUES "
                        "(:sender, :type_name, :timestamp, :intent, :action, :data)"
                    ),
                    rows,
                )


class SQLiteTrackerStore(_PlainSQLEvents):
    """`SQLTrackerStore` on a SQLite file: one reused connection per thread, WAL journal."""

    def __init__(
        self,
        domain: Domain | None = None,
        db: str = "rasa.db",
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        require_rasa_version(__name__)
        kwargs.pop("dialect", None)
        super().__init__(
            domain=domain, dialect="sqlite", db=db, event_broker=event_broker, **kwargs
        )
        engine = sa.create_engine(f"sqlite:///{db}", poolclass=SingletonThreadPool)
        sa.event.listen(engine, "connect", _set_pragmas)
        self._use(engine)


class PostgresTrackerStore(_PlainSQLEvents):
    """`SQLTrackerStore` on PostgreSQL (the production profile), through the same plain SQL,
    its pooled connections checked before use. Without the check, the first turn after a
    database restart fails to read the tracker and Rasa falls back to an empty in-memory one:
    the conversation would start over."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        require_rasa_version(__name__)
        kwargs.pop("dialect", None)
        super().__init__(
            domain=domain, dialect="postgresql", host=host, event_broker=event_broker, **kwargs
        )
        url = self.engine.url
        self._use(sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url)))
