"""The workspace's view of the sessions: who may see which session, the lookup of one session
whoever asks (the page then says whose it is), and the trace a move, a cancellation or a mark
made from the workspace leaves in the lead's history. (Booking, moving and cancelling themselves
are `bot.booking.Scheduler`'s, the same as in the chat; marking is `bot.storage.attendance`'s.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from bot.attendance import BOOKED, MARKED
from bot.storage.followup import add_event
from bot.storage.models import Booking, Business, Lead, as_utc
from bot.workspace import Viewer

SESSION_EVENT = "rencontre"  # the lead's history: a session moved, cancelled or marked by the team
SHOWN = (BOOKED, *MARKED)  # the sessions the pages list: not the cancelled ones


@dataclass(frozen=True)
class SessionLine:
    """A session as the workspace lists it."""

    reference: str
    lead_id: int | None
    business: str | None
    advisor_id: str
    starts_at: datetime
    ends_at: datetime
    status: str = BOOKED
    marked_at: datetime | None = None


def _shown(viewer: Viewer | None, advisor: str) -> Select[Any]:
    """Sessions (not cancelled) `viewer` may see: an advisor their own; a manager (or nobody
    in particular: None) everyone's, or only `advisor`'s when one is chosen."""
    query = (
        select(Booking, Business.name)
        .outerjoin(Lead, Booking.lead_id == Lead.id)
        .outerjoin(Business, Lead.business_id == Business.id)
        .where(Booking.status.in_(SHOWN))
    )
    if viewer is not None and not viewer.is_manager:
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
        status=booking.status,
        marked_at=as_utc(booking.marked_at) if booking.marked_at else None,
    )


def booked_sessions(
    sessions: sessionmaker[Session],
    viewer: Viewer,
    start: datetime,
    end: datetime | None = None,
    advisor: str = "",
    latest_first: bool = False,
) -> list[SessionLine]:
    """The sessions (booked, held or no-show) `viewer` may see starting in [start, end) (no
    end: every later one), earliest first (or `latest_first`)."""
    query = _shown(viewer, advisor).where(Booking.starts_at >= as_utc(start))
    if end is not None:
        query = query.where(Booking.starts_at < as_utc(end))
    order = Booking.starts_at.desc() if latest_first else Booking.starts_at
    with sessions() as session:
        rows = session.execute(query.order_by(order, Booking.advisor_id)).all()
    return [_line(booking, business) for booking, business in rows]


def advisor_sessions(
    sessions: sessionmaker[Session], advisor_id: str, since: datetime
) -> list[SessionLine]:
    """The sessions (booked, held or no-show) of the advisor `advisor_id` from `since` on,
    earliest first: their calendar feed (`bot.calendar_feed`)."""
    query = _shown(None, advisor_id).where(Booking.starts_at >= as_utc(since))
    with sessions() as session:
        rows = session.execute(query.order_by(Booking.starts_at, Booking.id)).all()
    return [_line(booking, business) for booking, business in rows]


def find_session(sessions: sessionmaker[Session], reference: str) -> SessionLine | None:
    """The session `reference` (not cancelled), whoever asks: the caller checks that the
    viewer handles it (`Viewer.handles_session`) and says whose it is otherwise."""
    query = _shown(None, "").where(Booking.reference == reference.strip().upper())
    with sessions() as session:
        row = session.execute(query).first()
    return _line(row[0], row[1]) if row else None


def write_session_change(session: Session, viewer: Viewer, lead_id: int, what: str) -> None:
    """Write in the lead's history, in `session`'s transaction (the change's own), that `viewer`
    moved, cancelled or marked its session (`what`, in French, shown as is on the lead's
    page)."""
    add_event(session, viewer, lead_id, SESSION_EVENT, note=what)
