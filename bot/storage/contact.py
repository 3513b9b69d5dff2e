"""Callback requests filed from the chat widget's « Parler à une personne » (no lead needed):
they join the workspace's « Rappels » queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.storage import lead_conversations
from bot.storage.models import CallbackRequest


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
