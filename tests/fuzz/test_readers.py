"""Every answer reader, on any text, returns a value or says "not understood" (`NotUnderstood`,
with a French explanation): never another exception."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import diagnostic_form, intake, parsing, territory, vocabulary
from bot.pack.territory import current_territory
from bot.parsing import NotUnderstood
from bot.scheduling import TIMEZONE
from bot.scheduling.dates import Wish, understand
from tests.conftest import FIGURES, FROZEN_NOW
from tests.fuzz.texts import fuzz, texts

NOW = FROZEN_NOW  # the tests' clock: why it is fixed, in tests/conftest.py
PARSERS = {
    name: function
    for module in (parsing, vocabulary)
    for name, function in inspect.getmembers(module, inspect.isfunction)
    if function.__module__ == module.__name__ and not name.startswith("_")
}
INTAKE_QUESTIONS = [q for q in intake.QUESTIONS if q != "recap_confirmed"]
ANSWERS = {
    "business_name": "Boutique Limoilou",
    "postal_code": "G1K 3A5",
    "address": "123, 3e Avenue, G1K 3A5",
    "municipality": "Québec",
    "sector": "autre",
    "sdc_member": "oui",
}
EXAMPLES: dict[str, int] = {}


def read(label: str, reader: Callable[[str], Any], text: str) -> Any:
    """`reader(text)`, or None when it says it did not understand (in French)."""
    EXAMPLES[label] = EXAMPLES.get(label, 0) + 1
    try:
        return reader(text)
    except NotUnderstood as not_understood:
        assert str(not_understood).strip()
        return None


def test_every_public_parser_is_fuzzed() -> None:
    assert set(PARSERS) >= {"parse_email", "parse_phone", "parse_postal_code", "parse_yes_no"}
    assert len(PARSERS) >= 10


@pytest.mark.parametrize("name", sorted(PARSERS))
@fuzz()
@given(text=texts)
def test_parsers(name: str, text: str) -> None:
    value = read(name, PARSERS[name], text)
    if name == "parse_postal_code" and value is not None:
        assert territory.postal_code_verdict(value) is not None


@pytest.mark.parametrize("question", INTAKE_QUESTIONS)
@fuzz()
@given(text=texts, answers=st.sampled_from([{}, ANSWERS]))
def test_intake_answers(question: str, text: str, answers: dict[str, Any]) -> None:
    value = read(
        f"intake {question}",
        lambda t: intake.intake_form().question(question).read(t, answers),
        text,
    )
    if value is not None:
        assert question in value


@pytest.mark.parametrize("question", [q.name for q in diagnostic_form.form().questions])
@fuzz()
@given(text=texts)
def test_diagnostic_answers(question: str, text: str) -> None:
    reader = diagnostic_form.form().question(question).read
    value = read(question, lambda t: reader(t, {}), text)
    assert value is None or set(value) == {question}


@fuzz()
@given(text=texts, other=st.one_of(st.none(), texts))
def test_territory_lookups(text: str, other: str | None) -> None:
    place = territory.find_place(text)
    assert place is None or place in current_territory().places
    assert isinstance(territory.mask_places(text), str)
    assert isinstance(territory.postal_code_verdict(text), territory.Verdict)
    assert isinstance(territory.check_territory(text, other).reason, str)
    assert isinstance(territory.check_territory(other, text).reason, str)


SLOWEST: list[float] = [0.0]


@fuzz()
@given(text=texts)
def test_date_wishes(text: str) -> None:
    started = time.perf_counter()
    wish = understand(text, NOW)
    elapsed = time.perf_counter() - started
    SLOWEST[0] = max(SLOWEST[0], elapsed)
    assert isinstance(wish, Wish)
    assert elapsed < 5, f"{elapsed:.1f} s to read {text[:80]!r}"


def test_a_long_list_of_dates_is_read_quickly() -> None:
    """Duckling's time grows exponentially with the date words it combines: four times
    "le 3 décembre vers 10 h" took more than 30 s before it was bounded."""
    started = time.perf_counter()
    wish = understand("le 3 décembre vers 10 h, " * 40, NOW)
    assert time.perf_counter() - started < 2
    assert wish.exact == datetime(2026, 12, 3, 10, 0, tzinfo=TIMEZONE)


def test_zz_report() -> None:
    """Record how many texts each kind of reader was given (runs after the fuzz tests)."""
    FIGURES["fuzz: answer readers"] = (
        f"{len(EXAMPLES)} readers, {sum(EXAMPLES.values())} texts, no other exception"
    )
    FIGURES["fuzz: slowest date wish"] = f"{SLOWEST[0] * 1000:.0f} ms"
