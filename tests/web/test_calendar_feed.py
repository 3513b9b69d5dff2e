"""« Mon calendrier » through Sanic's test client, on SQLite and PostgreSQL: the secret feed
address shown once, read without a session and parsed by the icalendar library (an independent
parser): the advisor's upcoming and recent sessions with the business, mode, place, address,
reference and the lead's link, no contact details; another advisor's feed has theirs; a wrong,
replaced or revoked token gets a 404."""

from __future__ import annotations

import html
import re
from typing import Any

from icalendar import Calendar
from sanic import Sanic
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.storage.accounts import as_viewer
from bot.storage.attendance import mark
from bot.storage.calendar_feeds import feed_owner
from bot.storage.models import Account
from bot.workspace import Viewer
from tests.conftest import FROZEN_NOW
from tests.web.test_attendance import session_of, today_at
from tests.web.test_sessions import MANAGER, MARC, SOPHIE, at, book, settings
from tests.web.test_workspace import Browser, app, lead, signed_in

__all__ = ["app", "settings"]
PAGE = "/conseillers/calendrier"


def new_link(browser: Browser) -> str:
    """« Créer mon lien » (or replace it): the address the page shows, once."""
    reply = browser.post(PAGE, {})
    assert reply.status == 200
    found = re.search(
        r'value="(http[^"]+/conseillers/calendrier/abonnement/[^"]+\.ics)"', reply.text
    )
    assert found is not None
    return found.group(1)


def path_of(address: str) -> str:
    return "/conseillers/" + address.split("/conseillers/", 1)[1]


def read(app: Sanic, address: str) -> Any:
    """The feed as a calendar application reads it: no cookie."""
    return Browser(app).get(path_of(address))


def events(reply: Any) -> dict[str, Any]:
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(reply.body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_lists_the_advisors_sessions_as_the_workspace_shows_them(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    shop = lead(sessions, "Boutique Limoilou")
    coming = book(settings, shop, at(24, 13), "sophie")
    held_lead, held = session_of(sessions, "Café du matin", today_at(8), "sophie")
    marcs = book(settings, lead(sessions, "Librairie"), at(26, 9), "marc")
    sophie = signed_in(app, SOPHIE)
    first = html.unescape(sophie.get(PAGE).text)
    assert "Mon calendrier" in first and "Créer mon lien d'abonnement" in first
    address = new_link(sophie)
    assert address.endswith(".ics") and "Copier le lien" in sophie.post(PAGE, {}).text
    address = new_link(sophie)  # a third: the one used below
    mark(sessions, viewer_of(sessions, SOPHIE), held, "held", FROZEN_NOW)
    reply = read(app, address)
    found = events(reply)
    assert set(found) == {f"{coming}@numeriqc", f"{held}@numeriqc"}  # not Marc's
    event = found[f"{coming}@numeriqc"]
    assert str(event["SUMMARY"]) == "Rencontre 100 % NumériQC — Boutique Limoilou"
    assert event.decoded("DTSTART") == at(24, 13)
    assert event.decoded("DTEND") == at(24, 14)
    assert "Bureaux de Québec numérique" in str(event["LOCATION"])
    description = str(event["DESCRIPTION"])
    assert f"Numéro de réservation : {coming}" in description
    assert "Mode : en personne (Bureaux de Québec numérique, " in description
    assert f"/conseillers/pistes/{shop}" in description
    assert str(found[f"{held}@numeriqc"]["SUMMARY"]).endswith("Café du matin (tenue)")
    text = reply.body.decode()
    assert "@x.ca" not in text and "Marie" not in text and "555" not in text  # no contact
    assert "Sophie" in str(Calendar.from_ical(reply.body)["X-WR-CALNAME"])
    assert held_lead and marcs
    # the page shows no address afterwards: only its date
    again = sophie.get(PAGE).text
    assert address not in again and "Révoquer et créer un nouveau lien" in again
    assert "Votre lien a été créé le lundi 23 novembre" in again


def viewer_of(sessions: sessionmaker[Session], email: str) -> Viewer:
    with sessions() as session:
        return as_viewer(session.scalars(select(Account).where(Account.email == email)).one())


def test_wrong_replaced_and_revoked_tokens_get_a_404(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    sophie = signed_in(app, SOPHIE)
    address = new_link(sophie)
    assert read(app, address).status == 200
    assert read(app, address.replace(".ics", "x.ics")).status == 404
    assert read(app, address[:-10] + ".ics").status == 404
    assert Browser(app).get("/conseillers/calendrier/abonnement/rien").status == 404
    replacement = new_link(sophie)  # « Révoquer et créer un nouveau lien »
    assert read(app, address).status == 404 and read(app, replacement).status == 200
    revoked = sophie.post(f"{PAGE}/revoquer", {})
    assert revoked.status == 200 and "Le lien est révoqué" in revoked.text
    assert read(app, replacement).status == 404
    assert "Ce lien de calendrier n'existe pas ou a été révoqué." in read(app, replacement).text
    token = path_of(replacement).rsplit("/", 1)[1].removesuffix(".ics")
    assert feed_owner(sessions, token) is None


def test_each_advisor_their_own_and_the_page_needs_a_session(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    book(settings, lead(sessions, "Librairie"), at(26, 9), "marc")
    book(settings, lead(sessions, "Boutique"), at(24, 13), "sophie")
    marc = events(read(app, new_link(signed_in(app, MARC))))
    [event] = marc.values()
    assert "Librairie" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "par vidéoconférence : lien envoyé par courriel"
    manager = signed_in(app, MANAGER)  # no advisor of their own: an empty calendar
    assert "le calendrier restera vide" in manager.get(PAGE).text
    assert events(read(app, new_link(manager))) == {}
    anonymous = Browser(app)
    assert anonymous.get(PAGE).status == 302
    assert anonymous.request("post", PAGE, data={}).status == 302
    assert signed_in(app, SOPHIE).post(PAGE, {}, csrf=False).status == 403
