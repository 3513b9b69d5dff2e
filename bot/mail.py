"""Sending French e-mails, with an optional calendar invitation attached.

With SMTP_HOST set, mail goes through that SMTP server; in the embedded default it is written
to the outbox folder (var/outbox/*.eml) where the team can read it.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from bot.settings import Settings

log = logging.getLogger(__name__)


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
    mail = EmailMessage()
    mail["From"] = settings.sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Content-Language"] = "fr-CA"
    mail.set_content(body)
    if ics is not None:
        mail.add_attachment(
            ics,
            maintype="text",
            subtype="calendar",
            filename="invitation.ics",
            params={"method": method},
        )
    return mail


def send(settings: MailSettings, mail: EmailMessage) -> Path | None:
    """Send through SMTP, or write to the outbox; return the outbox file if written.

    When the SMTP server fails, the mail is kept in the outbox (and the failure logged) so that
    a booking never fails for a mail server and the team can send it again.
    """
    if settings.smtp_host:
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
                smtp.send_message(mail)
            return None
        except (OSError, smtplib.SMTPException):
            log.exception("SMTP failed; mail to %s kept in the outbox", mail["To"])
    settings.outbox.mkdir(parents=True, exist_ok=True)
    path = settings.outbox / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(bytes(mail))
    return path
