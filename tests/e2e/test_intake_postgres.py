"""The same intake conversation with the application database on the real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.settings import Settings
from tests.conftest import POSTGRES_ADMIN_URL, Responses, running_stack
from tests.e2e.test_diagnostic_conversation import check_diagnostic_as_meant
from tests.e2e.test_intake_conversation import (
    ANSWERS,
    CHARLESBOURG,
    IN_SENTENCES,
    RECAP,
    Chat,
    check_answers_stored_as_meant,
    check_longest_answers_are_stored,
    intake_in_sentences,
    lead_of,
    start,
)


@pytest.fixture(scope="module")
def postgres_stack(
    tmp_path_factory: pytest.TempPathFactory, postgres_url: str
) -> Iterator[Settings]:
    with running_stack(tmp_path_factory.mktemp("var-pg"), postgres_url) as settings:
        yield settings


def test_finished_intake_is_stored_in_postgresql(
    postgres_stack: Settings, responses: Responses
) -> None:
    assert postgres_stack.database_url.startswith("postgresql")
    chat = Chat(postgres_stack, responses)
    chat.answer_until(RECAP, ANSWERS | {"utter_ask_email": "pg@exemple.com"}, start(chat))
    assert chat.say("oui") == ["utter_intake_eligible"]
    row = lead_of(postgres_stack, "pg@exemple.com")
    assert (row["business"], row["outcome"], row["consent_version"]) == (
        "Boutique Chez Marie",
        "admissible",
        "2026-11-v1",
    )
    assert row["answers"]["Courriel"] == "pg@exemple.com"


def test_longest_answers_are_stored_in_postgresql(
    postgres_stack: Settings, responses: Responses
) -> None:
    check_longest_answers_are_stored(postgres_stack, responses)


def test_answers_in_sentences_are_stored_as_meant_in_postgresql(
    postgres_stack: Settings,
    responses: Responses,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The name, role and association extracted from sentences, their corrections at the
    recap, and the diagnostic read as said, stored on PostgreSQL as on SQLite."""
    check_answers_stored_as_meant(postgres_stack, responses, tmp_path, monkeypatch)
    merchant = intake_in_sentences(postgres_stack, responses, IN_SENTENCES)
    text = "mon nom c'est Ginette Roy pis mon rôle c'est gérante"
    assert merchant.chat.say(text) == ["utter_form_noted", "utter_form_noted", RECAP]
    assert merchant.chat.say(f"SDC ou regroupement : {CHARLESBOURG}") == [
        "utter_form_noted",
        RECAP,
    ]
    assert merchant.chat.say("oui") == ["utter_intake_eligible"]
    row = lead_of(postgres_stack, merchant.email)
    assert (row["contact"], row["role"]) == ("Ginette Roy", "Gérante")
    assert row["answers"]["SDC ou regroupement"] == CHARLESBOURG
    check_diagnostic_as_meant(postgres_stack, responses)


@contextmanager
def database_unavailable(url: str) -> Iterator[None]:
    """The application database refuses every connection (and drops the open ones)."""
    name = url.rsplit("/", 1)[1]
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
            {"n": name},
        )
    try:
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


def test_database_down_at_submission_keeps_the_answers_and_the_next_try_stores_them(
    postgres_stack: Settings, responses: Responses
) -> None:
    chat = Chat(postgres_stack, responses)
    answers = ANSWERS | {"utter_ask_email": "panne@exemple.com"}
    chat.answer_until(RECAP, answers, start(chat))
    with database_unavailable(postgres_stack.database_url):
        assert chat.say("oui") == ["utter_storage_failed", RECAP]  # nothing confirmed
        assert "• Courriel : panne@exemple.com" in chat.last[-1]["text"]  # answers kept
    assert chat.say("oui") == ["utter_intake_eligible"]
    assert lead_of(postgres_stack, "panne@exemple.com")["business"] == "Boutique Chez Marie"
