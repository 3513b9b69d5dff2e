"""The workspace's queues through Sanic's test client, on SQLite and PostgreSQL: no page or form
without signing in, advisor and manager rights, CSRF; a person confirms or overturns an
automated refusal (a new, human decision beside the automated one, a history event, the
merchant's French e-mail in the outbox); callbacks marked done; leads waiting for their first
contact at a frozen "now"; callbacks assigned to a team member (who may, the lead's history,
« Mes rappels »); and the team's e-mails (new lead, review, callback request)."""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta, timezone
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from html import unescape
from pathlib import Path

import pytest
from sanic import Sanic
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import cli
from bot.booking import Scheduler
from bot.eligibility import Decision as Verdict
from bot.eligibility import Outcome
from bot.mail import mail_settings
from bot.notifications import (
    CALLBACK_REQUESTED,
    NEW_LEAD,
    REVIEW_REQUESTED,
    notify_team,
    send_digest,
    team_for,
    tell_team,
)
from bot.scheduling.config import load_availability
from bot.settings import Settings, load_settings
from bot.storage import queues
from bot.storage.leads import request_callback, request_review
from bot.storage.models import Account, Booking, CallbackRequest, Decision, Lead, LeadEvent
from bot.workspace import Viewer
from tests.conftest import FROZEN_NOW
from tests.web.test_workspace import Browser, app, lead, signed_in

__all__ = ["app"]
NOW = FROZEN_NOW  # the tests' clock: why it is fixed, in tests/conftest.py
REFUSAL = Verdict(Outcome.NOT_ELIGIBLE, ["Le commerce est hors de l'agglomération de Québec."])
PAGES = ["/conseillers/files", "/conseillers/files/revisions/1"]
FORMS = ["/conseillers/files/revisions/1", "/conseillers/files/rappels/1/fait",
         "/conseillers/files/rappels/1/attribution"]  # fmt: skip


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path, tracker_db=tmp_path / "t.db",
        frozen_clock=NOW, team_email="equipe@qcnum.example",
        workspace_url="https://numeriqc.example", first_contact_days=2, smtp_host="",
    )  # fmt: skip


def refusal(sessions: sessionmaker[Session], name: str, advisor: str | None = None) -> int:
    """A lead refused automatically whose merchant asked a person to review the decision."""
    lead_id = lead(sessions, name, advisor, decision=REFUSAL)
    request_review(sessions, lead_id)
    return lead_id


def outbox(settings: Settings) -> list[EmailMessage]:
    folder = settings.var_dir / "outbox"
    return [
        message_from_bytes(path.read_bytes(), EmailMessage, policy=default)
        for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    ]


