"""Sessions marked held or no-show through Sanic's test client, on SQLite and PostgreSQL: from
the sessions page (the last 30 days) and from the lead's page, once started only, by the
session's advisor or a manager (another advisor gets the 403 page that says whose it is); the
lead's history line; the mark undone the same day; the analytics page counts them; CSRF."""

from __future__ import annotations

import html
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from sanic import Sanic
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Slot
from bot.storage import bookings
from tests.conftest import FROZEN_NOW
from tests.web.test_analytics import page_figures
from tests.web.test_sessions import MANAGER, MARC, SOPHIE, booking, settings
from tests.web.test_workspace import app, lead, signed_in

__all__ = ["app", "settings"]


def today_at(hour: int, days: int = 0) -> datetime:
    return datetime.combine(FROZEN_NOW.date() + timedelta(days=days), time(hour), TIMEZONE)


def session_of(sessions: sessionmaker[Session], name: str, start: datetime, advisor: str) -> Any:
    lead_id = lead(sessions, name, advisor)
    booked = bookings.book(sessions, Slot(start, start + timedelta(hours=1), advisor), lead_id)
    return lead_id, booked.reference


def presence(reference: str) -> str:
    return f"/conseillers/rencontres/{reference}/presence"


def test_marked_from_the_sessions_page_and_undone_the_same_day(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead_id, reference = session_of(sessions, "Boutique Limoilou", today_at(8), "sophie")
    sophie = signed_in(app, SOPHIE)
    page = sophie.get("/conseillers/rencontres").text
    past = page.split('id="passees"')[1]
    assert "Boutique Limoilou" in past and "à marquer" in past
    assert f'Tenue<span class="sr-only"> : rencontre {reference}</span>' in past
    reply = sophie.post(presence(reference), {"presence": "absence"})
    assert reply.status == 303
    assert reply.headers["location"] == "/conseillers/rencontres?fait=absence#passees"
    shown = sophie.get(reply.headers["location"]).text
    assert "La rencontre est marquée : absence du commerçant." in shown
    assert "absence du commerçant" in shown.split('id="passees"')[1]
    assert "Défaire le marquage" in shown
    assert booking(sessions, reference).status == "no_show"
    history = html.unescape(sophie.get(f"/conseillers/pistes/{lead_id}").text)
    assert (
        f"Rencontre {reference} (le lundi 23 novembre à 8 h) marquée : absence du commerçant."
        in history
    )
    assert sophie.post(presence(reference), {"presence": "defaire"}).status == 303
    assert booking(sessions, reference).status == "booked"
    assert "marquage « absence du commerçant » défait" in html.unescape(
        sophie.get(f"/conseillers/pistes/{lead_id}").text
    )


def test_marked_from_the_lead_page_back_to_it(app: Sanic, sessions: sessionmaker[Session]) -> None:
    lead_id, reference = session_of(sessions, "Café Saint-Roch", today_at(9), "sophie")
    manager = signed_in(app, MANAGER)
    page = manager.get(f"/conseillers/pistes/{lead_id}").text
    assert f'action="/conseillers/rencontres/{reference}/presence"' in page
    assert "à marquer" in page
    reply = manager.post(presence(reference), {"presence": "tenue", "piste": str(lead_id)})
    assert reply.status == 303
    assert reply.headers["location"] == f"/conseillers/pistes/{lead_id}?fait=tenue#rencontres"
    page = manager.get(reply.headers["location"]).text
    assert "Rencontre marquée tenue." in page and "<strong>tenue</strong>" in page
    assert booking(sessions, reference).status == "held"
    assert booking(sessions, reference).marked_at == FROZEN_NOW


def test_not_before_it_starts_and_not_another_advisors(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead_id, coming = session_of(sessions, "Fleuriste", today_at(13, days=1), "sophie")
    _, marcs = session_of(sessions, "Librairie", today_at(9), "marc")
    sophie = signed_in(app, SOPHIE)
    assert f"/rencontres/{coming}/presence" not in sophie.get(f"/conseillers/pistes/{lead_id}").text
    early = sophie.post(presence(coming), {"presence": "tenue", "piste": str(lead_id)})
    assert early.status == 400 and "pas encore commencé" in html.unescape(early.text)
    assert booking(sessions, coming).status == "booked"
    other = sophie.post(presence(marcs), {"presence": "tenue"})
    assert other.status == 403
    assert "Cette rencontre est confiée à Marc Lévesque." in html.unescape(other.text)
    assert booking(sessions, marcs).status == "booked"
    assert sophie.post(presence("NQ-INCONNU2"), {"presence": "tenue"}).status == 404
    assert sophie.post(presence(marcs), {"presence": "tenue"}, csrf=False).status == 403
    marc = signed_in(app, MARC)
    assert marc.post(presence(marcs), {"presence": "n'importe"}).status == 400
    assert marc.post(presence(marcs), {"presence": "tenue"}).status == 303


@pytest.mark.parametrize("mark", ["tenue", "absence"])
def test_the_analytics_page_counts_the_marks(
    app: Sanic, sessions: sessionmaker[Session], mark: str
) -> None:
    _, reference = session_of(sessions, "Boutique", today_at(8), "sophie")
    assert signed_in(app, SOPHIE).post(presence(reference), {"presence": mark}).status == 303
    page = signed_in(app, MANAGER).get("/conseillers/statistiques").text
    [doughnut] = [c for c in page_figures(page) if c["key"] == "bilan_rencontres"]
    held, no_show = (1, 0) if mark == "tenue" else (0, 1)
    assert dict(zip(doughnut["labels"], doughnut["series"][0], strict=True)) == {
        "Tenues": held, "À venir ou à marquer": 0, "Annulées": 0, "Absences": no_show,
    }  # fmt: skip
