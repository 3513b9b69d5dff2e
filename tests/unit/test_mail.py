"""Nothing a merchant typed can add a header or a calendar property to a mail. A real SMTP
server (aiosmtpd) receives it. The retry queue: tests/storage/test_mail_queue.py."""

from __future__ import annotations

import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from icalendar import Calendar

from bot.mail import MailSettings, message, send
from tests.conftest import FROZEN_NOW, free_port
from tests.unit.test_invitations import ics

NOW = FROZEN_NOW  # the tests' clock: why it is fixed, in tests/conftest.py
TRICKY = "Café\r\nBcc: pirate@example.com\u2028X-Evil: 1\x85Fin"


class Inbox(MessageHandler):
    def __init__(self) -> None:
        super().__init__()
        self.received: list[EmailMessage] = []

    def handle_message(self, message: email.message.Message) -> None:
        raw = message.as_bytes()
        parsed = email.message_from_bytes(raw, EmailMessage, policy=email.policy.default)
        self.received.append(parsed)


@pytest.fixture
def port() -> int:
    return free_port()  # nothing listens there until `smtp_server` starts


@pytest.fixture
def smtp_server(port: int) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def settings(port: int, tmp_path: Path) -> MailSettings:
    return MailSettings("100 % NumériQC <noreply@example.org>", "127.0.0.1", port, tmp_path)


def mail(settings: MailSettings, subject: str = "Votre rencontre") -> EmailMessage:
    return message(settings, "marie@exemple.com", subject, "Bonjour Marie,\n\nÀ mardi.", ics())


def test_typed_line_breaks_never_add_a_header(settings: MailSettings, smtp_server: Inbox) -> None:
    send(settings, message(settings, "marie@exemple.com", f"Rencontre : {TRICKY}", TRICKY))
    [received] = smtp_server.received
    assert received["Bcc"] is None and received["X-Evil"] is None
    assert received["Subject"] == "Rencontre : Café Bcc: pirate@example.com X-Evil: 1 Fin"
    body = received.get_body()
    assert body is not None and "Bcc: pirate@example.com" in body.get_content()


def test_typed_line_breaks_never_add_a_calendar_property() -> None:
    from bot.scheduling.invitation import invitation
    from tests.unit.test_invitations import END, START

    raw = invitation(
        uid="NQ-ABC234@numeriqc", sequence=0, starts_at=START, ends_at=END,
        summary=f"Rencontre — {TRICKY}\nATTENDEE:mailto:pirate@example.com",
        location=TRICKY, description=TRICKY, organizer_email="sophie@example.org",
        attendee_emails=["marie@exemple.com"], stamped_at=START,
    )  # fmt: skip
    [event] = Calendar.from_ical(raw).walk("VEVENT")
    attendees = event.get("attendee")
    assert str(attendees) == "mailto:marie@exemple.com"
    assert "\u2028" not in raw.decode() and "\x85" not in raw.decode()
    assert str(event["summary"]).startswith("Rencontre — Café Bcc: pirate@example.com")
