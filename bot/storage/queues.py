"""The workspace's queues: automated refusals whose review was requested (a person confirms or
overturns them, Law 25 s. 12.1), open callback requests (each assigned to a team member who
may see its lead, or to nobody yet), and leads waiting for their first contact; each filtered by
who may see the lead (`bot.workspace.Viewer.sees`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, sessionmaker

from bot.eligibility import Outcome
from bot.storage.accounts import as_viewer
from bot.storage.followup import add_event, latest_decisions, one_page, visible_to
from bot.storage.leads import LeadCard, card_of
from bot.storage.models import (
    Account,
    Booking,
    Business,
    CallbackRequest,
    Decision,
    Lead,
    as_utc,
    now_of,
)
from bot.text import one_line
from bot.workspace import ADVISOR, NEW, NotAllowed, Viewer

REASON_MAX = 1000
CONFIRM, OVERTURN = "confirmer", "renverser"
# A person who overturns a refusal decides: the lead is eligible (not "à examiner", which would
# ask for the very review just made).
OVERTURNED_TO = Outcome.ELIGIBLE.value
WAITING_OUTCOMES = (Outcome.ELIGIBLE.value, Outcome.TO_REVIEW.value)


@dataclass(frozen=True)
class ReviewLine:
    lead_id: int
    decision_id: int
    business: str
    reasons: list[str]
    score: int
    decided_at: datetime
    advisor_id: str | None


@dataclass(frozen=True)
class ReviewOutcome:
    """A person's review of an automated refusal, as the merchant is told of it."""

    contact: str
    email: str
    business: str
    overturned: bool
    reason: str
    reviewer: str
    at: datetime


@dataclass(frozen=True)
class CallbackLine:
    """A callback request; one from the chat widget has the person's own name, e-mail or
    phone, and a lead only if the conversation had one."""

    callback_id: int
    lead_id: int | None
    business: str | None
    wish: str | None
    asked_at: datetime
    advisor_id: str | None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    # The team member who calls back (an account), if someone was assigned.
    assignee_id: int | None = None
    assignee: str | None = None


@dataclass(frozen=True)
class WaitingLine:
    lead_id: int
    business: str
    outcome: str
    score: int
    since: datetime
    days: int
    advisor_id: str | None


def _now(sessions: sessionmaker[Session], now: datetime | None) -> datetime:
    return as_utc(now) if now else now_of(sessions)


def _waits_for_review(decision: Decision) -> bool:
    return (
        decision.automated
        and decision.review_requested
        and decision.outcome == Outcome.NOT_ELIGIBLE.value
    )


def pending_reviews(sessions: sessionmaker[Session], viewer: Viewer) -> list[ReviewLine]:
    """Automated refusals whose review the merchant asked for and no person made yet (the
    lead's latest decision), oldest first."""
    decision = latest_decisions()
    query = (
        select(Lead, Business.name, decision)
        .join(Business, Lead.business_id == Business.id)
        .join(decision, decision.c.lead_id == Lead.id)
        .where(
            decision.c.automated.is_(True),
            decision.c.review_requested.is_(True),
            decision.c.outcome == Outcome.NOT_ELIGIBLE.value,
        )
        .order_by(decision.c.decided_at, Lead.id)
    )
    with sessions() as session:
        rows = session.execute(visible_to(query, viewer)).all()
    return [
        ReviewLine(
            lead_id=row.Lead.id,
            decision_id=row.id,
            business=row.name,
            reasons=list(row.reasons or []),
            score=row.score or 0,
            decided_at=as_utc(row.decided_at),
            advisor_id=row.Lead.advisor_id,
        )
        for row in rows
    ]


def pending_review(
    sessions: sessionmaker[Session], viewer: Viewer, lead_id: int
) -> ReviewLine | None:
    """The lead's refusal waiting for a person, if `viewer` may see it."""
    return next((r for r in pending_reviews(sessions, viewer) if r.lead_id == lead_id), None)


