"""The missed-messages inbox on SQLite and PostgreSQL, with the tracker store's `events` table in
the database under test as Rasa writes it: the scanning job stores each missed message once,
masked before it is stored (names given later in the conversation too), grouped by similarity;
long text, emoji and HTML; four eyes; never an example of a test set; the approved examples as
a Rasa NLU file; the top missed topics; erasure and retention."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.learning.examples import nlu_yaml, write_examples
from bot.privacy.erasure import erase_lead
from bot.privacy.retention import run_retention
from bot.storage import missed
from bot.storage.accounts import create_account
from bot.storage.leads import save_submission
from bot.storage.models import AuditEntry, Base, CallbackRequest, LearningMark, MissedMessage
from bot.workspace import NotAllowed
from tests.storage.test_leads import submission
from tests.tracker_events import EVENTS
from tests.tracker_events import drop as drop_tracker
from tests.unit.test_missed_detection import FALLBACK_TURN, action, bot, slot, user

PASSWORD = "une phrase de passe assez longue"
START = 1795000000.0  # 2026-11-18, before the tests' FROZEN_NOW


def empty_inbox(database_url: str) -> None:
    """No missed message nor watermark left from another test (PostgreSQL's database is kept
    between tests)."""
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(delete(MissedMessage))
        connection.execute(delete(LearningMark))
    engine.dispose()


def emptied(database_url: str, tracker: str) -> Iterator[str]:
    """An empty inbox in `database_url` and an empty events table in `tracker`, for a fixture
    to yield from (the table dropped after the test)."""
    empty_inbox(database_url)
    engine = create_engine(tracker)
    EVENTS.drop(engine, checkfirst=True)
    EVENTS.create(engine)
    engine.dispose()
    yield tracker
    drop_tracker(tracker)


@pytest.fixture
def tracker(database_url: str) -> Iterator[str]:
    """An empty events table in the database under test (and an empty inbox)."""
    yield from emptied(database_url, database_url)


def say(url: str, sender: str, *events: dict[str, Any], at: float = START) -> None:
    """Append events to a conversation, a second apart, as Rasa stores them."""
    engine = create_engine(url)
    with engine.begin() as connection:
        last = connection.execute(
            text("SELECT max(timestamp) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar()
        start = max(at, float(last or 0) + 1)
        rows = []
        for number, event in enumerate(events):
            body = {**event, "timestamp": start + number}
            rows.append({"sender_id": sender, "type_name": body["event"], "data": json.dumps(body),
                         "timestamp": body["timestamp"],
                         "intent_name": (body.get("parse_data") or {}).get("intent", {}).get("name"),
                         "action_name": body.get("name") if body["event"] == "action" else None})  # fmt: skip
        connection.execute(EVENTS.insert(), rows)
    engine.dispose()


def stored(sessions: sessionmaker[Session]) -> list[MissedMessage]:
    with sessions() as session:
        rows = list(session.scalars(select(MissedMessage).order_by(MissedMessage.id)))
        session.expunge_all()
        return rows


def accounts(sessions: sessionmaker[Session]) -> tuple[int, int]:
    return (
        create_account(sessions, "gestion@qcnum.example", "Geneviève", "manager", PASSWORD),
        create_account(sessions, "sophie@qcnum.example", "Sophie", "advisor", PASSWORD, "sophie"),
    )


def test_the_migration_makes_the_tables_of_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    mine = ("missed_messages", "learning_marks", "missed_inbox")
    assert [d for d in differences if any(name in repr(d) for name in mine)] == []


def test_stored_once_masked_and_grouped(sessions: sessionmaker[Session], tracker: str) -> None:
    say(tracker, "conv-marie",
        user("Bonjour je suis Marie Tremblay, marie@exemple.com, 418 555-1234, G1K 3A5: "
             "vous faites du porte-à-porte?", "nlu_fallback", 0.8, ("nlu_fallback", 0.8),
             ("faq_coaching", 0.2)),
        action("action_handle_fallback"), bot("Désolé, je n'ai pas bien compris."))  # fmt: skip
    say(tracker, "conv-luc", *FALLBACK_TURN)
    say(tracker, "conv-ok", user("c'est combien?", "faq_cost", 0.97), bot("C'est gratuit."))
    assert missed.scan(sessions, tracker) == 2
    assert missed.scan(sessions, tracker) == 0  # nothing new: nothing read twice
    # Her name comes later in the conversation (the intake): the stored text is masked again.
    say(tracker, "conv-marie", slot("contact_name", "Marie Tremblay"),
        user("vous faites du porte à porte", "nlu_fallback", 0.8, ("nlu_fallback", 0.8),
             ("faq_coaching", 0.3)), action("action_handle_fallback"))  # fmt: skip
    assert missed.scan(sessions, tracker) == 1
    rows = {row.text: row for row in stored(sessions)}
    assert sorted((row.sender_id, said) for said, row in rows.items()) == [
        ("conv-luc", "vous faites du porte-à-porte?"),
        ("conv-marie", "Bonjour je suis [nom], [courriel], [téléphone], [code postal]: "
                       "vous faites du porte-à-porte?"),
        ("conv-marie", "vous faites du porte à porte"),
    ]  # fmt: skip
    assert {row.reason for row in rows.values()} == {"fallback"}
    long = rows["Bonjour je suis [nom], [courriel], [téléphone], [code postal]: "
                "vous faites du porte-à-porte?"]  # fmt: skip
    assert long.intent == "faq_coaching" and long.confidence == 0.2
    # The two short ones are one group (same words, the same suggestion); the long one its own.
    short = rows["vous faites du porte-à-porte?"].group_id
    assert rows["vous faites du porte à porte"].group_id == short != long.group_id
    # Nothing personal anywhere in the table.
    engine = create_engine(tracker)
    with engine.connect() as connection:
        dump = " ".join(map(str, connection.execute(text("SELECT * FROM missed_messages")).all()))
    engine.dispose()
    for needle in ("Marie", "Tremblay", "exemple.com", "555", "G1K", "g1k"):
        assert needle not in dump
    # A rejection is known from the next message only: the earlier answer is missed then.
    say(tracker, "conv-ok", user("non c'est pas ça", "deny", 0.9), bot("Reformulez?"))
    assert missed.scan(sessions, tracker) == 1
    assert [(r.text, r.reason) for r in stored(sessions)][-1] == ("c'est combien?", "rejected")
    groups = missed.inbox(sessions)
    assert (groups[0].count, groups[0].text, groups[0].suggested) == (
        2, "vous faites du porte-à-porte?", "faq_coaching",
    )  # fmt: skip
    assert [g.count for g in missed.inbox(sessions, reason="rejected")] == [1]


def test_the_name_given_to_talk_to_a_person_is_masked_too(
    sessions: sessionmaker[Session], tracker: str
) -> None:
    with sessions.begin() as session:  # « Parler à une personne » from the chat widget
        session.add(CallbackRequest(name="Julie Bérubé", email="jb@exemple.ca",
                                    conversation_id="conv-julie", wish="rappel"))  # fmt: skip
    say(
        tracker, "conv-julie", user("ici JULIE BERUBE, vous livrez?", "faq_delivery", 0.3), bot("…")
    )
    say(tracker, "conv-autre", user("Bérubé c'est mon voisin", "faq_contact", 0.3), bot("…"))
    assert missed.scan(sessions, tracker) == 2
    assert sorted(row.text for row in stored(sessions)) == [
        "Bérubé c'est mon voisin",  # another conversation: her name is not known there
        "ici [nom], vous livrez?",
    ]


def test_long_text_emoji_and_html(sessions: sessionmaker[Session], tracker: str) -> None:
    hostile = "<b>allo</b> 😀 « c'est combien » " * 60  # 2 000 characters and more
    postal = "G1K3A5 " * 285  # each code grows to « [code postal] » once masked
    say(tracker, "conv-x", user(hostile.strip(), "faq_cost", 0.3), bot("…"),
        user(postal.strip(), "faq_cost", 0.3), bot("…"))  # fmt: skip
    assert missed.scan(sessions, tracker) == 2
    first, second = stored(sessions)
    assert first.text == " ".join(hostile.split())[: missed.TEXT_MAX]
    assert "😀" in first.text and "<b>allo</b>" in first.text
    assert len(second.text) == missed.TEXT_MAX and second.text.endswith("…")
    assert "G1K" not in second.text


def test_four_eyes_and_the_approved_examples(
    sessions: sessionmaker[Session], tracker: str, tmp_path: Path
) -> None:
    manager, sophie = accounts(sessions)
    say(tracker, "conv-a", *FALLBACK_TURN)
    say(tracker, "conv-b", *FALLBACK_TURN)
    say(tracker, "conv-c", user("zzz qsdf", "nlu_fallback", 0.9, ("nlu_fallback", 0.9)), bot("?"))
    missed.scan(sessions, tracker)
    group, noise = (g.group_id for g in missed.inbox(sessions))
    with pytest.raises(NotAllowed, match="intention de la liste"):
        missed.propose(sessions, sophie, "intent", group_id=group, intent="pas_une_intention")
    with pytest.raises(NotAllowed, match="brouillon"):
        missed.propose(sessions, sophie, "topic", group_id=group, draft="  ")
    assert missed.propose(sessions, sophie, "intent", group_id=group, intent="faq_coaching") == 2
    with pytest.raises(NotAllowed, match="Tous les messages"):
        missed.propose(sessions, manager, "noise", group_id=group)
    with pytest.raises(NotAllowed) as own:
        missed.review(sessions, sophie, True, group_id=group)
    assert str(own.value) == missed.OWN_PROPOSAL
    assert missed.approved_examples(sessions) == []
    assert missed.review(sessions, manager, True, group_id=group) == 2
    assert (
        missed.approved_examples(sessions)
        == [
            ("faq_coaching", "vous faites du porte-à-porte?"),
        ]
        * 2
    )
    with pytest.raises(NotAllowed, match="attend"):
        missed.review(sessions, manager, True, group_id=group)
    # Noise proposed by the manager, refused by Sophie: back to be labelled.
    missed.propose(sessions, manager, "noise", group_id=noise)
    assert missed.review(sessions, sophie, False, group_id=noise) == 1
    assert [m.status for m in missed.inbox(sessions)[1].messages] == ["nouveau"]
    with pytest.raises(LookupError):
        missed.propose(sessions, manager, "noise", group_id=999)
    # The journal says who did what.
    with sessions() as session:
        journal = [(e.account_id, e.action) for e in session.scalars(select(AuditEntry))]
    assert journal == [
        (sophie, "étiquette proposée"), (manager, "étiquette approuvée"),
        (manager, "étiquette proposée"), (sophie, "étiquette refusée"),
    ]  # fmt: skip
    # The training file: Rasa NLU YAML, one line per example; never into a test set.
    path = write_examples(missed.approved_examples(sessions), tmp_path / "approved.yml")
    document = yaml.safe_load(path.read_text("utf-8"))
    assert document == {
        "version": "3.1",
        "nlu": [{"intent": "faq_coaching", "examples": "- vous faites du porte-à-porte?\n"}],
    }
    assert "  examples: |\n" in path.read_text("utf-8")
    with pytest.raises(ValueError, match="test sets"):
        write_examples([], Path(__file__).parents[1] / "nlu" / "approved.yml")
    assert nlu_yaml([]).endswith("nlu: []\n")


def test_a_test_sets_message_is_never_approved(
    sessions: sessionmaker[Session], tracker: str
) -> None:
    manager, sophie = accounts(sessions)
    heldout = "C'est-tu gratis votre affaire?"  # tests/nlu/heldout.yml
    say(tracker, "conv-t", user(heldout, "faq_cost", 0.4), bot("C'est gratuit."))
    missed.scan(sessions, tracker)
    [group] = missed.inbox(sessions)
    with pytest.raises(NotAllowed, match="jeu de test"):
        missed.propose(sessions, sophie, "intent", group_id=group.group_id, intent="faq_cost")
    # Even if it was proposed before the test set held it, it is refused at approval.
    with sessions.begin() as session:
        row = session.scalars(select(MissedMessage)).one()
        row.status, row.label_kind, row.label_intent = "proposé", "intent", "faq_cost"
        row.proposed_by = sophie
    with pytest.raises(NotAllowed, match="fausserait la mesure"):
        missed.review(sessions, manager, True, group_id=group.group_id)
    assert missed.approved_examples(sessions) == []
    assert missed.review(sessions, manager, False, group_id=group.group_id) == 1
    assert missed.propose(sessions, sophie, "noise", group_id=group.group_id) == 1


def test_top_topics(sessions: sessionmaker[Session], tracker: str) -> None:
    manager, sophie = accounts(sessions)
    for sender in ("a", "b", "c"):
        say(tracker, sender, *FALLBACK_TURN)
    say(tracker, "d", user("avez-vous un stationnement?", "faq_session_place", 0.3), bot("…"))
    say(tracker, "e", user("zzz qsdf", "nlu_fallback", 0.9, ("nlu_fallback", 0.9)), bot("?"))
    missed.scan(sessions, tracker)
    since = datetime.fromtimestamp(START, timezone.utc)
    until = since + timedelta(days=1)
    assert missed.top_topics(sessions, since, until) == [
        ("vous faites du porte-à-porte?", 3),
        ("avez-vous un stationnement?", 1),
        ("zzz qsdf", 1),
    ]
    groups = {g.text: g.group_id for g in missed.inbox(sessions)}
    missed.propose(sessions, sophie, "intent", group_id=groups["vous faites du porte-à-porte?"],
                   intent="faq_coaching")  # fmt: skip
    missed.propose(sessions, sophie, "noise", group_id=groups["zzz qsdf"])
    missed.review(sessions, manager, True, group_id=groups["zzz qsdf"])
    assert missed.top_topics(sessions, since, until, limit=2) == [
        ("Qu'est-ce que ça comprend?", 3),  # labelled: the intent's French label
        ("avez-vous un stationnement?", 1),  # approved noise is no topic
    ]
    assert missed.top_topics(sessions, until, until + timedelta(days=1)) == []


def test_erasure_and_retention(
    sessions: sessionmaker[Session], tracker: str, tmp_path: Path
) -> None:
    manager, sophie = accounts(sessions)
    lead_id = save_submission(sessions, submission(conversation_id="conv-marie"))
    say(tracker, "conv-marie", *FALLBACK_TURN,
        user("c'est tu cher", "faq_cost", 0.3), bot("C'est gratuit."))  # fmt: skip
    say(tracker, "conv-autre", *FALLBACK_TURN)
    missed.scan(sessions, tracker)
    _, cher = missed.inbox(sessions)
    missed.propose(sessions, sophie, "intent", group_id=cher.group_id, intent="faq_cost")
    missed.review(sessions, manager, True, group_id=cher.group_id)
    erase_lead(
        sessions, lead_id, tracker_url=tracker, outbox=tmp_path, now=datetime.now(timezone.utc)
    )
    rows = stored(sessions)
    # Her unlabelled message is gone; the approved example stays, masked, without its link.
    assert [(r.sender_id, r.text, r.status) for r in rows] == [
        ("conv-autre", "vous faites du porte-à-porte?", "nouveau"),
        (None, "c'est tu cher", "approuvé"),
    ]
    assert missed.approved_examples(sessions) == [("faq_cost", "c'est tu cher")]
    # Retention: the unlabelled messages said before the cutoff go, labelled ones stay.
    now = datetime.fromtimestamp(START, timezone.utc) + timedelta(days=400)
    dry = run_retention(sessions, tracker, tmp_path, now, 365, dry_run=True)
    assert dry.missed_messages == 1 and len(stored(sessions)) == 2
    assert "would erase 1 unlabelled missed message(s)" in dry.lines()
    report = run_retention(sessions, tracker, tmp_path, now, 365)
    assert report.missed_messages == 1
    assert [(r.sender_id, r.status) for r in stored(sessions)] == [(None, "approuvé")]
