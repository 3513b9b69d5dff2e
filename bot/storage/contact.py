"""Callback requests filed from the chat widget's « Parler à une personne » (no lead needed):
they join the workspace's « Rappels » queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage import lead_conversations
from bot.storage.models import CallbackRequest, Contact, Lead


def save_contact_request(
    sessions: sessionmaker[Session],
    conversation_id: str,
    name: str,
    email: str | None,
    phone: str | None,
    message: str,
    consented_at: datetime,
) -> int:
    """Store the request (already validated, `bot.contact`), on the lead of the conversation
    if it has one; return its id."""
    with sessions.begin() as session:
        request = CallbackRequest(
            lead_id=lead_conversations.owner(session, conversation_id), conversation_id=conversation_id, name=name, email=email, phone=phone,
            wish=message, consented_at=consented_at,
        )  # fmt: skip
        session.add(request)
        session.flush()
        return request.id


def conversation_email(sessions: sessionmaker[Session], conversation_id: str) -> str | None:
    """The e-mail address of the conversation's lead (given in its intake), if it has one."""
    with sessions() as session:
        lead_id = lead_conversations.owner(session, conversation_id)
        if lead_id is None:
            return None
        return session.scalar(
            select(Contact.email)
            .join(Lead, Lead.contact_id == Contact.id)
            .where(Lead.id == lead_id)
        )
