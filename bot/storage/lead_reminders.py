"""Follow-up reminders on leads (« relances »): a day (Québec's) and an optional note, set from
the lead's page, one open reminder per lead; due ones wait in the queue (« Relances à faire »)
of the lead's advisor, or of whoever set it on a lead nobody has, until someone marks it done.
Each change is a line in the lead's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling.invitation import french_date
from bot.storage.followup import add_event, lead_for_change, visible_to
from bot.storage.models import Account, Business, Lead, LeadReminder, as_utc
from bot.text import one_line
from bot.workspace import REMINDER_NOTE_MAX, NotAllowed, Viewer, check_reminder_day

REMINDER_EVENT = "relance"


@dataclass(frozen=True)
class Reminder:
    """A lead's open follow-up reminder."""

    lead_id: int
    due_on: date
    note: str | None
    set_by: str | None  # the name of who set it
    set_at: datetime


@dataclass(frozen=True)
class DueReminder(Reminder):
    """A reminder in the queue, with its lead's business and advisor."""

    business: str = ""
    advisor_id: str | None = None


def _open(session: Session, lead_id: int) -> LeadReminder | None:
    return session.scalar(
        select(LeadReminder).where(LeadReminder.lead_id == lead_id, LeadReminder.done_at.is_(None))
    )


def open_reminder(sessions: sessionmaker[Session], lead_id: int) -> Reminder | None:
    """The lead's open reminder, if any (the caller has checked the viewer sees the lead)."""
    with sessions() as session:
        found = _open(session, lead_id)
        return None if found is None else _reminder(found)


def _reminder(row: LeadReminder) -> Reminder:
    return Reminder(row.lead_id, row.due_on, row.note, row.setter.name if row.setter else None,
                    as_utc(row.set_at))  # fmt: skip


def set_reminder(
    sessions: sessionmaker[Session],
    viewer: Viewer,
    lead_id: int,
    due_on: date,
    note: str,
    today: date,
) -> None:
    """Set the lead's reminder on `due_on` with `note` (optional), or move its open one there;
    `today` is Québec's, from the product's clock."""
    check_reminder_day(due_on, today)
    text = one_line(note)
    if len(text) > REMINDER_NOTE_MAX:
        raise NotAllowed(f"La note de relance dépasse {REMINDER_NOTE_MAX} caractères.")
    with sessions.begin() as session:
        lead_for_change(session, viewer, lead_id)
        reminder = _open(session, lead_id)
        if reminder is None:
            reminder = LeadReminder(lead_id=lead_id)
            session.add(reminder)
            what = f"Relance prévue {french_date(due_on)}"
        else:
            what = (
                f"Relance du {french_date(reminder.due_on).removeprefix('le ')} déplacée au "
                f"{french_date(due_on).removeprefix('le ')}"
            )
        reminder.due_on, reminder.note, reminder.set_by = due_on, text or None, viewer.account_id
        add_event(
            session, viewer, lead_id, REMINDER_EVENT, note=f"{what}{f' : {text}' if text else ''}."
        )


def finish(sessions: sessionmaker[Session], viewer: Viewer, lead_id: int, now: datetime) -> None:
    """Mark the lead's open reminder done (who, when), with its history line."""
    with sessions.begin() as session:
        lead_for_change(session, viewer, lead_id)
        reminder = _open(session, lead_id)
        if reminder is None:
            raise NotAllowed("Cette piste n'a pas de relance à faire.")
        reminder.done_at, reminder.done_by = as_utc(now), viewer.account_id
        when = french_date(reminder.due_on).removeprefix("le ")
        add_event(session, viewer, lead_id, REMINDER_EVENT, note=f"Relance du {when} faite.",
                  at=as_utc(now))  # fmt: skip


def due_reminders(
    sessions: sessionmaker[Session], viewer: Viewer, today: date
) -> list[DueReminder]:
    """The open reminders due on or before `today`, oldest first: for an advisor, those of
    their leads and those they set on a lead nobody has; for a manager, all of them."""
    query = visible_to(
        select(LeadReminder, Business.name, Lead.advisor_id, Account.name.label("setter"))
        .join(Lead, LeadReminder.lead_id == Lead.id)
        .join(Business, Lead.business_id == Business.id)
        .outerjoin(Account, LeadReminder.set_by == Account.id)
        .where(LeadReminder.done_at.is_(None), LeadReminder.due_on <= today),
        viewer,
    )
    if not viewer.is_manager:
        query = query.where(
            or_(
                Lead.advisor_id == (viewer.advisor_id or ""),
                and_(Lead.advisor_id.is_(None), LeadReminder.set_by == viewer.account_id),
            )
        )
    with sessions() as session:
        rows = session.execute(query.order_by(LeadReminder.due_on, Lead.id)).all()
    return [
        DueReminder(
            lead_id=row.LeadReminder.lead_id,
            due_on=row.LeadReminder.due_on,
            note=row.LeadReminder.note,
            set_by=row.setter,
            set_at=as_utc(row.LeadReminder.set_at),
            business=row.name,
            advisor_id=row.advisor_id,
        )
        for row in rows
    ]
