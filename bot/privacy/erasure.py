"""Erasing a person: their future sessions cancelled (the advisor told by the calendar
cancellation), then the lead anonymised in one transaction, their conversations erased from the
tracker store and their mails removed from the outbox and the mail retry queue.

The lead's row stays, stripped to what the program analytics count (`bot.analytics`): when it
was submitted, its status, sector, municipality or postal code's district (FSA), decisions,
whether a diagnostic was completed, its sessions' times and statuses, and its consents (purpose,
version, dates). Everything that names or reaches the person goes: contact, business name and
address, answers, diagnostic answers and brief, callback requests and live chats with the team
(the contact given; their messages are in the conversations), the mails the team wrote them
from the lead's page, follow-up reminders, notes that name them (the other notes and the audit
log's details are scrubbed of their name, e-mail and phone), the missed messages of their
conversations (an approved training example stays, masked, without its conversation).

Only what is the person's goes, never by a name (two people may share one, and a phone): the
conversations recorded as theirs (`bot.storage.lead_conversations`) and those where their own
e-mail or phone appears, unless the conversation is another lead's; there, and in the outbox,
only the e-mails and phones that are theirs alone are removed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import ColumnElement, Select, delete, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.booking import Scheduler
from bot.merchant_mail import MAIL_EVENT
from bot.privacy.outbox import remove_mails, remove_queued_mails
from bot.privacy.tracker import (
    REMOVED,
    erase_idle,
    phone_forms,
    request_erasure,
    scrub_pattern,
    senders_containing,
)
from bot.storage import bookings, conversation_reviews, lead_conversations
from bot.storage.lead_conversations import WIDGET
from bot.storage.lead_reminders import REMINDER_EVENT
from bot.storage.missed import forget_conversations
from bot.storage.models import (
    Answer,
    AuditEntry,
    Booking,
    CallbackRequest,
    Contact,
    Decision,
    Lead,
    LeadConversation,
    LeadEvent,
    LeadReminder,
    LiveChat,
    PrivacyCode,
    as_utc,
)

ANONYMOUS_BUSINESS = "Commerce anonymisé"
# History lines deleted when they name the person (the others are scrubbed of their name…).
NOTES = ("note", REMINDER_EVENT)
EMAIL, PHONE, OTHER_LEAD = "email", "phone", "other lead"  # why a conversation was chosen
REASONS = {  # as the privacy officer reads them
    lead_conversations.INTAKE: "la vérification d'admissibilité de ce dossier",
    lead_conversations.RIGHTS: "une demande sur ses renseignements, confirmée par code",
    lead_conversations.BOOKING: "sa rencontre retrouvée par son numéro",
    WIDGET: "sa demande « Parler à une personne »",
    EMAIL: "son courriel y figure",
    PHONE: "son téléphone y figure",
    OTHER_LEAD: "conversation d'un autre dossier : seuls son courriel et son téléphone en sont "
    "retirés",
}


@dataclass
class Erasure:
    """What an erasure did: the conversations erased and why each was the person's (a reason
    of `bot.storage.lead_conversations`, or their e-mail or phone found in it), the other
    leads' conversations scrubbed of the person's own e-mail and phone."""

    lead_id: int
    cancelled: list[str] = field(default_factory=list)  # booking references
    conversations: dict[str, str] = field(default_factory=dict)
    scrubbed: dict[str, str] = field(default_factory=dict)
    conversations_erased: int = 0  # erased now (the others once idle, by the scheduled job)
    mails_removed: int = 0
    already: bool = False


@dataclass(frozen=True)
class Reach:
    """The person's e-mails and phones, and those that no other lead's person also has."""

    names: list[str]
    emails: set[str]
    phones: set[str]
    own_emails: set[str]
    own_phones: set[str]

    @property
    def own(self) -> list[str]:
        return sorted(self.own_emails | self.own_phones)

    @property
    def own_phone_forms(self) -> list[str]:
        """Their own phones as they may have been typed."""
        return [form for phone in sorted(self.own_phones) for form in phone_forms(phone)]

    @property
    def own_forms(self) -> list[str]:
        """Their own e-mails, and their own phones as they may have been typed."""
        return [*sorted(self.own_emails), *self.own_phone_forms]


def scrub(text: str | None, pattern: re.Pattern[str] | None) -> str | None:
    """`text` with what `pattern` finds replaced by [retiré]."""
    return pattern.sub(REMOVED, text) if text and pattern else text


def _values(session: Session, leads: Select[tuple[int]]) -> tuple[list[str], set[str], set[str]]:
    """Names, e-mails and phones of the businesses' contacts and callbacks of `leads`."""
    people = session.execute(
        select(Contact.name, Contact.email, Contact.phone)
        .join(Lead, Lead.business_id == Contact.business_id)
        .where(Lead.id.in_(leads))
    ).all()
    asked = session.execute(
        select(CallbackRequest.name, CallbackRequest.email, CallbackRequest.phone).where(
            CallbackRequest.lead_id.in_(leads)
        )
    ).all()
    live = session.execute(
        select(LiveChat.name, LiveChat.email, LiveChat.phone).where(LiveChat.lead_id.in_(leads))
    ).all()
    rows: list[tuple[str | None, str | None, str | None]] = [*map(tuple, people)]
    rows += map(tuple, asked)
    rows += map(tuple, live)
    return (
        [name for name, _, _ in rows if name],
        {email.casefold() for _, email, _ in rows if email},
        {phone for _, _, phone in rows if phone},
    )


def _reach(session: Session, lead: Lead) -> Reach:
    names, emails, phones = _values(session, select(Lead.id).where(Lead.id == lead.id))
    others = select(Lead.id).where(Lead.id != lead.id, Lead.anonymised_at.is_(None))
    _, their_emails, their_phones = _values(session, others)
    return Reach(names, emails, phones, emails - their_emails, phones - their_phones)


