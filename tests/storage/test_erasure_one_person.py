"""Erasure touches one person only, on SQLite and PostgreSQL: two merchants share a name and a
phone (« Marie Tremblay », one family, two shops); the first is erased by the chat, or by the
retention job (the privacy officer's page: tests/web/test_privacy_workspace.py). The second's
lead, answers, sessions, requests and every event of her conversations are unchanged; nothing of
the first remains; where the first's own e-mail appears in the second's conversation, only it is
removed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.booking import Scheduler
from bot.mail import MailSettings, message, send
from bot.privacy import codes
from bot.privacy.chat import Context
from bot.privacy.erasure import erase_lead
from bot.privacy.person import person_file
from bot.privacy.retention import run_retention
from bot.privacy.tracker import erase_idle
from bot.storage import lead_conversations, mail_queue
from bot.storage.models import Booking, CallbackRequest, Lead
from tests.storage.test_analytics import NOW
from tests.storage.test_booking_form import RULES
from tests.storage.test_privacy import (
    PHONE,
    occurrences,
    outbox_texts,
    person,
    tracker,
    tracker_events,
)
from tests.storage.test_privacy_chat import Chat, inbox, last_code, smtp_port
from tests.unit.test_mail import Inbox

__all__ = ["inbox", "smtp_port", "tracker"]  # the fixtures
NAME = "Marie Tremblay"
FIRST = (NAME, "marie@exemple.com", PHONE)  # erased
SECOND = (NAME, "marie.boutique@exemple.com", PHONE)  # kept: same name, same phone
RETENTION_DAYS = 365


@dataclass
class Family:
    first: int
    second: int
    outbox: Path


def events(url: str, *senders: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT sender_id, type_name, timestamp, data FROM events "
                "WHERE sender_id IN :senders ORDER BY id"
            ).bindparams(bindparam("senders", expanding=True)),
            {"senders": list(senders)},
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def everything_of(sessions: sessionmaker[Session], url: str, lead_id: int) -> dict[str, Any]:
    """The lead as the workspace and the person's file show it, with its sessions and requests."""
    record = person_file(sessions, lead_id, url)
    with sessions() as session:
        record["booking rows"] = [
            (b.reference, b.status, b.starts_at, b.advisor_id)
            for b in session.scalars(select(Booking).where(Booking.lead_id == lead_id))
        ]
        record["requests"] = [
            (c.lead_id, c.name, c.email, c.phone, c.wish, c.conversation_id)
            for c in session.scalars(
                select(CallbackRequest)
                .where(CallbackRequest.name == NAME)
                .order_by(CallbackRequest.id)
            )
            if c.email != FIRST[1]
        ]
        record["conversations"] = lead_conversations.of_lead(session, lead_id)
    return record


@pytest.fixture
def family(sessions: sessionmaker[Session], tracker: str, tmp_path: Path) -> Family:
    """Both Maries went through the intake, each in her conversation; the second also looked up
    her session by its reference in another conversation, where she gave her sister's e-mail;
    the outbox and the mail retry queue hold a mail for each."""
    first = person(sessions, tracker, FIRST, "conv-first", False, business="Fleuriste Tremblay")
    second = person(sessions, tracker, SECOND, "conv-second", False, business="Café Tremblay")
    tracker_events(
        tracker, "conv-second-rdv",
        [f"ma rencontre NQ-P{second}PAST", f"ma sœur c'est {FIRST[1]}, pas moi", "merci"], {},
    )  # fmt: skip
    with sessions.begin() as session:
        lead_conversations.link(session, second, "conv-second-rdv", lead_conversations.BOOKING)
    outbox = tmp_path / "outbox"
    settings = MailSettings("noreply@example.org", outbox=outbox)
    for _, email, _ in (FIRST, SECOND):
        mail = message(settings, email, "Votre rencontre", f"Bonjour {NAME}, {PHONE}")
        send(settings, mail)
        mail_queue.enqueue(sessions, bytes(mail), NOW, timedelta(minutes=1), "SMTP down")
    return Family(first, second, outbox)


Erase = Callable[[sessionmaker[Session], str, Family, Inbox, int], None]


