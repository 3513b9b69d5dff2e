"""The workspace's sessions through Sanic's test client, on SQLite and PostgreSQL: the list and
the week view, advisor and manager rights, moving and cancelling with the chat's invitations
(same UID, SEQUENCE + 1, METHOD:CANCEL read back from the outbox), CSRF, the lead's history."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import html
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from sanic import Sanic
from sqlalchemy.orm import Session, sessionmaker

from bot.booking import scheduler_for
from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Slot
from bot.settings import Settings, load_settings
from bot.storage import bookings
from bot.storage.models import Booking, as_utc
from tests.conftest import FROZEN_NOW
from tests.web.test_workspace import Browser, app, lead, signed_in

__all__ = ["app"]

TOKEN = "jeton-de-test-" + "x" * 32
SOPHIE, MARC, MANAGER = "sophie@qcnum.example", "marc@qcnum.example", "gestion@qcnum.example"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Mail to the outbox, and "now" frozen on Monday 23 November 2026 at 10 h."""
    return dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path,
        tracker_db=tmp_path / "t.db", smtp_host="", frozen_clock=FROZEN_NOW,
        workspace_api_token=TOKEN,
    )  # fmt: skip


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=TIMEZONE)


def book(settings: Settings, lead_id: int, moment: datetime, advisor: str) -> str:
    appointment = scheduler_for(settings).book(moment, lead_id, advisor)
    assert appointment.advisor.id == advisor
    return appointment.reference


def booking(sessions: sessionmaker[Session], reference: str) -> Booking:
    with sessions() as session:
        found = session.query(Booking).filter_by(reference=reference).one()
        session.expunge(found)
        return found


def calendars(outbox: Path) -> list[tuple[str, Any]]:
    """(recipient, calendar) of every mail in the outbox."""
    found = []
    for path in outbox.glob("*.eml"):
        mail = email.message_from_bytes(path.read_bytes())
        [part] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found.append((str(mail["To"]), Calendar.from_ical(payload)))
    return found


def mail_bodies(outbox: Path) -> list[tuple[str, str]]:
    """(recipient, text) of every mail in the outbox."""
    found = []
    for path in outbox.glob("*.eml"):
        mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = mail.get_body(("plain",))
        found.append((str(mail["To"]), body.get_content() if body else ""))
    return found


def invitations(outbox: Path, reference: str, sequence: int) -> list[tuple[str, Any, Any]]:
    """(recipient, METHOD, VEVENT) of the invitations of `reference` with `sequence`."""
    return [
        (to, calendar["METHOD"], event)
        for to, calendar in calendars(outbox)
        for event in calendar.walk("VEVENT")
        if event["UID"] == f"{reference}@numeriqc" and int(event["SEQUENCE"]) == sequence
    ]


@pytest.fixture
def two_sessions(settings: Settings, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """Sophie's session with a shop on Tuesday at 13 h, Marc's with a café on Thursday at 9 h."""
    shop = lead(sessions, "Boutique Limoilou")
    cafe = lead(sessions, "Café Saint-Roch")
    return {
        "shop": shop,
        "cafe": cafe,
        "sophie": book(settings, shop, at(24, 13), "sophie"),
        "marc": book(settings, cafe, at(26, 9), "marc"),
    }


def test_no_session_page_or_form_without_signing_in(app: Sanic) -> None:
    anonymous = Browser(app)
    for url in ("/conseillers/rencontres", "/conseillers/rencontres?vue=semaine",
                "/conseillers/rencontres/NQ-ABCDEF/deplacer",
                "/conseillers/rencontres/NQ-ABCDEF/annuler"):  # fmt: skip
        reply = anonymous.get(url)
        assert reply.status == 302 and "/conseillers/connexion" in reply.headers["location"], url
    for url in ("/conseillers/rencontres/NQ-ABCDEF/deplacer",
                "/conseillers/rencontres/NQ-ABCDEF/annuler"):  # fmt: skip
        assert anonymous.request("post", url, data={"moment": "x"}).status == 302, url


def test_an_advisor_sees_their_sessions_a_manager_everyone_or_one(
    app: Sanic, two_sessions: dict[str, Any]
) -> None:
    sophie = signed_in(app, SOPHIE).get("/conseillers/rencontres").text
    assert "Boutique Limoilou" in sophie and "Café Saint-Roch" not in sophie
    assert "le mardi 24 novembre à 13 h" in sophie and "en personne" in sophie
    assert f'href="/conseillers/pistes/{two_sessions["shop"]}"' in sophie
    manager = signed_in(app, MANAGER)
    everyone = manager.get("/conseillers/rencontres").text
    assert "Boutique Limoilou" in everyone and "Café Saint-Roch" in everyone
    assert "par vidéoconférence (lien envoyé par courriel)" in everyone
    marcs = manager.get("/conseillers/rencontres?conseiller=marc").text
    assert "Café Saint-Roch" in marcs and "Boutique Limoilou" not in marcs
    # an advisor cannot ask for another's sessions
    assert (
        "Café Saint-Roch"
        not in signed_in(app, SOPHIE).get("/conseillers/rencontres?conseiller=marc").text
    )


def test_the_week_view_has_monday_to_friday_and_moves_by_week(
    app: Sanic, two_sessions: dict[str, Any]
) -> None:
    manager = signed_in(app, MANAGER)
    page = manager.get("/conseillers/rencontres?vue=semaine&semaine=2026-11-25").text
    days = re.findall(r'<h3 id="jour-([0-9-]+)"', page)
    assert days == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]
    tuesday = page.split('id="jour-2026-11-24"')[1].split("</section>")[0]
    assert "Boutique Limoilou" in tuesday and "13 h – 14 h" in tuesday
    assert "Semaine du lundi 23 novembre" in page
    assert html.escape("semaine=2026-11-30") in page and html.escape("semaine=2026-11-16") in page
    following = manager.get("/conseillers/rencontres?vue=semaine&semaine=2026-11-30").text
    assert "Boutique Limoilou" not in following and "Aucune rencontre." in following
    # nonsense falls back to this week
    assert "Boutique Limoilou" in manager.get("/conseillers/rencontres?vue=semaine&semaine=x").text


