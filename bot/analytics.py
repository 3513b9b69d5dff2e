"""Program analytics, plain Python: the funnel from the first message to coaching, per ISO week
(Québec time) and in total; the leads by sector and by territory; the refusal reasons; held,
cancelled and missed sessions (marked in the workspace: `bot.attendance`); progress toward the
coaching goal.

The facts come from `bot.storage.analytics`; the result is a list of tables, each drawn by the
page as a chart with the same figures as an HTML table, and listed cell by cell in the CSV.

Weeks are cohorts: a conversation (and its consent) counts in the week of its first message, a
lead (and every later stage: decision, diagnostic, session, coaching) in the week it was first
submitted, so a past week's later stages still grow as its files progress. Each stage counts
what reached it, even by skipping one (the diagnostic is optional)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.attendance import BOOKED, CANCELLED, HELD, NO_SHOW
from bot.eligibility import Outcome
from bot.pack.eligibility import current_eligibility
from bot.pack.territory import current_territory
from bot.scheduling import TIMEZONE
from bot.territory import located
from bot.workspace import COACHING, DONE

WEEKS = 12
AHEAD = 4  # coming weeks in the sessions chart (bookings are offered 3 weeks ahead)
TERRITORIES_SHOWN = 15  # the others are summed in one row
CONVERSATIONS, CONSENT = "Conversations", "Consentement donné"
LEAD_STAGES = ("Admissible ou à examiner", "Diagnostic fait", "Rencontre réservée", "Accompagné")
STAGES = (CONVERSATIONS, CONSENT, *LEAD_STAGES)
BY_GROUP = ("Pistes", *LEAD_STAGES)
_DETAIL = re.compile(r"\s*\([^()]*\)$")


@dataclass(frozen=True)
class Conversation:
    """A conversation in the tracker store where the merchant wrote at least once."""

    started_at: datetime
    consent_given: bool


@dataclass(frozen=True)
class LeadFacts:
    """What the analytics need of a lead (its latest decision)."""

    created_at: datetime
    sector: str
    municipality: str | None
    postal_code: str | None
    outcome: str | None
    reasons: tuple[str, ...]
    review_requested: bool
    diagnostic_done: bool
    booked: bool  # at least one session booked, whatever became of it
    status: str

    def stages(self) -> tuple[bool, ...]:
        """Whether the lead reached each of `LEAD_STAGES`."""
        return (
            self.outcome in (Outcome.ELIGIBLE.value, Outcome.TO_REVIEW.value),
            self.diagnostic_done,
            self.booked,
            self.status in (COACHING, DONE),
        )


@dataclass(frozen=True)
class SessionFacts:
    starts_at: datetime
    status: str


@dataclass(frozen=True)
class Table:
    """Figures for one chart: rows of counts under named columns."""

    key: str
    title: str
    chart: str  # how the page draws it: "bar", "horizontal", "line" or "doughnut"
    heading: str  # what the rows are
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "title": self.title, "chart": self.chart,
            "columns": list(self.columns), "labels": [label for label, _ in self.rows],
            "series": [[values[i] for _, values in self.rows] for i in range(len(self.columns))],
        }  # fmt: skip


@dataclass(frozen=True)
class Figures:
    tables: tuple[Table, ...]
    coached: int
    goal: int
    weeks: tuple[str, ...]

    @property
    def percent(self) -> int:
        """Coached merchants as a percentage of the goal (may pass 100)."""
        return round(100 * self.coached / self.goal) if self.goal > 0 else 0

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)

    def cells(self) -> list[tuple[str, str, str, int]]:
        """Every figure as (table, row, column, count): the CSV's lines."""
        return [
            (table.title, label, column, value)
            for table in self.tables
            for label, values in table.rows
            for column, value in zip(table.columns, values, strict=True)
        ]


def iso_week(moment: datetime) -> str:
    """The ISO week of `moment` in Québec, e.g. "2026-S48" (S for semaine)."""
    year, week, _ = moment.astimezone(TIMEZONE).isocalendar()
    return f"{year}-S{week:02d}"


def last_weeks(now: datetime, count: int = WEEKS) -> tuple[str, ...]:
    """The `count` ISO weeks ending with `now`'s, oldest first."""
    return tuple(iso_week(now - timedelta(weeks=back)) for back in range(count - 1, -1, -1))


def coming_weeks(now: datetime, count: int = AHEAD) -> tuple[str, ...]:
    """The `count` ISO weeks after `now`'s."""
    return tuple(iso_week(now + timedelta(weeks=ahead)) for ahead in range(1, count + 1))


def refusal_reason(reason: str) -> str:
    """A reason without its case's detail in final parentheses, so that like reasons add up:
    "adresse d'affaires hors de l'agglomération de Québec (Lévis : …)" → "adresse d'affaires
    hors de l'agglomération de Québec"."""
    return _DETAIL.sub("", reason).strip() or reason


