"""The privacy officer's workspace pages through Sanic's test client, on SQLite and PostgreSQL:
managers only, find a person, export, correct, erase (nothing of the person left, the access
log shows each step), the rights requests of the privacy page with their due date, and the
incident register; CSRF on every form."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sanic import Sanic
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling import TIMEZONE
from bot.scheduling.invitation import french_date
from bot.settings import Settings
from bot.storage.database import sessions_for
from bot.storage.models import AuditEntry
from tests.conftest import FROZEN_NOW
from tests.storage.test_analytics import EVENTS
from tests.storage.test_erasure_one_person import FIRST, SECOND, events, everything_of
from tests.storage.test_privacy import EMAIL, NAME, NEEDLES, PHONE, occurrences, person
from tests.web.test_workspace import app, settings, signed_in

__all__ = ["app", "settings"]  # the fixtures
HOME = "/conseillers/confidentialite"


@pytest.fixture
def marie(settings: Settings, sessions: sessionmaker[Session]) -> int:
    engine = create_engine(settings.tracker_url)
    EVENTS.create(engine)
    engine.dispose()
    return person(sessions, settings.tracker_url, (NAME, EMAIL, PHONE), "conv-marie", False)


def test_managers_only(app: Sanic, marie: int) -> None:
    advisor = signed_in(app, "sophie@qcnum.example")
    for url in (HOME, f"{HOME}/personnes/{marie}", f"{HOME}/personnes/{marie}/dossier.json",
                f"{HOME}/incidents"):  # fmt: skip
        assert advisor.get(url).status == 403, url
    reply = advisor.post(f"{HOME}/personnes/{marie}/effacer", {"confirmer": "oui"})
    assert reply.status == 403
    assert "Confidentialité" not in advisor.get("/conseillers/").text


def test_find_export_correct_then_erase(app: Sanic, marie: int, settings: Settings) -> None:
    manager = signed_in(app, "gestion@qcnum.example")
    assert f'href="/conseillers/pistes/{marie}"' in manager.get("/conseillers/").text
    page = manager.get(f"{HOME}?q=418-555-1234").text
    assert f'href="/conseillers/confidentialite/personnes/{marie}"' in page and EMAIL in page
    record = manager.get(f"{HOME}/personnes/{marie}").text
    assert NAME in record and "418 555-1234" in record
    assert "1 décision," in record and "(s)" not in record  # counts in French
    exported = manager.get(f"{HOME}/personnes/{marie}/dossier.json")
    assert exported.headers["content-disposition"] == f'attachment; filename="dossier-{marie}.json"'
    assert json.loads(exported.text)["contacts"][0]["phone"] == PHONE
    assert "contacts.1.email" in manager.get(f"{HOME}/personnes/{marie}/dossier.csv").text

    bad = manager.post(f"{HOME}/personnes/{marie}/corriger", {"champ": "email", "valeur": "non"})
    assert bad.status == 400 and "adresse courriel complète" in bad.text
    fixed = manager.post(f"{HOME}/personnes/{marie}/corriger",
                         {"champ": "phone", "valeur": "581 555 0000"})  # fmt: skip
    assert fixed.status == 200 and "581 555-0000" in fixed.text

    unchecked = manager.post(f"{HOME}/personnes/{marie}/effacer", {})
    assert unchecked.status == 400 and occurrences(settings.database_url, (NAME,))
    no_token = manager.post(f"{HOME}/personnes/{marie}/effacer", {"confirmer": "oui"}, csrf=False)
    assert no_token.status == 403 and occurrences(settings.database_url, (NAME,))
    erased = manager.post(f"{HOME}/personnes/{marie}/effacer", {"confirmer": "oui"})
    assert erased.status == 200 and f"Dossier n° {marie} effacé" in erased.text
    assert occurrences(settings.database_url, (*NEEDLES, "+15815550000")) == []
    assert occurrences(settings.tracker_url, NEEDLES) == []
    assert f'href="/conseillers/pistes/{marie}"' not in manager.get("/conseillers/").text
    journal = manager.get("/conseillers/journal").text
    for action in ("recherche de personne", "export du dossier (JSON)", "correction (téléphone)",
                   "effacement"):  # fmt: skip
        assert action in journal, action
    assert journal.count("effacement") == 1, "one line per event, saying who"
    anonymised = manager.get(f"/conseillers/pistes/{marie}").text
    assert "Dossier effacé le " in anonymised and "/note" not in anonymised  # read-only
    note = manager.post(f"/conseillers/pistes/{marie}/note", {"note": "Rappeler"})
    assert note.status == 400 and "il ne se modifie plus" in note.text
    assert "Rappeler" not in manager.get(f"/conseillers/pistes/{marie}").text
    with sessions_for(settings.database_url)() as session:
        [erasure] = session.scalars(select(AuditEntry).where(AuditEntry.action == "effacement"))
        assert erasure.account is not None and erasure.account.email == "gestion@qcnum.example"
        assert erasure.lead_id == marie


def test_a_request_from_the_privacy_page_is_listed_with_its_due_date(app: Sanic) -> None:
    _, refused = app.test_client.post("/confidentialite", data={"nom": "Luc", "courriel": "x",
                                                                "type": "acces"})  # fmt: skip
    assert refused.status == 400 and "Courriel" in refused.text
    _, sent = app.test_client.post("/confidentialite", data={
        "nom": "Luc Gagné", "courriel": "luc@exemple.com", "type": "suppression",
        "message": "Effacez mon dossier <svp>",
    })  # fmt: skip
    due = (FROZEN_NOW.astimezone(TIMEZONE) + timedelta(days=30)).date()  # the app's clock
    assert sent.status == 200 and "Merci, votre demande est reçue" in sent.text
    assert f"au plus tard {french_date(due)}" in sent.text
    manager = signed_in(app, "gestion@qcnum.example")
    page = manager.get(HOME).text
    assert "Luc Gagné" in page and "supprimer mes renseignements" in page
    assert "Effacez mon dossier &lt;svp&gt;" in page
    assert f'<time datetime="{due.isoformat()}">' in page
    [request_id] = [int(n) for n in re.findall(r"demandes/(\d+)/repondue", page)]
    assert manager.post(f"{HOME}/demandes/{request_id}/repondue", {}).status == 303
    assert "Répondue le" in manager.get(HOME).text


def test_the_incident_register(app: Sanic) -> None:
    manager = signed_in(app, "gestion@qcnum.example")
    fields = {
        "discovered_on": "2026-11-20", "occurred_on": "2026-11-19",
        "description": "Courriel d'invitation envoyé au mauvais conseiller",
        "data_concerned": "nom, courriel et téléphone d'un commerçant", "people_count": "1",
        "serious_injury_risk": "serieux", "risk_assessment": "renseignements peu sensibles",
        "measures": "",
    }  # fmt: skip
    refused = manager.post(f"{HOME}/incidents", fields)
    assert refused.status == 400 and "mesures prises" in refused.text
    created = manager.post(f"{HOME}/incidents", {**fields, "measures": "Courriel rappelé"})
    assert created.status == 303
    url = created.headers["location"]
    assert "Courriel rappelé" in manager.get(url).text
    updated = manager.post(url, {**fields, "measures": "Courriel rappelé",
                                 "commission_notified_on": "2026-11-21"})  # fmt: skip
    assert updated.status == 303
    register = manager.get(f"{HOME}/incidents").text
    assert "2026-11-21" in register and "risque de préjudice sérieux" in register


def test_the_officer_erases_one_marie_and_the_other_stays_whole(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    """Two merchants share a name and a phone: the page erases the first only, and says which
    conversations were erased and why."""
    url = settings.tracker_url
    engine = create_engine(url)
    EVENTS.create(engine)
    engine.dispose()
    first = person(sessions, url, FIRST, "conv-first", False, business="Fleuriste Tremblay")
    second = person(sessions, url, SECOND, "conv-second", False, business="Café Tremblay")
    before = (everything_of(sessions, url, second), events(url, "conv-second"))
    manager = signed_in(app, "gestion@qcnum.example")
    erased = manager.post(f"{HOME}/personnes/{first}/effacer", {"confirmer": "oui"})
    assert erased.status == 200
    assert "<code>conv-first</code> : la vérification d&#39;admissibilité de ce dossier" in (
        erased.text
    )
    assert (everything_of(sessions, url, second), events(url, "conv-second")) == before
    assert events(url, "conv-first") == [] and occurrences(url, (FIRST[1], "Fleuriste")) == []
    assert NAME in manager.get(f"{HOME}/personnes/{second}").text
