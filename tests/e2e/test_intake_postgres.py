"""The same intake conversation with the application database on the real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.settings import Settings
from tests.conftest import Responses, running_stack
from tests.e2e.test_intake_conversation import (
    ANSWERS,
    RECAP,
    Chat,
    check_longest_answers_are_stored,
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
