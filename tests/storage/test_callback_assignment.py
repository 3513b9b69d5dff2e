"""Callback requests assigned to a team member, on both databases: a manager gives one to an
active advisor who sees its lead (or takes it), an advisor takes a free one or gives it back;
« Mes rappels » lists one's own; the lead's history says who has it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.accounts import create_account, set_active
from bot.storage.contact import save_contact_request
from bot.storage.leads import request_callback, save_submission
from bot.storage.models import CallbackRequest, Lead, LeadEvent
from bot.storage.queues import (
    assign_callback,
    callback_assignees,
    mark_callback_done,
    open_callbacks,
)
from bot.workspace import NotAllowed, Viewer
from tests.conftest import FROZEN_NOW
from tests.storage.test_leads import INTAKE, submission

PASSWORD = "une phrase de passe assez longue"
NOW = FROZEN_NOW  # the tests' clock: why it is fixed, in tests/conftest.py


@pytest.fixture
def team(sessions: sessionmaker[Session]) -> dict[str, Viewer]:
    """A manager, two advisors and a disabled advisor, as the workspace sees them."""
    people = {
        "gestion": ("Geneviève Gestion", "manager", None),
        "sophie": ("Sophie Gagnon", "advisor", "sophie"),
        "marc": ("Marc Roy", "advisor", "marc"),
        "ancien": ("Ancien Conseiller", "advisor", "sophie"),
    }
    found = {}
    for key, (name, role, advisor) in people.items():
        email = f"{key}@qcnum.example"
        account = create_account(sessions, email, name, role, PASSWORD, advisor)
        found[key] = Viewer(account, name, email, role, advisor)
    set_active(sessions, "ancien@qcnum.example", False)
    return found


def callback(sessions: sessionmaker[Session], business: str, advisor: str | None) -> int:
    """An open callback request on a new lead of `advisor` (None: unassigned)."""
    lead_id = save_submission(
        sessions, submission(replace(INTAKE, business_name=business), email=f"{business}@x.ca")
    )
    with sessions.begin() as session:
        session.get_one(Lead, lead_id).advisor_id = advisor
    request_callback(sessions, lead_id, f"rappeler {business}")
    with sessions() as session:
        return session.scalars(
            select(CallbackRequest.id).where(CallbackRequest.lead_id == lead_id)
        ).one()


def history(sessions: sessionmaker[Session], callback_id: int) -> list[str]:
    with sessions() as session:
        lead_id = session.get_one(CallbackRequest, callback_id).lead_id
        return [
            f"{e.kind}: {e.note}"
            for e in session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead_id))
        ]


def test_the_people_a_callback_goes_to_are_the_active_advisors(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    assert [a.name for a in callback_assignees(sessions)] == ["Marc Roy", "Sophie Gagnon"]


def test_a_manager_gives_a_callback_to_an_advisor_and_the_lead_history_says_so(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    manager, sophie = team["gestion"], team["sophie"]
    free = callback(sessions, "Fleuriste", None)
    lead_id = assign_callback(sessions, manager, free, sophie.account_id, NOW)
    with sessions() as session:
        row = session.get_one(CallbackRequest, free)
        assert (row.assigned_to, row.assigned_at, row.lead_id) == (sophie.account_id, NOW, lead_id)
    assert history(sessions, free) == [
        "rappel: Rappel demandé le 2026-11-23 attribué à Sophie Gagnon."
    ]
    [line] = open_callbacks(sessions, manager).lines
    assert (line.assignee_id, line.assignee) == (sophie.account_id, "Sophie Gagnon")
    assign_callback(sessions, manager, free, sophie.account_id, NOW)  # the same: nothing new
    assign_callback(sessions, manager, free, team["marc"].account_id, NOW)  # unassigned lead
    assign_callback(sessions, manager, free, None, NOW)
    assert history(sessions, free)[1:] == [
        "rappel: Rappel demandé le 2026-11-23 attribué à Marc Roy.",
        "rappel: Rappel demandé le 2026-11-23 : n'est plus attribué à Marc Roy.",
    ]
    assign_callback(sessions, manager, free, manager.account_id, NOW)  # « Me l'attribuer »
    [line] = open_callbacks(sessions, manager, mine=True).lines
    assert line.assignee == "Geneviève Gestion"


def test_only_someone_who_sees_the_lead_and_is_active_gets_its_callback(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    manager = team["gestion"]
    sophies = callback(sessions, "Boutique de Sophie", "sophie")
    with pytest.raises(NotAllowed, match="Marc Roy ne voit pas cette piste"):
        assign_callback(sessions, manager, sophies, team["marc"].account_id, NOW)
    with pytest.raises(NotAllowed, match="compte actif"):
        assign_callback(sessions, manager, sophies, team["ancien"].account_id, NOW)
    with pytest.raises(NotAllowed, match="compte actif"):
        assign_callback(sessions, manager, sophies, 9999, NOW)
    other_manager = create_account(sessions, "autre@qcnum.example", "Autre", "manager", PASSWORD)
    with pytest.raises(NotAllowed, match="se confie à un conseiller"):
        assign_callback(sessions, manager, sophies, other_manager, NOW)
    with sessions() as session:
        assert session.get_one(CallbackRequest, sophies).assigned_to is None
    assert history(sessions, sophies) == []


def test_an_advisor_takes_a_free_callback_or_gives_it_back_and_no_more(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    sophie, marc = team["sophie"], team["marc"]
    free = callback(sessions, "Fleuriste", None)
    marcs = callback(sessions, "Boutique de Marc", "marc")
    with pytest.raises(NotAllowed, match="Seul un gestionnaire"):
        assign_callback(sessions, sophie, free, marc.account_id, NOW)
    with pytest.raises(LookupError):  # Marc's lead: Sophie does not see it
        assign_callback(sessions, sophie, marcs, sophie.account_id, NOW)
    with pytest.raises(LookupError):
        assign_callback(sessions, sophie, 9999, sophie.account_id, NOW)
    assign_callback(sessions, sophie, free, sophie.account_id, NOW)
    with pytest.raises(NotAllowed, match="attribué à Sophie Gagnon : seul un gestionnaire"):
        assign_callback(sessions, marc, free, marc.account_id, NOW)
    with pytest.raises(NotAllowed, match="attribué à Sophie Gagnon"):
        assign_callback(sessions, marc, free, None, NOW)
    assert [c.callback_id for c in open_callbacks(sessions, sophie, mine=True).lines] == [free]
    assert open_callbacks(sessions, marc, mine=True).lines == []
    assert [c.callback_id for c in open_callbacks(sessions, marc).lines] == [free, marcs]
    assign_callback(sessions, sophie, free, None, NOW)  # given back
    assert open_callbacks(sessions, sophie, mine=True).total == 0
    assign_callback(sessions, marc, free, marc.account_id, NOW)
    assert open_callbacks(sessions, marc, mine=True).total == 1


def test_a_callback_from_the_widget_has_no_lead_and_no_history(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    widget = save_contact_request(sessions, "conv-widget", "Julie Roy", "julie@x.ca", None,
                                  "Pouvez-vous m'appeler?", NOW)  # fmt: skip
    assert assign_callback(sessions, team["marc"], widget, team["marc"].account_id, NOW) is None
    [line] = open_callbacks(sessions, team["gestion"]).lines
    assert (line.name, line.assignee) == ("Julie Roy", "Marc Roy")
    with sessions() as session:
        assert session.scalars(select(LeadEvent)).all() == []


def test_a_handled_callback_is_no_longer_assigned(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    manager = team["gestion"]
    done = callback(sessions, "Fleuriste", None)
    mark_callback_done(sessions, manager, done, NOW)
    with pytest.raises(NotAllowed, match="Ce rappel est déjà fait"):
        assign_callback(sessions, manager, done, team["sophie"].account_id, NOW)
