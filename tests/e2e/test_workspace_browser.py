"""The advisor workspace in a real browser (Debian's Chromium driven by Playwright), on the
running product: sign in, open the top lead, read its brief and transcript, change its status,
add a note, see and move its session (booked in the chat); a hostile business name stays text;
assign a callback request and find it in « Mes rappels »; a forgotten password replaced through
the e-mailed link; an advisor's first week (a follow-up reminder set on the lead's page and done
from the queue, a mail to the merchant, a session marked held and undone, « Mes pistes » and a
saved filter, « Mon calendrier » and its feed); each page is saved as a screenshot (desktop and
phone) under test-results/workspace/ and checked with axe-core (WCAG 2.1 A and AA)."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from datetime import time as clock_time
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest
from axe_playwright_python.sync_playwright import Axe
from icalendar import Calendar
from playwright.sync_api import Browser, Dialog, Page, expect

from bot.scheduling import TIMEZONE
from bot.scheduling.slots import Slot
from bot.settings import ROOT, Settings
from bot.storage import bookings
from bot.storage.accounts import create_account
from bot.storage.database import sessions_for
from bot.storage.leads import request_callback, save_submission
from bot.storage.models import Lead
from tests.conftest import FROZEN_NOW, Responses
from tests.e2e.test_booking_conversation import (
    ASK_WHEN,
    buttons,
    event_of,
    mails_about,
    reference_in,
)
from tests.e2e.test_diagnostic_conversation import DIAGNOSTIC, eligible, summary_said
from tests.e2e.test_intake_conversation import Chat
from tests.storage.test_leads import INTAKE, submission

SHOTS = ROOT / "test-results" / "workspace"
PASSWORD = "une phrase de passe assez longue"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SIZES = {"bureau": (1280, 900), "telephone": (375, 740)}


@pytest.fixture(scope="module")
def team(stack: Settings, responses: Responses) -> dict[str, str]:
    """A manager account, a merchant who went through the intake and the diagnostic in the
    chat, and a lead whose business name is a script."""
    suffix = uuid.uuid4().hex[:6]
    database = sessions_for(stack.database_url)
    manager = f"gestion-{suffix}@qcnum.example"
    create_account(database, manager, "Geneviève Gestion", "manager", PASSWORD)
    chat = Chat(stack, responses)
    email = f"atelier-{suffix}@exemple.com"
    eligible(chat, email)
    said = chat.say("/affirm")
    for _ in range(20):
        if summary_said(chat):
            break
        said = chat.say(DIAGNOSTIC[said[-1]])
    assert chat.say("oui") == ["utter_diagnostic_saved"]
    assert chat.say("/request_booking") == ASK_WHEN  # and books the first time proposed
    assert chat.say(buttons(chat)[0]["payload"]) == ["utter_ask_booking_confirm"]
    assert chat.say("oui") == ["utter_booking_done"]
    hostile = "<script>alert(1)</script> " + suffix
    save_submission(
        database,
        submission(
            replace(INTAKE, business_name=hostile),
            email=f"h-{suffix}@x.ca",
        ),
    )
    return {
        "manager": manager,
        "business": f"Boutique {email}",
        "hostile": hostile,
        "reference": reference_in(chat),
    }


def open_page(browser: Browser, size: str) -> Page:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-CA")
    return context.new_page()


def sign_in(page: Page, stack: Settings, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{stack.web_url}/conseillers/")
    expect(page).to_have_url(f"{stack.web_url}/conseillers/connexion?suivant=/conseillers/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.keyboard.press("Enter")  # the keyboard is enough
    expect(page.get_by_role("heading", name="Pistes")).to_be_visible()


def check(page: Page, name: str) -> None:
    """Save a screenshot and assert axe-core finds no WCAG 2.1 A/AA violation; on a phone,
    nothing scrolls sideways: neither the page nor a list (its rows become cards)."""
    if page.viewport_size and page.viewport_size["width"] <= 400:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        assert page.evaluate(
            "[...document.querySelectorAll('.cards')].every(r => r.scrollWidth <= r.clientWidth)"
        ), name
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"{name}-ecran.png"))  # what the first screen shows
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("size", list(SIZES))
def test_sign_in_open_the_lead_follow_it_up(
    browser: Browser, stack: Settings, team: dict[str, str], size: str
) -> None:
    page = open_page(browser, size)
    page.goto(f"{stack.web_url}/conseillers/connexion")
    check(page, f"connexion-{size}")
    sign_in(page, stack, team["manager"])
    scores = [int(s) for s in page.locator("td.score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True) and scores  # the top lead first
    check(page, f"pistes-{size}")
    page.get_by_label("Commerce, contact ou conversation").fill(team["business"])
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name=team["business"]).click()
    expect(page.get_by_role("heading", name=team["business"], level=1)).to_be_visible()
    expect(page.locator("p.brief")).to_contain_text("maturité numérique")
    transcript = page.locator("ol.transcript")
    expect(transcript).to_contain_text("je veux vérifier mon admissibilité")
    expect(transcript).to_contain_text("Voici ce que j'ai noté")
    check(page, f"piste-{size}")
    if size == "bureau":
        page.get_by_label("Nouveau statut").select_option("contacté")
        page.get_by_role("button", name="Changer le statut").click()
        expect(page.locator(".lead-in")).to_contain_text("Statut : contacté")
        page.get_by_label("Ajouter une note").fill("Appelée, rappeler jeudi.")
        page.get_by_role("button", name="Ajouter la note").click()
        history = page.locator("ol.history")
        expect(history).to_contain_text("statut « nouveau » → « contacté »")
        expect(history).to_contain_text("Appelée, rappeler jeudi.")
        page.goto(f"{stack.web_url}/conseillers/journal")
        expect(page.locator("table")).to_contain_text("Geneviève Gestion")
        check(page, f"journal-{size}")


def test_a_hostile_business_name_is_text(
    browser: Browser, stack: Settings, team: dict[str, str]
) -> None:
    page = open_page(browser, "bureau")
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    sign_in(page, stack, team["manager"])
    page.get_by_label("Commerce, contact ou conversation").fill(team["hostile"][-6:])
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name=team["hostile"])).to_be_visible()
    page.get_by_role("link", name=team["hostile"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(team["hostile"])
    assert dialogs == [] and page.locator("main script").count() == 0


def test_tab_reaches_the_skip_link_first(
    browser: Browser, stack: Settings, team: dict[str, str]
) -> None:
    page = open_page(browser, "telephone")
    sign_in(page, stack, team["manager"])
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Aller au contenu")


def test_see_and_move_the_session_booked_in_the_chat(
    browser: Browser, stack: Settings, team: dict[str, str]
) -> None:
    page = open_page(browser, "bureau")
    sign_in(page, stack, team["manager"])
    page.get_by_role("link", name="Rencontres").click()
    row = page.locator("tr", has_text=team["business"])
    expect(row).to_be_visible()
    check(page, "rencontres-bureau")
    row.get_by_role("link", name=f"Déplacer la rencontre {team['reference']}").click()
    check(page, "deplacer-bureau")
    choice = page.get_by_label("Nouveau moment (heure de Québec)")
    choice.select_option(index=1)  # not the first free time: another one
    page.get_by_label("Motif (le commerçant le reçoit par courriel)").fill(
        "Conseillère en formation"
    )
    page.get_by_role("button", name="Déplacer la rencontre").click()
    expect(page.locator("main")).to_contain_text(team["reference"])
    method, event = event_of(mails_about(stack, team["reference"])[-1])
    assert (method, int(event["SEQUENCE"])) == ("REQUEST", 1)
    page.goto(f"{stack.web_url}/conseillers/rencontres?vue=semaine")
    check(page, "semaine-bureau")
    page.set_viewport_size({"width": 375, "height": 740})
    check(page, "semaine-telephone")
    page.goto(f"{stack.web_url}/conseillers/rencontres")
    expect(page.locator("tr", has_text=team["business"])).to_be_visible()
    check(page, "rencontres-telephone")


@pytest.mark.parametrize("size", list(SIZES))
def test_queues_and_analytics_pages(
    browser: Browser, stack: Settings, team: dict[str, str], size: str
) -> None:
    """The queues, with a callback request taken (« Me l'attribuer »), found in « Mes
    rappels », then given to an advisor; the analytics."""
    suffix = uuid.uuid4().hex[:6]
    database = sessions_for(stack.database_url)
    advisor = f"Sophie Gagnon {suffix}"
    create_account(database, f"sophie-{suffix}@qcnum.example", advisor, "advisor", PASSWORD,
                   "sophie")  # fmt: skip
    business = f"Fleuriste {suffix}"
    lead_id = save_submission(
        database, submission(replace(INTAKE, business_name=business), email=f"f-{suffix}@x.ca")
    )
    request_callback(database, lead_id, "Plutôt en fin de journée, après la fermeture.")
    page = open_page(browser, size)
    sign_in(page, stack, team["manager"])
    page.get_by_role("link", name="Files d'attente").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    row = page.locator("tr", has_text=business)
    expect(row).to_contain_text("Non attribué")
    check(page, f"files-{size}")
    row.get_by_role("button", name="Me l'attribuer").click()
    expect(page.locator("tr", has_text=business)).to_contain_text("Attribué à Geneviève Gestion")
    page.get_by_role("link", name="Mes rappels").click()
    row = page.locator("tr", has_text=business)
    expect(row).to_be_visible()
    check(page, f"files-mes-rappels-{size}")
    row.get_by_label("Attribuer à").select_option(label=advisor)
    row.get_by_role("button", name="Attribuer le rappel").click()
    expect(page.locator("tr", has_text=business)).to_have_count(0)  # no longer « mes rappels »
    page.get_by_role("link", name="Tous").click()
    expect(page.locator("tr", has_text=business)).to_contain_text(f"Attribué à {advisor}")
    check(page, f"files-attribue-{size}")
    page.get_by_role("link", name="Statistiques").click()
    expect(page.locator("canvas").first).to_be_visible()
    check(page, f"statistiques-{size}")


def mail_to(stack: Settings, address: str) -> EmailMessage:
    """The one e-mail to `address` in the outbox (sent after the page's answer: waited for)."""
    deadline = time.monotonic() + 15
    while True:
        found = [
            mail
            for path in (stack.var_dir / "outbox").glob("*.eml")
            for mail in [message_from_bytes(path.read_bytes(), EmailMessage, policy=default)]
            if mail["To"] == address
        ]
        if found or time.monotonic() > deadline:
            assert len(found) == 1, address
            return found[0]
        time.sleep(0.1)


@pytest.mark.parametrize("size", list(SIZES))
def test_a_forgotten_password_replaced_through_the_e_mailed_link(
    browser: Browser, stack: Settings, size: str
) -> None:
    email = f"oubli-{uuid.uuid4().hex[:6]}@qcnum.example"
    create_account(sessions_for(stack.database_url), email, "Olivier Oubli", "manager", PASSWORD)
    page = open_page(browser, size)
    page.goto(f"{stack.web_url}/conseillers/connexion")
    page.get_by_role("link", name="Mot de passe oublié?").click()
    expect(page.get_by_role("heading", name="Mot de passe oublié")).to_be_visible()
    check(page, f"mot-de-passe-oublie-{size}")
    page.get_by_label("Courriel").fill(email)
    page.get_by_role("button", name="Recevoir un lien").click()
    expect(page.get_by_role("status")).to_contain_text("Si un compte actif utilise cette adresse")
    check(page, f"mot-de-passe-envoye-{size}")
    body = mail_to(stack, email).get_body(("plain",))
    assert body is not None
    [link] = [w for w in str(body.get_content()).split() if "/conseillers/mot-de-passe/" in w]
    page.goto(link)
    expect(page.get_by_role("heading", name="Nouveau mot de passe")).to_be_visible()
    check(page, f"mot-de-passe-nouveau-{size}")
    new_password = "trois mots faciles à retenir"
    page.get_by_label("Nouveau mot de passe").fill(new_password)
    page.get_by_label("Confirmez le mot de passe").fill(new_password)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_role("status")).to_contain_text("Votre mot de passe est changé")
    check(page, f"mot-de-passe-change-{size}")
    sign_in(page, stack, email, new_password)
    page.goto(link)  # used: the page says so and offers a new link
    expect(page.get_by_role("alert")).to_contain_text("Ce lien a déjà servi")
    check(page, f"mot-de-passe-lien-utilise-{size}")


@pytest.mark.parametrize(("size", "hour"), [("bureau", 8), ("telephone", 9)])
def test_an_advisors_first_week_on_the_lead_page(
    browser: Browser, stack: Settings, size: str, hour: int
) -> None:
    """An advisor's lead with a session this morning (the stack's clock: Monday 23 November
    2026, 10 h): the reminder, the mail and the session's mark on the lead's page, the reminder
    done from the queue; « Mes pistes » and a saved filter; « Mon calendrier » and its feed."""
    suffix = uuid.uuid4().hex[:6]
    database = sessions_for(stack.database_url)
    email = f"sophie-{size}-{suffix}@qcnum.example"
    create_account(database, email, f"Sophie Gagnon {suffix}", "advisor", PASSWORD, "sophie")
    business, merchant = f"Boulangerie {suffix}", f"b-{suffix}@x.ca"
    lead_id = save_submission(
        database, submission(replace(INTAKE, business_name=business), email=merchant)
    )
    with database.begin() as session:
        session.get_one(Lead, lead_id).advisor_id = "sophie"
    start = datetime.combine(FROZEN_NOW.date(), clock_time(hour), TIMEZONE)
    reference = bookings.book(
        database, Slot(start, start + timedelta(hours=1), "sophie"), lead_id
    ).reference
    page = open_page(browser, size)
    sign_in(page, stack, email)
    page.get_by_role("link", name="Mes pistes").click()
    expect(page.get_by_role("link", name=business)).to_be_visible()
    page.get_by_label("Nom du filtre").fill(f"Mes pistes {suffix}")
    page.get_by_role("button", name="Enregistrer ces filtres").click()
    expect(page.get_by_role("link", name=f"Mes pistes {suffix}")).to_be_visible()
    check(page, f"pistes-mes-filtres-{size}")
    page.get_by_role("link", name=business).click()
    expect(page.get_by_role("heading", name=business, level=1)).to_be_visible()
    check(page, f"piste-premiere-semaine-{size}")

    page.get_by_label("Date de la relance").fill("2026-11-23")
    page.get_by_label("Note de relance (facultative)").fill("Rappeler pour le devis")
    page.get_by_role("button", name="Prévoir la relance").click()
    expect(page.locator("main").get_by_role("status")).to_have_text("Relance enregistrée.")
    expect(page.locator(".reminder-due")).to_contain_text("le lundi 23 novembre")

    page.get_by_label("Objet").fill("Votre devis")
    page.get_by_label("Message").fill("Bonjour,\n\nVoici la suite.\n\nSophie")
    page.get_by_role("button", name="Envoyer le courriel").click()
    expect(page.locator("main").get_by_role("status")).to_contain_text(
        "Courriel envoyé au commerçant"
    )
    sent = mail_to(stack, merchant)
    assert sent["Subject"] == "Votre devis" and sent["Reply-To"]
    expect(page.locator("ol.history")).to_contain_text("Objet : Votre devis")

    page.get_by_role("button", name=f"Tenue : rencontre {reference}").click()
    expect(page.locator("main").get_by_role("status")).to_have_text("Rencontre marquée tenue.")
    check(page, f"piste-marques-{size}")
    page.get_by_role("button", name=f"Défaire le marquage de la rencontre {reference}").click()
    expect(page.get_by_role("button", name=f"Tenue : rencontre {reference}")).to_be_visible()

    page.get_by_role("link", name="Files d'attente").click()
    row = page.locator("#relances + p + div tr", has_text=business)
    expect(row).to_contain_text("Rappeler pour le devis")
    check(page, f"files-relances-{size}")
    row.get_by_role("button", name=f"Relance faite : {business}").click()
    expect(
        page.locator("tr", has_text=business).filter(has_text="Rappeler pour le devis")
    ).to_have_count(0)

    page.get_by_role("link", name="Rencontres").click()
    expect(page.locator("#passees ~ div tr", has_text=business)).to_contain_text("à marquer")
    check(page, f"rencontres-passees-{size}")
    page.get_by_role("link", name="Mon calendrier : abonner votre agenda à vos rencontres").click()
    check(page, f"calendrier-{size}")
    page.get_by_role("button", name="Créer mon lien d'abonnement").click()
    address = page.get_by_label("Lien à ajouter dans votre agenda", exact=False).input_value()
    check(page, f"calendrier-lien-{size}")
    feed = page.request.get(address)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    uids = [str(e["UID"]) for e in Calendar.from_ical(feed.body()).walk("VEVENT")]
    assert f"{reference}@numeriqc" in uids
    page.get_by_role("button", name="Révoquer et créer un nouveau lien").click()
    assert page.request.get(address).status == 404
