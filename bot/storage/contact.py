"""Callback requests filed from the chat widget's « Parler à une personne » (no lead needed):
they join the workspace's « Rappels » queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import CallbackRequest, Lead, LeadConversation


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
        owner = session.scalars(
            select(LeadConversation.lead_id)
            .join(Lead, Lead.id == LeadConversation.lead_id)
            .where(LeadConversation.conversation_id == conversation_id,
                   Lead.anonymised_at.is_(None))
            .order_by(LeadConversation.id.desc())
        ).first()  # fmt: skip
        request = CallbackRequest(
            lead_id=owner, conversation_id=conversation_id, name=name, email=email, phone=phone,
            wish=message, consented_at=consented_at,
        )  # fmt: skip
        session.add(request)
        session.flush()
        return request.id
