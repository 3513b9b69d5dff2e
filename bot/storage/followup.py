"""The workspace's view of the leads: listing with filters, one lead's file, its follow-up
(status, notes, advisor) with history, and the audit log of who read which lead."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling import TIMEZONE
from bot.storage.folding import fold_for_search, folded
from bot.storage.models import (
    AuditEntry,
    Booking,
    Business,
    CallbackRequest,
    Contact,
    Decision,
    Lead,
    LeadEvent,
    as_utc,
)
from bot.text import multi_line, one_line
from bot.workspace import NOTE_MAX, STATUSES, NotAllowed, Viewer, check_status_change

PAGE_SIZE = 25


@dataclass(frozen=True)
class Filters:
    """What the leads list is narrowed to; empty means all."""

    status: str = ""
    outcome: str = ""
    sector: str = ""
    advisor: str = ""
    search: str = ""
    territory: str = ""  # a municipality or a postal code's start ("Limoilou", "G1K")
    since: date | None = None  # submitted on or after this day (Québec time)
    with_session: bool = False
    mine: bool = False  # « Mes pistes »: only the leads given to the viewer's advisor
    page: int = 1


@dataclass(frozen=True)
class LeadLine:
    lead_id: int
    business: str
    contact: str
    sector: str
    place: str
    outcome: str | None
    score: int
    status: str
    advisor_id: str | None
    next_session: datetime | None
    review_requested: bool
    created_at: datetime
    # Where the search was found in the lead's conversation, if it was (an excerpt).
    found_in_conversation: str | None = None


@dataclass
class LeadPage:
    lines: list[LeadLine]
    total: int
    page: int
    pages: int


def latest_decisions() -> Any:
    """Each lead's latest decision, as a subquery to join on `lead_id`."""
    latest = select(func.max(Decision.id)).group_by(Decision.lead_id).scalar_subquery()
    return select(Decision).where(Decision.id.in_(latest)).subquery()


def _next_sessions() -> Any:
    return (
        select(Booking.lead_id, func.min(Booking.starts_at).label("starts_at"))
        .where(Booking.status == "booked")
        .group_by(Booking.lead_id)
        .subquery()
    )