def test_moving_a_session_sends_the_same_invitation_updated(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session], two_sessions: dict[str, Any]
) -> None:
    reference, outbox = two_sessions["sophie"], settings.var_dir / "outbox"
    sophie = signed_in(app, SOPHIE)
    form = sophie.get(f"/conseillers/rencontres/{reference}/deplacer")
    assert form.status == 200 and "Boutique Limoilou" in form.text
    options = re.findall(r'<option value="([^"]+)">([^<]+)</option>', form.text)
    assert options and all("avec" in label for _, label in options)
    chosen = next(
        datetime.fromisoformat(value) for value, label in options
        if label.endswith("avec Sophie Gagnon") and datetime.fromisoformat(value) > at(27, 0)
    )  # fmt: skip
    without = sophie.post(f"/conseillers/rencontres/{reference}/deplacer",
                          {"moment": chosen.isoformat()})  # fmt: skip
    assert without.status == 400 and "Indiquez le motif" in without.text
    assert booking(sessions, reference).sequence == 0, "nothing moved without a reason"
    reply = sophie.post(f"/conseillers/rencontres/{reference}/deplacer",
                        {"moment": chosen.isoformat(), "motif": "Conseillère malade"})  # fmt: skip
    assert reply.status == 303
    assert reply.headers["location"] == "/conseillers/rencontres?fait=deplacee"
    assert "La rencontre est déplacée" in sophie.get(reply.headers["location"]).text
    moved = booking(sessions, reference)
    assert (moved.status, moved.sequence, moved.advisor_id) == ("booked", 1, "sophie")
    assert as_utc(moved.starts_at) == chosen
    sent = invitations(outbox, reference, 1)
    assert len(sent) == 2 and {method for _, method, _ in sent} == {"REQUEST"}
    assert sorted(to.split("@")[1] for to, _, _ in sent) == ["example.org", "x.ca"]
    assert all(event.decoded("DTSTART") == chosen for _, _, event in sent)
    history = sophie.get(f"/conseillers/pistes/{two_sessions['shop']}").text
    assert f"Rencontre {reference} déplacée : le mardi 24 novembre à 13 h →" in history
    assert "Motif : Conseillère malade" in history
    [merchant] = [b for to, b in mail_bodies(outbox) if to.endswith("x.ca") and "déplacée" in b]
    assert "Votre rencontre prévue le mardi 24 novembre à 13 h est déplacée." in merchant
    assert "Motif : Conseillère malade" in merchant


