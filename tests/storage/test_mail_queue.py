"""Mail is never lost: an SMTP server that is down puts it in the database's retry queue, which
every instance shares; the scheduled job sends it again with back-off, once whatever the number
of runners (on another machine too), and gives up after two days. A real SMTP server (aiosmtpd)
receives it; SQLite and PostgreSQL alike."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from threading import Barrier

from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.mail import LONGEST_WAIT, MailSettings, message, retry_outbox, send
from bot.storage import mail_queue
from bot.storage.models import QueuedMail
from tests.conftest import FROZEN_NOW, free_port
from tests.unit.test_invitations import ics, part
from tests.unit.test_mail import Inbox

NOW = FROZEN_NOW


def settings_on(database_url: str, folder: Path, port: int) -> MailSettings:
    return MailSettings(
        "100 % NumériQC <noreply@example.org>", "127.0.0.1", port, folder, database_url
    )


def mail(settings: MailSettings, subject: str = "Votre rencontre") -> EmailMessage:
    return message(settings, "marie@exemple.com", subject, "Bonjour Marie,\n\nÀ mardi.", ics())


def queued(sessions: sessionmaker[Session]) -> list[QueuedMail]:
    with sessions() as session:
        return list(session.scalars(select(QueuedMail).order_by(QueuedMail.id)))


def test_smtp_down_queues_the_mail_with_its_retry_schedule(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    settings = settings_on(database_url, tmp_path / "outbox", free_port())
    assert send(settings, mail(settings), now=NOW) is None
    [row] = queued(sessions)
    assert (row.attempts, row.next_at, row.error) == (
        1,
        NOW + timedelta(minutes=1),
        "ConnectionRefusedError",
    )
    assert not (tmp_path / "outbox").exists(), "nothing on this machine's disk"


def test_another_machine_sends_it_when_the_server_is_back(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    port = free_port()
    settings = settings_on(database_url, tmp_path / "a", port)
    send(settings, mail(settings), now=NOW)
    [mail_id] = [row.id for row in queued(sessions)]
    elsewhere = settings_on(database_url, tmp_path / "b", port)  # the jobs runner of another host
    assert retry_outbox(elsewhere, NOW).waiting == [mail_id]  # not due yet
    later = NOW + timedelta(minutes=1)
    assert retry_outbox(elsewhere, later).waiting == [mail_id]  # still down: backs off
    assert queued(sessions)[0].next_at == later + timedelta(minutes=2)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        report = retry_outbox(elsewhere, later + timedelta(minutes=2))
    finally:
        controller.stop()
    assert report.sent == [mail_id] and queued(sessions) == []
    [received] = inbox.received
    assert received["To"] == "marie@exemple.com" and received["Subject"] == "Votre rencontre"
    assert received["Content-Language"] == "fr-CA"
    [event] = Calendar.from_ical(part(received, "text/calendar")).walk("VEVENT")
    assert str(event["uid"]) == "NQ-ABC234@numeriqc"


def test_back_off_doubles_up_to_six_hours_then_gives_up_after_two_days(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    settings = settings_on(database_url, tmp_path, free_port())
    send(settings, mail(settings), now=NOW)
    moment, waits = NOW, []
    while not queued(sessions)[0].failed:
        moment = queued(sessions)[0].next_at
        retry_outbox(settings, moment)
        row = queued(sessions)[0]
        if not row.failed:
            waits.append(row.next_at - moment)
    assert waits[:3] == [timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]
    assert max(waits) == LONGEST_WAIT
    assert timedelta(days=2) <= moment - NOW < timedelta(days=2, hours=6)
    assert mail_queue.pending(sessions) == [], "given up: kept for the team, never sent again"


def test_two_runners_send_a_waiting_mail_once(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    port = free_port()
    down = settings_on(database_url, tmp_path, free_port())
    for n in range(5):
        send(down, mail(down, f"Message {n}"), now=NOW)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    barrier = Barrier(3)

    def runner(folder: str) -> list[int]:
        barrier.wait()
        return retry_outbox(
            settings_on(database_url, tmp_path / folder, port), NOW + timedelta(minutes=1)
        ).sent

    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            sent = [mail_id for result in pool.map(runner, "abc") for mail_id in result]
    finally:
        controller.stop()
    assert len(sent) == 5 == len(set(sent))
    assert sorted(m["Subject"] for m in inbox.received) == [f"Message {n}" for n in range(5)]


def test_a_claim_of_a_runner_that_died_is_taken_over(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    settings = settings_on(database_url, tmp_path, free_port())
    send(settings, mail(settings), now=NOW)
    [(mail_id, due)] = mail_queue.pending(sessions)
    assert mail_queue.claim(sessions, mail_id, due) is not None  # then the runner dies
    assert mail_queue.claim(sessions, mail_id, due + timedelta(minutes=5)) is None
    assert mail_queue.claim(sessions, mail_id, due + timedelta(minutes=11)) is not None