def review(
    sessions: sessionmaker[Session],
    viewer: Viewer,
    lead_id: int,
    decision_id: int,
    verdict: str,
    reason: str,
    now: datetime | None = None,
) -> ReviewOutcome:
    """A person confirms or overturns the automated refusal `decision_id` with a reason: a new
    decision, not automated, by `viewer` (the automated one stays in the history), and a history
    event. Returns what the merchant's e-mail says (sent by the caller after this commit)."""
    if verdict not in (CONFIRM, OVERTURN):
        raise NotAllowed("Choisissez de confirmer ou de renverser la décision.")
    text = one_line(reason)
    if not text:
        raise NotAllowed("Le motif est obligatoire : il est transmis au commerçant.")
    if len(text) > REASON_MAX:
        raise NotAllowed(f"Le motif dépasse {REASON_MAX} caractères.")
    moment = _now(sessions, now)
    with sessions.begin() as session:
        lead = session.get(Lead, lead_id, with_for_update=True)
        if lead is None or not viewer.sees(lead.advisor_id):
            raise LookupError(lead_id)
        latest = lead.decisions[-1] if lead.decisions else None
        if latest is None or latest.id != decision_id or not _waits_for_review(latest):
            raise NotAllowed("Cette décision a déjà été révisée ou n'attend pas de révision.")
        overturned = verdict == OVERTURN
        outcome = OVERTURNED_TO if overturned else latest.outcome
        session.add(
            Decision(
                lead_id=lead_id,
                outcome=outcome,
                reasons=[text],
                automated=False,
                score=latest.score,
                factors=latest.factors,
                decided_at=moment,
                decided_by=viewer.account_id,
                review_of=latest.id,
            )
        )
        what = "Refus renversé" if overturned else "Refus confirmé"
        note = f"{what} après révision par une personne. Motif : {text}"
        add_event(session, viewer, lead_id, "révision", before=latest.outcome, after=outcome,
                  note=note, at=moment)  # fmt: skip
        return ReviewOutcome(
            contact=lead.contact.name,
            email=lead.contact.email,
            business=lead.business.name,
            overturned=overturned,
            reason=text,
            reviewer=viewer.name,
            at=moment,
        )


@dataclass(frozen=True)
class CallbackPage:
    """One page of the open callback requests."""

    lines: list[CallbackLine]
    total: int
    page: int
    pages: int


def open_callbacks(
    sessions: sessionmaker[Session], viewer: Viewer, page: int = 1, mine: bool = False
) -> CallbackPage:
    """Callback requests not yet handled (done or set aside as unwanted), oldest first, 25 a
    page; `mine`: only those assigned to `viewer`."""
    query = visible_to(
        select(CallbackRequest, Lead, Business.name, Account.name.label("assignee"))
        .outerjoin(Lead, CallbackRequest.lead_id == Lead.id)
        .outerjoin(Business, Lead.business_id == Business.id)
        .outerjoin(Account, CallbackRequest.assigned_to == Account.id)
        .where(CallbackRequest.status == "open"),
        viewer,
    )
    if mine:
        query = query.where(CallbackRequest.assigned_to == viewer.account_id)
    with sessions() as session:
        rows, total, page, pages = one_page(
            session, query, page, CallbackRequest.created_at, CallbackRequest.id
        )
    lines = [
        CallbackLine(
            callback_id=row.CallbackRequest.id,
            lead_id=row.CallbackRequest.lead_id,
            business=row.name,
            wish=row.CallbackRequest.wish,
            asked_at=as_utc(row.CallbackRequest.created_at),
            advisor_id=row.Lead.advisor_id if row.Lead else None,
            name=row.CallbackRequest.name,
            email=row.CallbackRequest.email,
            phone=row.CallbackRequest.phone,
            assignee_id=row.CallbackRequest.assigned_to,
            assignee=row.assignee,
        )
        for row in rows
    ]
    return CallbackPage(lines, total, page, pages)


def callback_assignees(sessions: sessionmaker[Session]) -> list[Viewer]:
    """The active advisor accounts, by name: who a callback request can be given to (each only
    if it sees the request's lead, `Viewer.sees`)."""
    with sessions() as session:
        accounts = session.scalars(
            select(Account)
            .where(Account.role == ADVISOR, Account.active.is_(True))
            .order_by(Account.name, Account.id)
        ).all()
        return [as_viewer(account) for account in accounts]