def one_page(
    session: Session, query: Select[Any], page: int, *order: Any
) -> tuple[list[Any], int, int, int]:
    """Page `page` (kept within the pages there are) of `query` in `order`, PAGE_SIZE rows:
    the rows, how many in all, the page and the number of pages."""
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.execute(
        query.order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return list(rows), total, page, pages


def visible_to(query: Select[Any], viewer: Viewer) -> Select[Any]:
    """`query` narrowed to the leads `viewer` may see (the SQL of `Viewer.sees`), without the
    erased ones (`bot.privacy.erasure`: kept only for the statistics)."""
    query = query.where(Lead.anonymised_at.is_(None))
    if viewer.is_manager:
        return query
    return query.where(or_(Lead.advisor_id.is_(None), Lead.advisor_id == viewer.advisor_id))


def list_leads(
    sessions: sessionmaker[Session],
    viewer: Viewer,
    filters: Filters,
    in_conversations: Mapping[str, str] | None = None,
) -> LeadPage:
    """The leads `viewer` may see, highest priority first, narrowed by `filters`, one page.
    The search finds a business or a contact, and the leads whose conversation id is in
    `in_conversations` (found in their transcripts: `bot.storage.transcript_search`, each with
    its excerpt)."""
    in_conversations = in_conversations or {}
    decision, upcoming = latest_decisions(), _next_sessions()
    query = (
        select(Lead, Business, Contact, decision, upcoming.c.starts_at)
        .join(Business, Lead.business_id == Business.id)
        .join(Contact, Lead.contact_id == Contact.id)
        .outerjoin(decision, decision.c.lead_id == Lead.id)
        .outerjoin(upcoming, upcoming.c.lead_id == Lead.id)
    )
    query = visible_to(query, viewer)
    if filters.status:
        query = query.where(Lead.status == filters.status)
    if filters.outcome:
        query = query.where(decision.c.outcome == filters.outcome)
    if filters.sector:
        query = query.where(Business.sector == filters.sector)
    if filters.advisor:
        query = query.where(
            Lead.advisor_id.is_(None)
            if filters.advisor == "-"
            else Lead.advisor_id == filters.advisor
        )
    if filters.territory:
        place = f"%{fold_for_search(one_line(filters.territory)[:60])}%"
        query = query.where(
            or_(
                folded(Business.municipality).like(place),
                func.lower(func.replace(Business.postal_code, " ", "")).like(
                    place.replace(" ", "")
                ),
            )
        )
    if filters.since is not None:
        start = datetime.combine(filters.since, time(0), TIMEZONE)
        query = query.where(Lead.created_at >= as_utc(start))
    if filters.with_session:
        query = query.where(upcoming.c.starts_at.is_not(None))
    if filters.mine:
        query = query.where(Lead.advisor_id == (viewer.advisor_id or ""))
    if filters.search:
        pattern = f"%{fold_for_search(one_line(filters.search)[:100])}%"
        found = [folded(Business.name).like(pattern), folded(Contact.name).like(pattern)]
        if in_conversations:
            found.append(Lead.conversation_id.in_(list(in_conversations)))
        query = query.where(or_(*found))
    with sessions() as session:
        rows, total, page, pages = one_page(
            session, query, filters.page, func.coalesce(decision.c.score, 0).desc(), Lead.id
        )
    lines = [
        LeadLine(
            lead_id=lead.id,
            business=business.name,
            contact=contact.name,
            sector=business.sector,
            place=business.municipality or business.postal_code or "",
            outcome=row.outcome,
            score=row.score or 0,
            status=lead.status,
            advisor_id=lead.advisor_id,
            next_session=as_utc(row.starts_at) if row.starts_at else None,
            review_requested=bool(row.review_requested),
            created_at=as_utc(lead.created_at),
            found_in_conversation=in_conversations.get(lead.conversation_id),
        )
        for row in rows
        for lead, business, contact in [(row.Lead, row.Business, row.Contact)]
    ]
    return LeadPage(lines, total, page, pages)


@dataclass
class LeadFile:
    """Everything the workspace shows about one lead."""

    lead_id: int
    conversation_id: str
    status: str
    advisor_id: str | None
    business: dict[str, Any]
    contact: dict[str, Any]
    answers: dict[str, str]
    decision: dict[str, Any] | None
    brief: str | None
    bookings: list[dict[str, Any]]
    callbacks: list[dict[str, Any]]
    history: list[dict[str, Any]] = field(default_factory=list)
    # Erased (Law 25): kept for the statistics only, read-only.
    anonymised_at: datetime | None = None


def lead_file(sessions: sessionmaker[Session], viewer: Viewer, lead_id: int) -> LeadFile | None:
    """The lead's file if `viewer` may see it (else None, as for an unknown lead); the reading
    is written to the audit log."""
    with sessions.begin() as session:
        lead = session.get(Lead, lead_id)
        if lead is None or not viewer.sees(lead.advisor_id):
            return None
        decision = lead.decisions[-1] if lead.decisions else None
        bookings = session.scalars(
            select(Booking).where(Booking.lead_id == lead_id).order_by(Booking.starts_at)
        ).all()
        callbacks = session.scalars(
            select(CallbackRequest).where(CallbackRequest.lead_id == lead_id)
        ).all()
        events = session.scalars(
            select(LeadEvent).where(LeadEvent.lead_id == lead_id).order_by(LeadEvent.id)
        ).all()
        business, contact = lead.business, lead.contact
        session.add(AuditEntry(account_id=viewer.account_id, action="lecture", lead_id=lead_id))
        return LeadFile(
            lead_id=lead.id,
            anonymised_at=as_utc(lead.anonymised_at) if lead.anonymised_at else None,
            conversation_id=lead.conversation_id,
            status=lead.status,
            advisor_id=lead.advisor_id,
            business={
                "name": business.name,
                "sector": business.sector,
                "sector_detail": business.sector_detail,
                "postal_code": business.postal_code,
                "municipality": business.municipality,
                "association": business.association_name,
                "employees": business.employees,
            },
            contact={
                "name": contact.name,
                "role": contact.role,
                "email": contact.email,
                "phone": contact.phone,
            },
            answers={a.question: a.value for a in lead.answers},
            decision=None
            if decision is None
            else {
                "outcome": decision.outcome,
                "reasons": decision.reasons,
                "automated": decision.automated,
                "score": decision.score,
                "factors": decision.factors,
                "review_requested": decision.review_requested,
                "by": decision.reviewer.name if decision.reviewer else None,
                "at": as_utc(decision.decided_at),
            },
            brief=lead.diagnostic.brief if lead.diagnostic else None,
            bookings=[
                {
                    "reference": b.reference,
                    "starts_at": as_utc(b.starts_at),
                    "advisor_id": b.advisor_id,
                    "status": b.status,
                    "marked_at": as_utc(b.marked_at) if b.marked_at else None,
                }
                for b in bookings
            ],
            callbacks=[
                {
                    "wish": c.wish,
                    "status": c.status,
                    "at": as_utc(c.created_at),
                    "assignee": c.assignee.name if c.assignee else None,
                }
                for c in callbacks
            ],
            history=[
                {
                    "kind": e.kind,
                    "before": e.before,
                    "after": e.after,
                    "note": e.note,
                    "who": e.account.name if e.account else "—",
                    "at": as_utc(e.at),
                }
                for e in events
            ],
        )


def add_event(
    session: Session,
    viewer: Viewer,
    lead_id: int,
    kind: str,
    *,
    before: str | None = None,
    after: str | None = None,
    note: str | None = None,
    at: datetime | None = None,
) -> None:
    """Write one line of the lead's history (shown on its page), in `session`'s transaction."""
    event = LeadEvent(
        lead_id=lead_id, account_id=viewer.account_id, kind=kind, before=before, after=after,
        note=note,
    )  # fmt: skip
    if at is not None:
        event.at = at
    session.add(event)


ANONYMISED = "Ce dossier a été effacé à la demande de la personne : il ne se modifie plus."


def lead_for_change(session: Session, viewer: Viewer, lead_id: int) -> Lead:
    """The lead to change in `session`, locked: LookupError if `viewer` may not see it,
    NotAllowed if it was erased."""
    lead = session.get(Lead, lead_id, with_for_update=True)
    if lead is None or not viewer.sees(lead.advisor_id):
        raise LookupError(lead_id)
    if lead.anonymised_at is not None:
        raise NotAllowed(ANONYMISED)
    return lead


def change_status(
    sessions: sessionmaker[Session], viewer: Viewer, lead_id: int, after: str
) -> None:
    """Move the lead along its follow-up (see `bot.workspace.NEXT`), with its history."""
    if after not in STATUSES:
        raise NotAllowed("Statut inconnu.")
    with sessions.begin() as session:
        lead = lead_for_change(session, viewer, lead_id)
        check_status_change(lead.status, after)
        add_event(session, viewer, lead_id, "statut", before=lead.status, after=after)
        lead.status = after


def add_note(sessions: sessionmaker[Session], viewer: Viewer, lead_id: int, text: str) -> None:
    note = multi_line(text).strip()
    if not note:
        raise NotAllowed("La note est vide.")
    if len(note) > NOTE_MAX:
        raise NotAllowed(f"La note dépasse {NOTE_MAX} caractères.")
    with sessions.begin() as session:
        lead_for_change(session, viewer, lead_id)
        add_event(session, viewer, lead_id, "note", note=note)


def assign(
    sessions: sessionmaker[Session], viewer: Viewer, lead_id: int, advisor_id: str | None
) -> None:
    """Give the lead to an advisor (a manager: anyone; an advisor: take it or release it)."""
    if not viewer.is_manager and advisor_id not in (viewer.advisor_id, None):
        raise NotAllowed("Seul un gestionnaire peut confier un dossier à un autre conseiller.")
    with sessions.begin() as session:
        lead = lead_for_change(session, viewer, lead_id)
        if lead.advisor_id == advisor_id:
            return
        add_event(session, viewer, lead_id, "attribution", before=lead.advisor_id, after=advisor_id)
        lead.advisor_id = advisor_id


def audit_log(sessions: sessionmaker[Session], limit: int = 200) -> list[dict[str, Any]]:
    """The latest readings and exports of personal data, newest first (manager only)."""
    with sessions() as session:
        entries = session.scalars(
            select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        ).all()
        return [
            {
                "who": e.account.name if e.account else "—",
                "action": e.action,
                "lead_id": e.lead_id,
                "detail": e.detail,
                "at": as_utc(e.at),
            }
            for e in entries
        ]


def record_access(
    sessions: sessionmaker[Session], viewer: Viewer, action: str, detail: str | None = None
) -> None:
    with sessions.begin() as session:
        session.add(AuditEntry(account_id=viewer.account_id, action=action, detail=detail))
