"""Workspace accounts on both databases: argon2 hashes, sessions that expire or end with the
account, throttling that resets on success, and the CLI reading the password from stdin."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.storage.accounts import (
    AccountError,
    Throttled,
    create_account,
    session_of,
    set_active,
    sign_in,
    sign_out,
)
from bot.storage.models import Account, WebSession
from tests.conftest import FROZEN_NOW

PASSWORD = "une phrase de passe assez longue"
NOW = FROZEN_NOW  # the tests' clock: why it is fixed, in tests/conftest.py


def test_the_password_is_stored_as_an_argon2_hash(sessions: sessionmaker[Session]) -> None:
    create_account(sessions, "Anne@Qcnum.example", "Anne", "manager", PASSWORD)
    with sessions() as session:
        account = session.scalars(select(Account)).one()
    assert account.email == "anne@qcnum.example"
    assert account.password_hash.startswith("$argon2id$") and PASSWORD not in account.password_hash


def test_accounts_are_checked(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(AccountError, match="12 characters"):
        create_account(sessions, "a@x.ca", "A", "manager", "court")
    with pytest.raises(AccountError, match="--advisor"):
        create_account(sessions, "a@x.ca", "A", "advisor", PASSWORD)
    create_account(sessions, "a@x.ca", "A", "manager", PASSWORD)
    with pytest.raises(AccountError, match="already"):
        create_account(sessions, "A@x.ca", "A", "manager", PASSWORD)


def test_a_session_expires_and_ends_with_sign_out_or_a_disabled_account(
    sessions: sessionmaker[Session],
) -> None:
    create_account(sessions, "a@x.ca", "A", "advisor", PASSWORD, "sophie")
    signed = sign_in(sessions, "a@x.ca", PASSWORD, NOW)
    assert signed is not None
    token, viewer = signed
    assert viewer.advisor_id == "sophie" and not viewer.is_manager
    found = session_of(sessions, token, NOW + timedelta(hours=7))
    assert found is not None and found[0] == viewer and len(found[1]) > 30
    assert session_of(sessions, token, NOW + timedelta(hours=8)) is None  # expired
    assert session_of(sessions, "forged", NOW) is None
    sign_out(sessions, token)
    assert session_of(sessions, token, NOW) is None
    again = sign_in(sessions, "a@x.ca", PASSWORD, NOW)
    assert again is not None
    set_active(sessions, "a@x.ca", False)
    assert session_of(sessions, again[0], NOW) is None
    assert sign_in(sessions, "a@x.ca", PASSWORD, NOW) is None  # disabled: refused
    with sessions() as session:
        assert session.scalars(select(WebSession)).all() == []


def test_throttling_counts_failures_in_a_window(sessions: sessionmaker[Session]) -> None:
    create_account(sessions, "a@x.ca", "A", "manager", PASSWORD)
    for minute in range(4):
        assert sign_in(sessions, "a@x.ca", "faux", NOW + timedelta(minutes=minute)) is None
    assert sign_in(sessions, "a@x.ca", PASSWORD, NOW + timedelta(minutes=5)) is not None
    for minute in range(5):  # the success forgot the earlier failures: five new ones
        assert sign_in(sessions, "a@x.ca", "faux", NOW + timedelta(minutes=6 + minute)) is None
    with pytest.raises(Throttled):
        sign_in(sessions, "a@x.ca", PASSWORD, NOW + timedelta(minutes=12))
    assert sign_in(sessions, "a@x.ca", PASSWORD, NOW + timedelta(minutes=30)) is not None


def test_the_cli_reads_the_password_from_stdin(
    sessions: sessionmaker[Session],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    args = ["accounts", "create", "sophie@qcnum.example", "--name", "Sophie Gagnon"]
    assert main([*args, "--role", "advisor", "--advisor", "sophie"]) == 0
    assert sign_in(sessions, "sophie@qcnum.example", PASSWORD) is not None
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main([*args, "--role", "advisor", "--advisor", "personne"]) == 2
    assert "no advisor 'personne'" in capsys.readouterr().err
    assert main(["accounts", "disable", "sophie@qcnum.example"]) == 0
    assert sign_in(sessions, "sophie@qcnum.example", PASSWORD) is None
