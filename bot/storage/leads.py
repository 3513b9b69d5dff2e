"""The lead repository: store a finished intake in one transaction, list and export leads."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from bot import diagnostic
from bot.eligibility import Decision as DecisionResult
from bot.eligibility import Intake, Priority
from bot.limits import FREE_TEXT
from bot.scheduling import TIMEZONE
from bot.storage import lead_conversations
from bot.storage.lead_conversations import INTAKE
from bot.storage.models import (
    Answer,
    Booking,
    Business,
    CallbackRequest,
    Consent,
    Contact,
    Decision,
    Diagnostic,
    Lead,
    as_utc,
)
from bot.text import fold, multi_line, one_line


@dataclass(frozen=True)
class ContactInfo:
    name: str
    role: str | None
    email: str
    phone: str


@dataclass(frozen=True)
class ConsentRecord:
    purpose: str
    wording_version: str
    given_at: datetime


@dataclass(frozen=True)
class Submission:
    """Everything a finished intake conversation hands to the program team."""

    conversation_id: str
    intake: Intake
    contact: ContactInfo
    consent: ConsentRecord
    decision: DecisionResult
    priority: Priority
    answers: dict[str, str]
    sector_detail: str | None = None
    association_name: str | None = None


IDENTITY_PART = 190  # of the 400 characters of `businesses.identity`, for each half


def business_identity(name: str, postal_code: str | None, municipality: str | None) -> str:
    """How a returning business is recognised: its folded name and where it is (folding can
    lengthen some characters, "㎈" to "cal": each half is cut to fit the column)."""
    where = (postal_code or "").replace(" ", "").upper() or fold(municipality or "")
    return f"{fold(name)[:IDENTITY_PART]}|{where[:IDENTITY_PART]}"


def save_submission(sessions: sessionmaker[Session], submission: Submission) -> int:
    """Create or update the business, contact and lead, in one transaction; return the lead id."""
    intake = submission.intake
    identity = business_identity(intake.business_name, intake.postal_code, intake.municipality)
    with sessions.begin() as session:
        business = session.scalar(select(Business).where(Business.identity == identity))
        if business is None:
            business = Business(identity=identity)
            session.add(business)
        business.name = intake.business_name
        business.postal_code = intake.postal_code
        business.municipality = intake.municipality
        business.storefront = intake.storefront.value
        business.sector = intake.sector.label
        business.sector_detail = submission.sector_detail
        business.sdc_or_association = intake.sdc_or_association.value
        business.association_name = submission.association_name
        business.employees = intake.employees
        session.flush()

        email = submission.contact.email
        contact = session.scalar(
            select(Contact).where(Contact.business_id == business.id, Contact.email == email)
        )
        if contact is None:
            contact = Contact(business_id=business.id, email=email)
            session.add(contact)
        contact.name = submission.contact.name
        contact.role = submission.contact.role
        contact.phone = submission.contact.phone
        session.flush()

        lead = session.scalar(select(Lead).where(Lead.business_id == business.id))
        if lead is None:
            lead = Lead(business_id=business.id, submissions=0)
            session.add(lead)
        lead.contact_id = contact.id
        lead.conversation_id = submission.conversation_id
        lead.submissions = (lead.submissions or 0) + 1
        lead.answers = [Answer(question=q, value=v) for q, v in submission.answers.items()]
        session.flush()
        lead_conversations.link(session, lead.id, submission.conversation_id, INTAKE)
        session.add(
            Consent(
                lead_id=lead.id,
                purpose=submission.consent.purpose,
                wording_version=submission.consent.wording_version,
                given_at=submission.consent.given_at,
            )
        )
        session.add(
            Decision(
                lead_id=lead.id,
                outcome=submission.decision.outcome.value,
                reasons=list(submission.decision.reasons),
                automated=submission.decision.automated,
                score=submission.priority.score,
                factors=[asdict(f) for f in submission.priority.factors],
            )
        )
        return lead.id


def request_review(sessions: sessionmaker[Session], lead_id: int) -> None:
    """Record that the merchant asked a person to review the latest (automated) decision."""
    with sessions.begin() as session:
        decision = session.scalar(
            select(Decision)
            .where(Decision.lead_id == lead_id)
            .order_by(Decision.id.desc())
            .limit(1)
        )
        if decision is not None:
            decision.review_requested = True


def save_diagnostic(
    sessions: sessionmaker[Session], lead_id: int, answers: diagnostic.Answers, completed: bool
) -> str:
    """Store (or update) the lead's diagnostic with its profile and brief; return the brief."""
    with sessions.begin() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LookupError(f"no lead {lead_id}")
        result = diagnostic.profile(answers)
        text = diagnostic.brief(lead.business.name, answers, result)
        row = session.scalar(select(Diagnostic).where(Diagnostic.lead_id == lead_id))
        if row is None:
            row = Diagnostic(lead_id=lead_id)
            session.add(row)
        row.answers = asdict(answers)
        row.levels = result.levels
        row.focus = [asdict(f) for f in result.focus]
        row.brief = text
        row.completed = completed
        return text


