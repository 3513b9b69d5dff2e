"""The workspace's view of the sessions: who may see which booked session, and the trace a
move or a cancellation made from the workspace leaves in the lead's history. (Booking, moving
and cancelling themselves are `bot.booking.Scheduler`'s, the same as in the chat.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.followup import add_event
from bot.storage.models import Booking, Business, Lead, as_utc
from bot.workspace import Viewer

SESSION_EVENT = "rencontre"  # the lead's history: a session moved or cancelled by the team


@dataclass(frozen=True)
class SessionLine:
    """A booked session as the workspace lists it."""

    reference: str
    lead_id: int | None
    business: str | None
    advisor_id: str
    starts_at: datetime
    ends_at: datetime


def _booked(viewer: Viewer, advisor: str) -> Select[Any]:
    """Booked sessions `viewer` may see: an advisor their own; a manager everyone's, or only
    `advisor`'s when one is chosen."""
    query = (
        select(Booking, Business.name)
        .outerjoin(Lead, Booking.lead_id == Lead.id)
        .outerjoin(Business, Lead.business_id == Business.id)
        .where(Booking.status == "booked")
    )
    if not viewer.is_manager:
        return query.where(Booking.advisor_id == (viewer.advisor_id or ""))
    return query.where(Booking.advisor_id == advisor) if advisor else query


def _line(booking: Booking, business: str | None) -> SessionLine:
    return SessionLine(
        reference=booking.reference,
        lead_id=booking.lead_id,
        business=business,
        advisor_id=booking.advisor_id,
        starts_at=as_utc(booking.starts_at),
        ends_at=as_utc(booking.ends_at),
    )


def booked_sessions(
    sessions: sessionmaker[Session],
    viewer: Viewer,
    start: datetime,
    end: datetime | None = None,
    advisor: str = "",
) -> list[SessionLine]:
    """The booked sessions `viewer` may see starting in [start, end) (no end: every later
    one), earliest first."""
    query = _booked(viewer, advisor).where(Booking.starts_at >= as_utc(start))
    if end is not None:
        query = query.where(Booking.starts_at < as_utc(end))
    with sessions() as session:
        rows = session.execute(query.order_by(Booking.starts_at, Booking.advisor_id)).all()
    return [_line(booking, business) for booking, business in rows]


def booked_session(
    sessions: sessionmaker[Session], viewer: Viewer, reference: str
) -> SessionLine | None:
    """The booked session `reference` if `viewer` may act on it (else None, as if unknown)."""
    query = _booked(viewer, "").where(Booking.reference == reference.strip().upper())
    with sessions() as session:
        row = session.execute(query).first()
    return _line(row[0], row[1]) if row else None


def record_session_change(
    sessions: sessionmaker[Session], viewer: Viewer, lead_id: int, what: str
) -> None:
    """Write in the lead's history that `viewer` moved or cancelled its session (`what`, in
    French, is shown as is on the lead's page)."""
    with sessions.begin() as session:
        add_event(session, viewer, lead_id, SESSION_EVENT, note=what)
