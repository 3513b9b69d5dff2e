"""A person's conversations in Rasa's tracker store (the `events` table, the same for our
SQLite store and Rasa's SQLTrackerStore on PostgreSQL): found, then erased, or in someone
else's conversation, only the person's e-mail and phone scrubbed.

Erasing keeps what the analytics count of a conversation (`bot.storage.analytics`): the time of
its first message and whether consent was given, as two content-free events under a new random
id. A conversation is erased only when idle: Rasa rewrites the events of a conversation whose
turn is under way (including the turn that asked for the erasure), so the request is kept in
`tracker_erasures` and carried out by `erase_idle` (the scheduled job, `bot.cli jobs`)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import system_now
from bot.storage.analytics import CONSENT_SLOT
from bot.storage.models import TrackerErasure
from bot.storage.transcripts import ANONYMOUS, tracker_engine

REMOVED = "[retiré]"
IDLE = timedelta(minutes=1)  # a conversation this long without an event is not mid-turn
_INSERT = text(
    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
    "VALUES (:sender, :kind, :timestamp, NULL, NULL, :data)"
)


def _phone_parts(value: str) -> tuple[str, str, str] | None:
    """Area code, office and line of a phone's last ten digits; None for fewer digits or an
    e-mail."""
    digits = re.sub(r"\D", "", value)
    if "@" in value or len(digits) < 10:
        return None
    return digits[-10:-7], digits[-7:-4], digits[-4:]


def phone_forms(phone: str) -> list[str]:
    """How a stored phone (E.164) may have been typed: +14185551234, 4185551234, 418-555-1234,
    418 555-1234, 418 555 1234, (418) 555-1234, 418.555.1234."""
    parts = _phone_parts(phone)
    if parts is None:
        return [phone] if phone else []
    area, office, line = parts
    return [
        phone, f"{area}{office}{line}", f"{area}-{office}-{line}", f"{area} {office}-{line}",
        f"{area} {office} {line}", f"({area}) {office}-{line}", f"{area}.{office}.{line}",
    ]  # fmt: skip


def scrub_pattern(strings: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for e-mails and names (any case) and phones (any of their typed forms);
    strings shorter than three characters are left out."""
    parts = []
    for value in strings:
        if phone := _phone_parts(value):
            area, office, line = phone
            parts.append(rf"(?:\+?1[\s.-]?)?\(?{area}\)?[\s.-]?{office}[\s.-]?{line}")
        elif len(value.strip()) >= 3:
            parts.append(re.escape(value.strip()))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def senders_containing(tracker_url: str, needles: Iterable[str]) -> set[str]:
    """The conversations whose events contain one of `needles` (an e-mail, a phone's form)."""
    found: set[str] = set()
    query = text("SELECT DISTINCT sender_id FROM events WHERE lower(data) LIKE :needle")
    try:
        with tracker_engine(tracker_url).connect() as connection:
            for needle in {n.lower() for n in needles if n and len(n) >= 5}:
                found.update(connection.execute(query, {"needle": f"%{needle}%"}).scalars())
    except (OperationalError, ProgrammingError):  # no events table yet
        return set()
    return {sender for sender in found if not sender.startswith(ANONYMOUS)}


def request_erasure(
    session: Session, senders: Iterable[str], scrub: Iterable[str] | None = None
) -> None:
    """Ask, in `session`'s transaction, for these conversations' erasure, or with `scrub` for
    those strings to be removed from them (a full erasure already asked for prevails)."""
    pending = {r.sender_id: r for r in session.scalars(select(TrackerErasure))}
    strings = None if scrub is None else sorted(set(scrub))
    for sender in set(senders):
        if not sender or sender.startswith(ANONYMOUS) or strings == []:
            continue
        request = pending.get(sender)
        if request is None:
            session.add(TrackerErasure(sender_id=sender, scrub=strings))
        elif request.scrub is not None:
            request.scrub = None if strings is None else sorted({*request.scrub, *strings})


def scrub_conversation(connection: Connection, sender: str, strings: Iterable[str]) -> None:
    """Replace `strings` by [retiré] in every text of the conversation's events."""
    pattern = scrub_pattern(strings)
    if pattern is None:
        return
    rows = connection.execute(
        text("SELECT id, data FROM events WHERE sender_id = :s"), {"s": sender}
    ).all()
    for row_id, data in rows:
        cleaned = _scrubbed(json.loads(data), pattern)
        if cleaned != json.loads(data):
            connection.execute(
                text("UPDATE events SET data = :data WHERE id = :id"),
                {"data": json.dumps(cleaned), "id": row_id},
            )


def _scrubbed(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(REMOVED, value)
    if isinstance(value, list):
        return [_scrubbed(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, pattern) for key, item in value.items()}
    return value


def anonymise_conversation(connection: Connection, sender: str) -> None:
    """Replace the conversation by its two statistics (first message, consent), anonymous."""
    rows = connection.execute(
        text("SELECT type_name, timestamp, data FROM events WHERE sender_id = :s ORDER BY id"),
        {"s": sender},
    ).all()
    started = min(
        (float(t) for kind, t, _ in rows if kind == "user" and t is not None), default=None
    )
    consented = any(
        kind == "slot"
        and (event := json.loads(data)).get("name") == CONSENT_SLOT
        and event.get("value") is True
        for kind, _, data in rows
    )
    connection.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender})
    if started is None:
        return
    anonymous = f"{ANONYMOUS}{uuid.uuid4().hex}"
    facts = [("user", {"event": "user", "timestamp": started, "text": None})]
    if consented:
        facts.append(
            ("slot", {"event": "slot", "timestamp": started, "name": CONSENT_SLOT, "value": True})
        )
    for kind, event in facts:
        connection.execute(
            _INSERT,
            {"sender": anonymous, "kind": kind, "timestamp": started, "data": json.dumps(event)},
        )


def erase_idle(
    sessions: sessionmaker[Session],
    tracker_url: str,
    now: datetime | None = None,
    idle: timedelta = IDLE,
) -> list[str]:
    """Erase the requested conversations that have had no event for `idle` (before `now`, by
    default the system time, the clock of the tracker's timestamps); return them."""
    now = now or system_now()  # Rasa stamps its events with the system time
    with sessions() as session:
        pending = list(session.scalars(select(TrackerErasure).order_by(TrackerErasure.id)))
    if not pending:
        return []
    erased = []
    latest = text("SELECT max(timestamp) FROM events WHERE sender_id = :s")
    engine = tracker_engine(tracker_url)
    if not inspect(engine).has_table("events"):  # nothing was ever stored
        erased = [request.sender_id for request in pending]
    else:
        with engine.begin() as connection:
            for request in pending:
                last = connection.execute(latest, {"s": request.sender_id}).scalar()
                if last is not None and float(last) > (now - idle).timestamp():
                    continue  # still going on: next run
                if request.scrub is None:
                    anonymise_conversation(connection, request.sender_id)
                else:
                    scrub_conversation(connection, request.sender_id, request.scrub)
                erased.append(request.sender_id)
    with sessions.begin() as session:
        for request in pending:
            if request.sender_id in erased:
                session.delete(session.get_one(TrackerErasure, request.id))
    return erased