def body(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def decision_id(browser: Browser, lead_id: int) -> str:
    page: str = browser.get(f"/conseillers/files/revisions/{lead_id}").text
    return page.split('name="decision" value="')[1].split('"')[0]


def account_id(sessions: sessionmaker[Session], email: str) -> int:
    with sessions() as session:
        return session.scalars(select(Account.id).where(Account.email == email)).one()


def test_no_queue_page_or_form_without_signing_in(app: Sanic) -> None:
    anonymous = Browser(app)
    for url in PAGES:
        reply = anonymous.get(url)
        assert reply.status == 302, url
        assert reply.headers["location"].startswith("/conseillers/connexion?suivant="), url
    for url in FORMS:
        assert anonymous.request("post", url, data={"motif": "x"}).status == 302, url


def test_overturning_a_refusal_stores_a_persons_decision_and_tells_the_merchant(
    app: Sanic, sessions: sessionmaker[Session], settings: Settings
) -> None:
    lead_id = refusal(sessions, "Boutique de Lévis", "sophie")
    sophie = signed_in(app, "sophie@qcnum.example")
    listing = sophie.get("/conseillers/files").text
    assert "Révisions demandées (1)" in listing and "Boutique de Lévis" in listing
    assert f'href="/conseillers/files/revisions/{lead_id}"' in listing
    url, chosen = f"/conseillers/files/revisions/{lead_id}", decision_id(sophie, lead_id)
    empty = sophie.post(url, {"decision": chosen, "verdict": "renverser", "motif": "  "})
    assert empty.status == 400 and "Le motif est obligatoire" in empty.text
    too_long = sophie.post(url, {"decision": chosen, "verdict": "renverser", "motif": "x" * 1001})
    assert too_long.status == 400 and "dépasse 1000 caractères" in too_long.text
    no_verdict = sophie.post(url, {"decision": chosen, "verdict": "peut-être", "motif": "Oui"})
    assert no_verdict.status == 400 and "confirmer ou de renverser" in no_verdict.text
    assert outbox(settings) == []

    reason = "Le commerce a pignon sur rue à Québec, la boutique de Lévis est un entrepôt."
    done = sophie.post(url, {"decision": chosen, "verdict": "renverser", "motif": reason})
    assert done.status == 303 and done.headers["location"] == f"/conseillers/pistes/{lead_id}"

    with sessions() as session:
        automated, human = session.scalars(
            select(Decision).where(Decision.lead_id == lead_id).order_by(Decision.id)
        ).all()
        assert (automated.outcome, automated.automated) == ("non admissible", True)
        assert (human.outcome, human.automated, human.reasons) == ("admissible", False, [reason])
        assert human.decided_by == account_id(sessions, "sophie@qcnum.example")
        assert human.review_of == automated.id and human.score == automated.score
        assert human.decided_at.replace(tzinfo=timezone.utc) == NOW
        [event] = session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead_id)).all()
        assert (event.kind, event.before, event.after) == (
            "révision",
            "non admissible",
            "admissible",
        )

    [mail] = outbox(settings)
    assert mail["To"].endswith("@x.ca")  # the merchant's address
    assert mail["Subject"] == "Révision de votre demande : votre commerce est admissible"
    text = body(mail)
    assert text.startswith("Bonjour Marie Tremblay,")
    assert "Sophie, de l'équipe du programme, a révisé votre dossier le lundi 23 novembre" in text
    assert "la décision automatique est renversée : votre commerce est admissible" in text
    assert f"Motif : {reason}" in text and "555-1234" not in text

    page = sophie.get(f"/conseillers/pistes/{lead_id}").text
    assert "Refus renversé après révision par une personne" in page
    assert "(décision automatique)" not in page.split('id="decision"')[1].split("</section>")[0]
    assert "Révisions demandées (0)" in sophie.get("/conseillers/files").text
    again = sophie.post(url, {"decision": chosen, "verdict": "confirmer", "motif": "Non"})
    assert again.status == 404 and len(outbox(settings)) == 1  # already reviewed


def test_confirming_a_refusal_keeps_it_and_says_so_to_the_merchant(
    app: Sanic, sessions: sessionmaker[Session], settings: Settings
) -> None:
    lead_id = refusal(sessions, "Commerce en ligne")
    manager = signed_in(app, "gestion@qcnum.example")
    url = f"/conseillers/files/revisions/{lead_id}"
    reply = manager.post(url, {"decision": decision_id(manager, lead_id), "verdict": "confirmer",
                               "motif": "Aucune place d'affaires dans l'agglomération."})  # fmt: skip
    assert reply.status == 303
    with sessions() as session:
        latest = session.scalars(
            select(Decision).where(Decision.lead_id == lead_id).order_by(Decision.id.desc())
        ).first()
        assert latest is not None and (latest.outcome, latest.automated) == (
            "non admissible",
            False,
        )
    [mail] = outbox(settings)
    assert mail["Subject"] == "Révision de votre demande : la décision est maintenue"
    text = body(mail)
    assert "la décision automatique est maintenue : votre commerce n'est pas admissible" in text
    assert "Motif : Aucune place d'affaires dans l'agglomération." in text
    assert "CQCD" in text


def test_rights_and_csrf_on_reviews(
    app: Sanic, sessions: sessionmaker[Session], settings: Settings
) -> None:
    sophies = refusal(sessions, "Boutique de Sophie", "sophie")
    marc = signed_in(app, "marc@qcnum.example")
    assert "Boutique de Sophie" not in marc.get("/conseillers/files").text
    url = f"/conseillers/files/revisions/{sophies}"
    assert marc.get(url).status == 404
    form = {"decision": "1", "verdict": "renverser", "motif": "Je m'en occupe."}
    assert marc.post(url, form).status == 404
    sophie = signed_in(app, "sophie@qcnum.example")
    form["decision"] = decision_id(sophie, sophies)
    assert sophie.post(url, form, csrf=False).status == 403
    assert sophie.post(url, {**form, "csrf": "faux"}, csrf=False).status == 403
    with sessions() as session:
        assert len(session.scalars(select(Decision).where(Decision.lead_id == sophies)).all()) == 1
    assert outbox(settings) == []
    # an eligible lead has nothing to review, even with its id in the form
    eligible = lead(sessions, "Boutique admissible", "sophie")
    request_review(sessions, eligible)
    assert sophie.get(f"/conseillers/files/revisions/{eligible}").status == 404


