"""The rights requests in the chat without Rasa (`bot.privacy.chat`), with a real SMTP server:
the one-time code cannot be bypassed (wrong, expired, replayed, too many tries, too many codes),
then access, correction, erasure and withdrawal of consent."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.booking import Scheduler
from bot.forms import FAILURES
from bot.mail import MailSettings
from bot.privacy import codes
from bot.privacy.chat import CODE, CONFIRM, EMAIL, ERASED, STATE, VALUE, WHICH, Context, take_turn
from bot.privacy.person import person_file
from bot.storage.models import Consent, Lead, as_utc
from bot.throttle import PRIVACY_CODES_PER_ADDRESS, MemoryStore, Throttle
from tests.conftest import free_port
from tests.storage.test_analytics import NOW
from tests.storage.test_booking_form import RULES
from tests.storage.test_privacy import EMAIL as MARIE
from tests.storage.test_privacy import NAME, NEEDLES, PHONE, occurrences, person, tracker
from tests.unit.test_mail import Inbox

__all__ = ["tracker"]  # the fixture


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


class Chat:
    """A conversation's privacy turns, keeping the state as Rasa's slots would."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.slots: dict[str, Any] = {}
        self.question: str | None = None
        self.said: list[str] = []
        self.values: list[dict[str, Any]] = []

    def send(self, text: str, intent: str | None = None) -> list[str]:
        failures = int(self.slots.get(FAILURES) or 0)
        turn = take_turn(self.ctx, {n: self.slots.get(n) for n in STATE}, self.question, text,
                         intent, failures)  # fmt: skip
        self.slots.update(turn.updates)
        self.question = turn.next_question
        self.said = [name for name, _ in turn.say]
        self.values = [values for _, values in turn.say]
        return self.said


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def context(
    sessions: sessionmaker[Session],
    tracker: str,
    inbox: Inbox,
    smtp_port: int,
    tmp_path: Path,
    clock: Clock,
) -> Context:
    outbox = tmp_path / "outbox"
    mail = MailSettings("100 % NumériQC <noreply@example.org>", "127.0.0.1", smtp_port, outbox)
    scheduler = Scheduler(sessions, RULES, mail, "https://100numeriqc.qcnum.com", clock=clock)
    return Context(sessions, mail, tracker, outbox, lambda: scheduler, clock, "conv-marie")


@pytest.fixture
def chat(context: Context, sessions: sessionmaker[Session], tracker: str) -> Chat:
    """Marie's conversation, where she went through the intake."""
    person(sessions, tracker, (NAME, MARIE, PHONE), "conv-marie", False)
    return Chat(context)


def last_code(inbox: Inbox) -> str:
    mail = inbox.received[-1]
    assert mail["To"] == MARIE and "code" in str(mail["Subject"])
    body = mail.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    found = re.search(r"\b(\d{6})\b", body.get_content())
    assert found
    return found.group(1)


