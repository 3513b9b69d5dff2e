"""The advisor workspace through Sanic's test client, on SQLite and PostgreSQL: sign-in and
throttling, no page without an account, advisor and manager rights, CSRF, the status workflow
with its history, notes, assignment, the transcript, escaping, and the audit log."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sanic import Sanic
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, load_settings
from bot.storage.accounts import create_account
from bot.storage.leads import ContactInfo, save_submission
from bot.storage.models import AuditEntry, Lead
from bot.web.app import create_app
from tests.conftest import FROZEN_NOW
from tests.storage.test_leads import INTAKE, submission

PASSWORD = "une phrase de passe assez longue"
_names = itertools.count()
PAGES = ["/conseillers/", "/conseillers/pistes/1", "/conseillers/journal"]
FORMS = ["/conseillers/pistes/1/statut", "/conseillers/pistes/1/note", "/conseillers/pistes/1/conseiller",
         "/conseillers/deconnexion"]  # fmt: skip


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The web app on the test database and on the tests' clock (the seeded rows' clock)."""
    return dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path, tracker_db=tmp_path / "t.db",
        frozen_clock=FROZEN_NOW,
    )  # fmt: skip


@pytest.fixture
def app(settings: Settings, sessions: sessionmaker[Session]) -> Sanic:
    for email, role, advisor in [
        ("gestion@qcnum.example", "manager", None),
        ("sophie@qcnum.example", "advisor", "sophie"),
        ("marc@qcnum.example", "advisor", "marc"),
    ]:
        create_account(sessions, email, email.split("@")[0].title(), role, PASSWORD, advisor)
    return create_app(settings, name=f"workspace_test_{next(_names)}")


def lead(sessions: sessionmaker[Session], name: str, advisor: str | None = None, **kw: Any) -> int:
    lead_id = save_submission(
        sessions,
        submission(replace(INTAKE, business_name=name), email=f"{next(_names)}@x.ca", **kw),
    )
    with sessions.begin() as session:
        session.get_one(Lead, lead_id).advisor_id = advisor
    return lead_id


class Browser:
    """One person's cookies against the app's test client."""

    def __init__(self, app: Sanic) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kw: Any) -> Any:
        _, reply = getattr(self.app.test_client, method)(
            url, cookies=self.cookies, allow_redirects=False, **kw
        )
        for name, value in reply.cookies.items():
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return reply

    def get(self, url: str) -> Any:
        return self.request("get", url)

    def post(self, url: str, data: dict[str, str], csrf: bool = True) -> Any:
        token = {"csrf": self.csrf(url)} if csrf else {}
        return self.request("post", url, data={**token, **data})

    def csrf(self, url: str) -> str:
        page = "/conseillers/connexion" if url.endswith("/connexion") else "/conseillers/"
        found = re.search(r'name="csrf" value="([^"]+)"', self.get(page).text)
        assert found, "no CSRF token in the page"
        return found.group(1)

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        return self.post("/conseillers/connexion", {"courriel": email, "mot_de_passe": password})


def signed_in(app: Sanic, email: str) -> Browser:
    browser = Browser(app)
    assert browser.sign_in(email).status == 302
    return browser


def test_no_page_or_form_without_signing_in(app: Sanic) -> None:
    anonymous = Browser(app)
    for url in PAGES:
        reply = anonymous.get(url)
        assert reply.status == 302 and reply.headers["location"].startswith(
            "/conseillers/connexion?suivant="
        ), url
    for url in FORMS:
        assert anonymous.request("post", url, data={"statut": "contacté"}).status == 302, url


def test_signing_in_out_and_back_to_the_page_asked(app: Sanic) -> None:
    browser = Browser(app)
    assert (
        "Courriel ou mot de passe incorrect" in browser.sign_in("sophie@qcnum.example", "non").text
    )
    token = browser.csrf("/conseillers/connexion")
    reply = browser.request("post", "/conseillers/connexion", data={
        "csrf": token, "courriel": "Sophie@QCNUM.example", "mot_de_passe": PASSWORD,
        "suivant": "/conseillers/journal"})  # fmt: skip
    assert reply.status == 302 and reply.headers["location"] == "/conseillers/journal"
    cookie = reply.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/conseillers" in cookie
    assert browser.get("/conseillers/").status == 200
    assert browser.post("/conseillers/deconnexion", {}).status == 302
    assert browser.get("/conseillers/").status == 302


def test_no_redirect_to_another_site_after_signing_in(app: Sanic) -> None:
    browser = Browser(app)
    token = browser.csrf("/conseillers/connexion")
    reply = browser.request("post", "/conseillers/connexion", data={
        "csrf": token, "courriel": "sophie@qcnum.example", "mot_de_passe": PASSWORD,
        "suivant": "//pirate.example/conseillers/"})  # fmt: skip
    assert reply.headers["location"] == "/conseillers/"


