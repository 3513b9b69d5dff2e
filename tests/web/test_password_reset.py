"""« Mot de passe oublié? » through Sanic's test client, on SQLite and PostgreSQL, the e-mail
received by a real SMTP server (aiosmtpd): the request always gets the same answer, the active
account gets a French e-mail with a link, the link opens the new-password form, the new
password works and the old one no more, every session of the account ends, the journal keeps
a line; a wrong, used or expired link gets a clear French page; CSRF; limits per address and
per client."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sanic import Sanic
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, load_settings
from bot.storage.accounts import set_active
from bot.storage.models import PasswordReset
from bot.web.app import create_app
from bot.web.workspace.auth import public
from tests.conftest import FROZEN_NOW, free_port
from tests.unit.test_mail import Inbox
from tests.web.test_workspace import PASSWORD, Browser, app, signed_in

__all__ = ["app"]
NOW = FROZEN_NOW  # the tests' clock: why it is fixed, in tests/conftest.py
WORKSPACE = "https://numeriqc.example/conseillers"
NEW_PASSWORD = "trois mots pour se souvenir"
FORGOT = "/conseillers/mot-de-passe-oublie"
NEUTRAL = "Si un compte actif utilise cette adresse, nous venons d'y envoyer un lien"
_apps = iter(range(10**6))


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp_port: int) -> Settings:
    """The web app on the test database and the tests' clock, its mail to the SMTP server."""
    return dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path, tracker_db=tmp_path / "t.db",
        frozen_clock=NOW, smtp_host="127.0.0.1", smtp_port=smtp_port,
        workspace_url="https://numeriqc.example",
    )  # fmt: skip


