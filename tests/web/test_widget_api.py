"""The chat widget's API (`bot/web/api.py`) through Sanic's test client, on SQLite and
PostgreSQL: allowed and refused origins (CORS), the conversation read back from a tracker store
(clicked buttons shown as their titles, the greeting hidden), the greeting never sent into a
form in progress, « Parler à une personne » validated, stored, in the callbacks queue and the
team e-mailed, and the conversation e-mailed to the merchant."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from sanic import Sanic
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, load_settings
from bot.storage import queues
from bot.storage.accounts import create_account
from bot.storage.leads import save_submission
from bot.storage.models import CallbackRequest
from bot.web.app import create_app
from bot.workspace import Viewer
from tests.storage.test_leads import submission

PARTNER = "https://www.sdc-exemple.org"
SENDER = str(uuid.uuid4())
QUESTION = "Merci! Quel est le nom de votre commerce?"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return dataclasses.replace(
        load_settings(),
        database_url=database_url,
        var_dir=tmp_path,
        tracker_db=tmp_path / "tracker.db",
        rasa_port=9,  # nothing listens: a request that reached Rasa would fail
        team_email="equipe@qcnum.example",
        allowed_origins=(PARTNER,),
        smtp_host="",
    )


@pytest.fixture
def app(settings: Settings) -> Sanic:
    return create_app(settings, name=f"widget_{uuid.uuid4().hex[:8]}")


def tracker(settings: Settings, sender: str, events: list[dict[str, Any]]) -> None:
    """A tracker store holding `events` (Rasa's `events` table)."""
    with sqlite3.connect(settings.tracker_db) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, "
            "type_name TEXT, timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
        for at, event in enumerate(events):
            event = {"timestamp": 1_700_000_000 + at, **event}
            db.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                (sender, event["event"], event["timestamp"], json.dumps(event)),
            )


def bot(text: str, *buttons: tuple[str, str]) -> dict[str, Any]:
    return {
        "event": "bot",
        "text": text,
        "data": {"buttons": [{"title": t, "payload": p} for t, p in buttons]},
    }


MID_FORM = [
    {"event": "user", "text": "/greet"},
    bot("Bonjour!", ("Vérifier mon admissibilité", "/request_eligibility")),
    {"event": "user", "text": "/request_eligibility"},
    {"event": "active_loop", "name": "intake_form"},
    bot("Acceptez-vous?", ("J'accepte", "/affirm"), ("Je refuse", "/deny")),
    {"event": "user", "text": "/affirm"},
    bot(QUESTION),
]


def mails(settings: Settings) -> list[EmailMessage]:
    return [
        message_from_bytes(p.read_bytes(), policy=default)
        for p in sorted((settings.var_dir / "outbox").glob("*.eml"))
    ]


def test_other_origins_are_refused_and_allowed_ones_get_cors_headers(app: Sanic) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    _, refused = app.test_client.options(
        "/api/messages", headers={"Origin": "https://ailleurs.example", **preflight}
    )
    assert refused.status == 403 and "access-control-allow-origin" not in refused.headers
    _, refused = app.test_client.post(
        "/api/messages",
        json={"sender": SENDER, "message": "allo"},
        headers={"Origin": "https://ailleurs.example"},
    )
    assert refused.status == 403
    assert refused.json == {"error": "Ce site n'est pas autorisé à ouvrir une conversation."}
    _, allowed = app.test_client.options("/api/contact", headers={"Origin": PARTNER, **preflight})
    assert allowed.status == 204
    assert allowed.headers["access-control-allow-origin"] == PARTNER
    _, read = app.test_client.get(f"/api/conversations/{SENDER}", headers={"Origin": PARTNER})
    assert read.status == 200 and read.headers["access-control-allow-origin"] == PARTNER


