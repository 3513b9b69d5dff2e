"""The figures a candidate model's measurement adds to `rasa test` and the answered sets — the
booking turns and the simulated merchants (`bot/learning/measure.py`) — computed through a
running product on a small subset (five turns, two personas) with one turn and one persona
judged wrong on purpose, so that the code path is tested without its ten minutes (the full sets
are `make test`'s: tests/e2e/test_booking_turns.py, tests/simulation/)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.learning import measure
from bot.learning.merchant import load_personas
from bot.learning.quality import load_quality
from bot.settings import Settings
from bot.storage.database import sessions_for
from bot.storage.models import Booking
from tests.conftest import FROZEN_NOW, Responses, running_stack

TURNS = [
    {"context": "after_diagnostic", "text": "oui", "expect": "next_free"},
    {"context": "opening", "text": "j'aimerais booker une rencontre", "expect": "next_free"},
    {"context": "times_shown", "text": "Lundi prochain en après-midi", "expect": "day",
     "day": "2026-11-30", "hours": "12:00-17:00"},
    {"context": "proposed", "text": "13h c'est parfait", "expect": "accept"},  # books, cancelled
    # Judged wrong on purpose: a request for a meeting is not a « no ».
    {"context": "opening", "text": "j'aimerais booker une rencontre", "expect": "decline"},
]  # fmt: skip


@pytest.fixture(scope="module")
def measuring_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The product as the measurement starts it: clock on the reference moment, nothing booked."""
    with running_stack(tmp_path_factory.mktemp("measure"), frozen_clock=FROZEN_NOW) as settings:
        yield settings


def test_the_booking_turns_and_the_simulated_merchants_are_measured(
    measuring_stack: Settings, responses: Responses
) -> None:
    keys = {measure.BOOKING_TURNS, *measure.SIMULATED}
    assert keys <= set(load_quality())  # config/quality.yml's keys
    assert all(load_quality()[key].candidate for key in keys)

    assert measure.booking_turns(measuring_stack, responses, TURNS) == {"booking_turns": 0.8}
    with sessions_for(measuring_stack.database_url)() as session:  # the accepted one, cancelled
        assert list(session.scalars(select(Booking.status))) == ["cancelled"]

    personas = {p.id: p for p in load_personas()}
    served = personas["formelle-librairie"]  # eligible, diagnostic, books « jeudi après-midi »
    # Refused (Montréal): expected eligible on purpose, so not served right.
    wrong = dataclasses.replace(personas["hors-montreal"], expected="eligible")
    figures = measure.simulated_merchants(measuring_stack, responses, [served, wrong])
    assert figures == {"simulated_merchants": 0.5, "simulated_repeats": 0.0}
