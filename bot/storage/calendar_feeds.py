"""Each account's secret calendar feed (« Mon calendrier »): the feed's address holds a random
token, the table only its SHA-256 hash, as for web sessions. One feed per account: a new one
replaces it (the old address answers 404 at once), revoking deletes it. A disabled account's
feed answers 404 too."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.accounts import as_viewer
from bot.storage.models import CalendarFeed, as_utc
from bot.workspace import Viewer

TOKEN_MAX = 100  # ours have 43 characters


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed(sessions: sessionmaker[Session], account_id: int) -> str:
    """A new feed token for the account (shown once: only its hash is kept), replacing its
    feed if it had one."""
    token = secrets.token_urlsafe(32)
    with sessions.begin() as session:
        session.execute(delete(CalendarFeed).where(CalendarFeed.account_id == account_id))
        session.add(CalendarFeed(account_id=account_id, token_hash=_digest(token)))
    return token


def revoke_feed(sessions: sessionmaker[Session], account_id: int) -> None:
    """The account's feed stops working (its address answers 404)."""
    with sessions.begin() as session:
        session.execute(delete(CalendarFeed).where(CalendarFeed.account_id == account_id))


def feed_created(sessions: sessionmaker[Session], account_id: int) -> datetime | None:
    """When the account's current feed was made (None: it has none)."""
    with sessions() as session:
        created = session.scalar(
            select(CalendarFeed.created_at).where(CalendarFeed.account_id == account_id)
        )
    return as_utc(created) if created else None


def feed_owner(sessions: sessionmaker[Session], token: str) -> Viewer | None:
    """The active account whose feed `token` opens; None for any other token."""
    if not token or len(token) > TOKEN_MAX:
        return None
    with sessions() as session:
        row = session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _digest(token)))
        if row is None or not row.account.active:
            return None
        return as_viewer(row.account)
