"""Typed booking turns in context, through the running product (`bot/learning/booking_turns.py`,
also a candidate model's measurement): the folded independent set must be understood as meant,
on a calendar of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.learning.booking_turns import load, understood
from bot.learning.quality import minimum
from bot.settings import Settings
from tests.conftest import FIGURES, FROZEN_NOW, Responses, running_stack

MIN_RIGHT = minimum("booking_turns")  # config/quality.yml


@pytest.fixture(scope="module")
def calendar_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The product with no session booked yet, its clock on the set's reference moment."""
    with running_stack(tmp_path_factory.mktemp("turns"), frozen_clock=FROZEN_NOW) as settings:
        yield settings


def test_typed_booking_turns_are_understood_as_meant(
    calendar_stack: Settings, responses: Responses
) -> None:
    score = understood(calendar_stack, responses, load())
    right = score.total - len(score.misses)
    FIGURES[f"booking turns in context, through REST (min {MIN_RIGHT})"] = (
        f"{score.accuracy:.4f} ({right}/{score.total})"
    )
    assert score.accuracy >= MIN_RIGHT, score.misses
