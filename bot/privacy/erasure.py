"""Erasing a person: their future sessions cancelled (the advisor told by the calendar
cancellation), then the lead anonymised in one transaction, their conversations erased from the
tracker store and their mails removed from the outbox.

The lead's row stays, stripped to what the program analytics count (`bot.analytics`): when it
was submitted, its status, sector, municipality or postal code's district (FSA), decisions,
whether a diagnostic was completed, its sessions' times and statuses, and its consents (purpose,
version, dates). Everything that names or reaches the person goes: contact, business name and
address, answers, diagnostic answers and brief, callback requests, notes that name them (the
other notes and the audit log's details are scrubbed of their name, e-mail and phone)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.booking import Scheduler
from bot.privacy.outbox import remove_mails
from bot.privacy.tracker import erase_idle, request_erasure, senders_naming
from bot.storage import bookings
from bot.storage.models import (
    Answer,
    AuditEntry,
    Booking,
    CallbackRequest,
    Contact,
    Decision,
    Lead,
    LeadEvent,
    PrivacyCode,
    as_utc,
)

ANONYMOUS_BUSINESS = "Commerce anonymisé"
REMOVED = "[retiré]"


@dataclass
class Erasure:
    """What an erasure did."""

    lead_id: int
    cancelled: list[str] = field(default_factory=list)  # booking references
    conversations: int = 0  # conversations found in the tracker store
    conversations_erased: int = 0  # erased now (the others once idle, by the scheduled job)
    mails_removed: int = 0
    already: bool = False


def needles_of(names: Iterable[str], emails: Iterable[str], phones: Iterable[str]) -> list[str]:
    """What identifies the person in free text: names, e-mails, phones (E.164 and 10 digits)."""
    found = [*names, *emails]
    for phone in phones:
        found += [phone, phone.removeprefix("+1")]
    return [needle for needle in dict.fromkeys(n.strip() for n in found) if len(needle) >= 5]


def scrub(text: str | None, needles: list[str]) -> str | None:
    """`text` with every needle (any case) replaced by [retiré]."""
    if not text:
        return text
    for needle in needles:
        text = re.sub(re.escape(needle), REMOVED, text, flags=re.IGNORECASE)
    return text


def _needles(session: Session, lead: Lead) -> list[str]:
    """The person's names, e-mails and phones (every contact of the business)."""
    people = list(session.scalars(select(Contact).where(Contact.business_id == lead.business_id)))
    return needles_of(
        [c.name for c in people], [c.email for c in people], [c.phone for c in people]
    )


def _anonymise(session: Session, lead: Lead, needles: list[str], now: datetime) -> None:
    people = list(session.scalars(select(Contact).where(Contact.business_id == lead.business_id)))
    reach = [value for c in people for value in (c.email, c.phone) if value]
    business = lead.business
    business.identity = f"anonyme|{lead.id}"
    business.name = ANONYMOUS_BUSINESS
    business.address = None
    business.postal_code = (business.postal_code or "")[:3] or None  # the district (FSA)
    business.sector_detail = None
    business.association_name = None
    contact = lead.contact
    contact.name, contact.role, contact.email, contact.phone = "", None, "", ""
    session.execute(
        delete(Contact).where(Contact.business_id == business.id, Contact.id != contact.id)
    )
    session.execute(delete(Answer).where(Answer.lead_id == lead.id))
    session.execute(  # the lead's callbacks, and the person's requests from the chat widget
        delete(CallbackRequest).where(
            or_(
                CallbackRequest.lead_id == lead.id,
                CallbackRequest.email.in_(reach),
                CallbackRequest.phone.in_(reach),
                CallbackRequest.conversation_id == (lead.conversation_id or None),
            )
        )
    )
    session.execute(delete(PrivacyCode).where(PrivacyCode.lead_id == lead.id))
    for decision in session.scalars(select(Decision).where(Decision.lead_id == lead.id)):
        decision.reasons = [scrub(reason, needles) or "" for reason in decision.reasons]
    if lead.diagnostic is not None:
        diagnostic = lead.diagnostic
        diagnostic.answers, diagnostic.focus, diagnostic.brief = {}, [], ""
    for event in session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead.id)):
        if event.kind == "note" and scrub(event.note, needles) != event.note:
            session.delete(event)
        else:
            event.note = scrub(event.note, needles)
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.lead_id == lead.id)):
        entry.detail = scrub(entry.detail, needles)
    lead.conversation_id = ""
    lead.anonymised_at = as_utc(now)


def erase_lead(
    sessions: sessionmaker[Session],
    lead_id: int,
    *,
    tracker_url: str,
    outbox: Path,
    now: datetime,
    scheduler: Scheduler | None = None,
) -> Erasure:
    """Erase the person of `lead_id` everywhere (see the module). Future sessions are cancelled
    through `scheduler` when given (the advisor gets the calendar cancellation), else without
    mail; the merchant learns it from the erasure's confirmation."""
    report = Erasure(lead_id)
    with sessions() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LookupError(lead_id)
        if lead.anonymised_at is not None:
            report.already = True
            return report
        needles = _needles(session, lead)
        business = lead.business.name
        future = session.scalars(
            select(Booking.reference).where(
                Booking.lead_id == lead_id, Booking.status == "booked", Booking.starts_at > now
            )
        ).all()
        conversation = lead.conversation_id
    for reference in future:
        if scheduler is not None:
            scheduler.cancel_for_erasure(reference)
        else:
            bookings.cancel(sessions, reference)
        report.cancelled.append(reference)
    senders = {conversation} | senders_naming(tracker_url, needles)
    senders.discard("")
    with sessions.begin() as session:
        lead = session.get_one(Lead, lead_id, with_for_update=True)
        _anonymise(session, lead, [*needles, business], now)
        request_erasure(session, senders)
        session.add(AuditEntry(account_id=None, action="effacement", lead_id=lead_id))
    report.conversations = len(senders)
    report.conversations_erased = len(set(erase_idle(sessions, tracker_url)) & senders)
    # The advisor's cancellation names only the business and the reference: it stays.
    report.mails_removed = remove_mails(outbox, needles)
    return report