def lead_rows(sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    """One flat row per lead, highest priority first, with its latest decision."""
    with sessions() as session:
        leads = session.scalars(
            select(Lead).options(
                selectinload(Lead.business),
                selectinload(Lead.contact),
                selectinload(Lead.answers),
                selectinload(Lead.consents),
                selectinload(Lead.decisions),
                selectinload(Lead.diagnostic),
            )
        ).all()
        sessions_of = {
            b.lead_id: {
                "reference": b.reference,
                "starts_at": as_utc(b.starts_at).astimezone(TIMEZONE).isoformat(),
                "advisor": b.advisor_id,
            }
            for b in session.scalars(
                select(Booking).where(Booking.status == "booked").order_by(Booking.starts_at.desc())
            )
        }  # the earliest active session of each lead wins
        callbacks = set(
            session.scalars(select(CallbackRequest.lead_id).where(CallbackRequest.status == "open"))
        )
        rows = []
        for lead in leads:
            decision = lead.decisions[-1] if lead.decisions else None
            consent = lead.consents[-1] if lead.consents else None
            rows.append(
                {
                    "lead_id": lead.id,
                    "business": lead.business.name,
                    "postal_code": lead.business.postal_code,
                    "municipality": lead.business.municipality,
                    "sector": lead.business.sector,
                    "contact": lead.contact.name,
                    "role": lead.contact.role,
                    "email": lead.contact.email,
                    "phone": lead.contact.phone,
                    "outcome": decision.outcome if decision else None,
                    "reasons": decision.reasons if decision else [],
                    "score": decision.score if decision else None,
                    "factors": decision.factors if decision else [],
                    "review_requested": decision.review_requested if decision else False,
                    "consent_version": consent.wording_version if consent else None,
                    "consent_given_at": consent.given_at.isoformat() if consent else None,
                    "answers": {a.question: a.value for a in lead.answers},
                    "diagnostic": None
                    if lead.diagnostic is None
                    else {
                        "completed": lead.diagnostic.completed,
                        "levels": lead.diagnostic.levels,
                        "focus": [f["title"] for f in lead.diagnostic.focus],
                        "brief": lead.diagnostic.brief,
                        "answers": lead.diagnostic.answers,
                    },
                    "session": sessions_of.get(lead.id),
                    "callback_requested": lead.id in callbacks,
                    "submissions": lead.submissions,
                    "updated_at": lead.updated_at.isoformat(),
                }
            )
    return sorted(rows, key=lambda r: (-(r["score"] or 0), r["lead_id"]))


@dataclass(frozen=True)
class LeadCard:
    """What a booking needs to know about a lead: who to invite, and the advisor's brief."""

    lead_id: int
    business: str
    sector: str
    contact: str
    role: str | None
    email: str
    phone: str
    outcome: str | None
    score: int | None
    brief: str | None


def card_of(lead: Lead) -> LeadCard:
    """The card of a lead loaded in an open session."""
    decision = lead.decisions[-1] if lead.decisions else None
    return LeadCard(
        lead_id=lead.id,
        business=lead.business.name,
        sector=lead.business.sector,
        contact=lead.contact.name,
        role=lead.contact.role,
        email=lead.contact.email,
        phone=lead.contact.phone,
        outcome=decision.outcome if decision else None,
        score=decision.score if decision else None,
        brief=lead.diagnostic.brief if lead.diagnostic else None,
    )


def lead_card(sessions: sessionmaker[Session], lead_id: int) -> LeadCard | None:
    with sessions() as session:
        lead = session.get(Lead, lead_id)
        return None if lead is None else card_of(lead)


def request_callback(sessions: sessionmaker[Session], lead_id: int, wish: str | None) -> None:
    """Record that the merchant found no free session and asks the team to call back."""
    with sessions.begin() as session:
        session.add(CallbackRequest(lead_id=lead_id, wish=one_line(wish or "")[:FREE_TEXT] or None))


def export_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_JSON_SEPARATORS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: nested values as JSON, control characters made
    plain, and a leading `=`, `+`, `-` or `@` (a formula to Excel or LibreOffice) neutralised
    with an apostrophe (OWASP's advice: `+14185551234` reads `'+14185551234`)."""
    if isinstance(value, list | dict):  # JSON escapes control characters; these it may not
        return json.dumps(value, ensure_ascii=False).translate(_JSON_SEPARATORS)
    if not isinstance(value, str):
        return value
    value = multi_line(value)
    return f"'{value}" if value.startswith(_FORMULA_START) else value
