"""The analytics' facts and figures from a database seeded with known counts and a tracker store
seeded with known conversations, on SQLite and PostgreSQL (the tracker's `events` table in the
same database, as Rasa's SQLTrackerStore would create it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.analytics import STAGES, Figures, compute
from bot.eligibility import decide
from bot.pack.eligibility import current_eligibility
from bot.storage import analytics
from bot.storage.leads import request_review, save_submission
from bot.storage.models import Booking, Diagnostic, Lead
from bot.vocabulary import Answer
from tests.conftest import FROZEN_NOW
from tests.storage.test_leads import INTAKE, submission
from tests.tracker_events import EVENTS as EVENTS  # re-exported for the tests of the tracker store
from tests.tracker_events import drop, write_rows

# Monday 23 November 2026, 10 h in Québec: ISO week 2026-S48.
NOW = FROZEN_NOW  # the tests' clock: why it is fixed, in tests/conftest.py
THIS, LAST, BEFORE = "2026-S48", "2026-S47", "2026-S46"
OUTSIDE = "adresse d'affaires hors de l'agglomération de Québec"
NO_STOREFRONT = "pas de local ouvert à la clientèle"


def weeks_ago(weeks: int, hours: int = 0) -> datetime:
    return NOW - timedelta(weeks=weeks) + timedelta(hours=hours)


def seed_leads(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Six leads whose every figure is known (see the expected tables below)."""
    levis = replace(INTAKE, postal_code="G6V 1A1", municipality=None)
    intakes = {
        # name: (intake, weeks ago, diagnostic completed, status)
        "A": (INTAKE, 0, True, "accompagnement en cours"),
        "B": (INTAKE, 1, True, "contacté"),
        "C": (replace(INTAKE, sector=current_eligibility().other), 0, False, "nouveau"),
        "D": (levis, 2, None, "non retenu"),
        "E": (replace(levis, storefront=Answer.NO), 20, None, "nouveau"),
        "F": (
            replace(INTAKE, sector=current_eligibility().sector("restaurant"), municipality="=1+2"),
            0,
            None,
            "terminé",
        ),
    }
    ids = {}
    for name, (intake, weeks, diagnostic, status) in intakes.items():
        intake = replace(intake, business_name=f"Commerce {name}")
        lead_id = save_submission(
            sessions,
            submission(intake, email=f"{name.lower()}@x.ca", decision=decide(intake)),
        )
        ids[name] = lead_id
        with sessions.begin() as session:
            lead = session.get_one(Lead, lead_id)
            lead.created_at, lead.status = weeks_ago(weeks, hours=1), status
            if diagnostic is not None:
                session.add(Diagnostic(lead_id=lead_id, answers={}, levels={}, focus=[],
                                       brief="", completed=diagnostic))  # fmt: skip
    request_review(sessions, ids["D"])
    with sessions.begin() as session:
        for number, (name, weeks, status) in enumerate([
            ("A", 0, "booked"), ("A", 2, "cancelled"), ("B", 1, "cancelled"), ("F", 1, "no_show"),
        ]):  # fmt: skip
            starts = weeks_ago(weeks, hours=2 + number)
            session.add(Booking(reference=f"NQ-TEST{number}", lead_id=ids[name], advisor_id="sophie",
                                starts_at=starts, ends_at=starts + timedelta(hours=1),
                                status=status))  # fmt: skip
    return ids


def seed_tracker(url: str) -> None:
    """Six conversations where the merchant wrote (five with consent), one where they did not."""

    def event(sender: str, kind: str, at: datetime, **data: Any) -> dict[str, Any]:
        stamp = at.timestamp()
        body = {"event": kind, "timestamp": stamp, **data}
        return {"sender_id": sender, "type_name": kind, "timestamp": stamp,
                "data": json.dumps(body)}  # fmt: skip

    rows = []
    for sender, weeks, consent in [
        ("conv-a", 0, [True]), ("conv-b", 1, [True]), ("conv-c", 0, [False]),
        ("conv-d", 2, [True]), ("conv-e", 0, [True, True]), ("conv-old", 20, [True]),
    ]:  # fmt: skip
        start = weeks_ago(weeks)
        rows.append(event(sender, "session_started", start - timedelta(minutes=1)))
        rows.append(event(sender, "user", start, text="je veux m'inscrire"))
        rows.append(event(sender, "bot", start + timedelta(seconds=1), text="Bonjour"))
        rows.append(event(sender, "user", start + timedelta(days=8), text="encore moi"))
        for i, value in enumerate(consent):
            rows.append(event(sender, "slot", start + timedelta(minutes=1 + i),
                              name="consent_given", value=value))  # fmt: skip
        rows.append(event(sender, "slot", start, name="other_slot", value="consent_given"))
    rows.append(event("conv-silent", "session_started", NOW))
    rows.append(event("conv-silent", "slot", NOW, name="consent_given", value=True))
    write_rows(url, rows)


