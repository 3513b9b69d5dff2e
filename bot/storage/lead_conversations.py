"""Which conversations of the tracker store belong to which lead's person (`LeadConversation`):
recorded when the conversation proves it (the intake, a code checked, a reference found), read
by the erasure and the retention job."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import Lead, LeadConversation

INTAKE, RIGHTS, BOOKING, WIDGET = "intake", "rights", "booking", "widget"


def link(session: Session, lead_id: int, conversation_id: str, reason: str) -> None:
    """Record, in `session`'s transaction, that the conversation belongs to the lead's person
    (once: the first reason stays)."""
    if not conversation_id:
        return
    known = session.scalar(
        select(LeadConversation.id).where(
            LeadConversation.lead_id == lead_id,
            LeadConversation.conversation_id == conversation_id,
        )
    )
    if known is None:
        session.add(
            LeadConversation(lead_id=lead_id, conversation_id=conversation_id, reason=reason)
        )


def record(
    sessions: sessionmaker[Session], lead_id: int, conversation_id: str, reason: str
) -> None:
    """`link` in a transaction of its own."""
    with sessions.begin() as session:
        link(session, lead_id, conversation_id, reason)


def of_lead(session: Session, lead_id: int) -> dict[str, str]:
    """The lead's conversations and why each is theirs."""
    rows = session.execute(
        select(LeadConversation.conversation_id, LeadConversation.reason)
        .where(LeadConversation.lead_id == lead_id)
        .order_by(LeadConversation.id)
    )
    found = {conversation: reason for conversation, reason in rows}
    lead = session.get(Lead, lead_id)
    if lead is not None and lead.conversation_id:
        found.setdefault(lead.conversation_id, INTAKE)
    return found


def owner(session: Session, conversation_id: str) -> int | None:
    """The live lead the conversation was last recorded for, if any."""
    return session.scalars(
        select(LeadConversation.lead_id)
        .join(Lead, Lead.id == LeadConversation.lead_id)
        .where(LeadConversation.conversation_id == conversation_id, Lead.anonymised_at.is_(None))
        .order_by(LeadConversation.id.desc())
    ).first()


def of_live_leads(session: Session, besides: int | None = None) -> set[str]:
    """The conversations of every lead not erased (but `besides`)."""
    live = select(Lead.id).where(Lead.anonymised_at.is_(None))
    if besides is not None:
        live = live.where(Lead.id != besides)
    linked = session.scalars(
        select(LeadConversation.conversation_id).where(LeadConversation.lead_id.in_(live))
    )
    intakes = session.scalars(select(Lead.conversation_id).where(Lead.id.in_(live)))
    return ({*linked} | {*intakes}) - {""}
