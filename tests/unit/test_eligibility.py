"""Territory by postal code and municipality, the eligibility decision and the priority score."""

from dataclasses import replace

import pytest

from bot.eligibility import Intake, Outcome, Readiness, decide, priority
from bot.pack.eligibility import current_eligibility
from bot.territory import Verdict, check_territory, postal_code_verdict
from bot.vocabulary import Answer


@pytest.mark.parametrize(
    ("code", "verdict"),
    [
        ("G1K 3A5", Verdict.INSIDE),  # Saint-Roch
        ("G1L 1A1", Verdict.INSIDE),  # Limoilou
        ("G1V 2M2", Verdict.INSIDE),  # Sainte-Foy
        ("G1H 1A1", Verdict.INSIDE),  # Charlesbourg
        ("G1E 1A1", Verdict.INSIDE),  # Beauport
        ("G2E 5J2", Verdict.INSIDE),  # L'Ancienne-Lorette
        ("G3A 1A1", Verdict.INSIDE),  # Saint-Augustin-de-Desmaures
        ("G6V 1A1", Verdict.OUTSIDE),  # Lévis
        ("G3B 1A1", Verdict.OUTSIDE),  # Lac-Beauport
        ("H2X 1Y4", Verdict.OUTSIDE),  # Montréal
        ("K1A 0B1", Verdict.OUTSIDE),  # Ottawa
        ("G0A 1E0", Verdict.UNKNOWN),  # rural: Boischatel, Wendake, Île d'Orléans...
    ],
)
def test_postal_code_territory(code: str, verdict: Verdict) -> None:
    assert postal_code_verdict(code) is verdict


def test_rural_code_is_decided_by_the_municipality() -> None:
    assert check_territory("G0A 1E0", None).ask_municipality
    assert check_territory("G0A 1E0", "Boischatel").verdict is Verdict.OUTSIDE
    assert check_territory("G0A 1E0", "Wendake").verdict is Verdict.OUTSIDE


def test_code_and_municipality_that_disagree_go_to_an_advisor() -> None:
    check = check_territory("G1K 3A5", "Lévis")
    assert check.verdict is Verdict.UNKNOWN and "ne concordent pas" in check.reason


def test_unknown_municipality_is_never_rejected() -> None:
    assert check_territory(None, "Saint-Glinglin").verdict is Verdict.UNKNOWN


BOUTIQUE_LIMOILOU = Intake(
    business_name="Boutique Chez Marie",
    postal_code="G1L 1A1",
    municipality="Limoilou",
    storefront=Answer.YES,
    sector=current_eligibility().sector("retail"),
    sdc_or_association=Answer.YES,
    employees=3,
    hours_per_week=3,
    readiness=Readiness.NOW,
    impact="Rejoindre la clientèle du quartier et vendre nos créations en ligne avant les Fêtes.",
)


@pytest.mark.parametrize(
    ("postal_code", "municipality"),
    [
        ("G1L 1A1", "Limoilou"), ("G1K 3A5", "Saint-Roch"), ("G1V 2M2", "Sainte-Foy"),
        ("G1H 1A1", "Charlesbourg"), ("G1E 1A1", "Beauport"), ("G2E 5J2", "L'Ancienne-Lorette"),
        ("G3A 1A1", "Saint-Augustin-de-Desmaures"),
    ],
)  # fmt: skip
def test_storefronts_in_the_agglomeration_are_eligible(postal_code: str, municipality: str) -> None:
    intake = replace(BOUTIQUE_LIMOILOU, postal_code=postal_code, municipality=municipality)
    assert decide(intake).outcome is Outcome.ELIGIBLE


@pytest.mark.parametrize(
    ("postal_code", "municipality"),
    [
        ("G6V 1A1", "Lévis"), ("G0A 1E0", "Boischatel"), ("G3B 1A1", "Lac-Beauport"),
        ("G0A 4V0", "Wendake"), ("H2X 1Y4", "Montréal"),
    ],
)  # fmt: skip
def test_addresses_outside_are_not_eligible_with_the_reason(
    postal_code: str, municipality: str
) -> None:
    decision = decide(
        replace(BOUTIQUE_LIMOILOU, postal_code=postal_code, municipality=municipality)
    )
    assert decision.outcome is Outcome.NOT_ELIGIBLE
    assert decision.automated
    assert "hors de l'agglomération" in decision.reasons[0]


@pytest.mark.parametrize("sector", ["retail", "services"])
def test_home_based_or_online_only_is_not_eligible(sector: str) -> None:
    chosen = current_eligibility().sector(sector)
    decision = decide(replace(BOUTIQUE_LIMOILOU, storefront=Answer.NO, sector=chosen))
    assert decision.outcome is Outcome.NOT_ELIGIBLE
    assert decision.reasons == ["pas de local ouvert à la clientèle (pignon sur rue)"]


@pytest.mark.parametrize(
    "change",
    [
        {"storefront": Answer.UNSURE},
        {"sector": current_eligibility().other},
        {"postal_code": "G0A 1E0", "municipality": None},
        {"postal_code": "G1K 3A5", "municipality": "Lévis"},
    ],
)
def test_uncertain_answers_go_to_review(change: dict[str, object]) -> None:
    assert decide(replace(BOUTIQUE_LIMOILOU, **change)).outcome is Outcome.TO_REVIEW  # type: ignore[arg-type]


def test_priority_score_and_its_factors() -> None:
    top = priority(BOUTIQUE_LIMOILOU)
    assert top.score == 100
    assert [f.label for f in top.factors] == [
        "artère avec SDC ou regroupement d'affaires",
        "commerce de détail",
        "temps disponible chaque semaine",
        "prêt à passer à l'action",
        "impact attendu décrit",
    ]
    low = priority(
        replace(
            BOUTIQUE_LIMOILOU,
            sdc_or_association=Answer.NO,
            sector=current_eligibility().sector("services"),
            hours_per_week=0.5,
            readiness=Readiness.EXPLORING,
            impact="",
        )
    )
    assert low.score == 15
    assert top.score > priority(replace(BOUTIQUE_LIMOILOU, sdc_or_association=Answer.NO)).score
