"""The facts the program analytics count (`bot.analytics`): conversations and consents from Rasa's
tracker store, leads and sessions from the application database; SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import Engine, create_engine, exists, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from bot.analytics import Conversation, LeadFacts, SessionFacts
from bot.storage.followup import latest_decisions
from bot.storage.models import Booking, Business, Diagnostic, Lead, as_utc

CONSENT_SLOT = "consent_given"
_STARTS = text(
    "SELECT sender_id, MIN(timestamp) FROM events WHERE type_name = 'user' GROUP BY sender_id"
)
_CONSENTS = text(
    "SELECT sender_id, data FROM events WHERE type_name = 'slot' AND data LIKE :pattern"
)


@lru_cache(maxsize=4)
def _tracker(url: str) -> Engine:
    return create_engine(url)


def conversations(tracker_url: str) -> list[Conversation]:
    """Each conversation where the merchant wrote at least once, from its first message, and
    whether consent was given in it (the `consent_given` slot set to true); none when the
    tracker store has no events table yet."""
    try:
        with _tracker(tracker_url).connect() as connection:
            starts = connection.execute(_STARTS).all()
            slots = connection.execute(_CONSENTS, {"pattern": f"%{CONSENT_SLOT}%"}).all()
    except (OperationalError, ProgrammingError):
        return []
    consented = set()
    for sender, data in slots:
        event = json.loads(data)
        if event.get("name") == CONSENT_SLOT and event.get("value") is True:
            consented.add(sender)
    return [
        Conversation(as_utc(_moment(started)), sender in consented)
        for sender, started in starts
        if started is not None
    ]


def _moment(timestamp: float) -> datetime:
    return datetime.fromtimestamp(float(timestamp), timezone.utc)


def leads(sessions: sessionmaker[Session]) -> list[LeadFacts]:
    """Every lead with its latest decision, diagnostic and whether a session was ever booked."""
    decision = latest_decisions()
    booked = exists().where(Booking.lead_id == Lead.id)
    query = (
        select(
            Lead.created_at, Lead.status, Business.sector, Business.municipality,
            Business.postal_code, decision.c.outcome, decision.c.reasons,
            decision.c.review_requested, Diagnostic.completed, booked,
        )
        .join(Business, Lead.business_id == Business.id)
        .outerjoin(decision, decision.c.lead_id == Lead.id)
        .outerjoin(Diagnostic, Diagnostic.lead_id == Lead.id)
        .order_by(Lead.id)
    )  # fmt: skip
    with sessions() as session:
        rows = session.execute(query).all()
    return [
        LeadFacts(
            created_at=as_utc(row.created_at),
            sector=row.sector,
            municipality=row.municipality,
            postal_code=row.postal_code,
            outcome=row.outcome,
            reasons=tuple(str(reason) for reason in row.reasons or ()),
            review_requested=bool(row.review_requested),
            diagnostic_done=bool(row.completed),
            booked=bool(row[-1]),
            status=row.status,
        )
        for row in rows
    ]


def bookings(sessions: sessionmaker[Session]) -> list[SessionFacts]:
    """Every session ever booked: its start and its status (booked, held, no_show — marked in
    the workspace, `bot.attendance` — or cancelled)."""
    with sessions() as session:
        rows = session.execute(select(Booking.starts_at, Booking.status)).all()
    return [SessionFacts(as_utc(starts_at), status) for starts_at, status in rows]
