"""The analytics' plain rules: ISO weeks in Québec time, territories, refusal reasons, cohorts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.analytics import (
    TERRITORIES_SHOWN,
    Conversation,
    LeadFacts,
    SessionFacts,
    compute,
    iso_week,
    last_weeks,
    refusal_reason,
)
from bot.territory import located
from tests.conftest import FROZEN_NOW

QUEBEC = ZoneInfo("America/Toronto")
NOW = FROZEN_NOW  # the tests' clock: why it is fixed, in tests/conftest.py


def lead(**changes: object) -> LeadFacts:
    base: dict[str, object] = dict(
        created_at=NOW, sector="services", municipality=None, postal_code="G1K 3A5",
        outcome="admissible", reasons=(), review_requested=False, diagnostic_done=False,
        booked=False, status="nouveau",
    )  # fmt: skip
    return LeadFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_the_year_end_weeks_are_iso_weeks() -> None:
    """2026 has 53 ISO weeks: 1 January 2027 is in 2026-S53, 4 January starts 2027-S01; the
    weeks shown then run across the year."""
    new_year = datetime(2027, 1, 1, 12, 0, tzinfo=QUEBEC)
    assert iso_week(new_year) == "2026-S53"
    assert iso_week(datetime(2027, 1, 4, 0, 30, tzinfo=QUEBEC)) == "2027-S01"
    assert iso_week(datetime(2027, 1, 4, 4, 0, tzinfo=timezone.utc)) == "2026-S53"  # 23 h here
    weeks = last_weeks(datetime(2027, 1, 5, 9, 0, tzinfo=QUEBEC), 3)
    assert weeks == ("2026-S52", "2026-S53", "2027-S01")
    assert iso_week(datetime(2027, 12, 31, 12, 0, tzinfo=QUEBEC)) == "2027-S52"


def test_weeks_are_iso_weeks_in_quebec_time() -> None:
    sunday_night = datetime(2026, 11, 23, 4, 30, tzinfo=timezone.utc)  # Sunday 23 h 30 in Québec
    assert iso_week(sunday_night) == "2026-S47"
    assert iso_week(datetime(2026, 11, 23, 5, 0, tzinfo=timezone.utc)) == "2026-S48"
    assert iso_week(datetime(2027, 1, 1, 12, tzinfo=QUEBEC)) == "2026-S53"  # 2026 has 53 weeks
    weeks = last_weeks(datetime(2027, 1, 5, tzinfo=QUEBEC), 3)
    assert weeks == ("2026-S52", "2026-S53", "2027-S01")


def test_a_neighbourhood_counts_in_its_city() -> None:
    """Sainte-Foy and Charlesbourg were counted apart from the Ville de Québec."""
    assert located("Limoilou", "G1L 1A1") == ("Québec", "Limoilou")
    assert located("ste-foy", None) == ("Québec", "Sainte-Foy")
    assert located("Québec", "G1K 3A5") == ("Québec", "RTA G1K")
    assert located(None, "g1k3a5") == ("Québec", "RTA G1K")
    assert located(None, "G2E 1A1") == ("L'Ancienne-Lorette", None)
    assert located("Lévis", "G6V 1A1") == ("Lévis", None)
    assert located(None, "G6V 1A1") == ("RTA G6V", None)  # outside: its FSA
    assert located("Saint-Glinglin", None) == ("Saint-Glinglin", None)  # as named
    assert located("  ", None) == ("Territoire inconnu", None)
    leads = [lead(municipality="Sainte-Foy"), lead(municipality="Charlesbourg"),
             lead(municipality=None, postal_code="G1L 1A1"), lead(municipality="Lévis")]  # fmt: skip
    figures = compute([], leads, [], NOW, 100)
    assert [row[0] for row in figures.table("territoires").rows] == ["Québec", "Lévis"]
    assert figures.table("territoires").rows[0][1][0] == 3
    assert [row[0] for row in figures.table("quartiers").rows] == [
        "Charlesbourg", "RTA G1L", "Sainte-Foy",
    ]  # fmt: skip


def test_like_refusal_reasons_add_up() -> None:
    levis = "adresse d'affaires hors de l'agglomération de Québec (Lévis : hors de l'agglomération)"
    code = "adresse d'affaires hors de l'agglomération de Québec (code postal G6V 1A1 : hors)"
    assert refusal_reason(levis) == refusal_reason(code)
    assert refusal_reason("(x)") == "(x)"  # never an empty reason
    refused = [lead(outcome="non admissible", reasons=(levis,), review_requested=True),
               lead(outcome="non admissible", reasons=(code, levis))]  # fmt: skip
    table = compute([], refused, [], NOW, 100).table("refus")
    assert table.rows == ((refusal_reason(levis), (2, 1)),)  # a lead counts once per reason


def test_the_smallest_territories_are_summed() -> None:
    leads = [lead(municipality=f"Lieu {i:02d}") for i in range(TERRITORIES_SHOWN + 3)]
    leads += [lead(municipality="Lieu 17", status="terminé")]
    rows = compute([], leads, [], NOW, 100).table("territoires").rows
    assert rows[0] == ("Lieu 17", (2, 2, 0, 0, 1))
    assert len(rows) == TERRITORIES_SHOWN + 1 and rows[-1] == (
        "Autres territoires",
        (3, 3, 0, 0, 0),
    )


def test_the_sessions_chart_shows_the_coming_weeks() -> None:
    """32 upcoming sessions were invisible when the chart stopped at this week."""
    coming = [SessionFacts(NOW + timedelta(weeks=2), "booked")] * 3
    table = compute([], [], coming, NOW, 100).table("rencontres")
    assert table.title == "Rencontres par semaine prévue (12 dernières semaines et 4 à venir)"
    assert table.rows[-4:] == (
        (iso_week(NOW + timedelta(weeks=1)), (0, 0, 0)),
        (iso_week(NOW + timedelta(weeks=2)), (3, 0, 0)),
        (iso_week(NOW + timedelta(weeks=3)), (0, 0, 0)),
        (iso_week(NOW + timedelta(weeks=4)), (0, 0, 0)),
    )


def test_a_stage_counts_even_when_one_was_skipped_and_the_goal_may_be_passed() -> None:
    booked_without_diagnostic = lead(booked=True, status="accompagnement en cours")
    figures = compute([Conversation(NOW, True)], [booked_without_diagnostic], [], NOW, 1)
    assert [n for _, (n,) in figures.table("entonnoir").rows] == [1, 1, 1, 0, 1, 1]
    assert figures.percent == 100 and figures.table("objectif").rows[1] == (
        "Reste à accompagner", (0,))  # fmt: skip
    assert compute([], [lead(status="terminé")] * 3, [], NOW, 2).percent == 150
    assert compute([], [], [], NOW, 0).percent == 0


def test_the_csv_cells_follow_the_tables() -> None:
    figures = compute([Conversation(NOW, False)], [], [], NOW, 100)
    cells = figures.cells()
    assert cells[0] == ("Entonnoir du programme, depuis le début", "Conversations", "Nombre", 1)
    assert len(cells) == sum(len(t.rows) * len(t.columns) for t in figures.tables)
