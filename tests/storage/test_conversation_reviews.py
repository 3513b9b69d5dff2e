"""The review of conversations on SQLite and PostgreSQL: tags and « revue », the conversations'
facts read from the tracker's `events` table (in the database under test, as Rasa's
SQLTrackerStore creates it) and kept until a conversation moves, the conversations that asked
for a person, and a person's erasure deleting the review of their conversations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.learning.outcomes import CALLBACK, LIVE_CHAT
from bot.learning.review_tags import TAGS_PER_CONVERSATION, BadTag
from bot.privacy.erasure import erase_lead
from bot.privacy.retention import run_retention
from bot.storage import conversation_reviews as reviews
from bot.storage import lead_conversations
from bot.storage.accounts import create_account
from bot.storage.conversation_outcomes import OutcomeCache, asked_for_person
from bot.storage.leads import save_submission
from bot.storage.models import AuditEntry, Base, CallbackRequest, LiveChat
from bot.storage.transcripts import ANONYMOUS
from tests.conftest import FROZEN_NOW
from tests.storage.test_leads import submission
from tests.tracker_events import Conversation, drop, write

NOW = FROZEN_NOW
PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def tracker(database_url: str) -> Iterator[str]:
    """Three conversations (one erased) in the tracker's events, in the database under test."""
    write(database_url, [
        Conversation("conv-faq", NOW - timedelta(days=2)).faq(),
        Conversation("conv-intake", NOW - timedelta(days=1)).intake(),
        Conversation(f"{ANONYMOUS}1234", NOW - timedelta(days=3)).faq(),
    ])  # fmt: skip
    yield database_url
    drop(database_url)


@pytest.fixture
def manager(sessions: sessionmaker[Session]) -> int:
    return create_account(sessions, "gestion@exemple.org", "Gaston Gestion", "manager", PASSWORD)


def test_the_migration_makes_the_tables_of_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert [d for d in differences if "conversation_" in repr(d)] == []


def test_tags_are_cleaned_suggested_by_use_and_removed(
    sessions: sessionmaker[Session], manager: int
) -> None:
    assert reviews.add_tag(sessions, "conv-1", "  Prix   TROP cher ", manager) == "prix trop cher"
    reviews.add_tag(sessions, "conv-1", "prix trop cher", manager)  # once
    reviews.add_tag(sessions, "conv-2", "prix trop cher", manager)
    reviews.add_tag(sessions, "conv-2", "horaire", manager)
    assert reviews.known_tags(sessions) == ["prix trop cher", "horaire"]
    assert reviews.review_of(sessions, "conv-2").tags == ("horaire", "prix trop cher")
    for bad, reason in [("", "Écrivez"), ("x" * 31, "30 caractères"), ("<b>", "lettres")]:
        with pytest.raises(BadTag, match=reason):
            reviews.add_tag(sessions, "conv-1", bad, manager)
    for n in range(TAGS_PER_CONVERSATION - 2):
        reviews.add_tag(sessions, "conv-2", f"sujet {n}", manager)
    with pytest.raises(BadTag, match="au plus 10 étiquettes"):
        reviews.add_tag(sessions, "conv-2", "une de trop", manager)
    reviews.remove_tag(sessions, "conv-1", "prix trop cher")
    assert reviews.review_of(sessions, "conv-1").tags == ()


def test_a_conversation_marked_reviewed_then_not(
    sessions: sessionmaker[Session], manager: int
) -> None:
    assert reviews.review_of(sessions, "conv-1").reviewed_at is None
    reviews.mark_reviewed(sessions, "conv-1", manager, True)
    reviewed = reviews.review_of(sessions, "conv-1")
    assert (reviewed.reviewed_at, reviewed.reviewer) == (NOW, "Gaston Gestion")
    reviews.mark_reviewed(sessions, "conv-1", manager, True)  # again: still one row
    assert list(reviews.reviews(sessions)) == ["conv-1"]
    reviews.mark_reviewed(sessions, "conv-1", manager, False)
    assert reviews.reviews(sessions) == {}


def test_reading_a_conversation_is_audited_on_its_lead(
    sessions: sessionmaker[Session], manager: int
) -> None:
    lead_id = save_submission(sessions, submission(email="julie@exemple.com"))
    lead_conversations.record(sessions, lead_id, "conv-intake", lead_conversations.INTAKE)
    reviews.record_reading(sessions, manager, "conv-intake", "lecture de conversation")
    reviews.record_reading(sessions, manager, "conv-faq", "lecture de conversation")
    with sessions() as session:
        rows = session.execute(select(AuditEntry.lead_id, AuditEntry.detail)).all()
    assert sorted(map(tuple, rows), key=str) == sorted(
        [(lead_id, "conversation conv-intake"), (None, "conversation conv-faq")], key=str
    )


def test_the_facts_of_every_conversation_are_read_again_only_when_it_moves(tracker: str) -> None:
    cache = OutcomeCache()
    found = {f.conversation_id: f for f in cache.facts(tracker)}
    assert sorted(found) == ["conv-faq", "conv-intake"]  # not the erased one
    assert found["conv-intake"].intake == "admissible"
    again = {f.conversation_id: f for f in cache.facts(tracker)}
    assert all(again[c] is found[c] for c in found)  # nothing moved: the same facts, not read
    write(tracker, [Conversation("conv-faq", NOW).not_understood().not_understood()])
    moved = {f.conversation_id: f for f in cache.facts(tracker)}
    assert moved["conv-faq"].longest_fallback_streak == 2
    assert moved["conv-intake"] is found["conv-intake"]  # not read again


def test_no_events_table_yet_means_no_conversation(database_url: str) -> None:
    assert OutcomeCache().facts(database_url) == []


def test_the_conversations_that_asked_for_a_person(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.add(CallbackRequest(conversation_id="conv-rappel", name="Julie",
                                    email="julie@exemple.com", wish="Rappelez-moi"))  # fmt: skip
        session.add(LiveChat(conversation_id="conv-direct", name="Luc", wish="Une question",
                             consented_at=NOW))  # fmt: skip
    assert asked_for_person(sessions) == {"conv-rappel": CALLBACK, "conv-direct": LIVE_CHAT}


def test_erasing_a_person_deletes_the_review_of_their_conversations(
    sessions: sessionmaker[Session], tracker: str, manager: int, tmp_path: Path
) -> None:
    lead_id = save_submission(sessions, submission(email="julie@exemple.com"))
    lead_conversations.record(sessions, lead_id, "conv-intake", lead_conversations.INTAKE)
    for conversation in ("conv-intake", "conv-faq"):
        reviews.add_tag(sessions, conversation, "à suivre", manager)
        reviews.mark_reviewed(sessions, conversation, manager, True)
    erase_lead(sessions, lead_id, tracker_url=tracker, outbox=tmp_path, now=NOW)
    assert list(reviews.reviews(sessions)) == ["conv-faq"]


def test_the_retention_job_deletes_the_review_of_the_conversations_it_erases(
    sessions: sessionmaker[Session], database_url: str, manager: int, tmp_path: Path
) -> None:
    write(database_url, [
        Conversation("conv-old", NOW - timedelta(days=400)).faq(),
        Conversation("conv-new", NOW - timedelta(days=3)).faq(),
    ])  # fmt: skip
    try:
        for conversation in ("conv-old", "conv-new"):
            reviews.add_tag(sessions, conversation, "à suivre", manager)
        report = run_retention(sessions, database_url, tmp_path, NOW, days=365)
        assert report.conversations == ["conv-old"]
        assert list(reviews.reviews(sessions)) == ["conv-new"]
    finally:
        drop(database_url)
