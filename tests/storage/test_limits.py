"""Limits that agree: every answer the conversation accepts fits its column, in the migrated
schema of SQLite and of PostgreSQL (which, unlike SQLite, refuses a longer value)."""

from __future__ import annotations

import pytest
from sqlalchemy import String, create_engine, inspect, text
from sqlalchemy.exc import DataError

from bot import limits
from bot.intake import intake_form
from bot.parsing import NotUnderstood

# Where each answer is stored: (table, column).
COLUMNS = {
    "business_name": ("businesses", "name"),
    "contact_name": ("contacts", "name"),
    "contact_role": ("contacts", "role"),
    "email": ("contacts", "email"),
    "address": ("businesses", "address"),
    "municipality": ("businesses", "municipality"),
    "sector": ("businesses", "sector_detail"),
    "sector_detail": ("businesses", "sector_detail"),
    "association_name": ("businesses", "association_name"),
    "impact": ("answers", "value"),
}


def test_every_limited_answer_has_its_column() -> None:
    assert set(COLUMNS) == set(limits.INTAKE)


def test_every_column_holds_the_longest_accepted_answer(database_url: str) -> None:
    engine = create_engine(database_url)
    schema = inspect(engine)
    for field, (table, column) in COLUMNS.items():
        [kind] = [c["type"] for c in schema.get_columns(table) if c["name"] == column]
        length = kind.length if isinstance(kind, String) else None
        assert length is None or length >= limits.INTAKE[field], (field, table, column, length)
    engine.dispose()


def test_postgresql_refuses_what_does_not_fit(postgres_url: str) -> None:
    """The check above matters: PostgreSQL refuses a value longer than its column."""
    engine = create_engine(postgres_url)
    with pytest.raises(DataError), engine.connect() as connection:
        connection.execute(text("SELECT CAST(:value AS varchar(3))::varchar(3)"), {"value": "x"})
        connection.execute(text("CREATE TEMP TABLE t (v varchar(3))"))
        connection.execute(text("INSERT INTO t VALUES (:v)"), {"v": "éé😀é"})
    engine.dispose()


@pytest.mark.parametrize("field", sorted(set(limits.INTAKE) - {"email", "address"}))
def test_one_character_more_is_asked_again_with_the_maximum(field: str) -> None:
    longest = limits.INTAKE[field]
    accepted = ("Érable 😀 " * longest)[:longest].strip().ljust(longest, "é")
    assert intake_form().question(field).read(accepted, {})
    with pytest.raises(NotUnderstood, match=f"{longest} caractères au maximum"):
        intake_form().question(field).read(accepted + "é", {})
