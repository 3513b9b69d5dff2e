"""Typed booking turns in context, through the running product (`tests/e2e/booking_turns.py`):
the folded independent set must be understood as meant, on a calendar of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.learning.quality import minimum
from bot.settings import ROOT, Settings
from tests.conftest import FIGURES, FROZEN_NOW, Responses, running_stack
from tests.e2e.booking_turns import load, play

TURNS = ROOT / "tests" / "nlu" / "booking_turns.yml"
MIN_RIGHT = minimum("booking_turns")  # config/quality.yml


@pytest.fixture(scope="module")
def calendar_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The product with no session booked yet, its clock on the set's reference moment."""
    with running_stack(tmp_path_factory.mktemp("turns"), frozen_clock=FROZEN_NOW) as settings:
        yield settings


def test_typed_booking_turns_are_understood_as_meant(
    calendar_stack: Settings, responses: Responses
) -> None:
    turns = load(TURNS)
    missed = []
    for turn in turns:
        right, reply = play(calendar_stack, responses, turn)
        if not right:
            missed.append((turn["context"], turn["text"], reply.names, reply.texts[:1]))
    score = 1 - len(missed) / len(turns)
    FIGURES[f"booking turns in context, through REST (min {MIN_RIGHT})"] = (
        f"{score:.4f} ({len(turns) - len(missed)}/{len(turns)})"
    )
    assert score >= MIN_RIGHT, missed
