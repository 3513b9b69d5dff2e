"""The widget's public API cannot be used to flood anyone: a transcript goes only to an address
the conversation has proven it holds (its intake's, or one that gave back an e-mailed code), and
each request that mails someone is limited per conversation, per target address and per client
address — in this process's memory (embedded) or in the real Redis server shared by every
instance (production), on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import logging
import re
import uuid
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from sanic import Sanic
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, load_settings
from bot.storage.leads import save_submission
from bot.storage.models import CallbackRequest
from bot.web.api import TOO_MANY_CODES, TOO_MANY_CONTACTS, TOO_MANY_TRANSCRIPTS, WRONG_CODE
from bot.web.app import create_app
from tests.storage.test_leads import submission
from tests.web.test_widget_api import MID_FORM, tracker


@pytest.fixture(params=["memory", "redis"])
def settings(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Settings:
    shared = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    return dataclasses.replace(
        load_settings(),
        database_url=database_url,
        var_dir=tmp_path,
        tracker_db=tmp_path / "tracker.db",
        rasa_port=9,
        team_email="",
        smtp_host="",
        redis_url=shared,
    )


def new_app(settings: Settings) -> Sanic:
    return create_app(settings, name=f"limits_{uuid.uuid4().hex[:8]}")


def mails(settings: Settings) -> list[EmailMessage]:
    return [
        message_from_bytes(p.read_bytes(), policy=default)
        for p in sorted(
            (settings.var_dir / "outbox").glob("*.eml"), key=lambda p: p.stat().st_mtime_ns
        )
    ]


def conversation(settings: Settings) -> str:
    sender = str(uuid.uuid4())
    tracker(settings, sender, MID_FORM)
    return sender


def post(app: Sanic, path: str, **body: Any) -> Any:
    _, reply = app.test_client.post(path, json=body, headers=body.pop("headers", {}))
    return reply


def contact(app: Sanic, sender: str, **extra: Any) -> Any:
    return post(
        app, "/api/contact", sender=sender, name="Julie Tremblay", email="julie@exemple.com",
        phone="", message="Rappelez-moi", consent=True, **extra,
    )  # fmt: skip


def test_an_address_not_proven_gets_a_code_first_then_the_conversation(
    settings: Settings,
) -> None:
    app, sender = new_app(settings), conversation(settings)
    asked = post(app, "/api/transcript", sender=sender, email="autre@exemple.com")
    assert asked.status == 202 and asked.json["code_required"] is True
    assert "un code vient d'être envoyé à autre@exemple.com" in asked.json["message"]
    [code_mail] = mails(settings)
    body = code_mail.get_body().get_content()  # type: ignore[union-attr]
    assert code_mail["To"] == "autre@exemple.com" and "Acceptez-vous" not in body
    code = re.search(r"code de confirmation : (\d{6})", body).group(1)  # type: ignore[union-attr]
    wrong = "000000" if code != "000000" else "111111"
    refused = post(app, "/api/transcript", sender=sender, email="autre@exemple.com", code=wrong)
    assert refused.status == 400 and refused.json["error"] == WRONG_CODE
    elsewhere = post(app, "/api/transcript", sender=sender, email="tiers@exemple.com", code=code)
    assert elsewhere.status == 400, "a code proves the address it was sent to only"
    sent = post(app, "/api/transcript", sender=sender, email="autre@exemple.com", code=code)
    assert sent.status == 200 and sent.json == {"message": "C'est envoyé à autre@exemple.com."}
    again = post(app, "/api/transcript", sender=sender, email="AUTRE@exemple.com")
    assert again.status == 200, "proven for the day"
    bodies = [m.get_body().get_content() for m in mails(settings)]  # type: ignore[union-attr]
    assert len(bodies) == 3 and all("Acceptez-vous" in b for b in bodies[1:])
    third = post(app, "/api/transcript", sender=sender, email="autre@exemple.com")
    assert third.status == 200
    fourth = post(app, "/api/transcript", sender=sender, email="autre@exemple.com")
    assert fourth.status == 429 and fourth.json["error"] == TOO_MANY_TRANSCRIPTS
    assert len(mails(settings)) == 4


def test_the_address_of_the_conversations_intake_gets_it_at_once(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    app, sender = new_app(settings), conversation(settings)
    save_submission(sessions, submission(conversation_id=sender, email="marie@exemple.com"))
    sent = post(app, "/api/transcript", sender=sender, email="Marie@Exemple.com")
    assert sent.status == 200
    [mail] = mails(settings)
    assert mail["To"].lower() == "marie@exemple.com"


def test_twenty_outside_addresses_in_a_row_are_not_a_relay(settings: Settings) -> None:
    """The issue's attack: one conversation asks for itself at 20 addresses."""
    app, sender = new_app(settings), conversation(settings)
    replies = [
        post(app, "/api/transcript", sender=sender, email=f"cible{i}@ailleurs.example")
        for i in range(20)
    ]
    assert [r.status for r in replies] == [202] * 3 + [429] * 17
    assert replies[-1].json["error"] == TOO_MANY_CODES
    sent = mails(settings)
    assert len(sent) == 3, "three codes, never the conversation"
    assert all("Acceptez-vous" not in m.get_body().get_content() for m in sent)  # type: ignore[union-attr]


