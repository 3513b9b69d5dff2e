"""Password reset links on both databases: only the token's hash is stored, a link works once
and for an hour, for an active account only; the new password ends every session, makes the
account's other links useless, forgets failed sign-ins and leaves a line in the audit log."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.mail import MailSettings
from bot.password_reset import send_reset_link
from bot.storage.accounts import (
    EXPIRED,
    PASSWORD_RESET,
    UNKNOWN,
    USED,
    AccountError,
    ResetRefused,
    check_reset,
    create_account,
    request_reset,
    reset_password,
    session_of,
    set_active,
    sign_in,
)
from bot.storage.models import AuditEntry, LoginAttempt, PasswordReset
from tests.conftest import FROZEN_NOW

PASSWORD = "une phrase de passe assez longue"
NEW_PASSWORD = "un tout nouveau mot de passe"
NOW = FROZEN_NOW  # the tests' clock: why it is fixed, in tests/conftest.py


@pytest.fixture
def account(sessions: sessionmaker[Session]) -> int:
    return create_account(sessions, "sophie@qcnum.example", "Sophie Gagnon", "advisor", PASSWORD,
                          "sophie")  # fmt: skip


def refused(sessions: sessionmaker[Session], token: str, **kw: object) -> str:
    with pytest.raises(ResetRefused) as error:
        check_reset(sessions, token, **kw)  # type: ignore[arg-type]
    return error.value.reason


def test_a_link_is_made_for_an_active_account_only_and_only_its_hash_is_kept(
    sessions: sessionmaker[Session], account: int
) -> None:
    link = request_reset(sessions, " Sophie@QCNUM.example ", NOW)
    assert link is not None and len(link.token) >= 43
    assert (link.name, link.email) == ("Sophie Gagnon", "sophie@qcnum.example")
    assert link.expires_at == NOW + timedelta(hours=1)
    with sessions() as session:
        [row] = session.scalars(select(PasswordReset)).all()
    assert row.account_id == account and row.used_at is None
    assert link.token not in row.token_hash and len(row.token_hash) == 64
    assert request_reset(sessions, "personne@qcnum.example", NOW) is None
    set_active(sessions, "sophie@qcnum.example", False)
    assert request_reset(sessions, "sophie@qcnum.example", NOW) is None
    with sessions() as session:
        assert len(session.scalars(select(PasswordReset)).all()) == 1


def test_a_link_works_for_an_hour(sessions: sessionmaker[Session], account: int) -> None:
    link = request_reset(sessions, "sophie@qcnum.example", NOW)
    assert link is not None
    almost = NOW + timedelta(minutes=59)
    assert check_reset(sessions, link.token, almost) == "sophie@qcnum.example"
    assert refused(sessions, link.token, now=NOW + timedelta(hours=1)) == EXPIRED
    with pytest.raises(ResetRefused) as late:
        reset_password(sessions, link.token, NEW_PASSWORD, NOW + timedelta(hours=2))
    assert late.value.reason == EXPIRED
    assert sign_in(sessions, "sophie@qcnum.example", PASSWORD, NOW) is not None  # unchanged
    assert refused(sessions, "pas-un-jeton", now=NOW) == UNKNOWN
    assert refused(sessions, link.token[:-1], now=NOW) == UNKNOWN


def test_a_new_password_ends_every_session_and_leaves_a_line_in_the_audit_log(
    sessions: sessionmaker[Session], account: int
) -> None:
    signed = [sign_in(sessions, "sophie@qcnum.example", PASSWORD, NOW) for _ in range(2)]
    assert sign_in(sessions, "sophie@qcnum.example", "mauvais", NOW) is None  # a failure
    first = request_reset(sessions, "sophie@qcnum.example", NOW)
    second = request_reset(sessions, "sophie@qcnum.example", NOW + timedelta(minutes=5))
    assert first is not None and second is not None
    later = NOW + timedelta(minutes=10)
    viewer = reset_password(sessions, second.token, NEW_PASSWORD, later)
    assert viewer.account_id == account
    for found in signed:
        assert found is not None and session_of(sessions, found[0], later) is None
    assert sign_in(sessions, "sophie@qcnum.example", PASSWORD, later) is None
    assert sign_in(sessions, "sophie@qcnum.example", NEW_PASSWORD, later) is not None
    assert refused(sessions, second.token, now=later) == USED
    assert refused(sessions, first.token, now=later) == USED  # the older link too
    with pytest.raises(ResetRefused) as again:
        reset_password(sessions, second.token, "encore un autre mot de passe", later)
    assert again.value.reason == USED
    with sessions() as session:
        assert session.scalars(select(LoginAttempt)).all() == []  # the failure forgotten
        [entry] = session.scalars(select(AuditEntry)).all()
        used = session.scalars(select(PasswordReset.used_at)).all()
    assert (entry.account_id, entry.action, entry.lead_id) == (account, PASSWORD_RESET, None)
    assert entry.at == later and used == [later, later]


def test_the_password_rules_of_account_creation_apply_and_keep_the_link(
    sessions: sessionmaker[Session], account: int
) -> None:
    link = request_reset(sessions, "sophie@qcnum.example", NOW)
    assert link is not None
    with pytest.raises(AccountError, match="12 characters"):
        reset_password(sessions, link.token, "court", NOW)
    with pytest.raises(AccountError, match="200 characters"):
        reset_password(sessions, link.token, "x" * 201, NOW)
    with pytest.raises(AccountError, match="12 characters"):
        create_account(sessions, "a@x.ca", "A", "manager", "court")
    assert check_reset(sessions, link.token, NOW) == "sophie@qcnum.example"  # still usable


def test_a_link_of_a_disabled_account_works_no_more(
    sessions: sessionmaker[Session], account: int
) -> None:
    link = request_reset(sessions, "sophie@qcnum.example", NOW)
    assert link is not None
    set_active(sessions, "sophie@qcnum.example", False)
    assert refused(sessions, link.token, now=NOW) == UNKNOWN
    with pytest.raises(ResetRefused):
        reset_password(sessions, link.token, NEW_PASSWORD, NOW)


def test_a_link_used_twice_at_once_works_once(
    sessions: sessionmaker[Session], account: int
) -> None:
    link = request_reset(sessions, "sophie@qcnum.example", NOW)
    assert link is not None
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def use(password: str) -> None:
        start.wait()
        try:
            reset_password(sessions, link.token, password, NOW)
            outcomes.append(password)
        except ResetRefused as error:
            outcomes.append(error.reason)

    threads = [threading.Thread(target=use, args=(f"{NEW_PASSWORD} {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(o == USED for o in outcomes) == [False, True]
    [chosen] = [o for o in outcomes if o != USED]
    assert sign_in(sessions, "sophie@qcnum.example", chosen, NOW) is not None
    with sessions() as session:
        assert len(session.scalars(select(AuditEntry)).all()) == 1


def test_sending_a_link_never_raises_and_logs_no_address(
    sessions: sessionmaker[Session],
    account: int,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    outbox = tmp_path / "outbox"
    mail = MailSettings("100 % NumériQC <noreply@qcnum.example>", outbox=outbox)
    workspace = "https://numeriqc.example/conseillers"
    assert not send_reset_link(sessions, mail, workspace, "personne@qcnum.example", NOW)
    assert not outbox.exists()  # no account: no mail
    assert send_reset_link(sessions, mail, workspace, "sophie@qcnum.example", NOW)
    [kept] = outbox.glob("*.eml")
    body = message_from_bytes(kept.read_bytes(), EmailMessage, policy=default).get_body()
    assert body is not None and f"{workspace}/mot-de-passe/" in str(body.get_content())
    kept.unlink()
    outbox.rmdir()
    outbox.write_text("a file where the outbox folder should be")
    with caplog.at_level(logging.ERROR, logger="bot.password_reset"):
        assert not send_reset_link(sessions, mail, workspace, "sophie@qcnum.example", NOW)
    assert "not sent" in caplog.text and "sophie" not in caplog.text