def _own_contact(
    table: type[CallbackRequest] | type[LiveChat], reach: Reach
) -> ColumnElement[bool]:
    """A widget request (callback or live chat) left with the person's own e-mail or phone."""
    return or_(func.lower(table.email).in_(reach.own_emails), table.phone.in_(reach.own_phones))


def _widget_conversations(session: Session, reach: Reach) -> set[str]:
    """The conversations of lead-less requests from the chat widget with their own contact
    (« Parler à une personne »: a callback request, or a live chat with the team)."""
    found: set[str | None] = set()
    for table in (CallbackRequest, LiveChat):
        found.update(
            session.scalars(
                select(table.conversation_id).where(
                    table.lead_id.is_(None), _own_contact(table, reach)
                )
            )
        )
    return {conversation for conversation in found if conversation}


def _anonymise(session: Session, lead: Lead, reach: Reach, erased: set[str], now: datetime) -> None:
    """Strip the lead to its statistics, in `session`'s transaction; remove the requests from
    the chat widget that are the person's (their conversation erased, or their own contact)."""
    business = lead.business
    pattern = scrub_pattern([*reach.names, *reach.emails, *reach.phones, business.name])
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
    # Their callback requests and live chats with the team: on the lead, or lead-less with their
    # own contact or from their erased conversations (the live messages are in the conversations
    # erased from the tracker store).
    for table in (CallbackRequest, LiveChat):
        session.execute(
            delete(table).where(
                or_(
                    table.lead_id == lead.id,
                    table.lead_id.is_(None)
                    & or_(_own_contact(table, reach), table.conversation_id.in_(erased)),
                )
            )
        )
    session.execute(delete(PrivacyCode).where(PrivacyCode.lead_id == lead.id))
    session.execute(delete(LeadConversation).where(LeadConversation.lead_id == lead.id))
    for decision in session.scalars(select(Decision).where(Decision.lead_id == lead.id)):
        decision.reasons = [scrub(reason, pattern) or "" for reason in decision.reasons]
    if lead.diagnostic is not None:
        diagnostic = lead.diagnostic
        diagnostic.answers, diagnostic.focus, diagnostic.brief = {}, [], ""
    session.execute(delete(LeadReminder).where(LeadReminder.lead_id == lead.id))
    for event in session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead.id)):
        if event.kind == MAIL_EVENT or (
            event.kind in NOTES and scrub(event.note, pattern) != event.note
        ):
            session.delete(event)
        else:
            event.note = scrub(event.note, pattern)
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.lead_id == lead.id)):
        entry.detail = scrub(entry.detail, pattern)
    lead.conversation_id = ""
    lead.anonymised_at = as_utc(now)


def _conversations(session: Session, lead: Lead, tracker_url: str, report: Erasure) -> Reach:
    """Choose the conversations to erase and to scrub (into `report`); return the reach."""
    reach = _reach(session, lead)
    others = lead_conversations.of_live_leads(session, besides=lead.id)
    theirs = lead_conversations.of_lead(session, lead.id)
    theirs.update({c: WIDGET for c in _widget_conversations(session, reach) if c not in theirs})
    for conversation in senders_containing(tracker_url, sorted(reach.own_emails)):
        theirs.setdefault(conversation, EMAIL)
    for conversation in senders_containing(tracker_url, reach.own_phone_forms):
        theirs.setdefault(conversation, PHONE)
    for conversation, why in theirs.items():
        if conversation in others:
            report.scrubbed[conversation] = OTHER_LEAD
        else:
            report.conversations[conversation] = why
    return reach


def erase_lead(
    sessions: sessionmaker[Session],
    lead_id: int,
    *,
    tracker_url: str,
    outbox: Path,
    now: datetime,
    scheduler: Scheduler | None = None,
    by: int | None = None,
) -> Erasure:
    """Erase the person of `lead_id` everywhere (see the module). Future sessions are cancelled
    through `scheduler` when given (the advisor gets the calendar cancellation), else without
    mail; the merchant learns it from the erasure's confirmation. The journal says who erased
    (`by`: the privacy officer's account; None: the merchant or the retention job), once."""
    report = Erasure(lead_id)
    with sessions() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LookupError(lead_id)
        if lead.anonymised_at is not None:
            report.already = True
            return report
        future = session.scalars(
            select(Booking.reference).where(
                Booking.lead_id == lead_id, Booking.status == "booked", Booking.starts_at > now
            )
        ).all()
    for reference in future:
        if scheduler is not None:
            scheduler.cancel_for_erasure(reference)
        else:
            bookings.cancel(sessions, reference)
        report.cancelled.append(reference)
    with sessions.begin() as session:
        lead = session.get_one(Lead, lead_id, with_for_update=True)
        reach = _conversations(session, lead, tracker_url, report)
        _anonymise(session, lead, reach, set(report.conversations), now)
        request_erasure(session, report.conversations)
        conversation_reviews.forget(session, report.conversations)  # the team's tags, reviews
        forget_conversations(session, report.conversations)  # their missed messages
        request_erasure(session, report.scrubbed, scrub=reach.own)
        session.add(AuditEntry(account_id=by, action="effacement", lead_id=lead_id))
        # The advisor's cancellation names only the business and the reference: it stays.
        report.mails_removed = remove_queued_mails(session, reach.own_forms)
    done = set(erase_idle(sessions, tracker_url))
    report.conversations_erased = len(done & set(report.conversations))
    report.mails_removed += remove_mails(outbox, reach.own_forms)
    return report
