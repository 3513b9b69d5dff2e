"""« Écrire au commerçant » through Sanic's test client, on SQLite and PostgreSQL, the e-mail
received by a real SMTP server (aiosmtpd): the form starts with a subject and a greeting signed
by the writer; the mail goes to the lead's contact from the program's sender, replies to the
team's address (else the writer's), and is kept in the lead's history (who, when, subject,
message); an SMTP server down puts it in the retry queue; refused when empty, on an erased lead,
on another advisor's lead, without the form's token, and past the hourly limit."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sanic import Sanic
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import throttle
from bot.settings import Settings, load_settings
from bot.storage.models import Lead, LeadEvent, QueuedMail
from bot.web.app import create_app
from tests.conftest import FROZEN_NOW, free_port
from tests.unit.test_mail import Inbox
from tests.web.test_password_reset import mails, text_of
from tests.web.test_workspace import app, lead, signed_in

__all__ = ["app"]
TEAM = "equipe@qcnum.example"
SOPHIE, MARC, MANAGER = "sophie@qcnum.example", "marc@qcnum.example", "gestion@qcnum.example"
MESSAGE = (
    "Bonjour Marie Tremblay,\n\nMerci pour votre appel. Pouvez-vous m'envoyer votre menu?\n\n"
    "Sophie\n100 % NumériQC"
)


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp(smtp_port: int) -> Iterator[Controller]:
    controller = Controller(Inbox(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def inbox(smtp: Controller) -> Inbox:
    handler: Inbox = smtp.handler
    return handler


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp_port: int) -> Settings:
    """The web app on the test database and the tests' clock, its mail to the SMTP server."""
    return dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path, tracker_db=tmp_path / "t.db",
        frozen_clock=FROZEN_NOW, smtp_host="127.0.0.1", smtp_port=smtp_port, team_email=TEAM,
        mail_sender="100 % NumériQC <noreply@qcnum.example>",
    )  # fmt: skip


def write(browser: Any, lead_id: int, subject: str, message: str) -> Any:
    return browser.post(f"/conseillers/pistes/{lead_id}/courriel",
                        {"objet": subject, "message": message})  # fmt: skip


def history(sessions: sessionmaker[Session], lead_id: int) -> list[tuple[str, str | None]]:
    with sessions() as session:
        return [
            (event.kind, event.note)
            for event in session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead_id))
        ]


def contact_of(sessions: sessionmaker[Session], lead_id: int) -> str:
    with sessions() as session:
        return session.get_one(Lead, lead_id).contact.email


def test_the_mail_is_received_replies_go_to_the_team_and_it_stays_in_the_history(
    app: Sanic, sessions: sessionmaker[Session], inbox: Inbox
) -> None:
    lead_id = lead(sessions, "Café Saint-Roch", "sophie")
    to = contact_of(sessions, lead_id)
    sophie = signed_in(app, SOPHIE)
    page = html.unescape(sophie.get(f"/conseillers/pistes/{lead_id}").text)
    assert 'value="Votre demande au programme 100 % NumériQC"' in page
    assert re.search(r"Bonjour Marie Tremblay,\s+Sophie\s+100 % NumériQC</textarea>", page)
    assert f"les réponses arrivent à {TEAM}" in page
    reply = write(sophie, lead_id, "Votre menu pour le site", MESSAGE)
    assert reply.status == 303
    assert reply.headers["location"] == f"/conseillers/pistes/{lead_id}?fait=courriel#ecrire"
    [mail] = mails(inbox, 1)
    assert isinstance(mail, EmailMessage)
    assert (mail["To"], mail["Reply-To"], mail["Subject"]) == (
        to, TEAM, "Votre menu pour le site")  # fmt: skip
    assert mail["From"] == "100 % NumériQC <noreply@qcnum.example>"
    assert mail["Content-Language"] == "fr-CA"
    body = text_of(mail)
    assert body.startswith(MESSAGE)
    assert "Pour nous répondre, répondez simplement à ce courriel." in body
    page = html.unescape(sophie.get(reply.headers["location"]).text)
    assert "Courriel envoyé au commerçant : il est noté dans l'historique." in page
    [(kind, note)] = history(sessions, lead_id)
    assert kind == "courriel"
    assert note == f"Courriel envoyé à {to}\nObjet : Votre menu pour le site\n\n{MESSAGE}"
    assert "Sophie :" in page and "Objet : Votre menu pour le site" in page  # who, what
    assert "Pouvez-vous m'envoyer votre menu?" in page