def test_history_shows_titles_and_the_greeting_never_enters_a_form(
    app: Sanic, settings: Settings
) -> None:
    tracker(settings, SENDER, MID_FORM)
    _, read = app.test_client.get(f"/api/conversations/{SENDER}")
    assert read.json["form_in_progress"] is True
    assert [(m["from"], m["text"]) for m in read.json["messages"]] == [
        ("bot", "Bonjour!"),
        ("user", "Vérifier mon admissibilité"),
        ("bot", "Acceptez-vous?"),
        ("user", "J'accepte"),
        ("bot", QUESTION),
    ]
    # The greeting, sent by a widget that missed the history, gets the pending question back
    # (Rasa is not even asked: nothing listens on its port here).
    _, greeted = app.test_client.post("/api/messages", json={"sender": SENDER, "message": "/greet"})
    assert greeted.status == 200
    assert greeted.json == {"messages": [{"text": QUESTION, "buttons": []}]}
    tracker(settings, SENDER, [{"event": "active_loop", "name": None}])
    _, read = app.test_client.get(f"/api/conversations/{SENDER}")
    assert read.json["form_in_progress"] is False
    _, greeted = app.test_client.post("/api/messages", json={"sender": SENDER, "message": "/greet"})
    assert greeted.status == 503  # out of the form, the greeting goes to Rasa


def test_a_guessable_conversation_id_cannot_be_read(app: Sanic) -> None:
    _, read = app.test_client.get("/api/conversations/moi")
    assert read.status == 400


def test_a_person_request_is_validated_stored_queued_and_the_team_told(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    _, refused = app.test_client.post(
        "/api/contact",
        json={"sender": SENDER, "name": "J", "email": "pas-un-courriel", "message": ""},
    )
    assert refused.status == 400
    assert set(refused.json["fields"]) == {"consent", "name", "email", "message"}
    _, filed = app.test_client.post(
        "/api/contact",
        json={
            "sender": SENDER,
            "name": "Julie Tremblay",
            "email": "julie@exemple.com",
            "phone": "",
            "message": "Pouvez-vous\nm'appeler?",
            "consent": True,
        },
    )
    assert filed.status == 201
    assert filed.json["message"] == (
        "Merci, Julie Tremblay! Votre demande est transmise à l'équipe de 100 % NumériQC, "
        f"qui vous répondra par courriel d'ici {settings.first_contact_days} jours."
    )
    with sessions() as session:
        stored = session.scalars(select(CallbackRequest)).one()
        assert (stored.conversation_id, stored.name, stored.email, stored.phone) == (
            SENDER, "Julie Tremblay", "julie@exemple.com", None,
        )  # fmt: skip
        assert stored.wish == "Pouvez-vous m'appeler?" and stored.lead_id is None
    account = create_account(sessions, "gestion@qcnum.example", "Gestion", "manager", "x" * 16)
    manager = Viewer(account, "Gestion", "gestion@qcnum.example", "manager", None)
    [line] = queues.open_callbacks(sessions, manager).lines
    assert (line.name, line.email, line.lead_id) == ("Julie Tremblay", "julie@exemple.com", None)
    assert queues.mark_callback_done(sessions, manager, line.callback_id) is None
    [team] = mails(settings)
    assert team["To"] == "equipe@qcnum.example"
    body = team.get_body().get_content()  # type: ignore[union-attr]
    assert "/conseillers/files#rappels" in body and "julie" not in body.lower()


def test_the_conversation_is_emailed_to_the_merchant(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    """To the address given in its intake (any other proves itself first:
    tests/web/test_abuse_limits.py)."""
    save_submission(sessions, submission(conversation_id=SENDER, email="julie@exemple.com"))
    _, empty = app.test_client.post(
        "/api/transcript", json={"sender": SENDER, "email": "julie@exemple.com"}
    )
    assert empty.status == 404
    tracker(settings, SENDER, MID_FORM)
    _, bad = app.test_client.post("/api/transcript", json={"sender": SENDER, "email": "julie"})
    assert bad.status == 400 and "email" in bad.json["fields"]
    _, sent = app.test_client.post(
        "/api/transcript", json={"sender": SENDER, "email": "julie@exemple.com"}
    )
    assert sent.status == 200 and sent.json == {"message": "C'est envoyé à julie@exemple.com."}
    [mail] = mails(settings)
    assert mail["To"] == "julie@exemple.com"
    body = mail.get_body().get_content()  # type: ignore[union-attr]
    assert "Assistant : Acceptez-vous?" in body and "[J'accepte | Je refuse]" in body
    assert "Vous : J'accepte" in body and "/greet" not in body  # as the merchant saw it