@pytest.fixture
def tracker_url(database_url: str) -> Iterator[str]:
    """The tracker's events in the application database under test (SQLite or PostgreSQL)."""
    seed_tracker(database_url)
    yield database_url
    drop(database_url)


# What the seeded data must give: (row label, counts) per table.
EXPECTED: dict[str, list[tuple[str, tuple[int, ...]]]] = {
    "entonnoir": [(stage, (n,)) for stage, n in zip(STAGES, (6, 5, 4, 2, 3, 2), strict=True)],
    "secteurs": [
        ("commerce de détail", (4, 2, 2, 2, 1)), ("hébergement", (0, 0, 0, 0, 0)),
        ("restauration", (1, 1, 0, 1, 1)), ("services", (0, 0, 0, 0, 0)),
        ("autre", (1, 1, 0, 0, 0)),
    ],
    "territoires": [
        ("Québec", (3, 3, 2, 2, 1)), ("RTA G6V", (2, 0, 0, 0, 0)), ("=1+2", (1, 1, 0, 1, 1)),
    ],
    "quartiers": [("Limoilou", (3, 3, 2, 2, 1))],
    "refus": [(OUTSIDE, (2, 1)), (NO_STOREFRONT, (1, 0))],
    "bilan_rencontres": [
        ("Tenues", (0,)), ("À venir ou à marquer", (1,)), ("Annulées", (2,)), ("Absences", (1,)),
    ],
    "objectif": [("Accompagnés", (2,)), ("Reste à accompagner", (98,))],
}  # fmt: skip
# The last three of the twelve weeks; the nine before are all zeros.
WEEKLY: dict[str, list[tuple[str, tuple[int, ...]]]] = {
    "semaines": [(BEFORE, (1, 1, 0, 0, 0, 0)), (LAST, (1, 1, 1, 1, 1, 0)),
                 (THIS, (3, 2, 3, 1, 2, 2))],
    "rencontres": [(BEFORE, (1, 1, 0)), (LAST, (2, 1, 1)), (THIS, (1, 0, 0))],
}  # fmt: skip


def check_expected(figures: Figures) -> None:
    for key, rows in EXPECTED.items():
        assert list(figures.table(key).rows) == rows, key
    for key, weekly in WEEKLY.items():
        table = figures.table(key)
        past = table.rows[:12]  # then, for the sessions, the 4 coming weeks (none booked)
        assert [label for label, _ in past][-3:] == [BEFORE, LAST, THIS]
        assert list(past[-3:]) == weekly, key
        assert all(not any(values) for _, values in past[:-3]), key
    assert [label for label, _ in figures.table("rencontres").rows[12:]] == [
        "2026-S49", "2026-S50", "2026-S51", "2026-S52",
    ]  # fmt: skip
    assert figures.weeks[0] == "2026-S37" and len(figures.weeks) == 12
    assert figures.table("refus").title == "Motifs de refus (2 pistes non admissibles)"
    assert (figures.coached, figures.goal, figures.percent) == (2, 100, 2)


def test_the_facts_and_figures_of_a_seeded_program(
    sessions: sessionmaker[Session], tracker_url: str
) -> None:
    seed_leads(sessions)
    conversations = analytics.conversations(tracker_url)
    assert len(conversations) == 6 and sum(c.consent_given for c in conversations) == 5
    assert min(c.started_at for c in conversations) == weeks_ago(20)  # the first message
    leads, bookings = analytics.leads(sessions), analytics.bookings(sessions)
    assert len(leads) == 6 and len(bookings) == 4
    assert all(lead.created_at.tzinfo is not None for lead in leads)
    check_expected(compute(conversations, leads, bookings, NOW, 100))


def test_the_latest_decision_counts(sessions: sessionmaker[Session]) -> None:
    """A refusal overturned by an advisor (a newer decision) counts as eligible."""
    levis = replace(INTAKE, postal_code="G6V 1A1", municipality=None)
    lead_id = save_submission(sessions, submission(levis, decision=decide(levis)))
    save_submission(sessions, submission(levis, decision=decide(INTAKE)))
    [lead] = analytics.leads(sessions)
    assert lead.outcome == "admissible" and lead.stages()[0]
    assert lead.created_at.tzinfo is not None and lead_id


def test_no_tracker_store_yet_means_no_conversations(database_url: str) -> None:
    assert analytics.conversations(database_url) == []
    figures = compute([], [], [], NOW, 100)
    assert figures.table("entonnoir").rows[0] == ("Conversations", (0,))
