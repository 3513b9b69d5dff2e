"""Engine and sessions for the application database (SQLite by default, PostgreSQL at scale)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, clock_of
from bot.settings import ROOT, Settings
from bot.storage.folding import register_sqlite


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    register_sqlite(connection)
    cursor = connection.cursor()
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "busy_timeout=5000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get their folder, foreign keys, a WAL journal and the
    search's folding function (`bot/storage/folding.py`)."""
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_sessions(engine: Engine, clock: Clock) -> sessionmaker[Session]:
    """Sessions on `engine` whose rows are stamped by `clock` (see `models.stamp`)."""
    return sessionmaker(engine, expire_on_commit=False, info={"clock": clock})


@lru_cache(maxsize=4)
def sessions_for(url: str, frozen: datetime | None = None) -> sessionmaker[Session]:
    """The process-wide session factory for `url` (one engine per process, a session per use),
    on the product's clock (`frozen`: the FROZEN_CLOCK setting)."""
    return make_sessions(make_engine(url), clock_of(frozen))


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database `url` names if it does not exist yet (SQLite files are
    made on first use)."""
    target = make_url(url)
    if target.get_backend_name() != "postgresql" or not target.database:
        return
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            ).first()
            if found is None:
                quoted = connection.dialect.identifier_preparer.quote(target.database)
                connection.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        admin.dispose()


def upgrade(url: str) -> None:
    """Bring the database schema to the latest migration (Alembic)."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


def sessions_of(settings: Settings) -> sessionmaker[Session]:
    """The product's session factory: its database, on its clock."""
    return sessions_for(settings.database_url, settings.frozen_clock)