def _by_group(leads: Iterable[tuple[str, LeadFacts]]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for label, lead in leads:
        counts = groups.setdefault(label, [0] * len(BY_GROUP))
        for i, reached in enumerate((True, *lead.stages())):
            counts[i] += reached
    return groups


def _rows(groups: dict[str, list[int]]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    return tuple((label, tuple(counts)) for label, counts in groups.items())


def _territories(leads: list[LeadFacts], part: int) -> dict[str, list[int]]:
    """Leads by municipality (`part` 0) or by neighbourhood of the Ville de Québec (1)."""
    placed = ((located(lead.municipality, lead.postal_code)[part], lead) for lead in leads)
    groups = _by_group((where, lead) for where, lead in placed if where is not None)
    ranked = sorted(groups.items(), key=lambda item: (-item[1][0], item[0].casefold()))
    shown = dict(ranked[:TERRITORIES_SHOWN])
    if len(ranked) > TERRITORIES_SHOWN:
        others = [counts for _, counts in ranked[TERRITORIES_SHOWN:]]
        shown["Autres territoires"] = [sum(column) for column in zip(*others, strict=True)]
    return shown


def compute(
    conversations: list[Conversation],
    leads: list[LeadFacts],
    sessions: list[SessionFacts],
    now: datetime,
    goal: int,
    weeks: int = WEEKS,
) -> Figures:
    """The analytics' tables for these facts, the last `weeks` ISO weeks ending with `now`'s."""
    labels = last_weeks(now, weeks)
    funnel = {label: [0] * len(STAGES) for label in labels}
    totals = [0] * len(STAGES)

    def count(moment: datetime, stage: int) -> None:
        totals[stage] += 1
        if (week := funnel.get(iso_week(moment))) is not None:
            week[stage] += 1

    for conversation in conversations:
        count(conversation.started_at, 0)
        if conversation.consent_given:
            count(conversation.started_at, 1)
    for lead in leads:
        for stage, reached in enumerate(lead.stages(), start=2):
            if reached:
                count(lead.created_at, stage)

    sectors = _by_group((lead.sector, lead) for lead in leads)
    ordered = {
        s.label: sectors.pop(s.label, [0] * len(BY_GROUP))
        for s in current_eligibility().every_sector
    }
    refused = [lead for lead in leads if lead.outcome == Outcome.NOT_ELIGIBLE.value]
    reasons: Counter[str] = Counter()
    reviews: Counter[str] = Counter()
    for lead in refused:
        for reason in dict.fromkeys(refusal_reason(r) for r in lead.reasons):
            reasons[reason] += 1
            reviews[reason] += lead.review_requested

    planned = {label: [0, 0, 0] for label in (*labels, *coming_weeks(now))}
    statuses: Counter[str] = Counter()
    for session in sessions:
        statuses[session.status] += 1
        if (week := planned.get(iso_week(session.starts_at))) is not None:
            week[0] += 1
            week[1] += session.status == CANCELLED
            week[2] += session.status == NO_SHOW
    coached = totals[-1]

    tables = (
        Table("entonnoir", "Entonnoir du programme, depuis le début", "horizontal", "Étape",
              ("Nombre",), tuple((stage, (n,)) for stage, n in zip(STAGES, totals, strict=True))),
        Table("objectif", f"Objectif : {goal} commerçants accompagnés", "doughnut", "Objectif",
              ("Commerçants",), (("Accompagnés", (coached,)),
                                 ("Reste à accompagner", (max(goal - coached, 0),)))),
        Table("semaines", f"Entonnoir par semaine ({weeks} dernières semaines)", "line",
              "Semaine", STAGES, _rows(funnel)),
        Table("secteurs", "Pistes par secteur", "bar", "Secteur", BY_GROUP,
              _rows({**ordered, **sectors})),
        Table("territoires", "Pistes par municipalité (celle nommée, sinon celle du code postal)",
              "horizontal", "Municipalité", BY_GROUP, _rows(_territories(leads, 0))),
        Table("quartiers", f"Pistes de {current_territory().city.name} par quartier (nommé, "
              "sinon RTA du code postal)", "horizontal", "Quartier", BY_GROUP,
              _rows(_territories(leads, 1))),
        Table("refus", f"Motifs de refus ({len(refused)} pistes non admissibles)", "horizontal",
              "Motif", ("Pistes", "Révision demandée"),
              tuple((r, (n, reviews[r])) for r, n in reasons.most_common())),
        Table("bilan_rencontres", "Rencontres depuis le début, selon leur état", "doughnut",
              "État", ("Rencontres",), (("Tenues", (statuses[HELD],)),
                                        ("À venir ou à marquer", (statuses[BOOKED],)),
                                        ("Annulées", (statuses[CANCELLED],)),
                                        ("Absences", (statuses[NO_SHOW],)))),
        Table("rencontres", f"Rencontres par semaine prévue ({weeks} dernières semaines et "
              f"{AHEAD} à venir)", "bar",
              "Semaine", ("Prévues", "Annulées", "Absences"), _rows(planned)),
    )  # fmt: skip
    return Figures(tables, coached, goal, labels)
