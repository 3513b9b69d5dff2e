"""Web tests reuse the storage tests' databases: SQLite and the real PostgreSQL server."""

from tests.storage.conftest import database_url, sessions

__all__ = ["database_url", "sessions"]
