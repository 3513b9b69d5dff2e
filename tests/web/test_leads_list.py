"""The leads list's « Mes pistes », saved filters and search in the conversations, through
Sanic's test client on SQLite and PostgreSQL: « Mes pistes » shows the viewer's own leads only;
a filter is saved by name (only the filters the list knows are kept), applied with one click,
deleted by its owner; a search finds what the merchant typed in a conversation of a lead the
viewer may see, with an excerpt."""

from __future__ import annotations

import html
import json
import re
import sqlite3

from sanic import Sanic
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from tests.web.test_workspace import app, lead, settings, signed_in

__all__ = ["app", "settings"]
SOPHIE, MARC, MANAGER = "sophie@qcnum.example", "marc@qcnum.example", "gestion@qcnum.example"


def businesses(page: str) -> list[str]:
    return re.findall(r'<a href="/conseillers/pistes/\d+">([^<]+)</a>', page)


def test_my_leads_are_the_ones_given_to_me(app: Sanic, sessions: sessionmaker[Session]) -> None:
    lead(sessions, "Boutique de Sophie", "sophie")
    lead(sessions, "Café de Marc", "marc")
    lead(sessions, "Fleuriste à attribuer", None)
    sophie = signed_in(app, SOPHIE)
    everything = sophie.get("/conseillers/").text
    assert sorted(businesses(everything)) == ["Boutique de Sophie", "Fleuriste à attribuer"]
    assert 'href="/conseillers/?mes_pistes=oui">Mes pistes</a>' in everything
    mine = sophie.get("/conseillers/?mes_pistes=oui").text
    assert businesses(mine) == ["Boutique de Sophie"]
    assert 'aria-current="page">Mes pistes' in mine and "qui vous sont confiées" in mine
    assert businesses(signed_in(app, MARC).get("/conseillers/?mes_pistes=oui").text) == [
        "Café de Marc"
    ]
    assert "Mes pistes" not in signed_in(app, MANAGER).get("/conseillers/").text  # no advisor


def test_a_saved_filter_is_applied_with_one_click_and_deleted_by_its_owner(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead(sessions, "Boutique de Sophie", "sophie")
    sophie = signed_in(app, SOPHIE)
    page = sophie.get("/conseillers/?mes_pistes=oui&statut=nouveau").text
    assert 'name="requete" value="mes_pistes=oui&amp;statut=nouveau"' in page
    assert "Enregistrer ces filtres" in page
    assert "Enregistrer ces filtres" not in sophie.get("/conseillers/").text  # nothing to save
    saved = sophie.post("/conseillers/filtres", {
        "nom": "Mes nouvelles", "requete": "statut=nouveau&mes_pistes=oui&page=3&pirate=1&secteur=x",
    })  # fmt: skip
    assert saved.status == 303
    assert saved.headers["location"] == "/conseillers/?mes_pistes=oui&statut=nouveau"
    listed = sophie.get("/conseillers/").text
    assert '<a href="/conseillers/?mes_pistes=oui&amp;statut=nouveau">Mes nouvelles</a>' in listed
    applied = sophie.get("/conseillers/?mes_pistes=oui&statut=nouveau").text
    assert 'aria-current="page">Mes nouvelles</a>' in applied
    assert businesses(applied) == ["Boutique de Sophie"]
    [filter_id] = re.findall(r"/conseillers/filtres/(\d+)/supprimer", listed)
    marc = signed_in(app, MARC)
    assert "Mes nouvelles" not in marc.get("/conseillers/").text  # each account its own
    assert marc.post(f"/conseillers/filtres/{filter_id}/supprimer", {}).status == 404
    nameless = sophie.post("/conseillers/filtres", {"nom": " ", "requete": "statut=nouveau"})
    assert nameless.status == 400 and "Donnez un nom au filtre." in nameless.text
    deleted = sophie.post(f"/conseillers/filtres/{filter_id}/supprimer", {})
    assert deleted.status == 303
    assert "Mes nouvelles" not in sophie.get("/conseillers/").text
    assert sophie.post("/conseillers/filtres", {"nom": "x", "requete": "statut=nouveau"},
                       csrf=False).status == 403  # fmt: skip


def test_the_search_reads_the_conversations_the_viewer_may_see(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    lead(sessions, "Boutique de Sophie", "sophie", conversation_id="conv-sophie")
    lead(sessions, "Café de Marc", "marc", conversation_id="conv-marc")
    tracker = sqlite3.connect(settings.tracker_db)
    tracker.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, data TEXT)"
    )
    for sender, said in [("conv-sophie", "On fait la livraison à domicile depuis 2019"),
                         ("conv-marc", "La livraison? Pas encore.")]:  # fmt: skip
        tracker.execute(
            "INSERT INTO events (sender_id, type_name, data) VALUES (?, 'user', ?)",
            (sender, json.dumps({"event": "user", "text": said, "timestamp": 1795000000})),
        )
    tracker.commit()
    tracker.close()
    sophie = signed_in(app, SOPHIE)
    page = html.unescape(sophie.get("/conseillers/?recherche=LIVRAISON+a+domicile").text)
    assert businesses(page) == ["Boutique de Sophie"]
    assert "Dans la conversation : « On fait la livraison à domicile depuis 2019 »" in page
    assert "Commerce, contact ou conversation" in page
    manager = html.unescape(signed_in(app, MANAGER).get("/conseillers/?recherche=livraison").text)
    assert sorted(businesses(manager)) == ["Boutique de Sophie", "Café de Marc"]
    assert businesses(signed_in(app, MARC).get("/conseillers/?recherche=domicile").text) == []
