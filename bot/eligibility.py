"""The eligibility decision and the priority score, as plain rules an advisor can read.

Rules (program/PROGRAM.md): a storefront open to customers and a business address in the
agglomeration de Québec; retail, accommodation, restaurants and services are eligible.
Priority: SDC arteries and formal business associations, retail, engagement, expected impact.
Anything uncertain goes to an advisor ("to review"); nothing is refused on a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from bot.parsing import Sector
from bot.territory import Verdict, check_territory
from bot.vocabulary import Answer


class Outcome(Enum):
    ELIGIBLE = "admissible"
    NOT_ELIGIBLE = "non admissible"
    TO_REVIEW = "à examiner"


class Readiness(Enum):
    NOW = "prêt à commencer"
    SOON = "d'ici quelques mois"
    EXPLORING = "s'informe"


@dataclass(frozen=True)
class Intake:
    """What the merchant answered, already parsed."""

    business_name: str
    postal_code: str | None
    municipality: str | None
    storefront: Answer
    sector: Sector
    sdc_or_association: Answer
    employees: int | None = None
    hours_per_week: float | None = None
    readiness: Readiness | None = None
    impact: str = ""


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reasons: list[str]
    automated: bool = True


@dataclass(frozen=True)
class Factor:
    label: str
    points: int
    maximum: int


@dataclass(frozen=True)
class Priority:
    score: int
    factors: list[Factor] = field(default_factory=list)


def decide(intake: Intake) -> Decision:
    """Eligible, not eligible (with the precise reasons) or to review (with what is uncertain)."""
    refusals: list[str] = []
    doubts: list[str] = []
    territory = check_territory(intake.postal_code, intake.municipality)
    if territory.verdict is Verdict.OUTSIDE:
        refusals.append(
            f"adresse d'affaires hors de l'agglomération de Québec ({territory.reason})"
        )
    elif territory.verdict is Verdict.UNKNOWN:
        doubts.append(f"territoire à confirmer ({territory.reason})")
    if intake.storefront is Answer.NO:
        refusals.append("pas de local ouvert à la clientèle (pignon sur rue)")
    elif intake.storefront is Answer.UNSURE:
        doubts.append("pignon sur rue à confirmer")
    if intake.sector is Sector.OTHER:
        doubts.append("secteur d'activité à confirmer")
    if refusals:
        return Decision(Outcome.NOT_ELIGIBLE, refusals)
    if doubts:
        return Decision(Outcome.TO_REVIEW, doubts)
    return Decision(
        Outcome.ELIGIBLE, [f"pignon sur rue, {territory.reason}, secteur {intake.sector.value}"]
    )


def priority(intake: Intake) -> Priority:
    """A 0-100 score and its factors, for advisors to rank leads."""
    factors = [
        Factor(
            "artère avec SDC ou regroupement d'affaires",
            30 if intake.sdc_or_association is Answer.YES else 0,
            30,
        ),
        Factor(
            "commerce de détail",
            25
            if intake.sector is Sector.RETAIL
            else (10 if intake.sector is not Sector.OTHER else 0),
            25,
        ),
        Factor("temps disponible chaque semaine", _time_points(intake.hours_per_week), 20),
        Factor("prêt à passer à l'action", _readiness_points(intake.readiness), 15),
        Factor(
            "impact attendu décrit",
            10 if len(intake.impact.strip()) >= 60 else (5 if intake.impact.strip() else 0),
            10,
        ),
    ]
    return Priority(sum(f.points for f in factors), factors)


def _time_points(hours: float | None) -> int:
    if hours is None:
        return 0
    if hours >= 3:
        return 20
    return 12 if hours >= 1 else 5


def _readiness_points(readiness: Readiness | None) -> int:
    return {Readiness.NOW: 15, Readiness.SOON: 8}.get(readiness, 0) if readiness else 0
