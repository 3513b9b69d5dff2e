"""One-time codes that confirm a merchant's identity in the chat before a rights request: six
digits e-mailed to the address on file, kept only as a hash, valid `LIFETIME`, `MAX_TRIES`
wrong tries, used once; at most `MAX_CODES` codes a conversation an hour (no guessing by asking
again) and `MAX_CODES_PER_LEAD` an address an hour. A used code authorises the conversation's request for `AUTHORISED_FOR`."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.storage import lead_conversations
from bot.storage.lead_conversations import RIGHTS
from bot.storage.models import PrivacyCode, as_utc

LIFETIME = timedelta(minutes=10)
MAX_TRIES = 5
MAX_CODES = 3
MAX_CODES_PER_LEAD = 5  # an hour, whatever the conversations: no flood of a merchant's inbox
AUTHORISED_FOR = timedelta(minutes=15)
DIGITS = 6


class Check(Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"  # too many wrong tries: the code is spent
    NONE = "none"  # no code waiting (never sent, or already used: a replay)


@dataclass(frozen=True)
class Result:
    check: Check
    lead_id: int | None = None
    tries_left: int = 0


def _hash(conversation_id: str, code: str) -> str:
    return hashlib.sha256(f"{conversation_id}:{code}".encode()).hexdigest()


class TooManyCodes(Exception):
    """Too many codes within the hour, for the conversation or for the lead."""


def issue(
    sessions: sessionmaker[Session], conversation_id: str, lead_id: int, now: datetime
) -> str:
    """A new code for the conversation (its earlier waiting codes are void); return it."""
    code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
    now = as_utc(now)
    with sessions.begin() as session:
        hour = PrivacyCode.created_at > now - timedelta(hours=1)
        here = select(func.count()).where(hour, PrivacyCode.conversation_id == conversation_id)
        for_lead = select(func.count()).where(hour, PrivacyCode.lead_id == lead_id)
        if (session.scalar(here) or 0) >= MAX_CODES or (
            session.scalar(for_lead) or 0
        ) >= MAX_CODES_PER_LEAD:
            raise TooManyCodes(conversation_id)
        for waiting in session.scalars(
            select(PrivacyCode).where(
                PrivacyCode.conversation_id == conversation_id, PrivacyCode.used_at.is_(None)
            )
        ):
            waiting.attempts = MAX_TRIES
        session.add(
            PrivacyCode(
                conversation_id=conversation_id, lead_id=lead_id,
                code_hash=_hash(conversation_id, code), created_at=now,
                expires_at=now + LIFETIME, attempts=0,
            )
        )  # fmt: skip
    return code


def check(
    sessions: sessionmaker[Session], conversation_id: str, typed: str, now: datetime
) -> Result:
    """Check the code typed in the conversation against its latest code."""
    now = as_utc(now)
    with sessions.begin() as session:
        row = session.scalar(
            select(PrivacyCode)
            .where(PrivacyCode.conversation_id == conversation_id, PrivacyCode.used_at.is_(None))
            .order_by(PrivacyCode.id.desc())
            .limit(1)
            .with_for_update()
        )
        if row is None:
            return Result(Check.NONE)
        if row.attempts >= MAX_TRIES:
            return Result(Check.LOCKED)
        if as_utc(row.expires_at) <= now:
            return Result(Check.EXPIRED)
        digits = "".join(c for c in typed if c.isdigit())
        if not hmac.compare_digest(row.code_hash, _hash(conversation_id, digits)):
            row.attempts += 1
            left = MAX_TRIES - row.attempts
            return Result(Check.WRONG, tries_left=left) if left else Result(Check.LOCKED)
        row.used_at = now
        lead_conversations.link(session, row.lead_id, conversation_id, RIGHTS)
        return Result(Check.OK, row.lead_id)


def authorised_lead(
    sessions: sessionmaker[Session], conversation_id: str, now: datetime
) -> int | None:
    """The lead whose code this conversation used within `AUTHORISED_FOR`, if any."""
    now = as_utc(now)
    with sessions() as session:
        return session.scalar(
            select(PrivacyCode.lead_id)
            .where(
                PrivacyCode.conversation_id == conversation_id,
                PrivacyCode.used_at > now - AUTHORISED_FOR,
                PrivacyCode.attempts < MAX_TRIES,
            )
            .order_by(PrivacyCode.id.desc())
            .limit(1)
        )


def last_lead(sessions: sessionmaker[Session], conversation_id: str) -> int | None:
    """The lead the conversation's latest code was sent for (to send a new one)."""
    with sessions() as session:
        return session.scalar(
            select(PrivacyCode.lead_id)
            .where(PrivacyCode.conversation_id == conversation_id)
            .order_by(PrivacyCode.id.desc())
            .limit(1)
        )


def revoke(sessions: sessionmaker[Session], conversation_id: str) -> None:
    """Spend the conversation's codes (its request is done or stopped): none is accepted nor
    authorises anything any more; the rows stay a day for the hourly limit."""
    with sessions.begin() as session:
        session.execute(
            update(PrivacyCode)
            .where(PrivacyCode.conversation_id == conversation_id)
            .values(attempts=MAX_TRIES)
        )


def forget_expired(sessions: sessionmaker[Session], now: datetime) -> int:
    """Delete the codes older than a day (the scheduled job)."""
    now = as_utc(now)
    with sessions.begin() as session:
        result = session.execute(
            delete(PrivacyCode).where(PrivacyCode.created_at < now - timedelta(days=1))
        )
        return int(getattr(result, "rowcount", 0) or 0)
