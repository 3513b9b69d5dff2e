"""A team member's mail to a merchant, kept in the lead's history (`bot.merchant_mail`): the
lead must be one the writer sees, and not erased; the history line is committed before the mail
is sent (the mail path never loses it: `bot.mail`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.merchant_mail import MAIL_EVENT, history_note
from bot.storage.followup import add_event, lead_for_change
from bot.workspace import Viewer


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str


def recipient(sessions: sessionmaker[Session], viewer: Viewer, lead_id: int) -> Recipient:
    """Whom a mail about the lead goes to (LookupError, NotAllowed as `lead_for_change`)."""
    with sessions() as session:
        contact = lead_for_change(session, viewer, lead_id).contact
        return Recipient(contact.name, contact.email)


def record_mail(
    sessions: sessionmaker[Session], viewer: Viewer, lead_id: int, subject: str, body: str
) -> Recipient:
    """Write the mail (`subject`, `body`, already checked) in the lead's history, by `viewer`;
    return whom to send it to."""
    with sessions.begin() as session:
        contact = lead_for_change(session, viewer, lead_id).contact
        to = Recipient(contact.name, contact.email)
        add_event(session, viewer, lead_id, MAIL_EVENT, note=history_note(to.email, subject, body))
        return to