def test_a_callback_is_marked_done_with_who_and_when(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead_id = lead(sessions, "Fleuriste Montcalm", "sophie")
    request_callback(sessions, lead_id, "plutôt le matin")
    marcs = lead(sessions, "Boutique de Marc", "marc")
    request_callback(sessions, marcs, None)
    with sessions() as session:
        mine, his = session.scalars(select(CallbackRequest.id).order_by(CallbackRequest.id)).all()
    sophie = signed_in(app, "sophie@qcnum.example")
    listing = sophie.get("/conseillers/files").text
    assert "Rappels demandés (1)" in listing and "plutôt le matin" in listing
    assert "Boutique de Marc" not in listing
    assert sophie.post(f"/conseillers/files/rappels/{his}/fait", {}).status == 404
    assert sophie.post(f"/conseillers/files/rappels/{mine}/fait", {}, csrf=False).status == 403
    done = sophie.post(f"/conseillers/files/rappels/{mine}/fait", {})
    assert done.status == 303 and done.headers["location"] == "/conseillers/files#rappels"
    again = sophie.post(f"/conseillers/files/rappels/{mine}/fait", {})
    assert again.status == 400 and "Ce rappel est déjà fait." in again.text
    with sessions() as session:
        callback = session.get_one(CallbackRequest, mine)
        assert callback.status == "done"
        assert callback.done_by == account_id(sessions, "sophie@qcnum.example")
        assert callback.done_at is not None
        assert callback.done_at.replace(tzinfo=timezone.utc) == NOW
        [event] = session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead_id)).all()
        assert event.kind == "rappel" and "plutôt le matin" in (event.note or "")
    assert "Rappels demandés (0)" in sophie.get("/conseillers/files").text
    manager = signed_in(app, "gestion@qcnum.example").get("/conseillers/files").text
    assert "Rappels demandés (1)" in manager and "Boutique de Marc" in manager


def test_an_unwanted_callback_is_set_aside_and_the_queue_is_paged(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead_id = lead(sessions, "Fleuriste Montcalm", "sophie")
    for n in range(27):
        request_callback(sessions, lead_id, f"souhait {n:02d}")
    with sessions() as session:
        first = session.scalars(select(CallbackRequest.id).order_by(CallbackRequest.id)).first()
    manager = signed_in(app, "gestion@qcnum.example")
    page = manager.get("/conseillers/files").text
    assert "Rappels demandés (27)" in page and "Page 1 sur 2" in page
    assert "souhait 00" in page and "souhait 25" not in page
    second = manager.get("/conseillers/files?rappels=2").text
    assert "souhait 25" in second and "souhait 26" in second and "souhait 00" not in second
    assert "Page 1 sur 2" in manager.get("/conseillers/files?rappels=abc").text  # ignored
    aside = manager.post(f"/conseillers/files/rappels/{first}/indesirable", {})
    assert aside.status == 303
    with sessions() as session:
        assert session.get_one(CallbackRequest, first).status == "spam"
        [event] = session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead_id)).all()
        assert "classé indésirable" in (event.note or "")
    after = manager.get("/conseillers/files").text
    assert "Rappels demandés (26)" in after and "souhait 00" not in after
    again = manager.post(f"/conseillers/files/rappels/{first}/fait", {})
    assert again.status == 400 and "Ce rappel est déjà classé indésirable." in again.text
    lead_page = manager.get(f"/conseillers/pistes/{lead_id}").text
    assert "« souhait 00 » (indésirable)" in lead_page and "« souhait 01 » (à faire" in lead_page


def callback_of(sessions: sessionmaker[Session], lead_id: int) -> int:
    with sessions() as session:
        return session.scalars(
            select(CallbackRequest.id).where(CallbackRequest.lead_id == lead_id)
        ).one()


def rappels(page: str) -> str:
    """The callbacks' section of the queues page."""
    return page.split('id="rappels"')[1].split('id="premier-contact"')[0]


