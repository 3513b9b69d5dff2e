"""Search in the conversations the workspace shows, on both databases (the tracker store's
events table made in the database under test, as Rasa writes it: JSON with its accents escaped):
what the merchant typed, case and accents ignored, a typed button title as shown, never the
bot's own words nor a command; only the leads the viewer may see, never an erased one; with an
excerpt; the leads list finds them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.followup import Filters, list_leads
from bot.storage.leads import save_submission
from bot.storage.models import Lead
from bot.storage.transcript_search import excerpt, search, search_conversations
from bot.workspace import Viewer
from tests.storage.test_callback_assignment import team
from tests.storage.test_leads import INTAKE, submission
from tests.tracker_events import EVENTS
from tests.tracker_events import drop as drop_tracker

__all__ = ["team"]
SAID: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "conv-boutique": [
        ("user", {"text": "/greet"}),
        ("bot", {"text": "Bonjour! Une question sur le Programme?"}),
        ("user", {"text": "On vend déjà sur Shopify mais la LIVRAISON coûte cher"}),
    ],
    "conv-cafe": [
        ("user", {"text": "c quoi le programme?"}),
        ("bot", {"text": "Le programme offre un accompagnement en livraison..."}),
        ("user", {"text": "/affirm", "metadata": {"typed": "Oui, la livraison à domicile"}}),
    ],
    "conv-fleuriste": [("user", {"text": "Je cherche de l'aide pour ma livraison"})],
    "conv-effacee": [("user", {"text": "livraison"})],
}


@pytest.fixture
def tracker(database_url: str) -> Iterator[str]:
    """The tracker's events in the application database under test (SQLite or PostgreSQL)."""
    rows: list[dict[str, Any]] = []
    for sender, events in SAID.items():
        for number, (kind, data) in enumerate(events):
            body = {"event": kind, "timestamp": 1795000000 + number, **data}
            rows.append({"sender_id": sender, "type_name": kind, "data": json.dumps(body),
                         "timestamp": body["timestamp"]})  # fmt: skip
    engine = create_engine(database_url)
    EVENTS.create(engine)
    with engine.begin() as connection:
        connection.execute(EVENTS.insert(), rows)
    engine.dispose()
    yield database_url
    drop_tracker(database_url)


@pytest.fixture
def leads(sessions: sessionmaker[Session]) -> dict[str, int]:
    """A lead per conversation: Sophie's, Marc's, one to assign and an erased one."""
    found = {}
    for name, advisor in [("boutique", "sophie"), ("cafe", "marc"), ("fleuriste", None),
                          ("effacee", None)]:  # fmt: skip
        lead_id = save_submission(
            sessions,
            submission(
                replace(INTAKE, business_name=f"Commerce {name}"),
                email=f"{name}@x.ca",
                conversation_id=f"conv-{name}",
            ),
        )
        with sessions.begin() as session:
            lead = session.get_one(Lead, lead_id)
            lead.advisor_id = advisor
            if name == "effacee":
                lead.anonymised_at = lead.created_at
        found[name] = lead_id
    return found


def test_what_the_merchant_typed_whatever_the_accents_and_case(
    sessions: sessionmaker[Session], tracker: str, leads: dict[str, int], team: dict[str, Viewer]
) -> None:
    manager = team["gestion"]
    found = search_conversations(sessions, tracker, manager, "LIVRAISON a domicile")
    assert found == {"conv-cafe": "Oui, la livraison à domicile"}  # the typed title, as shown
    everywhere = search_conversations(sessions, tracker, manager, "livraison")
    assert sorted(everywhere) == ["conv-boutique", "conv-cafe", "conv-fleuriste"]  # not erased
    assert everywhere["conv-boutique"] == "On vend déjà sur Shopify mais la LIVRAISON coûte cher"
    assert search_conversations(sessions, tracker, manager, "deja sur shopify") == {
        "conv-boutique": "On vend déjà sur Shopify mais la LIVRAISON coûte cher"
    }
    assert search_conversations(sessions, tracker, manager, "accompagnement") == {}  # bot's
    assert search_conversations(sessions, tracker, manager, "greet") == {}  # a command
    assert search_conversations(sessions, tracker, manager, "pr") == {}  # too short
    assert search(tracker, ["conv-cafe"], "%") == {}


def test_only_the_leads_the_viewer_may_see(
    sessions: sessionmaker[Session], tracker: str, leads: dict[str, int], team: dict[str, Viewer]
) -> None:
    sophie = search_conversations(sessions, tracker, team["sophie"], "livraison")
    assert sorted(sophie) == ["conv-boutique", "conv-fleuriste"]  # hers and the unassigned one
    marc = search_conversations(sessions, tracker, team["marc"], "shopify")
    assert marc == {}
    page = list_leads(sessions, team["sophie"], Filters(search="livraison"), sophie)
    assert [(line.business, line.found_in_conversation) for line in page.lines] == [
        ("Commerce boutique", "On vend déjà sur Shopify mais la LIVRAISON coûte cher"),
        ("Commerce fleuriste", "Je cherche de l'aide pour ma livraison"),
    ]  # same priority: the first lead first
    # a conversation found for someone else's lead opens nothing
    assert list_leads(sessions, team["marc"], Filters(search="livraison"), sophie).total == 1
    assert (
        list_leads(sessions, team["marc"], Filters(search="livraison"), sophie).lines[0].business
        == "Commerce fleuriste"
    )


def test_no_tracker_store_yet_finds_nothing_there(
    sessions: sessionmaker[Session], leads: dict[str, int], team: dict[str, Viewer], tmp_path: Any
) -> None:
    empty = f"sqlite:///{tmp_path / 'aucun.db'}"
    assert search_conversations(sessions, empty, team["gestion"], "livraison") == {}


def test_the_excerpt_is_cut_around_what_was_found() -> None:
    text = "Bonjour, " + "on a beaucoup de clients " * 5 + "et la livraison à Québec " + "x" * 80
    cut = excerpt(text, "livraison a quebec")
    assert cut.startswith("…") and cut.endswith("…") and "livraison à Québec" in cut
    assert excerpt("la livraison", "livraison") == "la livraison"