def test_without_a_team_address_replies_go_to_the_writer(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session], inbox: Inbox
) -> None:
    alone = create_app(dataclasses.replace(settings, team_email=""), name="mail_without_team")
    lead_id = lead(sessions, "Boutique", None)
    manager = signed_in(alone, MANAGER)
    assert write(manager, lead_id, "Suivi", "Bonjour,\n\nUn mot.").status == 303
    [mail] = mails(inbox, 1)
    assert mail["Reply-To"] == MANAGER


def test_an_smtp_server_down_puts_the_mail_in_the_retry_queue(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    """No `inbox` here: nothing listens on the SMTP port."""
    lead_id = lead(sessions, "Boutique", "sophie")
    assert write(signed_in(app, SOPHIE), lead_id, "Suivi", "Bonjour,\n\nUn mot.").status == 303
    with sessions() as session:
        [queued] = session.scalars(select(QueuedMail)).all()
    assert b"Subject: Suivi" in queued.raw and queued.attempts == 1
    assert [kind for kind, _ in history(sessions, lead_id)] == ["courriel"]


def test_refused_when_empty_erased_not_yours_without_token_or_too_many(
    app: Sanic, sessions: sessionmaker[Session], inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_id = lead(sessions, "Boutique", "sophie")
    sophie = signed_in(app, SOPHIE)
    starting = "Bonjour Marie Tremblay,\n\n\n\nSophie\n100 % NumériQC"
    unchanged = write(sophie, lead_id, "Suivi", starting)
    assert unchanged.status == 400 and "Écrivez votre message" in html.unescape(unchanged.text)
    assert "Sophie\n100 % NumériQC</textarea>" in html.unescape(unchanged.text)  # kept
    no_subject = write(sophie, lead_id, " ", "Bonjour,\n\nUn mot.")
    assert no_subject.status == 400 and "Indiquez l'objet" in html.unescape(no_subject.text)
    assert write(sophie, lead_id, "x" * 151, "Bonjour").status == 400
    assert write(signed_in(app, MARC), lead_id, "Suivi", "Bonjour").status == 404
    assert sophie.post(f"/conseillers/pistes/{lead_id}/courriel",
                       {"objet": "Suivi", "message": "Bonjour"}, csrf=False).status == 403  # fmt: skip
    monkeypatch.setattr(
        throttle, "MERCHANT_MAILS_PER_ACCOUNT", throttle.Limit("merchant_mails_test", 1, 3600)
    )
    assert write(sophie, lead_id, "Suivi", "Premier mot").status == 303
    too_many = write(sophie, lead_id, "Suivi", "Deuxième mot")
    assert too_many.status == 429 and "Trop de courriels" in too_many.text
    assert "Deuxième mot</textarea>" in too_many.text  # what was typed is kept
    with sessions.begin() as session:
        session.get_one(Lead, lead_id).anonymised_at = FROZEN_NOW
    manager = signed_in(app, MANAGER)
    erased = write(manager, lead_id, "Suivi", "Bonjour")
    assert erased.status == 400 and "effacé" in html.unescape(erased.text)
    assert "Écrire au commerçant" not in manager.get(f"/conseillers/pistes/{lead_id}").text
    assert len(mails(inbox, 1)) == 1
    assert [kind for kind, _ in history(sessions, lead_id)] == ["courriel"]
