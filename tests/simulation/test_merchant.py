"""The simulator's own reading of the bot, without the running product."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.learning.merchant import (
    DIAGNOSTIC_FIELDS,
    INTAKE_FIELDS,
    field_of,
    load_personas,
    matches,
    wished,
)
from tests.conftest import Responses

QUEBEC = ZoneInfo("America/Toronto")


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("utter_ask_employees", "employees"),
        ("utter_reask_employees", "employees"),
        ("utter_ask_employees_examples", "employees"),
        ("utter_ask_diag_budget", "diag_budget"),
        ("utter_ask_diag_field_to_correct", "diag_field_to_correct"),
        ("utter_ask_recap_confirmed", "recap"),
        ("utter_consent_declined", None),
        ("utter_faq_sectors", None),
        ("utter_form_retry", None),
    ],
)
def test_the_field_a_response_asks_comes_from_its_name(name: str, field: str | None) -> None:
    assert field_of(name) == field


def test_every_question_is_recognised_in_the_domain(responses: Responses) -> None:
    """Each field the personas answer has a question in the domain the simulator recognises."""
    asked = {field_of(name) for name in responses.patterns}
    assert {"consent", *INTAKE_FIELDS, *DIAGNOSTIC_FIELDS, "booking_when"} <= asked


@pytest.mark.parametrize(
    ("field", "value", "title", "expected"),
    [
        ("employees", 2, "2 à 5", True),
        ("employees", 1, "Juste moi", True),
        ("employees", 25, "6 à 20", False),
        ("employees", 25, "Plus de 20", True),
        ("hours_per_week", 0.5, "Moins d'une heure", True),
        ("hours_per_week", 0.5, "1 à 2 heures", False),
        ("diag_budget", [1000, 3000], "1 000 à 5 000 $", True),
        ("diag_budget", 800, "moins de 1 000 $", True),
        ("diag_budget", 800, "1 000 $ à 5 000 $", False),
        ("storefront", "oui", "Oui", True),
        ("storefront", "je ne sais pas", "Je ne sais pas", True),
        ("storefront", "non", "Oui", False),
        ("sector", "commerce de détail", "Commerce de détail", True),
        ("sector", "services", "Restauration", False),
        ("diag_social_networks", ["Facebook", "Instagram"], "Facebook et Instagram", True),
        ("diag_social_networks", ["Facebook"], "Facebook et Instagram", False),
        ("diag_social_networks", [], "Aucun", True),
        ("diag_tools", ["caisse"], "point de vente", True),
        ("diag_goals", ["visibilité"], "Être plus visible", True),
        ("diag_posting", "chaque semaine", "Chaque semaine", True),
        ("diag_posting", "rarement", "Chaque mois", False),
    ],
)
def test_a_button_or_a_stored_label_matches_the_fact(
    field: str, value: object, title: str, expected: bool
) -> None:
    assert matches(field, value, title, {}) is expected


def test_a_wish_is_checked_against_the_booked_time() -> None:
    thursday_afternoon = datetime(2026, 11, 26, 14, 15, tzinfo=QUEBEC)
    assert wished({"weekday": "jeudi", "part": "pm"}, thursday_afternoon)
    assert not wished({"weekday": "jeudi", "part": "am"}, thursday_afternoon)
    assert not wished({"date": "2026-12-03"}, thursday_afternoon)
    assert wished({"week": "2026-11-23"}, thursday_afternoon)
    assert not wished({"week": "2026-11-30"}, thursday_afternoon)


def test_the_personas_are_varied_and_consistent() -> None:
    personas = load_personas()
    assert len(personas) >= 22
    assert len({p.id for p in personas}) == len(personas)
    assert len({p.facts["email"].lower() for p in personas}) == len(personas)
    assert {p.expected for p in personas} == {"eligible", "refused", "review"}
    assert sum(p.expected == "refused" for p in personas) >= 4
    assert any(p.correction for p in personas) and any(p.asks for p in personas)
    for persona in personas:
        if persona.expected != "refused" and persona.then == "diagnostic":
            missing = {f for f in DIAGNOSTIC_FIELDS if f not in persona.facts}
            assert missing <= {"diag_platform", "diag_posting"}, (persona.id, missing)