def test_a_manager_assigns_a_callback_and_each_finds_theirs(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    free = lead(sessions, "Fleuriste Montcalm")
    request_callback(sessions, free, "plutôt le matin")
    sophies = lead(sessions, "Boutique de Sophie", "sophie")
    request_callback(sessions, sophies, None)
    to_assign, sophies_callback = callback_of(sessions, free), callback_of(sessions, sophies)
    sophie_id, marc_id = (account_id(sessions, f"{n}@qcnum.example") for n in ("sophie", "marc"))
    manager = signed_in(app, "gestion@qcnum.example")
    section = rappels(manager.get("/conseillers/files").text)
    assert section.count("Non attribué") == 2
    form = section.split(f"/files/rappels/{to_assign}/attribution")[1].split("</form>")[0]
    assert f'<option value="{sophie_id}">Sophie</option>' in form
    assert f'<option value="{marc_id}">Marc</option>' in form and "Me l'attribuer" in form
    form = section.split(f"/files/rappels/{sophies_callback}/attribution")[1].split("</form>")[0]
    assert f'value="{marc_id}"' not in form  # Marc does not see Sophie's lead

    url = f"/conseillers/files/rappels/{to_assign}/attribution"
    given = manager.post(url, {"compte": str(sophie_id)})
    assert given.status == 303 and given.headers["location"] == "/conseillers/files#rappels"
    assert "Attribué à Sophie" in rappels(manager.get("/conseillers/files").text)
    refused = manager.post(
        f"/conseillers/files/rappels/{sophies_callback}/attribution", {"compte": str(marc_id)}
    )
    assert refused.status == 400 and "Marc ne voit pas cette piste" in unescape(refused.text)
    with sessions() as session:
        [event] = session.scalars(select(LeadEvent).where(LeadEvent.lead_id == free)).all()
        assert event.note == "Rappel demandé le 2026-11-23 attribué à Sophie."
        assert session.get_one(CallbackRequest, sophies_callback).assigned_to is None
    lead_page = manager.get(f"/conseillers/pistes/{free}").text
    assert "(à faire, attribué à Sophie)" in lead_page and "attribué à Sophie." in lead_page

    sophie = signed_in(app, "sophie@qcnum.example")
    everything = rappels(sophie.get("/conseillers/files").text)
    assert "Rappels demandés (2)" in everything and "<select" not in everything
    mine = rappels(sophie.get("/conseillers/files?mes_rappels=oui").text)
    assert "Rappels demandés (1)" in mine and "Fleuriste Montcalm" in mine
    assert "Boutique de Sophie" not in mine and 'aria-current="page">Mes rappels' in mine
    marc = rappels(
        signed_in(app, "marc@qcnum.example").get("/conseillers/files?mes_rappels=oui").text
    )
    assert "Aucun rappel ne vous est attribué." in marc


def test_an_advisor_takes_a_callback_or_gives_it_back_and_no_more(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    free = lead(sessions, "Fleuriste Montcalm")
    request_callback(sessions, free, None)
    marcs = lead(sessions, "Boutique de Marc", "marc")
    request_callback(sessions, marcs, None)
    callback, his = callback_of(sessions, free), callback_of(sessions, marcs)
    url = f"/conseillers/files/rappels/{callback}/attribution"
    sophie, marc = signed_in(app, "sophie@qcnum.example"), signed_in(app, "marc@qcnum.example")
    assert sophie.post(url, {"moi": "oui"}, csrf=False).status == 403
    assert sophie.post(url, {"moi": "oui", "csrf": "faux"}, csrf=False).status == 403
    assert (
        sophie.post(f"/conseillers/files/rappels/{his}/attribution", {"moi": "oui"}).status == 404
    )
    marc_id = account_id(sessions, "marc@qcnum.example")
    other = sophie.post(url, {"compte": str(marc_id)})
    assert other.status == 400 and "Seul un gestionnaire" in other.text
    garbled = sophie.post(url, {"compte": "n'importe quoi"})
    assert garbled.status == 400 and "Choisissez un conseiller dans la liste." in garbled.text
    with sessions() as session:
        assert session.get_one(CallbackRequest, callback).assigned_to is None

    taken = sophie.post(url, {"moi": "oui", "mes_rappels": "oui"})
    assert taken.status == 303
    assert taken.headers["location"] == "/conseillers/files?mes_rappels=oui#rappels"
    page = rappels(sophie.get("/conseillers/files?mes_rappels=oui").text)
    assert "Attribué à Sophie" in page and "Ne plus m'en occuper" in page
    his_view = rappels(marc.get("/conseillers/files").text)
    assert "Attribué à Sophie" in his_view
    assert his_view.count("/attribution") == 1  # only for his own lead's callback
    stolen = marc.post(url, {"moi": "oui"})
    assert stolen.status == 400 and "attribué à Sophie : seul un gestionnaire" in unescape(
        stolen.text
    )
    assert sophie.post(url, {"compte": ""}).status == 303  # given back
    assert marc.post(url, {"moi": "oui"}).status == 303
    with sessions() as session:
        assert session.get_one(CallbackRequest, callback).assigned_to == marc_id
        notes = session.scalars(select(LeadEvent.note).where(LeadEvent.lead_id == free)).all()
    assert notes == [
        "Rappel demandé le 2026-11-23 attribué à Sophie.",
        "Rappel demandé le 2026-11-23 : n'est plus attribué à Sophie.",
        "Rappel demandé le 2026-11-23 attribué à Marc.",
    ]


def test_mes_rappels_keeps_its_filter_from_page_to_page(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead_id = lead(sessions, "Fleuriste Montcalm")
    for n in range(27):
        request_callback(sessions, lead_id, f"souhait {n:02d}")
    manager = signed_in(app, "gestion@qcnum.example")
    with sessions() as session:
        ids = session.scalars(select(CallbackRequest.id).order_by(CallbackRequest.id)).all()
    for callback in ids:
        assert manager.post(f"/conseillers/files/rappels/{callback}/attribution",
                            {"moi": "oui"}).status == 303  # fmt: skip
    page = manager.get("/conseillers/files?mes_rappels=oui").text
    assert (
        "Page 1 sur 2" in page
        and 'href="/conseillers/files?mes_rappels=oui&amp;rappels=2#rappels"' in page
    )
    second = manager.get("/conseillers/files?mes_rappels=oui&rappels=2").text
    assert "souhait 26" in second and "souhait 00" not in second
    assert "Attribué à Gestion" in second


def test_leads_waiting_for_their_first_contact_at_a_frozen_now(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    def arrived(name: str, days: float, **kw: object) -> int:
        lead_id = lead(sessions, name, **kw)  # type: ignore[arg-type]
        with sessions.begin() as session:
            session.get_one(Lead, lead_id).created_at = NOW - timedelta(days=days)
        return lead_id

    waiting = arrived("Attend depuis trois jours", 3)
    arrived("Arrivé hier", 1)
    arrived("Refusé il y a longtemps", 10, decision=REFUSAL)
    contacted = arrived("Déjà contacté", 5)
    booked = arrived("Rencontre prévue", 4)
    marcs = arrived("Piste de Marc", 6, advisor="marc")
    with sessions.begin() as session:
        session.get_one(Lead, contacted).status = "contacté"
        session.add(Booking(reference="NQ-ABCDEF", lead_id=booked, advisor_id="sophie",
                            starts_at=NOW + timedelta(days=1), ends_at=NOW + timedelta(days=1, hours=1)))  # fmt: skip

    sophie = Viewer(1, "Sophie", "s@x", "advisor", "sophie")
    found = queues.waiting_first_contact(sessions, sophie, 2, NOW)
    assert [(w.lead_id, w.days) for w in found] == [(waiting, 3)]
    manager = Viewer(1, "Gestion", "g@x", "manager", None)
    found = queues.waiting_first_contact(sessions, manager, 2, NOW)
    assert [w.lead_id for w in found] == [marcs, waiting]  # longest wait first
    assert [w.lead_id for w in queues.waiting_first_contact(sessions, manager, 5, NOW)] == [marcs]
    later = queues.waiting_first_contact(sessions, sophie, 2, NOW + timedelta(days=2))
    assert {w.business for w in later} == {"Attend depuis trois jours", "Arrivé hier"}

    page = signed_in(app, "sophie@qcnum.example").get("/conseillers/files").text
    section = page.split('id="premier-contact"')[1]
    assert "En attente d'un premier contact (1)" in page
    assert "Attend depuis trois jours" in section and "3 jours" in section
    assert "Arrivé hier" not in section and "Piste de Marc" not in section


def test_the_queues_are_in_the_navigation(app: Sanic) -> None:
    page = signed_in(app, "sophie@qcnum.example").get("/conseillers/").text
    assert '<a href="/conseillers/files">Files d\'attente</a>' in page


# The team's e-mails


def test_the_team_is_told_of_a_new_eligible_lead_with_a_link_and_no_contact_details(
    sessions: sessionmaker[Session], settings: Settings
) -> None:
    lead_id = lead(sessions, "Boutique Chez Marie")
    assert notify_team(team_for(settings), sessions, NEW_LEAD, lead_id)
    [mail] = outbox(settings)
    assert mail["To"] == "equipe@qcnum.example"
    assert mail["Subject"].startswith("Nouvelle piste (admissible, priorité ")
    assert mail["Subject"].endswith(": Boutique Chez Marie")
    text = body(mail)
    assert f"https://numeriqc.example/conseillers/pistes/{lead_id}" in text
    assert "+14185551234" not in text and "418" not in text and "@x.ca" not in text
    assert "Marie Tremblay" not in text


def test_a_refused_lead_is_announced_only_when_its_review_is_requested(
    sessions: sessionmaker[Session], settings: Settings
) -> None:
    team = team_for(settings)
    lead_id = lead(sessions, "Boutique de Lévis", decision=REFUSAL)
    assert not notify_team(team, sessions, NEW_LEAD, lead_id)
    assert notify_team(team, sessions, REVIEW_REQUESTED, lead_id)
    [mail] = outbox(settings)
    assert mail["Subject"] == "Révision demandée : Boutique de Lévis"
    assert f"/conseillers/pistes/{lead_id}" in body(mail) and "non admissible" in body(mail)


def test_no_team_address_no_team_mail(sessions: sessionmaker[Session], settings: Settings) -> None:
    lead_id = lead(sessions, "Boutique")
    team = team_for(dataclasses.replace(settings, team_email=""))
    assert not notify_team(team, sessions, NEW_LEAD, lead_id)
    assert outbox(settings) == []


def test_a_callback_request_in_the_chat_tells_the_team(
    sessions: sessionmaker[Session], settings: Settings
) -> None:
    lead_id = lead(sessions, "Fleuriste")
    scheduler = Scheduler(
        sessions, load_availability(settings.advisors_file), mail_settings(settings),
        settings.program_website, clock=lambda: NOW, team=team_for(settings),
    )  # fmt: skip
    scheduler.request_callback(lead_id, "appelez-moi au 418 555-1234")
    [mail] = outbox(settings)
    assert mail["Subject"] == "Rappel demandé : Fleuriste"
    assert "555" not in body(mail)  # the wish stays in the workspace
    with sessions() as session:
        assert session.scalars(select(CallbackRequest.status)).all() == ["open"]


def test_a_failure_to_notify_never_raises_and_logs_no_personal_data(
    sessions: sessionmaker[Session], settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    lead_id = lead(sessions, "Boutique secrète")
    (settings.var_dir / "outbox").write_text("a file where the outbox folder should be")
    with caplog.at_level(logging.ERROR, logger="bot.notifications"):
        assert not notify_team(team_for(settings), sessions, NEW_LEAD, lead_id)
    assert "not sent" in caplog.text and "Boutique secrète" not in caplog.text


def test_the_chat_actions_tell_the_team_with_the_running_settings(
    sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAM_EMAIL", "equipe@qcnum.example")
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SMTP_HOST", "")
    monkeypatch.setenv("WORKSPACE_URL", "https://numeriqc.example/")
    lead_id = lead(sessions, "Boutique")
    assert tell_team(sessions, CALLBACK_REQUESTED, lead_id)
    [mail] = outbox(dataclasses.replace(load_settings(), var_dir=tmp_path / "var"))
    assert f"https://numeriqc.example/conseillers/pistes/{lead_id}" in body(mail)


def test_the_daily_digest_names_the_leads_of_the_last_day(
    sessions: sessionmaker[Session], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh, old = lead(sessions, "Arrivée ce matin"), lead(sessions, "Arrivée avant-hier")
    with sessions.begin() as session:
        session.get_one(Lead, fresh).created_at = NOW - timedelta(hours=3)
        session.get_one(Lead, old).created_at = NOW - timedelta(days=2)
    assert send_digest(settings, sessions, NOW) == 1
    [mail] = outbox(settings)
    assert mail["To"] == "equipe@qcnum.example"
    assert mail["Subject"] == "1 nouvelle piste depuis le dimanche 22 novembre"
    assert "Arrivée ce matin" in body(mail) and "Arrivée avant-hier" not in body(mail)
    assert send_digest(settings, sessions, NOW + timedelta(days=3)) == 0  # nothing new: no mail
    assert len(outbox(settings)) == 1
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("TEAM_EMAIL", "")
    assert cli.main(["digest"]) == 1  # no team address: said, nothing sent
