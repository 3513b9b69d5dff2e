"""How the booking conversation reads references and writes dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.booking_form import button_label, find_reference
from bot.scheduling import TIMEZONE
from bot.scheduling.invitation import french_date


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("NQ-7KX3PD", "NQ-7KX3PD"),
        ("ma ref c nq-7kx3pd merci", "NQ-7KX3PD"),
        ("NQ 7KX3PD", "NQ-7KX3PD"),
        ("nq7kx3pd", "NQ-7KX3PD"),
        ("NQ-7KX3PD4M", "NQ-7KX3PD4M"),  # references made since 2026-12 have 8 characters
        ("nq 7kx3pd4m", "NQ-7KX3PD4M"),
        ("NQ-7KX3P", None),  # too short
        ("NQ-7KX3PD4", None),  # neither 6 nor 8
        ("annuler mon rendez-vous", None),
        ("NQ-0O1I00", None),  # characters references never use
    ],
)
def test_references_are_found_in_what_merchants_type(text: str, reference: str | None) -> None:
    assert find_reference(text) == reference


def test_labels() -> None:
    assert button_label(datetime(2026, 11, 24, 14, 0, tzinfo=TIMEZONE)) == "mardi 24 novembre, 14 h"
    assert button_label(datetime(2026, 3, 9, 9, 30, tzinfo=TIMEZONE)) == "lundi 9 mars, 9 h 30"
    assert french_date(date(2026, 12, 1)) == "le mardi 1er décembre"
