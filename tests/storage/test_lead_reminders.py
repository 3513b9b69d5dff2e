"""Follow-up reminders on leads, on both databases: set, moved and done with their history lines;
today or later (Québec's today), within a year; one open per lead; due ones in the queue of the
lead's advisor (or of whoever set it on a lead nobody has), every one for a manager; never on
an erased lead."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.lead_reminders import due_reminders, finish, open_reminder, set_reminder
from bot.storage.leads import save_submission
from bot.storage.models import Lead, LeadEvent, LeadReminder
from bot.workspace import NotAllowed, Viewer
from tests.conftest import FROZEN_NOW
from tests.storage.test_callback_assignment import team
from tests.storage.test_leads import INTAKE, submission

__all__ = ["team"]
NOW = FROZEN_NOW
TODAY = date(2026, 11, 23)  # Québec's day of the tests' clock


def new_lead(sessions: sessionmaker[Session], name: str, advisor: str | None) -> int:
    lead_id = save_submission(
        sessions, submission(replace(INTAKE, business_name=name), email=f"{name}@x.ca")
    )
    with sessions.begin() as session:
        session.get_one(Lead, lead_id).advisor_id = advisor
    return lead_id


def notes(sessions: sessionmaker[Session], lead_id: int) -> list[str | None]:
    with sessions() as session:
        return list(
            session.scalars(
                select(LeadEvent.note).where(LeadEvent.lead_id == lead_id).order_by(LeadEvent.id)
            )
        )


def test_set_moved_and_done_with_the_history(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    lead_id = new_lead(sessions, "Boutique", "sophie")
    sophie = team["sophie"]
    set_reminder(sessions, sophie, lead_id, date(2026, 12, 1), "Rappeler pour le devis", TODAY)
    found = open_reminder(sessions, lead_id)
    assert found is not None
    assert (found.due_on, found.note, found.set_by) == (
        date(2026, 12, 1), "Rappeler pour le devis", "Sophie Gagnon")  # fmt: skip
    set_reminder(sessions, sophie, lead_id, date(2026, 12, 3), "", TODAY)  # moved, one open
    with sessions() as session:
        assert len(session.scalars(select(LeadReminder)).all()) == 1
    finish(sessions, team["gestion"], lead_id, NOW)
    assert open_reminder(sessions, lead_id) is None
    with pytest.raises(NotAllowed, match="pas de relance"):
        finish(sessions, sophie, lead_id, NOW)
    assert notes(sessions, lead_id) == [
        "Relance prévue le mardi 1er décembre : Rappeler pour le devis.",
        "Relance du mardi 1er décembre déplacée au jeudi 3 décembre.",
        "Relance du jeudi 3 décembre faite.",
    ]
    set_reminder(sessions, sophie, lead_id, TODAY, "Encore", TODAY)  # a new one after
    assert open_reminder(sessions, lead_id) is not None


def test_the_day_is_today_or_later_within_a_year(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    lead_id = new_lead(sessions, "Boutique", "sophie")
    with pytest.raises(NotAllowed, match="aujourd'hui ou une date à venir"):
        set_reminder(sessions, team["sophie"], lead_id, TODAY - timedelta(days=1), "", TODAY)
    with pytest.raises(NotAllowed, match="d'ici un an"):
        set_reminder(sessions, team["sophie"], lead_id, TODAY + timedelta(days=400), "", TODAY)
    with pytest.raises(NotAllowed, match="500 caractères"):
        set_reminder(sessions, team["sophie"], lead_id, TODAY, "x" * 501, TODAY)
    assert open_reminder(sessions, lead_id) is None


def test_only_on_a_lead_one_sees_and_never_on_an_erased_one(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    marcs = new_lead(sessions, "Café", "marc")
    with pytest.raises(LookupError):
        set_reminder(sessions, team["sophie"], marcs, TODAY, "", TODAY)
    with sessions.begin() as session:
        session.get_one(Lead, marcs).anonymised_at = NOW
    with pytest.raises(NotAllowed, match="effacé"):
        set_reminder(sessions, team["gestion"], marcs, TODAY, "", TODAY)


def test_due_reminders_wait_in_the_right_queue(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    sophies = new_lead(sessions, "Boutique", "sophie")
    marcs = new_lead(sessions, "Café", "marc")
    free_by_sophie = new_lead(sessions, "Fleuriste", None)
    free_by_marc = new_lead(sessions, "Librairie", None)
    later = new_lead(sessions, "Quincaillerie", "sophie")
    set_reminder(sessions, team["gestion"], sophies, TODAY, "Appeler", TODAY)  # a manager set it
    set_reminder(sessions, team["marc"], marcs, TODAY, "", TODAY)
    set_reminder(sessions, team["sophie"], free_by_sophie, TODAY, "", TODAY)
    set_reminder(sessions, team["marc"], free_by_marc, TODAY, "", TODAY)
    set_reminder(sessions, team["sophie"], later, TODAY + timedelta(days=2), "", TODAY)

    def due(viewer: str, today: date = TODAY) -> list[str]:
        return [r.business for r in due_reminders(sessions, team[viewer], today)]

    assert due("sophie") == ["Boutique", "Fleuriste"]
    assert due("marc") == ["Café", "Librairie"]
    assert sorted(due("gestion")) == ["Boutique", "Café", "Fleuriste", "Librairie"]
    assert due("sophie", TODAY + timedelta(days=5)) == ["Boutique", "Fleuriste", "Quincaillerie"]
    [first] = due_reminders(sessions, team["sophie"], TODAY)[:1]
    assert (first.note, first.set_by, first.advisor_id) == (
        "Appeler",
        "Geneviève Gestion",
        "sophie",
    )
    finish(sessions, team["sophie"], sophies, NOW)
    assert due("sophie") == ["Fleuriste"]
