"""What a live chat with the team leaves about a person, on SQLite and PostgreSQL: their file
lists it (who answered) and its messages with who wrote each; an erasure removes its rows and
the conversations it happened in — on the lead, or without one but with the person's own
contact — and leaves another person's; the retention job deletes the rows of live chats asked
for before its cutoff."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.privacy.erasure import erase_lead
from bot.privacy.person import person_file
from bot.privacy.retention import old_live_chats
from bot.storage import live
from bot.storage.accounts import create_account
from bot.storage.models import LiveChat
from bot.workspace import Viewer
from tests.storage.test_analytics import EVENTS, NOW
from tests.storage.test_privacy import (
    EMAIL,
    NAME,
    NEEDLES,
    OTHER,
    PHONE,
    occurrences,
    person,
    tracker,
)

__all__ = ["tracker"]  # the fixture


def talked(url: str, conversation: str, merchant: str, advisor: str) -> None:
    """A live chat's lines in the tracker store: the merchant's, then the advisor's."""
    stamp = (NOW - timedelta(days=1)).timestamp()
    events = [
        {"event": "pause", "timestamp": stamp},
        {"event": "user", "timestamp": stamp, "text": merchant},
        {"event": "bot", "timestamp": stamp, "text": advisor,
         "metadata": {"live": {"kind": "advisor", "who": "Sophie, conseillère"}}},
    ]  # fmt: skip
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            EVENTS.insert(),
            [{"sender_id": conversation, "type_name": e["event"], "timestamp": stamp,
              "data": json.dumps(e)} for e in events],
        )  # fmt: skip
    engine.dispose()


def sophie(sessions: sessionmaker[Session]) -> Viewer:
    account = create_account(
        sessions, "s@qcnum.example", "Sophie Gagnon", "advisor", "x" * 16, "sophie"
    )
    return Viewer(account, "Sophie Gagnon", "s@qcnum.example", "advisor", "sophie")


def test_the_file_lists_it_and_an_erasure_removes_it_all(
    sessions: sessionmaker[Session], tracker: str, tmp_path: Path
) -> None:
    marie = person(sessions, tracker, (NAME, EMAIL, PHONE), "conv-marie", False)
    person(sessions, tracker, OTHER, "conv-jean", False)
    advisor = sophie(sessions)
    on_lead = live.request(sessions, "conv-marie", NAME, EMAIL, None, "Une question", NOW)
    live.claim(sessions, advisor, on_lead, "Sophie, conseillère", NOW)
    live.hand_back(sessions, advisor, on_lead, NOW)
    talked(tracker, "conv-marie", "j'ai une question", f"Bonjour {NAME}!")
    live.request(sessions, "direct-marie", NAME, EMAIL, None, f"Rappelez {NAME}", NOW)
    talked(tracker, "direct-marie", f"C'est {NAME}", "Bonjour!")
    live.request(sessions, "direct-jean", *OTHER[:2], None, f"Rappelez {OTHER[0]}", NOW)

    record = person_file(sessions, marie, tracker)
    assert record["live_chats"] == [
        {"name": NAME, "email": EMAIL, "phone": None, "wish": "Une question",
         "at": record["live_chats"][0]["at"], "answered_by": "Sophie, conseillère",
         "outcome": "handed_back"},
    ]  # fmt: skip
    assert {"speaker": "Sophie, conseillère", "text": f"Bonjour {NAME}!"} in [
        {k: line[k] for k in ("speaker", "text")} for line in record["conversation"]
    ]

    report = erase_lead(sessions, marie, tracker_url=tracker, outbox=tmp_path, now=NOW)
    assert report.conversations["direct-marie"] == "widget"  # her own contact asked there
    assert occurrences(tracker, NEEDLES) == []
    with sessions() as session:
        left = session.scalars(select(LiveChat.conversation_id)).all()
    assert left == ["direct-jean"]  # another person's stays


def test_the_retention_job_deletes_the_old_ones(sessions: sessionmaker[Session]) -> None:
    old = live.request(sessions, "conv-old", NAME, EMAIL, None, "Ancienne question", NOW)
    recent = live.request(sessions, "conv-new", *OTHER[:2], None, "Nouvelle question", NOW)
    with sessions.begin() as session:
        session.get_one(LiveChat, old).requested_at = NOW - timedelta(days=400)
    cutoff = NOW - timedelta(days=365)
    assert old_live_chats(sessions, cutoff, dry_run=True) == [old]
    assert old_live_chats(sessions, cutoff, dry_run=False) == [old]
    assert old_live_chats(sessions, cutoff, dry_run=False) == []
    with sessions() as session:
        assert session.scalars(select(LiveChat.id)).all() == [recent]
