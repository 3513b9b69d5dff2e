"""A person's file: find it (by e-mail, phone or name), export it as JSON and CSV, correct it."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.parsing import NotUnderstood, parse_email, parse_phone
from bot.scheduling import TIMEZONE
from bot.storage.folding import fold_for_search, folded
from bot.storage.leads import spreadsheet_cell
from bot.storage.models import (
    Answer,
    Booking,
    Business,
    CallbackRequest,
    Contact,
    Lead,
    LiveChat,
    as_utc,
)
from bot.storage.transcripts import transcript
from bot.text import one_line


@dataclass(frozen=True)
class Match:
    """A lead found for a person."""

    lead_id: int
    business: str
    contact: str
    email: str
    phone: str
    conversation_id: str


def find_people(sessions: sessionmaker[Session], query: str) -> list[Match]:
    """The leads whose contact has this e-mail or phone, or whose contact or business name
    contains `query` (anonymised leads are never found)."""
    text = one_line(query).strip()
    if len(text) < 2:
        return []
    pattern = f"%{fold_for_search(text[:100])}%"
    conditions = [
        folded(Contact.name).like(pattern),
        folded(Business.name).like(pattern),
        func.lower(Contact.email) == text.lower(),
    ]
    with contextlib.suppress(NotUnderstood):
        conditions.append(Contact.phone == parse_phone(text))
    query_ = (
        select(Lead, Business, Contact)
        .join(Business, Lead.business_id == Business.id)
        .join(Contact, Contact.business_id == Business.id)
        .where(Lead.anonymised_at.is_(None), or_(*conditions))
        .order_by(Lead.id)
    )
    with sessions() as session:
        seen: dict[int, Match] = {}
        for lead, business, contact in session.execute(query_).all():
            seen.setdefault(
                lead.id,
                Match(lead.id, business.name, contact.name, contact.email, contact.phone,
                      lead.conversation_id),
            )  # fmt: skip
        return list(seen.values())


def _value(value: Any) -> Any:
    """Times in Québec with their offset (stored in UTC; SQLite gives them back naive)."""
    if isinstance(value, datetime):
        return as_utc(value).astimezone(TIMEZONE).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def person_file(
    sessions: sessionmaker[Session], lead_id: int, tracker_url: str | None = None
) -> dict[str, Any]:
    """Everything kept about the lead's person: lead, business, contacts, answers, decisions,
    diagnostic, bookings, consents, callback requests, live chats with the team and the
    conversation's messages (who wrote each: the merchant, the assistant, a team member)."""
    with sessions() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LookupError(lead_id)
        business = lead.business
        contacts = session.scalars(
            select(Contact).where(Contact.business_id == business.id).order_by(Contact.id)
        ).all()
        bookings = session.scalars(
            select(Booking).where(Booking.lead_id == lead_id).order_by(Booking.starts_at)
        ).all()
        callbacks = session.scalars(
            select(CallbackRequest).where(CallbackRequest.lead_id == lead_id)
        ).all()
        live_chats = session.scalars(
            select(LiveChat).where(LiveChat.lead_id == lead_id).order_by(LiveChat.id)
        ).all()
        record: dict[str, Any] = {
            "lead": {"id": lead.id, "status": lead.status, "advisor": lead.advisor_id,
                     "submissions": lead.submissions, "created_at": _value(lead.created_at),
                     "updated_at": _value(lead.updated_at)},
            "business": {"name": business.name, "address": business.address,
                         "postal_code": business.postal_code,
                         "municipality": business.municipality, "storefront": business.storefront,
                         "sector": business.sector, "sector_detail": business.sector_detail,
                         "sdc_or_association": business.sdc_or_association,
                         "association_name": business.association_name,
                         "employees": business.employees},
            "contacts": [{"name": c.name, "role": c.role, "email": c.email, "phone": c.phone}
                         for c in contacts],
            "answers": {a.question: a.value for a in lead.answers},
            "decisions": [{"outcome": d.outcome, "reasons": d.reasons, "automated": d.automated,
                           "score": d.score, "factors": d.factors,
                           "review_requested": d.review_requested,
                           "decided_at": _value(d.decided_at)} for d in lead.decisions],
            "diagnostic": None if lead.diagnostic is None else {
                "answers": lead.diagnostic.answers, "levels": lead.diagnostic.levels,
                "focus": lead.diagnostic.focus, "brief": lead.diagnostic.brief,
                "completed": lead.diagnostic.completed},
            "bookings": [{"reference": b.reference, "advisor": b.advisor_id,
                          "starts_at": _value(b.starts_at), "status": b.status} for b in bookings],
            "consents": [{"purpose": c.purpose, "wording_version": c.wording_version,
                          "given_at": _value(c.given_at), "withdrawn_at": _value(c.withdrawn_at)}
                         for c in lead.consents],
            "callbacks": [{"wish": c.wish, "status": c.status, "at": _value(c.created_at)}
                          for c in callbacks],
            # « Parler à une personne » in the chat's opening hours: who answered (the messages
            # are in the conversation below).
            "live_chats": [{"name": c.name, "email": c.email, "phone": c.phone, "wish": c.wish,
                            "at": _value(c.requested_at), "answered_by": c.held_as,
                            "outcome": c.outcome} for c in live_chats],
        }  # fmt: skip
        conversation = lead.conversation_id
    record["conversation"] = (
        [
            {"speaker": line.who or line.speaker, "text": line.text, "at": _value(line.at)}
            for line in transcript(tracker_url, conversation)
        ]
        if tracker_url and conversation
        else []
    )
    return record


def as_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2)


def _flatten(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in _flatten(f"{prefix}.{key}", item)]
    if isinstance(value, list):
        return [pair for i, item in enumerate(value, 1) for pair in _flatten(f"{prefix}.{i}", item)]
    return [(prefix, "" if value is None else str(value))]


def as_csv(record: dict[str, Any]) -> str:
    """One line per value: section, field (dotted path) and value, safe for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "champ", "valeur"])
    for section, value in record.items():
        for path, text in _flatten(section, value):
            writer.writerow([section, path, spreadsheet_cell(text)])
    return out.getvalue()


# What a person may correct (e-mail and phone are read as in the intake).
CORRECTABLE = ("name", "role", "email", "phone", "business")


def correct(sessions: sessionmaker[Session], lead_id: int, field: str, raw: str) -> str:
    """Correct one field of the lead's contact or business; return the stored value. Raise
    NotUnderstood (with the expected format, in French) for an unreadable value."""
    if field not in CORRECTABLE:
        raise ValueError(f"unknown field {field!r}")
    value = one_line(raw).strip()
    if field == "email":
        value = parse_email(value)
    elif field == "phone":
        value = parse_phone(value)
    elif not value or len(value) > 200:
        raise NotUnderstood("un texte de 1 à 200 caractères")
    with sessions.begin() as session:
        lead = session.get(Lead, lead_id, with_for_update=True)
        if lead is None or lead.anonymised_at is not None:
            raise LookupError(lead_id)
        if field == "business":
            lead.business.name = value
        else:
            setattr(lead.contact, field, value)
        question = {
            "name": "contact_name",
            "role": "contact_role",
            "business": "business_name",
        }.get(field, field)
        for answer in session.scalars(
            select(Answer).where(Answer.lead_id == lead_id, Answer.question == question)
        ):
            answer.value = value
    return value
