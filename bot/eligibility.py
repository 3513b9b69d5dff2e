"""The eligibility decision and the priority score, as plain rules an advisor can read.

Rules (program/PROGRAM.md): a storefront open to customers, a business address in the
program's territory and an eligible sector; the sectors, the reasons' wording and the priority
factors' weights are the pack's (`program/eligibility.yml`). Anything uncertain goes to an
advisor ("to review"); nothing is refused on a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from bot.pack.eligibility import Sector, current_eligibility
from bot.pack.territory import current_territory
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
    """Eligible, not eligible (with the precise reasons) or to review (with what is uncertain),
    in the words of the pack's `eligibility.yml`."""
    pack = current_eligibility()
    refusals: list[str] = []
    doubts: list[str] = []
    territory = check_territory(intake.postal_code, intake.municipality)
    if territory.verdict is Verdict.OUTSIDE:
        area = current_territory().name
        refusals.append(pack.says("outside", territory=area, reason=territory.reason))
    elif territory.verdict is Verdict.UNKNOWN:
        doubts.append(pack.says("territory_unknown", reason=territory.reason))
    if intake.storefront is Answer.NO:
        refusals.append(pack.says("no_storefront"))
    elif intake.storefront is Answer.UNSURE:
        doubts.append(pack.says("storefront_unsure"))
    if intake.sector.is_other:
        doubts.append(pack.says("sector_unknown"))
    elif not intake.sector.eligible:
        refusals.append(pack.says("sector_not_eligible", sector=intake.sector.label))
    if refusals:
        return Decision(Outcome.NOT_ELIGIBLE, refusals)
    if doubts:
        return Decision(Outcome.TO_REVIEW, doubts)
    reason = pack.says("eligible", reason=territory.reason, sector=intake.sector.label)
    return Decision(Outcome.ELIGIBLE, [reason])


def priority(intake: Intake) -> Priority:
    """A 0-100 score and its factors, for advisors to rank leads (the pack's weights)."""
    rules = current_eligibility().priority
    scored = (
        (rules.association, rules.association.points(intake.sdc_or_association.name.lower())),
        (rules.sector, rules.sector.points(intake.sector.id)),
        (rules.time, rules.time.points(intake.hours_per_week)),
        (rules.readiness, rules.readiness.points(_named(intake.readiness))),
        (rules.impact, rules.impact.points(len(intake.impact.strip()))),
    )
    factors = [Factor(rule.label, points, rule.maximum) for rule, points in scored]
    return Priority(sum(f.points for f in factors), factors)


def _named(readiness: Readiness | None) -> str:
    return readiness.name.lower() if readiness else ""