def assign_callback(
    sessions: sessionmaker[Session],
    viewer: Viewer,
    callback_id: int,
    account_id: int | None,
    now: datetime | None = None,
) -> int | None:
    """Give the open callback request to the account `account_id` (None: to nobody), with a
    history event on its lead if it has one; return its lead.

    As for a lead's advisor (`followup.assign`): a manager gives it to any active advisor who
    sees its lead, or takes it; an advisor takes it when nobody has it, or gives it back."""
    moment = _now(sessions, now)
    with sessions.begin() as session:
        callback, lead = _open_callback(session, viewer, callback_id)
        current = callback.assignee
        if not viewer.is_manager:
            if account_id not in (viewer.account_id, None):
                raise NotAllowed("Seul un gestionnaire peut confier un rappel à quelqu'un d'autre.")
            if current is not None and current.id != viewer.account_id:
                raise NotAllowed(
                    f"Ce rappel est attribué à {current.name} : seul un gestionnaire peut le "
                    "confier à quelqu'un d'autre."
                )
        chosen = None if account_id is None else session.get(Account, account_id)
        if account_id is not None:
            if chosen is None or not chosen.active:
                raise NotAllowed("Choisissez un compte actif.")
            if chosen.role != ADVISOR and chosen.id != viewer.account_id:
                raise NotAllowed("Un rappel se confie à un conseiller.")
            if not as_viewer(chosen).sees(lead.advisor_id if lead else None):
                raise NotAllowed(
                    f"{chosen.name} ne voit pas cette piste : elle est confiée à un autre "
                    "conseiller."
                )
        if callback.assigned_to == account_id:
            return callback.lead_id
        callback.assigned_to, callback.assigned_at = account_id, moment
        if lead is None:
            return None
        asked = f"Rappel demandé le {as_utc(callback.created_at):%Y-%m-%d}"
        if chosen is not None:
            note = f"{asked} attribué à {chosen.name}."
        else:
            note = f"{asked} : n'est plus attribué à {current.name if current else 'personne'}."
        add_event(session, viewer, lead.id, "rappel", note=note, at=moment)
        return lead.id


# How a callback request leaves the queue: done, or set aside as unwanted (spam, abuse).
HANDLED = {"done": "fait", "spam": "classé indésirable"}


def _open_callback(
    session: Session, viewer: Viewer, callback_id: int
) -> tuple[CallbackRequest, Lead | None]:
    """The open callback request `viewer` may handle, locked, and its lead (LookupError if it
    is unknown or its lead is someone else's; NotAllowed once it is handled)."""
    callback = session.get(CallbackRequest, callback_id, with_for_update=True)
    if callback is None:
        raise LookupError(callback_id)
    lead = None if callback.lead_id is None else session.get(Lead, callback.lead_id)
    if lead is not None and not viewer.sees(lead.advisor_id):
        raise LookupError(callback_id)
    if callback.status != "open":
        raise NotAllowed(f"Ce rappel est déjà {HANDLED.get(callback.status, 'traité')}.")
    return callback, lead


def mark_callback_done(
    sessions: sessionmaker[Session],
    viewer: Viewer,
    callback_id: int,
    now: datetime | None = None,
    outcome: str = "done",
) -> int | None:
    """Mark the callback request done, or unwanted (`outcome` "spam"), with who and when, and
    a history event on its lead if it has one; return its lead (None: a request from the widget
    without a lead)."""
    moment = _now(sessions, now)
    with sessions.begin() as session:
        callback, lead = _open_callback(session, viewer, callback_id)
        callback.status, callback.done_at, callback.done_by = outcome, moment, viewer.account_id
        if lead is None:
            return None
        wish = f" (souhait : {callback.wish})" if callback.wish else ""
        note = f"Rappel demandé le {as_utc(callback.created_at):%Y-%m-%d} {HANDLED[outcome]}{wish}."
        add_event(session, viewer, lead.id, "rappel", note=note, at=moment)
        return lead.id


def waiting_first_contact(
    sessions: sessionmaker[Session], viewer: Viewer, days: int, now: datetime | None = None
) -> list[WaitingLine]:
    """Eligible or to-be-examined leads still "nouveau" for more than `days` days and with no
    session booked (the session is their first contact), longest wait first."""
    moment = _now(sessions, now)
    decision = latest_decisions()
    booked = exists().where(Booking.lead_id == Lead.id, Booking.status == "booked")
    query = (
        select(Lead, Business.name, decision.c.outcome, decision.c.score)
        .join(Business, Lead.business_id == Business.id)
        .join(decision, decision.c.lead_id == Lead.id)
        .where(
            Lead.status == NEW,
            Lead.created_at < moment - timedelta(days=days),
            decision.c.outcome.in_(WAITING_OUTCOMES),
            ~booked,
        )
        .order_by(Lead.created_at, Lead.id)
    )
    with sessions() as session:
        rows = session.execute(visible_to(query, viewer)).all()
    return [
        WaitingLine(
            lead_id=row.Lead.id,
            business=row.name,
            outcome=row.outcome,
            score=row.score or 0,
            since=as_utc(row.Lead.created_at),
            days=(moment - as_utc(row.Lead.created_at)).days,
            advisor_id=row.Lead.advisor_id,
        )
        for row in rows
    ]


def leads_since(sessions: sessionmaker[Session], since: datetime) -> list[LeadCard]:
    """The leads created since `since` (for the team's daily digest), with their decision."""
    with sessions() as session:
        leads = session.scalars(
            select(Lead).where(Lead.created_at >= as_utc(since)).order_by(Lead.id)
        ).all()
        return [card_of(lead) for lead in leads]
