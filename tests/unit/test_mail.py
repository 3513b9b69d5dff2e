"""Mail is never lost: an SMTP server that is down keeps it in the outbox, the scheduled job
sends it again with back-off (once, whatever the number of runners), and nothing a merchant
typed can add a header or a calendar property. A real SMTP server (aiosmtpd) receives it."""

from __future__ import annotations

import email.policy
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from threading import Barrier

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from icalendar import Calendar

from bot.mail import LONGEST_WAIT, MailSettings, Retry, message, retry_outbox, send
from tests.conftest import FROZEN_NOW, free_port
from tests.unit.test_invitations import ics, part

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


def test_smtp_down_keeps_the_mail_in_the_outbox_with_a_retry_schedule(
    settings: MailSettings,
) -> None:
    kept = send(settings, mail(settings), now=NOW)
    assert kept is not None and kept.exists()
    retry = Retry.read(kept.with_suffix(".retry.json"))
    assert (retry.attempts, retry.next_at) == (1, NOW + timedelta(minutes=1))
    assert retry.error == "ConnectionRefusedError"


def test_the_job_sends_it_when_the_server_is_back(
    settings: MailSettings, port: int, tmp_path: Path
) -> None:
    kept = send(settings, mail(settings), now=NOW)
    assert kept is not None
    assert retry_outbox(settings, NOW).waiting == [kept.stem]  # not due yet
    later = NOW + timedelta(minutes=1)
    assert retry_outbox(settings, later).waiting == [kept.stem]  # still down: backs off
    assert Retry.read(kept.with_suffix(".retry.json")).next_at == later + timedelta(minutes=2)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        report = retry_outbox(settings, later + timedelta(minutes=2))
    finally:
        controller.stop()
    assert report.sent == [kept.stem]
    assert list(tmp_path.iterdir()) == []  # the outbox is empty
    [received] = inbox.received
    assert received["To"] == "marie@exemple.com" and received["Subject"] == "Votre rencontre"
    assert received["Content-Language"] == "fr-CA"
    [event] = Calendar.from_ical(part(received, "text/calendar")).walk("VEVENT")
    assert str(event["uid"]) == "NQ-ABC234@numeriqc"


def test_back_off_doubles_up_to_six_hours_then_gives_up_after_two_days(
    settings: MailSettings, tmp_path: Path
) -> None:
    kept = send(settings, mail(settings), now=NOW)
    assert kept is not None
    schedule = kept.with_suffix(".retry.json")
    moment, waits = NOW, []
    while schedule.exists():
        moment = Retry.read(schedule).next_at
        retry_outbox(settings, moment)
        if schedule.exists():
            waits.append(Retry.read(schedule).next_at - moment)
    assert waits[:3] == [timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]
    assert max(waits) == LONGEST_WAIT
    assert timedelta(days=2) <= moment - NOW < timedelta(days=2, hours=6)
    assert [p.name for p in (tmp_path / "failed").iterdir()] == [kept.name]


def test_two_runners_send_a_waiting_mail_once(
    settings: MailSettings, smtp_server: Inbox, tmp_path: Path
) -> None:
    down = MailSettings(settings.sender, "127.0.0.1", free_port(), tmp_path)
    for n in range(5):
        send(down, mail(down, f"Message {n}"), now=NOW)
    barrier = Barrier(3)

    def runner() -> list[str]:
        barrier.wait()
        return retry_outbox(settings, NOW + timedelta(minutes=1)).sent

    with ThreadPoolExecutor(max_workers=3) as pool:
        sent = [name for result in pool.map(lambda _: runner(), range(3)) for name in result]
    assert len(sent) == 5 == len(set(sent))
    assert sorted(m["Subject"] for m in smtp_server.received) == [f"Message {n}" for n in range(5)]


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