def test_cancelling_asks_first_then_sends_the_cancellation(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session], two_sessions: dict[str, Any]
) -> None:
    reference, outbox = two_sessions["marc"], settings.var_dir / "outbox"
    marc = signed_in(app, MARC)
    confirm = marc.get(f"/conseillers/rencontres/{reference}/annuler")
    assert confirm.status == 200 and f"Annuler la rencontre {reference}?" in confirm.text
    assert booking(sessions, reference).status == "booked"  # asking changes nothing
    without = marc.post(f"/conseillers/rencontres/{reference}/annuler", {})
    assert without.status == 400 and "Indiquez le motif" in without.text
    assert booking(sessions, reference).status == "booked"
    reply = marc.post(f"/conseillers/rencontres/{reference}/annuler", {"motif": "Doublon"})
    assert reply.status == 303 and reply.headers["location"].endswith("fait=annulee")
    cancelled = booking(sessions, reference)
    assert (cancelled.status, cancelled.sequence) == ("cancelled", 1)
    sent = invitations(outbox, reference, 1)
    assert len(sent) == 2 and {method for _, method, _ in sent} == {"CANCEL"}
    assert {str(event["STATUS"]) for _, _, event in sent} == {"CANCELLED"}
    assert scheduler_for(settings).is_free(at(26, 9))
    assert "Café Saint-Roch" not in marc.get("/conseillers/rencontres").text
    history = signed_in(app, MANAGER).get(f"/conseillers/pistes/{two_sessions['cafe']}").text
    assert f"Rencontre {reference} annulée (le jeudi 26 novembre à 9 h). Motif : Doublon" in history
    # a second try finds nothing to cancel
    assert marc.post(f"/conseillers/rencontres/{reference}/annuler", {}).status == 404


def test_an_advisor_cannot_touch_another_advisors_session(
    app: Sanic, sessions: sessionmaker[Session], two_sessions: dict[str, Any]
) -> None:
    """A clear page that says whose it is (403), not a 404; nothing changes."""
    reference = two_sessions["marc"]
    sophie = signed_in(app, SOPHIE)
    for action in ("deplacer", "annuler"):
        url = f"/conseillers/rencontres/{reference}/{action}"
        for reply in (sophie.get(url), sophie.post(url, {"moment": at(30, 9).isoformat(),
                                                          "motif": "x"})):  # fmt: skip
            assert reply.status == 403, url
            assert "Cette rencontre ne vous est pas confiée" in reply.text
            assert "Cette rencontre est confiée à Marc Lévesque." in html.unescape(reply.text)
            assert 'href="/conseillers/rencontres"' in reply.text
    assert booking(sessions, reference).sequence == 0
    assert booking(sessions, reference).status == "booked"
    # an unknown or cancelled session is still « not found »
    assert sophie.get("/conseillers/rencontres/NQ-ABCDEFGH/deplacer").status == 404
    manager = signed_in(app, MANAGER)  # a manager can
    assert (
        manager.post(f"/conseillers/rencontres/{reference}/annuler", {"motif": "x"}).status == 303
    )


def test_forms_without_the_csrf_token_change_nothing(
    app: Sanic, sessions: sessionmaker[Session], two_sessions: dict[str, Any]
) -> None:
    reference = two_sessions["sophie"]
    sophie = signed_in(app, SOPHIE)
    for action, data in (("deplacer", {"moment": at(30, 9).isoformat()}), ("annuler", {})):
        url = f"/conseillers/rencontres/{reference}/{action}"
        assert sophie.post(url, data, csrf=False).status == 403
        assert sophie.post(url, {**data, "csrf": "faux"}, csrf=False).status == 403
    assert (booking(sessions, reference).status, booking(sessions, reference).sequence) == (
        "booked", 0)  # fmt: skip


def test_a_time_that_is_not_free_or_not_a_time_is_refused(
    app: Sanic, sessions: sessionmaker[Session], two_sessions: dict[str, Any]
) -> None:
    reference = two_sessions["sophie"]
    sophie = signed_in(app, SOPHIE)
    url = f"/conseillers/rencontres/{reference}/deplacer"
    assert sophie.post(url, {"moment": "demain"}).status == 400
    assert sophie.post(url, {"moment": "2026-11-30T09:00"}).status == 400  # no offset
    sunday = sophie.post(url, {"moment": at(29, 10).isoformat(), "motif": "Congé"})
    assert sunday.status == 409 and "plus libre" in sunday.text
    assert booking(sessions, reference).sequence == 0


def test_a_past_session_is_shown_but_cannot_be_changed(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead_id = lead(sessions, "Fleuriste")
    start = datetime.combine(FROZEN_NOW.date(), time(8), TIMEZONE)
    past = bookings.book(sessions, Slot(start, start + timedelta(hours=1), "sophie"), lead_id)
    sophie = signed_in(app, SOPHIE)
    week = sophie.get("/conseillers/rencontres?vue=semaine").text
    assert "Fleuriste" in week and "à marquer" in week
    assert "Déplacer<span" not in week.split("Fleuriste")[1].split("</li>")[0]
    listed = sophie.get("/conseillers/rencontres").text
    coming, passed = listed.split('id="passees"')
    assert "Fleuriste" not in coming and "Fleuriste" in passed  # to mark, not to move
    assert sophie.get(f"/conseillers/rencontres/{past.reference}/annuler").status == 404
