"""Accounts of the program team, their browser sessions, sign-in throttling and password resets.

Passwords are hashed with argon2 (argon2-cffi's defaults); a session cookie holds a random token
whose SHA-256 hash only is stored, with its CSRF token and expiry. A password reset link holds
another random token, stored the same way, valid `RESET_LIFETIME` and once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import (
    Account,
    AuditEntry,
    LoginAttempt,
    PasswordReset,
    WebSession,
    as_utc,
    now_of,
)
from bot.text import one_line
from bot.workspace import (
    ADVISOR,
    RESET_LIFETIME,
    ROLES,
    SESSION_LIFETIME,
    THROTTLE_FAILURES,
    THROTTLE_WINDOW,
    Viewer,
)

_hasher = PasswordHasher()
MIN_PASSWORD = 12
MAX_PASSWORD = 200  # the sign-in form's field takes no more
MAX_EMAIL = 254
# The audit log's line for a password chosen through a reset link.
PASSWORD_RESET = "mot de passe réinitialisé"


class AccountError(ValueError):
    """An account cannot be created or changed (`str()` says why)."""


class Throttled(Exception):
    """Too many failed sign-ins for this address: wait for the window to pass."""


def as_viewer(account: Account) -> Viewer:
    """The account as the workspace's rules see it."""
    return Viewer(
        account.id, account.name, account.email, account.role, account.advisor_id,
        bool(account.missed_inbox),
    )  # fmt: skip


def check_password(password: str) -> None:
    """The rules of a new password, at creation and at a reset (AccountError says which)."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password may have at most {MAX_PASSWORD} characters")


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
    check_password(password)
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
    email = _normal(email)[:MAX_EMAIL]
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
        return token, as_viewer(account)


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
        return as_viewer(row.account), row.csrf_token


def sign_out(sessions: sessionmaker[Session], token: str | None) -> None:
    if token:
        with sessions.begin() as session:
            session.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))


@dataclass(frozen=True)
class ResetLink:
    """A new password reset link: its token (for the e-mail only: the table keeps its hash),
    whom it is for and until when it works."""

    token: str
    name: str
    email: str
    expires_at: datetime


# Why a reset link cannot be used.
UNKNOWN, EXPIRED, USED = "unknown", "expired", "used"


class ResetRefused(Exception):
    """The reset link cannot be used: `reason` is UNKNOWN (no such link, or its account was
    disabled), EXPIRED or USED (this link or a later one already changed the password)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def request_reset(
    sessions: sessionmaker[Session], email: str, now: datetime | None = None
) -> ResetLink | None:
    """A new single-use link valid `RESET_LIFETIME` for the active account of `email`; None for
    an unknown or disabled address (the caller answers the same either way)."""
    now = now or now_of(sessions)
    with sessions.begin() as session:
        account = session.scalar(select(Account).where(Account.email == _normal(email)[:MAX_EMAIL]))
        if account is None or not account.active:
            return None
        token = secrets.token_urlsafe(32)
        expires_at = now + RESET_LIFETIME
        session.add(PasswordReset(token_hash=_digest(token), account_id=account.id,
                                  created_at=now, expires_at=expires_at))  # fmt: skip
        return ResetLink(token, account.name, account.email, expires_at)


def _usable_reset(session: Session, token: str, now: datetime) -> PasswordReset:
    row = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _digest(token)))
    if row is None or not row.account.active:
        raise ResetRefused(UNKNOWN)
    if row.used_at is not None:
        raise ResetRefused(USED)
    if as_utc(row.expires_at) <= now:
        raise ResetRefused(EXPIRED)
    return row


def check_reset(sessions: sessionmaker[Session], token: str, now: datetime | None = None) -> str:
    """The address of the account the reset link `token` is for, if it can still be used;
    else raise ResetRefused. Uses nothing up."""
    with sessions() as session:
        return _usable_reset(session, token, now or now_of(sessions)).account.email


def reset_password(
    sessions: sessionmaker[Session], token: str, password: str, now: datetime | None = None
) -> Viewer:
    """Choose a new password through the reset link `token`, once: the account's other links
    stop working too, every web session of the account ends, its failed sign-ins are forgotten
    and the audit log keeps a line. Raise ResetRefused, or AccountError for a password against
    the rules (`check_password`)."""
    check_password(password)
    now = now or now_of(sessions)
    with sessions.begin() as session:
        row = _usable_reset(session, token, now)
        # Claimed by one conditional update: of two uses at once, one finds it taken.
        claimed = session.execute(
            update(PasswordReset)
            .where(PasswordReset.id == row.id, PasswordReset.used_at.is_(None))
            .values(used_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise ResetRefused(USED)
        account = row.account
        account.password_hash = _hasher.hash(password)
        session.execute(
            update(PasswordReset)
            .where(PasswordReset.account_id == account.id, PasswordReset.used_at.is_(None))
            .values(used_at=now)
        )
        session.execute(delete(WebSession).where(WebSession.account_id == account.id))
        session.execute(delete(LoginAttempt).where(LoginAttempt.email == account.email))
        session.add(AuditEntry(account_id=account.id, action=PASSWORD_RESET,
                               detail="par un lien envoyé par courriel", at=now))  # fmt: skip
        return as_viewer(account)