def test_wrong_code_then_right_code_sends_the_file_by_email(chat: Chat, inbox: Inbox) -> None:
    assert chat.send("quelles données avez-vous sur moi?", "privacy_access") == [
        "utter_privacy_intro", "utter_privacy_code_sent",
    ]  # fmt: skip
    code = last_code(inbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert chat.send(wrong) == ["utter_privacy_code_wrong", "utter_ask_privacy_code"]
    assert chat.values[0] == {"tries": 4} and chat.question == CODE
    assert chat.send(f"c'est {code}") == ["utter_privacy_access_sent"]
    mail = inbox.received[-1]
    files = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
    record = json.loads(files["mes-renseignements.json"])
    assert record["contacts"][0]["email"] == MARIE
    assert "contacts.1.phone" in files["mes-renseignements.csv"]
    # replay: the code was used once
    chat.question = CODE
    assert chat.send(code) == ["utter_privacy_code_none"]


def test_an_expired_code_is_refused(chat: Chat, inbox: Inbox, clock: Clock) -> None:
    chat.send("supprimez mes données", "privacy_delete")
    code = last_code(inbox)
    clock.now = NOW + codes.LIFETIME + timedelta(seconds=1)
    assert chat.send(code) == ["utter_privacy_code_expired"]
    assert chat.send("nouveau code svp") == ["utter_privacy_code_sent"]
    assert chat.send(last_code(inbox)) == ["utter_privacy_verified"] and chat.question == CONFIRM


def test_too_many_tries_spend_the_code_and_codes_are_limited(chat: Chat, inbox: Inbox) -> None:
    chat.send("supprimez mes données", "privacy_delete")
    code = last_code(inbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert chat.send(wrong) == ["utter_privacy_code_wrong", "utter_ask_privacy_code"]
    assert chat.send(wrong) == ["utter_privacy_code_wrong", "utter_privacy_help"]  # a way out
    assert chat.values[0] == {"tries": 3}
    assert chat.send(wrong) == ["utter_form_stuck", "utter_privacy_stopped"]
    assert chat.question is None
    chat.question = CODE
    assert chat.send(code) == ["utter_privacy_code_locked"]  # the right one is spent too
    assert chat.send("supprimez mes données", "privacy_delete")[-1] == "utter_privacy_code_sent"
    assert chat.send("renvoyez le code") == ["utter_privacy_code_sent"]  # the third this hour
    chat.question = None  # a new request
    assert chat.send("supprimez mes données", "privacy_delete") == ["utter_privacy_intro",
                                                                    "utter_privacy_too_many_codes"]  # fmt: skip


def test_no_request_goes_through_without_the_code(
    chat: Chat, sessions: sessionmaker[Session]
) -> None:
    chat.send("supprimez mes données", "privacy_delete")
    for question in (CONFIRM, VALUE, WHICH):
        chat.question = question
        chat.slots["privacy_field"] = "email"
        assert chat.send("oui") == ["utter_privacy_code_none"]
    with sessions() as session:
        assert session.scalar(select(Lead.anonymised_at)) is None


def test_an_unknown_address_gets_the_same_reply_and_no_code(context: Context, inbox: Inbox) -> None:
    chat = Chat(context)  # a conversation without a lead
    assert chat.send("je veux voir mes données", "privacy_access") == ["utter_privacy_intro"]
    assert chat.question == EMAIL
    assert chat.send("inconnu@exemple.com") == ["utter_privacy_code_sent"]
    assert chat.send("123456") == ["utter_privacy_code_none"]
    assert inbox.received == []


def test_correct_my_email(chat: Chat, inbox: Inbox, sessions: sessionmaker[Session]) -> None:
    chat.send("corrigez mon courriel", "privacy_correct")
    assert chat.send(last_code(inbox)) == ["utter_privacy_verified"] and chat.question == VALUE
    assert chat.send("pas une adresse") == [
        "utter_privacy_value_expected",
        "utter_ask_privacy_value",
    ]
    assert chat.send("marie.t@exemple.com") == ["utter_privacy_corrected"]
    assert chat.values[0] == {"field": "courriel", "value": "marie.t@exemple.com"}
    with sessions() as session:
        lead_id = session.scalars(select(Lead.id)).one()
    assert person_file(sessions, lead_id)["contacts"][0]["email"] == "marie.t@exemple.com"


def test_erasure_by_chat_then_nothing_left(
    chat: Chat, inbox: Inbox, sessions: sessionmaker[Session], tracker: str
) -> None:
    chat.send("supprimez mes données", "privacy_delete")
    chat.send(last_code(inbox))
    assert chat.send("non") == ["utter_privacy_kept"]
    chat.send("supprimez mes données", "privacy_delete")
    chat.send(last_code(inbox))
    assert chat.send("oui") == ["utter_privacy_erased"] and chat.slots[ERASED] is True
    confirmation = inbox.received[-1]
    assert confirmation["To"] == MARIE and "effacés" in str(confirmation["Subject"])
    assert occurrences(tracker, NEEDLES) == []


def test_withdrawing_consent_records_it_and_erases(
    chat: Chat, inbox: Inbox, sessions: sessionmaker[Session], tracker: str
) -> None:
    chat.send("je retire mon consentement", "privacy_withdraw")
    chat.send(last_code(inbox))
    assert chat.send("oui") == ["utter_privacy_withdrawn"]
    with sessions() as session:
        withdrawn = session.scalars(select(Consent.withdrawn_at)).one()
    assert withdrawn is not None and as_utc(withdrawn) == NOW
    assert occurrences(tracker, NEEDLES) == []


def test_codes_for_one_address_are_limited_whatever_the_conversations(
    chat: Chat, inbox: Inbox, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        lead_id = session.scalars(select(Lead.id)).one()
    for n in range(codes.MAX_CODES_PER_LEAD):
        codes.issue(sessions, f"autre-{n}", lead_id, NOW)
    with pytest.raises(codes.TooManyCodes):
        codes.issue(sessions, "encore-une-autre", lead_id, NOW)
    assert chat.send("supprimez mes données", "privacy_delete")[-1] == (
        "utter_privacy_too_many_codes"
    )
    assert inbox.received == []


def test_codes_mailed_to_one_address_are_limited_a_day(
    context: Context, chat: Chat, inbox: Inbox, clock: Clock
) -> None:
    chat.ctx = replace(context, limits=Throttle(MemoryStore(), clock))
    for hour in range(PRIVACY_CODES_PER_ADDRESS.most):  # an hour apart: below the hourly limits
        clock.now = NOW + timedelta(hours=hour)
        chat.question = None
        assert chat.send("supprimez mes données", "privacy_delete")[-1] == "utter_privacy_code_sent"
    clock.now = NOW + timedelta(hours=PRIVACY_CODES_PER_ADDRESS.most)
    chat.question = None
    assert chat.send("supprimez mes données", "privacy_delete")[-1] == (
        "utter_privacy_too_many_codes"
    )
    assert len(inbox.received) == PRIVACY_CODES_PER_ADDRESS.most
