"""What people read: phones as they write them, counts in French (docs/WORDING.md)."""

from __future__ import annotations

import pytest

from bot.text import french_count, phone_for_people


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("+14185551234", "418 555-1234"), ("+15815550000", "581 555-0000"),
     ("+33142685300", "+33142685300"), ("", ""), (None, "")],
)  # fmt: skip
def test_a_phone_is_shown_as_people_write_it(stored: str | None, shown: str) -> None:
    assert phone_for_people(stored) == shown


def test_french_takes_the_singular_below_two() -> None:
    assert [french_count(n, "décision") for n in (0, 1, 2)] == [
        "0 décision", "1 décision", "2 décisions",
    ]  # fmt: skip
    assert french_count(3, "journal", "journaux") == "3 journaux"
