"""The privacy officer's pages and the public privacy page's request form in a real browser
(Chromium, on the running product), checked with axe-core (WCAG 2.1 A and AA) on a desktop and
a phone: find a person, open their file, erase it; the incident register; a rights request."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, expect

from bot.settings import Settings
from bot.storage.accounts import create_account
from bot.storage.database import sessions_for
from bot.storage.leads import save_submission
from tests.e2e.test_workspace_browser import PASSWORD, SIZES, check, open_page, sign_in
from tests.storage.test_leads import submission


@pytest.fixture(scope="module")
def officer(stack: Settings) -> dict[str, str]:
    suffix = uuid.uuid4().hex[:6]
    database = sessions_for(stack.database_url)
    manager = f"vie-privee-{suffix}@qcnum.example"
    create_account(database, manager, "Paule Privée", "manager", PASSWORD)
    email = f"efface-{suffix}@exemple.com"
    lead_id = save_submission(database, submission(email=email))
    return {"manager": manager, "email": email, "lead": str(lead_id)}


@pytest.mark.parametrize("size", list(SIZES))
def test_privacy_pages(
    browser: Browser, stack: Settings, officer: dict[str, str], size: str
) -> None:
    page = open_page(browser, size)
    page.goto(f"{stack.web_url}/confidentialite")
    page.get_by_label("Votre nom").fill("Luc Gagné")
    page.get_by_label("Votre courriel").fill(f"luc-{size}@exemple.com")
    page.get_by_label("Votre demande").select_option("acces")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("status")).to_contain_text("Merci, votre demande est reçue")
    check(page, f"confidentialite-publique-{size}")

    sign_in(page, stack, officer["manager"])
    page.get_by_role("link", name="Confidentialité").click()
    expect(page.locator("#demandes")).to_be_visible()
    expect(page.locator("table").last).to_contain_text(f"luc-{size}@exemple.com")
    page.get_by_label("Courriel, téléphone ou nom").fill(officer["email"])
    page.get_by_role("button", name="Chercher").click()
    check(page, f"confidentialite-{size}")
    page.get_by_role("link", name=f"Dossier n° {officer['lead']}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Boutique Chez Marie")
    check(page, f"confidentialite-dossier-{size}")
    page.goto(f"{stack.web_url}/conseillers/confidentialite/incidents")
    check(page, f"incidents-{size}")
    if size == "bureau":
        page.get_by_label("Date où l'incident a été constaté").fill("2026-11-20")
        page.get_by_label("Description de l'incident").fill("Courriel au mauvais destinataire")
        page.get_by_label("Renseignements personnels visés").fill("nom et courriel")
        page.get_by_label("faible").check()
        page.get_by_label("Évaluation du risque").fill("un seul destinataire, de l'équipe")
        page.get_by_role("button", name="Inscrire l'incident").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Incident n°")
        check(page, "incident-bureau")


def test_erase_a_file(browser: Browser, stack: Settings, officer: dict[str, str]) -> None:
    page = open_page(browser, "bureau")
    sign_in(page, stack, officer["manager"])
    page.goto(f"{stack.web_url}/conseillers/confidentialite/personnes/{officer['lead']}")
    page.get_by_label("Je confirme l'effacement définitif").check()
    page.get_by_role("button", name="Effacer ce dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Dossier n° {officer['lead']} effacé"
    )
    check(page, "confidentialite-efface-bureau")
    page.goto(f"{stack.web_url}/conseillers/confidentialite?q={officer['email']}")
    expect(page.locator("main")).to_contain_text("Aucune personne trouvée")
