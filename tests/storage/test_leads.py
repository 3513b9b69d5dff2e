"""Storing finished intakes: one transaction, returning businesses update their lead, export."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.eligibility import Intake, decide, priority
from bot.pack.eligibility import current_eligibility
from bot.spreadsheet import export_csv
from bot.storage import models
from bot.storage.leads import (
    ConsentRecord,
    ContactInfo,
    Submission,
    export_json,
    lead_rows,
    request_review,
    save_submission,
)
from tests.unit.test_eligibility import BOUTIQUE_LIMOILOU

INTAKE = replace(BOUTIQUE_LIMOILOU, hours_per_week=2, impact="Vendre en ligne")


def submission(
    intake: Intake = INTAKE, email: str = "marie@exemple.com", **changes: object
) -> Submission:
    base = Submission(
        conversation_id="conv-1",
        intake=intake,
        contact=ContactInfo("Marie Tremblay", "propriétaire", email, "+14185551234"),
        consent=ConsentRecord(
            "admissibilité", "2026-11-v1", datetime(2026, 11, 23, tzinfo=timezone.utc)
        ),
        decision=decide(intake),
        priority=priority(intake),
        answers={"business_name": intake.business_name, "impact": intake.impact},
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def count(sessions: sessionmaker[Session], table: type[models.Base]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_submission_stores_business_contact_lead_answers_consent_decision(
    sessions: sessionmaker[Session],
) -> None:
    lead_id = save_submission(sessions, submission())
    [row] = lead_rows(sessions)
    assert row["lead_id"] == lead_id
    assert (row["business"], row["postal_code"], row["sector"]) == (
        "Boutique Chez Marie",
        "G1L 1A1",
        "commerce de détail",
    )
    assert (row["email"], row["phone"], row["outcome"]) == (
        "marie@exemple.com",
        "+14185551234",
        "admissible",
    )
    assert row["score"] == 87 and row["factors"][0]["label"].startswith("artère avec SDC")
    assert row["consent_version"] == "2026-11-v1"
    assert row["answers"] == {"business_name": "Boutique Chez Marie", "impact": "Vendre en ligne"}


def test_the_same_business_coming_back_updates_its_lead(sessions: sessionmaker[Session]) -> None:
    first = save_submission(sessions, submission())
    moved = replace(INTAKE, business_name="boutique chez MARIE", impact="Plus de clients")
    second = save_submission(sessions, submission(moved, answers={"impact": "Plus de clients"}))
    assert first == second
    assert count(sessions, models.Business) == count(sessions, models.Lead) == 1
    [row] = lead_rows(sessions)
    assert row["submissions"] == 2 and row["answers"] == {"impact": "Plus de clients"}
    assert count(sessions, models.Decision) == 2 and count(sessions, models.Consent) == 2


def test_a_failed_submission_leaves_nothing_half_written(sessions: sessionmaker[Session]) -> None:
    too_long = "x" * 500  # longer than the column: PostgreSQL refuses it
    bad = submission(contact=ContactInfo("Marie", "propriétaire", "marie@exemple.com", too_long))
    try:
        save_submission(sessions, bad)
    except Exception:
        assert count(sessions, models.Business) == 0
        assert count(sessions, models.Lead) == 0
    else:  # SQLite does not enforce lengths: the row is whole, not half-written
        assert count(sessions, models.Lead) == count(sessions, models.Business) == 1


@pytest.mark.parametrize(
    "hostile",
    ["<script>alert('x')</script>", "'); DROP TABLE leads; --", "🙂🚀🏪", "é" * 190],
)
def test_hostile_text_is_stored_as_inert_text(
    sessions: sessionmaker[Session], hostile: str
) -> None:
    intake = replace(INTAKE, business_name=hostile, impact=hostile)
    save_submission(sessions, submission(intake, answers={"impact": hostile}))
    [row] = lead_rows(sessions)
    assert row["business"] == hostile and row["answers"]["impact"] == hostile
    assert count(sessions, models.Lead) == 1


def test_review_request_is_recorded(sessions: sessionmaker[Session]) -> None:
    outside = replace(INTAKE, postal_code="G6V 1A1", municipality="Lévis")
    lead_id = save_submission(sessions, submission(outside))
    request_review(sessions, lead_id)
    [row] = lead_rows(sessions)
    assert row["outcome"] == "non admissible" and row["review_requested"] is True


def test_exports_in_csv_and_json(sessions: sessionmaker[Session]) -> None:
    save_submission(sessions, submission())
    save_submission(
        sessions,
        submission(
            replace(
                INTAKE,
                business_name="Gîte du Vieux",
                sector=current_eligibility().sector("accommodation"),
            ),
            email="g@x.ca",
        ),
    )
    rows = lead_rows(sessions)
    assert [r["business"] for r in rows] == ["Boutique Chez Marie", "Gîte du Vieux"]  # by score
    assert json.loads(export_json(rows))[1]["business"] == "Gîte du Vieux"
    parsed = list(csv.DictReader(io.StringIO(export_csv(rows))))
    assert parsed[0]["Courriel"] == "marie@exemple.com"
    assert parsed[0]["Motifs"].startswith("pignon sur rue")


def test_diagnostic_is_stored_with_the_lead_and_exported(sessions: sessionmaker[Session]) -> None:
    from bot.diagnostic import Answers
    from bot.storage.leads import save_diagnostic

    lead_id = save_submission(sessions, submission())
    partial = Answers(website="aucun", social_networks="Facebook")
    save_diagnostic(sessions, lead_id, partial, completed=False)
    full = Answers(
        website="aucun", social_networks="Facebook", posting="rarement", goals="visibilité"
    )
    text = save_diagnostic(sessions, lead_id, full, completed=True)
    assert text.startswith("Boutique Chez Marie : maturité numérique")
    [row] = lead_rows(sessions)
    assert row["diagnostic"]["completed"] is True
    assert row["diagnostic"]["focus"][:2] == ["Site Web", "Contenu des réseaux sociaux"]
    assert row["diagnostic"]["brief"] == text
    assert (
        json.loads(export_json(lead_rows(sessions)))[0]["diagnostic"]["answers"]["posting"]
        == "rarement"
    )
    assert count(sessions, models.Diagnostic) == 1


def test_csv_cells_cannot_run_a_formula_or_split_a_row(sessions: sessionmaker[Session]) -> None:
    """A business named like a formula and answers holding separators (stored before answers
    were cleaned) come out of the CSV export as plain text, one lead per row."""
    formula = '=HYPERLINK("http://pirate.example","Cliquez")'
    tricky = replace(INTAKE, business_name=formula)
    save_submission(
        sessions,
        submission(
            tricky,
            contact=ContactInfo("@Marie\u2028Tremblay", "-rôle\r\n+1", "m@x.ca", "+14185551234"),
            answers={"Impact attendu": "Ligne 1\u2029Ligne 2\x85Ligne 3"},
        ),
    )
    exported = export_csv(lead_rows(sessions))
    [row] = list(csv.DictReader(io.StringIO(exported)))
    assert row["Commerce"] == "'" + formula
    assert (row["Contact"], row["Rôle"], row["Téléphone"]) == (
        "'@Marie\nTremblay",
        "'-rôle\n+1",
        "418 555-1234",
    )
    assert row["Réponse : Impact attendu"] == "Ligne 1\nLigne 2\nLigne 3"
    assert not any(c in exported for c in "\u2028\u2029\x85")