def by_chat(
    sessions: sessionmaker[Session], url: str, family: Family, inbox: Inbox, port: int
) -> None:
    """The first Marie asks the chat, in a new conversation, and confirms with her code."""
    mail = MailSettings("noreply@example.org", "127.0.0.1", port, family.outbox)
    scheduler = Scheduler(sessions, RULES, mail, "https://100numeriqc.qcnum.com", clock=lambda: NOW)
    chat = Chat(Context(sessions, mail, url, family.outbox, lambda: scheduler, lambda: NOW,
                        "conv-first-droits"))  # fmt: skip
    tracker_events(url, "conv-first-droits", ["effacez mes données", FIRST[1]], {})
    chat.send("effacez mes données", "privacy_delete")
    chat.send(FIRST[1])
    chat.send(last_code(inbox))
    assert chat.send("oui") == ["utter_privacy_erased"]


def by_retention(
    sessions: sessionmaker[Session], url: str, family: Family, inbox: Inbox, port: int
) -> None:
    """The first Marie's lead and conversations are older than the retention period."""
    engine = create_engine(url)
    old = NOW - timedelta(days=RETENTION_DAYS + 35)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE events SET timestamp = :t WHERE sender_id LIKE 'conv-first%'"),
            {"t": old.timestamp()},
        )
        for table, column, key in (("leads", "updated_at", "id"), ("lead_events", "at", "lead_id"),
                                   ("diagnostics", "updated_at", "lead_id"),
                                   ("bookings", "ends_at", "lead_id")):  # fmt: skip
            connection.execute(
                text(f"UPDATE {table} SET {column} = :at WHERE {key} = :lead"),
                {"at": old, "lead": family.first},
            )
    engine.dispose()
    report = run_retention(sessions, url, family.outbox, NOW, RETENTION_DAYS)
    assert report.leads == [family.first]


@pytest.mark.parametrize("erase", [by_chat, by_retention], ids=["chat", "retention"])
def test_erasing_one_marie_leaves_the_other_whole(
    sessions: sessionmaker[Session],
    tracker: str,
    family: Family,
    inbox: Inbox,
    smtp_port: int,
    erase: Erase,
) -> None:
    second_before = everything_of(sessions, tracker, family.second)
    intake_before = events(tracker, "conv-second")
    rdv_before = events(tracker, "conv-second-rdv")
    assert len(intake_before) > 5 and occurrences(tracker, (FIRST[1],))

    erase(sessions, tracker, family, inbox, smtp_port)
    erase_idle(sessions, tracker, now=NOW + timedelta(days=1))

    assert everything_of(sessions, tracker, family.second) == second_before
    assert events(tracker, "conv-second") == intake_before  # every event, unchanged
    rdv = events(tracker, "conv-second-rdv")
    assert [row[:3] for row in rdv] == [row[:3] for row in rdv_before]
    assert [json.loads(row[3]) for row in rdv] == [
        json.loads(row[3].replace(FIRST[1], "[retiré]")) for row in rdv_before
    ]  # only her sister's e-mail is gone from it
    assert events(tracker, "conv-first", "conv-first-droits", "widget-conv-first") == []
    assert occurrences(tracker, (FIRST[1], "Fleuriste")) == []  # nothing of the first remains
    with sessions() as session:
        assert session.get_one(Lead, family.first).anonymised_at is not None
        assert lead_conversations.of_lead(session, family.first) == {}
    mails = outbox_texts(family.outbox)
    assert len(mails) == 1 and SECOND[1] in mails[0]  # the second's mail stays
    with sessions() as session:
        [(_, waiting)] = mail_queue.all_mails(session)
    assert SECOND[1] in waiting.decode() and FIRST[1] not in waiting.decode()


def test_a_conversation_of_both_is_kept_and_the_report_says_why(
    sessions: sessionmaker[Session], tracker: str, family: Family
) -> None:
    """A conversation tied to the second lead is never erased for the first, even if the first
    used it; the report lists each conversation with its reason."""
    with sessions.begin() as session:
        lead_conversations.link(
            session, family.first, "conv-second-rdv", lead_conversations.BOOKING
        )
    codes.issue(sessions, "conv-first-droits", family.first, NOW)
    report = erase_lead(sessions, family.first, tracker_url=tracker, outbox=family.outbox, now=NOW)
    assert report.conversations == {"conv-first": "intake", "widget-conv-first": "widget"}
    assert report.scrubbed == {"conv-second-rdv": "other lead"}
    assert "[retiré]" in json.loads(events(tracker, "conv-second-rdv")[2][3])["text"]
