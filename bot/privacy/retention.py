"""The retention job: leads inactive for `RETENTION_DAYS` are erased (`bot.privacy.erasure`:
anonymised, the statistics kept), and so are the conversations of the tracker store that led
to no lead and have had no event for as long (the messages of a live chat with the team among
them), and the live chats' rows (the contact given for a callback) ended as long ago, and the
missed messages nobody labelled (`bot.storage.missed`) said as long ago.
Idempotent (an erased lead or conversation is never found again), with a dry run that only
reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.privacy.erasure import erase_lead
from bot.privacy.tracker import anonymise_conversation
from bot.storage import conversation_reviews, lead_conversations
from bot.storage.missed import delete_unlabelled_before, forget_conversations
from bot.storage.models import Booking, Diagnostic, Lead, LeadEvent, LiveChat, as_utc
from bot.storage.transcripts import ANONYMOUS, tracker_engine


@dataclass
class RetentionReport:
    cutoff: datetime
    dry_run: bool
    leads: list[int] = field(default_factory=list)
    conversations: list[str] = field(default_factory=list)
    live_chats: list[int] = field(default_factory=list)
    missed_messages: int = 0

    def lines(self) -> list[str]:
        verb = "would erase" if self.dry_run else "erased"
        return [
            f"retention: no activity since {self.cutoff.date().isoformat()}",
            f"{verb} {len(self.leads)} lead(s)"
            + (f": {', '.join(map(str, self.leads))}" if self.leads else ""),
            f"{verb} {len(self.conversations)} conversation(s) without a lead",
            f"{verb} {len(self.live_chats)} live chat(s) with the team",
            f"{verb} {self.missed_messages} unlabelled missed message(s)",
        ]


def inactive_leads(sessions: sessionmaker[Session], cutoff: datetime, now: datetime) -> list[int]:
    """Leads not yet erased whose last activity (the lead, its history, diagnostic or sessions)
    is before `cutoff`, without a session to come."""
    activity = (
        select(LeadEvent.lead_id, func.max(LeadEvent.at)).group_by(LeadEvent.lead_id),
        select(Diagnostic.lead_id, Diagnostic.updated_at),
        select(Booking.lead_id, func.max(Booking.ends_at)).group_by(Booking.lead_id),
    )
    with sessions() as session:
        last = {
            lead_id: as_utc(updated)
            for lead_id, updated in session.execute(
                select(Lead.id, Lead.updated_at).where(Lead.anonymised_at.is_(None))
            )
        }
        for query in activity:
            for lead_id, moment in session.execute(query):
                if lead_id in last and moment is not None:
                    last[lead_id] = max(last[lead_id], as_utc(moment))
        coming = set(
            session.scalars(
                select(Booking.lead_id).where(Booking.status == "booked", Booking.starts_at > now)
            )
        )
    return sorted(i for i, moment in last.items() if moment < cutoff and i not in coming)


def idle_conversations(
    sessions: sessionmaker[Session], tracker_url: str, cutoff: datetime
) -> list[str]:
    """Conversations of the tracker store that belong to no (not erased) lead, idle since
    `cutoff`."""
    engine = tracker_engine(tracker_url)
    if not inspect(engine).has_table("events"):
        return []
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT sender_id, max(timestamp) FROM events GROUP BY sender_id")
        ).all()
    with sessions() as session:
        kept = lead_conversations.of_live_leads(session)
    return sorted(
        sender
        for sender, last in rows
        if not sender.startswith(ANONYMOUS)
        and sender not in kept
        and last is not None
        and float(last) < cutoff.timestamp()
    )


def run_retention(
    sessions: sessionmaker[Session],
    tracker_url: str,
    outbox: Path,
    now: datetime,
    days: int,
    dry_run: bool = False,
) -> RetentionReport:
    """Erase (or, in a dry run, list) what has been inactive for `days` days before `now`."""
    report = RetentionReport(now - timedelta(days=days), dry_run)
    report.leads = inactive_leads(sessions, report.cutoff, now)
    if not dry_run:
        for lead_id in report.leads:
            erase_lead(sessions, lead_id, tracker_url=tracker_url, outbox=outbox, now=now)
    report.conversations = idle_conversations(sessions, tracker_url, report.cutoff)
    if not dry_run and report.conversations:
        with tracker_engine(tracker_url).begin() as connection:
            for sender in report.conversations:
                anonymise_conversation(connection, sender)
        with sessions.begin() as session:  # the team's tags and reviews of them
            conversation_reviews.forget(session, report.conversations)
    report.live_chats = old_live_chats(sessions, report.cutoff, dry_run)
    report.missed_messages = old_missed_messages(
        sessions, report.cutoff, report.conversations, dry_run
    )
    return report


def old_missed_messages(
    sessions: sessionmaker[Session], cutoff: datetime, erased: list[str], dry_run: bool
) -> int:
    """The missed messages still to label said before `cutoff`, deleted unless `dry_run`; those
    of the conversations erased now go too (an approved example loses only its link)."""
    with sessions.begin() as session:
        forgotten = 0 if dry_run else forget_conversations(session, erased)
        return forgotten + delete_unlabelled_before(session, cutoff, dry_run)


def old_live_chats(sessions: sessionmaker[Session], cutoff: datetime, dry_run: bool) -> list[int]:
    """The live chats asked for before `cutoff` (ended long since), deleted unless `dry_run`."""
    old = LiveChat.requested_at < cutoff
    with sessions.begin() as session:
        found = list(session.scalars(select(LiveChat.id).where(old).order_by(LiveChat.id)))
        if found and not dry_run:
            session.execute(delete(LiveChat).where(old))
    return found
