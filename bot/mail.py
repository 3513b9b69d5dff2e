"""Sending French e-mails, with an optional calendar invitation attached, and never losing one.

Without SMTP_HOST, mail is delivered to the outbox folder (var/outbox/*.eml), where the team
reads it. With SMTP_HOST, mail goes through that server; a mail the server does not take is
kept in the outbox with its retry schedule beside it (`<name>.retry.json`) and sent again by
`retry_outbox` (the scheduled job, `python -m bot.cli jobs`) with back-off: 1 minute, then 2,
4… up to 6 hours between tries, for 2 days; after that it moves to `outbox/failed/` and an error
is logged. A runner claims a mail by renaming its schedule, so two runners never send it twice.
"""

from __future__ import annotations

import json
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

from bot.clock import system_now
from bot.settings import Settings
from bot.text import multi_line, one_line

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
GIVE_UP_AFTER = timedelta(days=2)
STALE_CLAIM = 600  # seconds: a claim older than this belongs to a runner that died


@dataclass(frozen=True)
class MailSettings:
    sender: str
    smtp_host: str = ""
    smtp_port: int = 25
    outbox: Path = Path("var/outbox")


def mail_settings(settings: Settings) -> MailSettings:
    return MailSettings(
        sender=settings.mail_sender,
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        outbox=settings.var_dir / "outbox",
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


@dataclass
class Retry:
    """When an outbox mail is tried again."""

    attempts: int
    first_at: datetime
    next_at: datetime
    error: str = ""

    @classmethod
    def read(cls, path: Path) -> Retry:
        data = json.loads(path.read_text())
        return cls(
            int(data["attempts"]),
            datetime.fromisoformat(data["first_at"]),
            datetime.fromisoformat(data["next_at"]),
            str(data.get("error", "")),
        )

    def write(self, path: Path) -> None:
        data = {
            "attempts": self.attempts,
            "first_at": self.first_at.isoformat(),
            "next_at": self.next_at.isoformat(),
            "error": self.error,
        }
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data))
        os.replace(temporary, path)

    def failed(self, now: datetime, error: str) -> Retry:
        wait = min(FIRST_RETRY * 2**self.attempts, LONGEST_WAIT)
        return Retry(self.attempts + 1, self.first_at, now + wait, error)


def _keep(settings: MailSettings, raw: bytes, retry: Retry | None) -> Path:
    settings.outbox.mkdir(parents=True, exist_ok=True)
    path = settings.outbox / f"{uuid.uuid4().hex}.eml"
    temporary = path.with_suffix(".part")
    temporary.write_bytes(raw)
    if retry is not None:
        retry.write(path.with_suffix(".retry.json"))
    os.replace(temporary, path)
    return path


def send(settings: MailSettings, mail: EmailMessage, now: datetime | None = None) -> Path | None:
    """Send through SMTP, or keep in the outbox; return the outbox file if kept there.

    Never raises for a mail server that fails: the mail waits in the outbox for `retry_outbox`,
    so a booking never fails for mail."""
    raw = bytes(mail)
    if not settings.smtp_host:
        return _keep(settings, raw, None)
    try:
        _smtp(settings, mail)
        return None
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP failed (%s); mail kept in the outbox for retry", type(error).__name__)
        moment = now or system_now()
        return _keep(settings, raw, Retry(1, moment, moment + FIRST_RETRY, type(error).__name__))


@dataclass
class RetryReport:
    sent: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)


def _claim(schedule: Path, now: datetime) -> Path | None:
    """Rename the schedule so that no other runner takes this mail, the claim's time in its
    name (`<name>.retry.json.<seconds>.sending`); None if another runner already did."""
    claimed = schedule.with_name(f"{schedule.name}.{int(now.timestamp())}.sending")
    try:
        os.rename(schedule, claimed)
    except FileNotFoundError:
        return None
    return claimed


def _release_stale_claims(outbox: Path, now: datetime) -> None:
    """Give back the claims older than STALE_CLAIM by `now` (their runner died)."""
    for claimed in outbox.glob("*.retry.json.*.sending"):
        schedule, claimed_at = claimed.name.removesuffix(".sending").rsplit(".", 1)
        if now.timestamp() - int(claimed_at) <= STALE_CLAIM:
            continue
        try:
            os.rename(claimed, claimed.with_name(schedule))
        except FileNotFoundError:
            continue


def retry_outbox(settings: MailSettings, now: datetime | None = None) -> RetryReport:
    """Send again the outbox mails whose next try has come; back off those that fail again."""
    report = RetryReport()
    if not settings.smtp_host or not settings.outbox.is_dir():
        return report
    now = now or system_now()
    _release_stale_claims(settings.outbox, now)
    for schedule in sorted(settings.outbox.glob("*.retry.json")):
        name = schedule.name.removesuffix(".retry.json")
        try:
            due = Retry.read(schedule).next_at <= now
        except FileNotFoundError:  # another runner sent it meanwhile
            continue
        if not due:
            report.waiting.append(name)
            continue
        claimed = _claim(schedule, now)
        if claimed is None:  # another runner has it
            continue
        outcome = _retry(settings, name, Retry.read(claimed), now)
        claimed.unlink()
        getattr(report, outcome).append(name)
    return report


def _retry(settings: MailSettings, name: str, retry: Retry, now: datetime) -> str:
    """Try one claimed mail again; return "sent", "waiting" or "given_up"."""
    path = settings.outbox / f"{name}.eml"
    try:
        _smtp(settings, message_from_bytes(path.read_bytes(), EmailMessage, policy=default))
    except (OSError, smtplib.SMTPException) as error:
        retry = retry.failed(now, type(error).__name__)
        if now - retry.first_at < GIVE_UP_AFTER:
            retry.write(settings.outbox / f"{name}.retry.json")
            return "waiting"
        failed = settings.outbox / "failed"
        failed.mkdir(exist_ok=True)
        os.replace(path, failed / path.name)
        log.error("mail %s not sent after %d tries: kept in %s", name, retry.attempts - 1, failed)
        return "given_up"
    path.unlink()
    return "sent"
