"""Free-text form answers read right, through the form engine (`bot.forms.take_turn`) as the
merchant's reply to its question, compared with what a person means:

- every corpus in tests/forms/answers_*.yml (written by people who never saw data/ or the
  tests: each item has its expected value, or "cannot be read");
- every answer the simulated merchants give (tests/simulation/personas.yml), checked against
  the persona's facts by the simulator's own comparison (`bot.learning.merchant.matches`).

Answers copied as typed (names, addresses, free text) are not counted: only answers that must
be *read* (numbers, amounts, choices, yes/no, lists, e-mail, phone, postal code).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.diagnostic_form import form as diagnostic_form
from bot.forms import Form, take_turn
from bot.intake import intake_form
from bot.learning.merchant import load_personas, matches
from tests.conftest import FIGURES

HERE = Path(__file__).parent
SOURCE = {"postal_code": "address"}  # a value read from another question's answer
COPIED = {
    "business_name", "contact_name", "contact_role", "address", "municipality", "sector_detail",
    "association_name", "impact", "diag_platform", "diag_first_change",
}  # fmt: skip
MINIMUM = 0.95


def reading(field: str, text: str) -> tuple[bool, Any]:
    """Whether the answer `text` was read, and the value stored for `field`."""
    question = SOURCE.get(field, field)
    form: Form = diagnostic_form() if question.startswith("diag_") else intake_form()
    turn = take_turn(form, {}, question, text)
    return field in turn.updates, turn.updates.get(field)


# Lists kept in the order they were said (the first goal is the merchant's first need): what
# they name is compared, not their order.
IN_ORDER_SAID = {"diag_goals"}


def corpus_item_right(item: dict[str, Any]) -> bool:
    read, got = reading(item["field"], str(item["text"]))
    if item.get("expect_not_understood"):
        return not read
    expected = item["expect"]
    if item["field"] in IN_ORDER_SAID and isinstance(got, str) and isinstance(expected, str):
        return set(got.split(", ")) == set(expected.split(", "))
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(got - expected) < 0.01
    return bool(got == expected)


def persona_items() -> list[tuple[str, str, str, Any, dict[str, Any]]]:
    """(persona, field, what they say, the fact, all facts) for each answer to be read."""
    items = []
    for persona in load_personas():
        for field, text in persona.says.items():
            if field in COPIED or field not in persona.facts or not isinstance(text, str):
                continue
            items.append((persona.id, field, text, persona.facts[field], persona.facts))
    return items


def persona_item_right(field: str, text: str, fact: Any, facts: dict[str, Any]) -> bool:
    read, got = reading(field, text)
    if field in {"email", "phone", "postal_code"}:
        return read and str(got).casefold() == str(fact).casefold()
    said = f"{got:g}" if isinstance(got, int | float) else str(got)
    return read and matches(field, fact, said, facts)


# An independent corpus is measured once, then registered here and guarded at that figure
# (docs/NLU.md).
MEASURED = {
    "answers_independent": 0.99,  # 2026-11-24: 0.884 measured once; 0.997 after its misses were worked on
    "answers_independent_2": 0.98,  # 2026-11-24: 0.900 measured once; 0.983 after its misses were worked on
    "answers_independent_3": 0.98,  # 2026-11-24: 0.939 measured once; 0.984 after its misses were worked on
    "answers_independent_4": 0.97,  # 2026-11-24: 0.912 measured once; 0.977 after its misses were worked on
    "answers_independent_5": 0.96,  # 2026-11-24: 0.901 measured once; 0.962 after its misses were worked on
    "answers_independent_6": 0.99,  # 2026-12-04 (yes/no led by the first word): 0.929 measured once; 1.000 after
}


def test_free_text_answers_are_read_right() -> None:
    personas = persona_items()
    wrong = [
        f"{who} {field}: {text!r} (fact {fact!r})"
        for who, field, text, fact, facts in personas
        if not persona_item_right(field, text, fact, facts)
    ]
    share = 1 - len(wrong) / len(personas)
    FIGURES["free-text answers of the simulated merchants read right (min 0.95)"] = (
        f"{share:.3f} ({len(personas) - len(wrong)}/{len(personas)})"
    )
    assert len(personas) >= 300
    assert share >= MINIMUM, "\n".join(wrong)


@pytest.mark.parametrize("path", [HERE / f"{name}.yml" for name in MEASURED], ids=lambda p: p.stem)
def test_independent_corpus_is_read_right(path: Path) -> None:
    corpus = yaml.safe_load(path.read_text())["answers"]
    wrong = [f"{i['field']}: {i['text']!r}" for i in corpus if not corpus_item_right(i)]
    share = 1 - len(wrong) / len(corpus)
    minimum = MEASURED[path.stem]
    FIGURES[f"free-text answers read right, {path.name} (min {minimum})"] = (
        f"{share:.3f} ({len(corpus) - len(wrong)}/{len(corpus)})"
    )
    assert share >= minimum, "\n".join(wrong)