def test_the_twenty_first_mail_from_one_client_is_refused_across_conversations(
    settings: Settings,
) -> None:
    app = new_app(settings)
    codes = [
        post(app, "/api/transcript", sender=conversation(settings), email=f"a{i}@exemple.com")
        for i in range(21)
    ]
    assert [r.status for r in codes] == [202] * 20 + [429]
    assert len(mails(settings)) == 20


def test_callback_requests_are_limited_per_conversation_and_per_client(
    settings: Settings, sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    app, sender = new_app(settings), conversation(settings)
    same = [contact(app, sender) for _ in range(4)]
    assert [r.status for r in same] == [201, 201, 201, 429]
    assert same[-1].json["error"] == TOO_MANY_CONTACTS
    others = [contact(app, str(uuid.uuid4())) for _ in range(18)]
    assert [r.status for r in others] == [201] * 17 + [429]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(CallbackRequest)) == 20
    assert "abuse limit contacts_per_conversation reached" in caplog.text
    assert "abuse limit mails_per_client reached" in caplog.text
    assert "julie" not in caplog.text.lower() and sender not in caplog.text


def test_behind_nginx_each_client_address_counts_apart_and_cannot_be_spoofed_directly(
    settings: Settings,
) -> None:
    direct = new_app(settings)  # not behind a proxy: X-Forwarded-For is the caller's word
    spoofed = [
        contact(direct, str(uuid.uuid4()), headers={"X-Forwarded-For": f"203.0.113.{i}"})
        for i in range(21)
    ]
    assert spoofed[-1].status == 429
    proxied = new_app(dataclasses.replace(settings, behind_proxy=True))
    seen = [
        contact(proxied, str(uuid.uuid4()), headers={"X-Forwarded-For": f"198.51.100.{i}"})
        for i in range(21)
    ]
    assert all(r.status == 201 for r in seen), "21 clients, one request each"


def test_two_instances_share_the_limits_in_redis(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    settings = dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path,
        tracker_db=tmp_path / "tracker.db", rasa_port=9, team_email="", smtp_host="",
        redis_url=redis_url,
    )  # fmt: skip
    first, second = new_app(settings), new_app(settings)
    replies = [contact((first, second)[i % 2], str(uuid.uuid4())) for i in range(21)]
    assert [r.status for r in replies] == [201] * 20 + [429]


def test_redis_unreachable_lets_requests_through_and_says_so(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path,
        tracker_db=tmp_path / "tracker.db", rasa_port=9, team_email="", smtp_host="",
        redis_url="redis://127.0.0.1:1/0",
    )  # fmt: skip
    with caplog.at_level(logging.ERROR):
        assert contact(new_app(settings), str(uuid.uuid4())).status == 201
    assert "abuse limits unavailable (ConnectionError): request let through" in caplog.text
