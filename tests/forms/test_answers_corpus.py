"""Free-text form answers read right: every corpus in tests/forms/answers_*.yml goes through
the form engine (`bot.forms.take_turn`) as the merchant's reply to its question, and the
stored value is compared with what a person means (or with "cannot be read")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.diagnostic_form import DIAGNOSTIC
from bot.forms import Form, take_turn
from bot.intake import INTAKE
from tests.conftest import FIGURES

CORPORA = sorted(Path(__file__).parent.glob("answers_*.yml"))
SOURCE = {"postal_code": "address"}  # a value read from another question's answer
MINIMUM = 0.95


def form_of(field: str) -> tuple[Form, str]:
    question = SOURCE.get(field, field)
    return (DIAGNOSTIC if question.startswith("diag_") else INTAKE), question


def read_right(item: dict[str, Any]) -> bool:
    form, question = form_of(item["field"])
    turn = take_turn(form, {}, question, str(item["text"]))
    if item.get("expect_not_understood"):
        return item["field"] not in turn.updates
    got = turn.updates.get(item["field"])
    expected = item["expect"]
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(got - expected) < 0.01
    return bool(got == expected)


def test_free_text_answers_are_read_right() -> None:
    items = [i for path in CORPORA for i in yaml.safe_load(path.read_text())["answers"]]
    assert len(items) >= 300
    wrong = [i for i in items if not read_right(i)]
    share = 1 - len(wrong) / len(items)
    FIGURES["free-text form answers read right (min 0.95)"] = (
        f"{share:.3f} ({len(items) - len(wrong)}/{len(items)})"
    )
    assert share >= MINIMUM, "\n".join(f"{i['field']}: {i['text']!r}" for i in wrong)
