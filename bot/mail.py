"""Sending French e-mails, with an optional calendar invitation attached, and never losing one.

Without SMTP_HOST, mail is delivered to the outbox folder (var/outbox/*.eml), where the team
reads it. With SMTP_HOST, mail goes through that server; a mail the server does not take waits
in the database's retry queue (`bot/storage/mail_queue.py`, shared by every instance) and is
sent again by `retry_outbox` (the scheduled job, `python -m bot.cli jobs`) with back-off:
1 minute, then 2, 4… up to 6 hours between tries, for 2 days; after that it is kept in the
queue as given up and an error is logged. A runner claims a mail before sending it, so two
runners never send it twice.
"""

from __future__ import annotations

import logging
import os
import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import system_now
from bot.settings import Settings
from bot.storage import mail_queue
from bot.storage.database import sessions_for
from bot.text import multi_line, one_line

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
GIVE_UP_AFTER = timedelta(days=2)


@dataclass(frozen=True)
class MailSettings:
    sender: str
    smtp_host: str = ""
    smtp_port: int = 25
    outbox: Path = Path("var/outbox")
    # The database of the retry queue ("": a mail the server refuses goes to the outbox folder).
    database_url: str = ""


def mail_settings(settings: Settings) -> MailSettings:
    return MailSettings(
        sender=settings.mail_sender,
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        outbox=settings.var_dir / "outbox",
        database_url=settings.database_url,
    )


def message(
    settings: MailSettings,
    to: str,
    subject: str,
    body: str,
    ics: bytes | None = None,
    method: str = "REQUEST",
) -> EmailMessage:
    """A French e-mail; headers are put on one line (a line break typed by a merchant in a
    business name can never add a header), the body keeps its paragraphs."""
    mail = EmailMessage()
    mail["From"] = one_line(settings.sender)
    mail["To"] = one_line(to)
    mail["Subject"] = one_line(subject)
    mail.set_content(multi_line(body))
    if ics is not None:
        mail.add_attachment(
            ics,
            maintype="text",
            subtype="calendar",
            filename="invitation.ics",
            params={"method": method},
        )
    mail["Content-Language"] = "fr-CA"  # last: set_content and add_attachment move Content-*
    return mail


def _smtp(settings: MailSettings, mail: EmailMessage) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(mail)


def wait_after(attempts: int) -> timedelta:
    """How long a mail waits after its `attempts`-th failed try: 1 min, doubling, at most 6 h."""
    doubled: timedelta = FIRST_RETRY * 2 ** (attempts - 1)
    return min(doubled, LONGEST_WAIT)


def _keep(settings: MailSettings, raw: bytes) -> Path:
    settings.outbox.mkdir(parents=True, exist_ok=True)
    path = settings.outbox / f"{uuid.uuid4().hex}.eml"
    temporary = path.with_suffix(".part")
    temporary.write_bytes(raw)
    os.replace(temporary, path)
    return path


def send(settings: MailSettings, mail: EmailMessage, now: datetime | None = None) -> Path | None:
    """Send through SMTP, or keep in the outbox folder; return the outbox file if kept there.

    Never raises for a mail server that fails: the mail waits in the retry queue for
    `retry_outbox`, so a booking never fails for mail."""
    raw = bytes(mail)
    if not settings.smtp_host:
        return _keep(settings, raw)
    try:
        _smtp(settings, mail)
        return None
    except (OSError, smtplib.SMTPException) as error:
        if not settings.database_url:
            log.error("SMTP failed (%s) and no retry queue: mail kept in the outbox folder",
                      type(error).__name__)  # fmt: skip
            return _keep(settings, raw)
        log.warning("SMTP failed (%s); mail queued for retry", type(error).__name__)
        moment = now or system_now()
        mail_queue.enqueue(
            sessions_for(settings.database_url), raw, moment, wait_after(1), type(error).__name__
        )
        return None


@dataclass
class RetryReport:
    sent: list[int] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)
    given_up: list[int] = field(default_factory=list)


def retry_outbox(settings: MailSettings, now: datetime | None = None) -> RetryReport:
    """Send again the queued mails whose next try has come; back off those that fail again."""
    report = RetryReport()
    if not settings.smtp_host or not settings.database_url:
        return report
    now = now or system_now()
    sessions = sessions_for(settings.database_url)
    for mail_id, next_at in mail_queue.pending(sessions):
        if next_at > now:
            report.waiting.append(mail_id)
            continue
        claimed = mail_queue.claim(sessions, mail_id, now)
        if claimed is None:  # another runner has it
            continue
        getattr(report, _retry(settings, sessions, claimed, now)).append(mail_id)
    return report


def _retry(
    settings: MailSettings, sessions: sessionmaker[Session], mail: mail_queue.Waiting, now: datetime
) -> str:
    """Try one claimed mail again; return "sent", "waiting" or "given_up"."""
    try:
        _smtp(settings, message_from_bytes(mail.raw, EmailMessage, policy=default))
    except (OSError, smtplib.SMTPException) as error:
        attempts = mail.attempts + 1
        next_at = now + wait_after(attempts)
        if now - mail.first_at < GIVE_UP_AFTER:
            mail_queue.try_later(sessions, mail.id, attempts, next_at, type(error).__name__)
            return "waiting"
        mail_queue.give_up(sessions, mail.id, attempts, type(error).__name__)
        log.error(
            "mail %d not sent after %d tries: kept in the queue as given up", mail.id, attempts
        )
        return "given_up"
    mail_queue.sent(sessions, mail.id)
    return "sent"
