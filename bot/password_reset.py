"""Password reset by e-mail for the workspace's accounts: the French e-mail with its link, and
the job that makes the link and sends it. The web pages are `bot/web/workspace/reset.py`, the
links' storage `bot.storage.accounts` (request_reset, check_reset, reset_password).

Whether an address has an account never shows: the page answers the same, and the job runs
after the answer (`send_reset_link` is called off the request), so neither the answer nor its
time tells. The job never raises: a failure is logged without the address.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.mail import MailSettings, message, send
from bot.pack.emails import email
from bot.scheduling.invitation import french_datetime
from bot.storage.accounts import ResetLink, request_reset

log = logging.getLogger(__name__)


def reset_path(token: str) -> str:
    """The reset page of `token`, under the workspace's address."""
    return f"/mot-de-passe/{token}"


def reset_mail(link: ResetLink, workspace: str) -> tuple[str, str]:
    """The subject and body of the e-mail that carries `link` (`workspace`: "https://…/conseillers")."""
    return email(
        "password_reset",
        name=link.name,
        link=f"{workspace}{reset_path(link.token)}",
        expires=french_datetime(link.expires_at),
    )


def send_reset_link(
    sessions: sessionmaker[Session], mail: MailSettings, workspace: str, email: str, now: datetime
) -> bool:
    """Make a reset link for the active account of `email` and e-mail it; True if a mail was
    sent or queued (False: no such active account, or a failure, logged). Never raises."""
    try:
        link = request_reset(sessions, email, now)
        if link is None:
            return False
        send(mail, message(mail, link.email, *reset_mail(link, workspace)), now)
        return True
    except Exception as error:  # the person asks again; the log says why, without the address
        log.error("password reset e-mail not sent: %s", type(error).__name__)
        return False
