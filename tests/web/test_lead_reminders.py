"""Follow-up reminders through Sanic's test client, on SQLite and PostgreSQL: set from the lead's
page (today or later, Québec time on the product's clock), shown there, moved, due ones in
« Relances à faire » of the right queue until marked done (from the queue or the lead), each
change in the lead's history; CSRF."""

from __future__ import annotations

import html
from typing import Any

from sanic import Sanic
from sqlalchemy.orm import Session, sessionmaker

from tests.web.test_workspace import Browser, app, lead, settings, signed_in

__all__ = ["app", "settings"]
SOPHIE, MARC, MANAGER = "sophie@qcnum.example", "marc@qcnum.example", "gestion@qcnum.example"
TODAY = "2026-11-23"  # the tests' clock: Monday 23 November 2026 in Québec


def remind(browser: Browser, lead_id: int, day: str, note: str = "") -> Any:
    return browser.post(f"/conseillers/pistes/{lead_id}/relance", {"date": day, "note": note})


def reminders_queue(browser: Browser) -> str:
    page = html.unescape(browser.get("/conseillers/files").text)
    return page.split('id="relances"')[1].split("</section>")[0]


def test_set_on_the_lead_due_in_the_queue_until_done(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead_id = lead(sessions, "Café Saint-Roch", "sophie")
    sophie = signed_in(app, SOPHIE)
    page = sophie.get(f"/conseillers/pistes/{lead_id}").text
    assert f'name="date" type="date" min="{TODAY}"' in page and "Prévoir la relance" in page
    reply = remind(sophie, lead_id, TODAY, "Rappeler pour le menu")
    assert reply.status == 303
    location = reply.headers["location"]
    assert location == f"/conseillers/pistes/{lead_id}?fait=relance#relance"
    page = html.unescape(sophie.get(location).text)
    assert "Relance enregistrée." in page
    assert "Relance prévue <strong>le lundi 23 novembre</strong> : Rappeler pour le menu" in page
    queue = reminders_queue(sophie)
    assert "Relances à faire (1)" in queue and "Café Saint-Roch" in queue
    assert "Rappeler pour le menu" in queue and "Sophie" in queue
    assert "Relances à faire (0)" in reminders_queue(signed_in(app, MARC))  # not his lead
    assert "Café Saint-Roch" in reminders_queue(signed_in(app, MANAGER))
    done = sophie.post(f"/conseillers/pistes/{lead_id}/relance/faite", {"retour": "file"})
    assert done.status == 303 and done.headers["location"] == "/conseillers/files#relances"
    assert "Relances à faire (0)" in reminders_queue(sophie)
    history = html.unescape(sophie.get(f"/conseillers/pistes/{lead_id}").text)
    assert "Relance prévue le lundi 23 novembre : Rappeler pour le menu." in history
    assert "Relance du lundi 23 novembre faite." in history
    assert "Aucune relance prévue." in history


def test_a_later_day_waits_a_past_day_is_refused_and_moving_keeps_one(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead_id = lead(sessions, "Fleuriste", None)
    sophie = signed_in(app, SOPHIE)
    past = remind(sophie, lead_id, "2026-11-22")
    assert past.status == 400
    assert "aujourd'hui ou une date à venir" in html.unescape(past.text)
    nonsense = remind(sophie, lead_id, "demain")
    assert nonsense.status == 400
    assert remind(sophie, lead_id, "2026-11-30").status == 303
    assert "Relances à faire (0)" in reminders_queue(sophie)  # not due yet
    page = html.unescape(sophie.get(f"/conseillers/pistes/{lead_id}").text)
    assert "Reporter la relance" in page and 'value="2026-11-30"' in page
    assert remind(sophie, lead_id, TODAY).status == 303
    queue = reminders_queue(sophie)
    assert "Relances à faire (1)" in queue and "Fleuriste" in queue  # hers: she set it
    assert "Relances à faire (0)" in reminders_queue(signed_in(app, MARC))
    assert "Relance du lundi 30 novembre déplacée au lundi 23 novembre." in html.unescape(
        sophie.get(f"/conseillers/pistes/{lead_id}").text
    )
    assert sophie.post(f"/conseillers/pistes/{lead_id}/relance", {"date": TODAY},
                       csrf=False).status == 403  # fmt: skip
    marcs = lead(sessions, "Librairie", "marc")
    assert remind(sophie, marcs, TODAY).status == 404
