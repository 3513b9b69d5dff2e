"""Invitations parsed back by the calendar library; e-mails received by a real SMTP server."""

from __future__ import annotations

import email
from datetime import date, datetime, time, timedelta, timezone
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from icalendar import Calendar

from bot.mail import MailSettings, message, send
from bot.scheduling import TIMEZONE
from bot.scheduling.invitation import french_datetime, invitation
from tests.conftest import free_port

START = datetime.combine(date(2026, 11, 24), time(14), TIMEZONE)
END = datetime.combine(date(2026, 11, 24), time(15), TIMEZONE)


def ics(
    sequence: int = 0, cancelled: bool = False, start: datetime = START, end: datetime = END
) -> bytes:
    return invitation(
        uid="NQ-ABC234@numeriqc",
        sequence=sequence,
        starts_at=start,
        ends_at=end,
        summary="Rencontre 100 % NumériQC",
        location="Bureaux de Québec numérique",
        description="Première rencontre avec votre conseillère.",
        organizer_email="sophie@example.org",
        attendee_emails=["marie@exemple.com", "sophie@example.org"],
        stamped_at=START - timedelta(days=1),
        cancelled=cancelled,
    )


def part(mail: Message, kind: str) -> bytes:
    [found] = [p for p in mail.walk() if p.get_content_type() == kind]
    payload = found.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload


def test_french_date_wording() -> None:
    assert french_datetime(START) == "le mardi 24 novembre à 14 h"
    assert (
        french_datetime(datetime(2026, 12, 1, 14, 30, tzinfo=TIMEZONE))
        == "le mardi 1er décembre à 14 h 30"
    )


def test_invitation_parsed_back_with_the_right_times() -> None:
    calendar = Calendar.from_ical(ics())
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert event.decoded("DTSTART") == START.astimezone(timezone.utc)
    assert event.decoded("DTSTART").astimezone(TIMEZONE).hour == 14
    assert event.decoded("DTEND") - event.decoded("DTSTART") == END - START
    assert str(event["UID"]) == "NQ-ABC234@numeriqc" and event.decoded("SEQUENCE") == 0
    assert [str(a) for a in event.get("ATTENDEE", [])] == [
        "mailto:marie@exemple.com",
        "mailto:sophie@example.org",
    ]


def test_reschedule_and_cancel_keep_the_uid_and_bump_the_sequence() -> None:
    later = datetime.combine(date(2026, 11, 26), time(10), TIMEZONE)
    [moved] = Calendar.from_ical(ics(1, start=later, end=later.replace(hour=11))).walk("VEVENT")
    assert (str(moved["UID"]), moved.decoded("SEQUENCE")) == ("NQ-ABC234@numeriqc", 1)
    assert moved.decoded("DTSTART").astimezone(TIMEZONE).day == 26
    cancel = Calendar.from_ical(ics(2, cancelled=True))
    [event] = cancel.walk("VEVENT")
    assert (
        cancel["METHOD"] == "CANCEL"
        and str(event["STATUS"]) == "CANCELLED"
        and event.decoded("SEQUENCE") == 2
    )


def test_mail_received_by_a_real_smtp_server() -> None:
    received: list[Message] = []

    class Collect(MessageHandler):
        def handle_message(self, message: Message) -> None:
            received.append(message)

    port = free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = MailSettings("100 % NumériQC <noreply@example.org>", "127.0.0.1", port)
        body = f"Bonjour Marie,\\nVotre rencontre est confirmée {french_datetime(START)}."
        send(
            settings,
            message(settings, "marie@exemple.com", "Votre rencontre 100 % NumériQC", body, ics()),
        )
    finally:
        controller.stop()
    [mail] = received
    assert mail["To"] == "marie@exemple.com" and "NumériQC" in str(
        email.header.make_header(email.header.decode_header(mail["Subject"]))
    )
    assert "le mardi 24 novembre à 14 h" in part(mail, "text/plain").decode()
    [event] = Calendar.from_ical(part(mail, "text/calendar")).walk("VEVENT")
    assert event.decoded("DTSTART") == START.astimezone(timezone.utc)


def test_embedded_default_writes_to_the_outbox(tmp_path: Path) -> None:
    settings = MailSettings("noreply@example.org", outbox=tmp_path / "outbox")
    path = send(settings, message(settings, "marie@exemple.com", "Sujet", "Bonjour", ics()))
    assert path is not None and path.parent == tmp_path / "outbox"
    saved = email.message_from_bytes(path.read_bytes())
    assert b"BEGIN:VCALENDAR" in part(saved, "text/calendar")