def test_five_failures_lock_the_address_for_a_while(app: Sanic) -> None:
    browser = Browser(app)
    for _ in range(5):
        assert browser.sign_in("marc@qcnum.example", "mauvais").status == 401
    locked = browser.sign_in("marc@qcnum.example")  # even the right password
    assert locked.status == 429 and "Trop de tentatives" in locked.text
    assert signed_in(app, "sophie@qcnum.example").get("/conseillers/").status == 200


def test_sign_in_without_the_form_token_is_refused(app: Sanic) -> None:
    reply = Browser(app).request("post", "/conseillers/connexion", data={
        "courriel": "sophie@qcnum.example", "mot_de_passe": PASSWORD})  # fmt: skip
    assert reply.status == 403 and "nq_session" not in reply.cookies


def test_an_advisor_sees_their_leads_and_the_unassigned_ones(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead(sessions, "Boutique de Sophie", "sophie")
    lead(sessions, "Commerce à attribuer")
    marcs = lead(sessions, "Boutique de Marc", "marc")
    sophie = signed_in(app, "sophie@qcnum.example")
    listing = sophie.get("/conseillers/").text
    assert "Boutique de Sophie" in listing and "Commerce à attribuer" in listing
    assert "Boutique de Marc" not in listing
    assert sophie.get(f"/conseillers/pistes/{marcs}").status == 404
    assert sophie.post(f"/conseillers/pistes/{marcs}/note", {"note": "x"}).status == 404
    manager = signed_in(app, "gestion@qcnum.example").get("/conseillers/").text
    assert all(n in manager for n in ("Boutique de Sophie", "Boutique de Marc"))


def test_filters_and_search(app: Sanic, sessions: sessionmaker[Session]) -> None:
    lead(sessions, "Café Limoilou", "marc")
    lead(sessions, "Fleuriste Montcalm")
    manager = signed_in(app, "gestion@qcnum.example")
    assert "Fleuriste" not in manager.get("/conseillers/?recherche=caf").text
    only_marc = manager.get("/conseillers/?conseiller=marc").text
    assert "Café Limoilou" in only_marc and "Fleuriste" not in only_marc
    unassigned = manager.get("/conseillers/?conseiller=-&statut=nouveau").text
    assert "Fleuriste Montcalm" in unassigned and "Café Limoilou" not in unassigned
    assert "Aucune piste" in manager.get("/conseillers/?rencontre=oui").text
    for territory in ("limoilou", "G1L", "g1l 1a"):
        assert "Café Limoilou" in manager.get(f"/conseillers/?territoire={territory}").text
    assert "Aucune piste" in manager.get("/conseillers/?territoire=L%C3%A9vis").text
    assert "Fleuriste" in manager.get("/conseillers/?depuis=2020-01-01").text
    assert "Aucune piste" in manager.get("/conseillers/?depuis=2099-01-01").text
    assert "Fleuriste" in manager.get("/conseillers/?depuis=pas-une-date").text  # ignored
    assert '<details class="more">' in manager.get("/conseillers/?recherche=caf").text
    assert '<details class="more" open>' in unassigned  # the active filters stay in sight


def test_search_ignores_case_and_accents(app: Sanic, sessions: sessionmaker[Session]) -> None:
    helene = ContactInfo("Hélène Côté", "propriétaire", "hcote@x.ca", "+14185559999")
    lead(sessions, "Érablière du Lac", contact=helene)
    lead(sessions, "Gîte du Vieux-Port")
    manager = signed_in(app, "gestion@qcnum.example")
    for typed, found in (
        ("erabliere", "Érablière"), ("ÉRABLIÈRE", "Érablière"), ("helene", "Érablière"),
        ("COTE", "Érablière"), ("gite", "Gîte"), ("GÎTE", "Gîte"), ("vieux-port", "Gîte"),
    ):  # fmt: skip
        page = manager.get(f"/conseillers/?recherche={quote(typed)}").text
        assert found in page, typed
    assert "Aucune piste" in manager.get("/conseillers/?recherche=erablieres").text


def test_forms_without_the_csrf_token_change_nothing(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead_id = lead(sessions, "Boutique", "sophie")
    sophie = signed_in(app, "sophie@qcnum.example")
    url = f"/conseillers/pistes/{lead_id}/statut"
    assert sophie.post(url, {"statut": "contacté"}, csrf=False).status == 403
    assert sophie.post(url, {"statut": "contacté", "csrf": "faux"}, csrf=False).status == 403
    with sessions() as session:
        assert session.get_one(Lead, lead_id).status == "nouveau"


def test_status_workflow_notes_and_history(app: Sanic, sessions: sessionmaker[Session]) -> None:
    lead_id = lead(sessions, "Boutique", "sophie")
    sophie = signed_in(app, "sophie@qcnum.example")
    base = f"/conseillers/pistes/{lead_id}"
    refused = sophie.post(f"{base}/statut", {"statut": "terminé"})
    assert refused.status == 400 and "ne peut pas passer à « terminé »" in refused.text
    assert sophie.post(f"{base}/statut", {"statut": "contacté"}).status == 303
    assert sophie.post(f"{base}/note", {"note": "Rappeler jeudi <b>matin</b>"}).status == 303
    assert sophie.post(f"{base}/note", {"note": "   "}).status == 400
    page = sophie.get(base).text
    assert "Statut : <strong>contacté</strong>" in page
    assert "statut « nouveau » → « contacté »" in page
    assert "Rappeler jeudi &lt;b&gt;matin&lt;/b&gt;" in page
    assert '<option value="accompagnement en cours">' in page  # the next step is offered


def test_assignment_rights(app: Sanic, sessions: sessionmaker[Session]) -> None:
    lead_id = lead(sessions, "Commerce à attribuer")
    sophie = signed_in(app, "sophie@qcnum.example")
    url = f"/conseillers/pistes/{lead_id}/conseiller"
    assert sophie.post(url, {"conseiller": "marc"}).status == 400  # not hers to give away
    assert sophie.post(url, {"conseiller": "sophie"}).status == 303  # she takes it
    manager = signed_in(app, "gestion@qcnum.example")
    assert manager.post(url, {"conseiller": "inconnu"}).status == 400
    assert manager.post(url, {"conseiller": "marc"}).status == 303
    assert sophie.get(f"/conseillers/pistes/{lead_id}").status == 404  # now Marc's
    with sessions() as session:
        assert session.get_one(Lead, lead_id).advisor_id == "marc"


def test_a_hostile_business_name_is_shown_as_text(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead_id = lead(sessions, "<script>alert(1)</script>")
    manager = signed_in(app, "gestion@qcnum.example")
    for url in ("/conseillers/", f"/conseillers/pistes/{lead_id}"):
        page = manager.get(url)
        assert "<script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "default-src 'self'" in page.headers["content-security-policy"]


def test_the_transcript_comes_from_the_tracker_store(
    app: Sanic, sessions: sessionmaker[Session], settings: Settings
) -> None:
    lead_id = lead(sessions, "Boutique", conversation_id="conv-transcript")
    tracker = sqlite3.connect(settings.tracker_db)
    tracker.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, data TEXT)"
    )
    for kind, data in [
        ("user", {"text": "/greet", "timestamp": 1794999999}),  # sent by the page itself
        ("user", {"text": "c tu gratis?", "timestamp": 1795000000}),
        ("bot", {"text": "Oui, c'est gratuit.", "timestamp": 1795000001,
                 "data": {"buttons": [{"title": "Vérifier mon admissibilité",
                                       "payload": "/request_eligibility"}]}}),
        ("user", {"text": "/request_eligibility", "timestamp": 1795000002}),
        ("bot", {"text": "Détails : [politique de confidentialité](/confidentialite).",
                 "timestamp": 1795000003}),
        ("slot", {"name": "x", "timestamp": 1795000004}),
    ]:  # fmt: skip
        tracker.execute(
            "INSERT INTO events (sender_id, type_name, data) VALUES (?, ?, ?)",
            ("conv-transcript", kind, json.dumps(data)),
        )
    tracker.commit()
    tracker.close()
    page = signed_in(app, "gestion@qcnum.example").get(f"/conseillers/pistes/{lead_id}").text
    assert "c tu gratis?" in page and "Oui, c&#39;est gratuit." in page
    assert "Boutons : Vérifier mon admissibilité" in page
    assert "/greet" not in page and "/request_eligibility" not in page  # what people saw
    assert page.count("Vérifier mon admissibilité") == 2  # the button, then the click
    assert "Détails : politique de confidentialité." in page and "](/" not in page


def test_every_reading_is_audited_and_only_managers_read_the_log(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead_id = lead(sessions, "Boutique", "sophie")
    sophie = signed_in(app, "sophie@qcnum.example")
    assert sophie.get(f"/conseillers/pistes/{lead_id}").status == 200
    assert sophie.get("/conseillers/journal").status == 403
    with sessions() as session:
        [entry] = session.scalars(select(AuditEntry)).all()
        assert entry.account is not None
        assert (entry.action, entry.lead_id, entry.account.email) == (
            "lecture", lead_id, "sophie@qcnum.example")  # fmt: skip
    journal = signed_in(app, "gestion@qcnum.example").get("/conseillers/journal").text
    assert "Sophie" in journal and f"n° {lead_id}" in journal