def mails(inbox: Inbox, count: int) -> list[EmailMessage]:
    """The mails received once there are `count` (sent after the answer: they take a moment)."""
    deadline = time.monotonic() + 10
    while len(inbox.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(inbox.received) == count, [m["To"] for m in inbox.received]
    return list(inbox.received)


def text_of(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def link_in(mail: EmailMessage) -> str:
    """The path of the reset link in `mail`, on the workspace's address."""
    found = re.search(rf"{re.escape(WORKSPACE)}(/mot-de-passe/[\w-]+)", text_of(mail))
    assert found, text_of(mail)
    return f"/conseillers{found.group(1)}"


def form_token(browser: Browser, url: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', browser.get(url).text)
    assert found, f"no form token in {url}"
    return found.group(1)


def ask(browser: Browser, email: str) -> Any:
    """« Mot de passe oublié? » for `email`, as the form posts it."""
    token = form_token(browser, FORGOT)
    return browser.request("post", FORGOT, data={"csrf": token, "courriel": email})


def choose(browser: Browser, link: str, password: str, again: str | None = None) -> Any:
    token = form_token(browser, link)
    form = {"csrf": token, "mot_de_passe": password, "confirmation": again or password}
    return browser.request("post", link, data=form)


def main_of(page: str) -> str:
    return page.split('<main id="contenu">')[1].split("</main>")[0]


def test_a_forgotten_password_is_replaced_through_the_e_mailed_link(
    app: Sanic, inbox: Inbox
) -> None:
    elsewhere = signed_in(app, "sophie@qcnum.example")  # another browser, signed in before
    browser = Browser(app)
    sign_in_page = browser.get("/conseillers/connexion").text
    assert f'<a href="{FORGOT}">Mot de passe oublié?</a>' in sign_in_page
    form = browser.get(FORGOT)
    assert form.status == 200 and "Indiquez le courriel de votre compte" in form.text
    answer = ask(browser, "Sophie@QCNUM.example")
    assert answer.status == 200 and NEUTRAL in answer.text

    [mail] = mails(inbox, 1)
    assert mail["To"] == "sophie@qcnum.example" and mail["Content-Language"] == "fr-CA"
    assert mail["Subject"].startswith("Choisir un nouveau mot de passe")
    body = text_of(mail)
    assert body.startswith("Bonjour Sophie,")
    assert "Ouvrez ce lien" in body and "Ignorez ce courriel" in body
    assert "expire le lundi 23 novembre à 11 h" in body
    link = link_in(mail)

    page = browser.get(link)
    assert page.status == 200 and "Nouveau mot de passe" in page.text
    assert "sophie@qcnum.example" in page.text
    different = choose(browser, link, NEW_PASSWORD, "autre chose encore ici")
    assert different.status == 400 and "pas identiques" in different.text
    short = choose(browser, link, "court")
    assert short.status == 400 and "au moins 12 caractères" in short.text
    done = choose(browser, link, NEW_PASSWORD)
    assert done.status == 303
    assert done.headers["location"] == "/conseillers/connexion?mot_de_passe=change"
    notice = browser.get("/conseillers/connexion?mot_de_passe=change").text
    assert "Votre mot de passe est changé" in notice

    assert elsewhere.get("/conseillers/").status == 302  # its session ended
    assert browser.sign_in("sophie@qcnum.example", PASSWORD).status == 401
    assert browser.sign_in("sophie@qcnum.example", NEW_PASSWORD).status == 302
    assert browser.get("/conseillers/").status == 200
    journal = signed_in(app, "gestion@qcnum.example").get("/conseillers/journal").text
    assert "mot de passe réinitialisé" in journal and "Sophie" in journal


def test_every_address_gets_the_same_answer_and_only_an_active_account_a_mail(
    app: Sanic, inbox: Inbox, sessions: sessionmaker[Session]
) -> None:
    set_active(sessions, "marc@qcnum.example", False)
    answers = [
        ask(Browser(app), email)
        for email in ("personne@qcnum.example", "marc@qcnum.example", "sophie@qcnum.example")
    ]
    assert {a.status for a in answers} == {200}
    pages = {re.sub(r'value="[^"]+"', "", main_of(a.text)) for a in answers}
    assert len(pages) == 1 and NEUTRAL in pages.pop()
    [mail] = mails(inbox, 1)
    assert mail["To"] == "sophie@qcnum.example"
    time.sleep(0.5)  # nothing else arrives
    assert len(inbox.received) == 1
    with sessions() as session:
        assert len(session.scalars(select(PasswordReset)).all()) == 1


def test_a_wrong_a_used_or_an_expired_link_says_so_in_french(
    app: Sanic, inbox: Inbox, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    browser = Browser(app)
    wrong = browser.get("/conseillers/mot-de-passe/pas-un-vrai-lien")
    assert wrong.status == 404 and "Ce lien n'est pas valide" in unescape(wrong.text)
    assert "Demander un nouveau lien" in wrong.text  # and the form to ask for one
    assert browser.get(f"/conseillers/mot-de-passe/{'x' * 500}").status == 404

    ask(browser, "sophie@qcnum.example")
    used = link_in(mails(inbox, 1)[0])
    assert choose(browser, used, NEW_PASSWORD).status == 303
    again = browser.get(used)
    assert again.status == 400 and "Ce lien a déjà servi" in again.text
    reused = browser.request("post", used, data={"csrf": form_token(browser, FORGOT),
                             "mot_de_passe": "encore un mot de passe", "confirmation": "encore un mot de passe"})  # fmt: skip
    assert reused.status == 400 and "déjà servi" in reused.text
    assert browser.sign_in("sophie@qcnum.example", NEW_PASSWORD).status == 302

    ask(Browser(app), "marc@qcnum.example")
    expired = link_in(mails(inbox, 2)[1])
    later = create_app(
        dataclasses.replace(settings, frozen_clock=NOW + timedelta(minutes=61)),
        name=f"reset_later_{next(_apps)}",
    )
    late = Browser(later)
    page = late.get(expired)
    assert page.status == 400 and "Ce lien a expiré : il était valide une heure" in page.text
    refused = late.request("post", expired, data={"csrf": form_token(late, FORGOT),
                           "mot_de_passe": NEW_PASSWORD, "confirmation": NEW_PASSWORD})  # fmt: skip
    assert refused.status == 400 and "a expiré" in refused.text
    assert Browser(later).sign_in("marc@qcnum.example", PASSWORD).status == 302  # unchanged


def test_the_reset_forms_need_their_token(app: Sanic, inbox: Inbox) -> None:
    browser = Browser(app)
    no_token = browser.request("post", FORGOT, data={"courriel": "sophie@qcnum.example"})
    assert no_token.status == 403 and "Le formulaire a expiré" in no_token.text
    ask(browser, "sophie@qcnum.example")
    link = link_in(mails(inbox, 1)[0])
    browser.get(link)
    forged = browser.request("post", link, data={"csrf": "faux", "mot_de_passe": NEW_PASSWORD,
                                                 "confirmation": NEW_PASSWORD})  # fmt: skip
    assert forged.status == 403 and "Le formulaire a expiré" in forged.text
    assert browser.sign_in("sophie@qcnum.example", PASSWORD).status == 302  # unchanged
    empty = ask(Browser(app), "   ")
    assert empty.status == 400 and "Indiquez votre courriel" in empty.text


def test_requests_are_limited_per_address_and_per_client(app: Sanic, inbox: Inbox) -> None:
    browser = Browser(app)
    for email in ("sophie@qcnum.example", "personne@qcnum.example"):  # an account or not, alike
        for _ in range(3):
            assert ask(browser, email).status == 200
        limited = ask(browser, email.upper())
        assert limited.status == 429 and "Trop de demandes" in limited.text
    for n in range(4):  # 8 requests counted for this client so far: 10 an hour
        expected = 200 if n < 2 else 429
        assert ask(browser, f"autre-{n}@qcnum.example").status == expected
    assert len(mails(inbox, 3)) == 3  # Sophie's three links, no more


def test_only_the_reset_pages_answer_without_a_session(app: Sanic) -> None:
    assert public("/conseillers/mot-de-passe-oublie") and public("/conseillers/mot-de-passe/abc")
    assert not public("/conseillers/mot-de-passe/abc/pistes")
    assert not public("/conseillers/mot-de-passe-oublie/pistes")
    assert Browser(app).get(FORGOT).status == 200
