"""Accounts of the program team, their browser sessions and sign-in throttling.

Passwords are hashed with argon2 (argon2-cffi's defaults); a session cookie holds a random token
whose SHA-256 hash only is stored, with its CSRF token and expiry.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import Account, LoginAttempt, WebSession, as_utc, now_of
from bot.text import one_line
from bot.workspace import (
    ADVISOR,
    ROLES,
    SESSION_LIFETIME,
    THROTTLE_FAILURES,
    THROTTLE_WINDOW,
    Viewer,
)

_hasher = PasswordHasher()
MIN_PASSWORD = 12


class AccountError(ValueError):
    """An account cannot be created or changed (`str()` says why)."""


class Throttled(Exception):
    """Too many failed sign-ins for this address: wait for the window to pass."""


def _viewer(account: Account) -> Viewer:
    return Viewer(account.id, account.name, account.email, account.role, account.advisor_id)


def _normal(email: str) -> str:
    return one_line(email).lower()


def create_account(
    sessions: sessionmaker[Session],
    email: str,
    name: str,
    role: str,
    password: str,
    advisor_id: str | None = None,
) -> int:
    """Create an active account; return its id."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if role == ADVISOR and not advisor_id:
        raise AccountError("an advisor account needs --advisor (an id of config/advisors.yml)")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    with sessions.begin() as session:
        if session.scalar(select(Account.id).where(Account.email == _normal(email))):
            raise AccountError(f"an account already uses {email}")
        account = Account(
            email=_normal(email),
            name=one_line(name)[:120],
            role=role,
            advisor_id=advisor_id,
            password_hash=_hasher.hash(password),
            active=True,
        )
        session.add(account)
        session.flush()
        return account.id


def set_active(sessions: sessionmaker[Session], email: str, active: bool) -> None:
    """Enable or disable an account; disabling also ends its sessions."""
    with sessions.begin() as session:
        account = session.scalar(select(Account).where(Account.email == _normal(email)))
        if account is None:
            raise AccountError(f"no account for {email}")
        account.active = active
        if not active:
            session.execute(delete(WebSession).where(WebSession.account_id == account.id))


def _failures(session: Session, email: str, now: datetime) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                LoginAttempt.email == email, LoginAttempt.at > now - THROTTLE_WINDOW
            )
        )
        or 0
    )


def sign_in(
    sessions: sessionmaker[Session], email: str, password: str, now: datetime | None = None
) -> tuple[str, Viewer] | None:
    """A new session token for the right password of an active account, else None; raise
    Throttled after too many failures (even with the right password, until the window ends)."""
    now = now or now_of(sessions)
    email = _normal(email)[:254]
    with sessions.begin() as session:
        if _failures(session, email, now) >= THROTTLE_FAILURES:
            raise Throttled(email)
        account = session.scalar(select(Account).where(Account.email == email))
        try:
            valid = account is not None and _hasher.verify(account.password_hash, password)
        except (VerificationError, InvalidHashError):
            valid = False
        if account is None or not valid or not account.active:
            session.add(LoginAttempt(email=email, at=now))
            return None
        token = secrets.token_urlsafe(32)
        session.add(
            WebSession(
                token_hash=_digest(token),
                account_id=account.id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
        session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
        return token, _viewer(account)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_of(
    sessions: sessionmaker[Session], token: str | None, now: datetime | None = None
) -> tuple[Viewer, str] | None:
    """The signed-in team member and the session's CSRF token, or None (unknown, expired,
    or a disabled account)."""
    if not token:
        return None
    now = now or now_of(sessions)
    with sessions() as session:
        row = session.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
        if row is None or as_utc(row.expires_at) <= now or not row.account.active:
            return None
        return _viewer(row.account), row.csrf_token


def sign_out(sessions: sessionmaker[Session], token: str | None) -> None:
    if token:
        with sessions.begin() as session:
            session.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))
