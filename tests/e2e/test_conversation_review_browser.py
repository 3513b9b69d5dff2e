"""« Conversations » and « Qualité » in a real browser (Debian's Chromium driven by Playwright),
on the web app alone (no Rasa: it reads a tracker store of known conversations) and the tests'
clock: a manager signs in by keyboard, filters the list, opens a conversation, tags it and marks
it reviewed with the keyboard only, and reads the quality report's charts; at desktop and phone
sizes (nothing scrolls sideways at 375 px), each page checked with axe-core (WCAG 2.1 A and AA)
and saved as a screenshot under test-results/workspace/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.storage.accounts import create_account
from bot.storage.database import sessions_for, upgrade
from tests.conftest import web_app_alone
from tests.e2e.test_workspace_browser import PASSWORD, SIZES, check
from tests.tracker_events import write
from tests.web.test_conversations import known_conversations

MANAGER = "gestion@qcnum.example"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app alone in its own process, on a SQLite database and tracker store."""
    folder = tmp_path_factory.mktemp("revue")
    url = f"sqlite:///{folder / 'numeriqc.db'}"
    upgrade(url)
    create_account(sessions_for(url), MANAGER, "Geneviève Gestion", "manager", PASSWORD)
    write(f"sqlite:///{folder / 'tracker.db'}", known_conversations())
    with web_app_alone(url, folder) as base:
        yield base


def signed_in(browser: Browser, base: str, size: str, path: str) -> Page:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-CA")
    page = context.new_page()
    page.goto(f"{base}{path}")
    page.get_by_label("Courriel").fill(MANAGER)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")  # the keyboard is enough
    return page


# Each size reviews its own conversation (the app and its database serve the whole module).
REVIEWED = {
    "bureau": ("Incompris deux fois de suite", "toujours pas"),
    "telephone": ("Formulaire abandonné", "Café"),
}


@pytest.mark.parametrize("size", list(SIZES))
def test_review_a_conversation_by_keyboard(browser: Browser, served: str, size: str) -> None:
    outcome, said = REVIEWED[size]
    page = signed_in(browser, served, size, "/conseillers/conversations")
    expect(page.get_by_role("heading", name="Conversations", level=1)).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(5)
    check(page, f"conversations-{size}")
    page.get_by_label("Ce qui s'est passé").select_option(label=outcome)
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.locator("tbody a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conversation du")
    expect(page.locator("ol.transcript")).to_contain_text(said)
    tag = f"suivi {size}"
    field = page.get_by_label("Ajouter une étiquette")
    field.focus()
    page.keyboard.type(tag)
    page.keyboard.press("Enter")  # the form is sent from the keyboard
    expect(page.locator("ul.tags")).to_contain_text(tag)
    review = page.get_by_role("button", name="Marquer comme revue")
    review.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Revue par Geneviève Gestion")).to_be_visible()
    check(page, f"conversation-{size}")
    page.get_by_role("link", name="Retour aux conversations").click()
    page.get_by_label("Revue", exact=True).select_option(label="Revues")
    page.get_by_label("Étiquette").fill(tag)
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Revue par Geneviève Gestion")
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_quality_report_draws_its_charts(browser: Browser, served: str, size: str) -> None:
    page = signed_in(browser, served, size, "/conseillers/qualite")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    expect(page.get_by_role("heading", name="Qualité de l'assistant")).to_be_visible()
    expect(page.locator("table")).to_have_count(5)
    page.wait_for_function("window.Chart && Object.keys(Chart.instances).length === 5")
    assert page.evaluate("Object.values(Chart.instances).every(c => c.width * c.height > 0)")
    expect(page.locator("#tableau-abandons")).to_contain_text(
        "Admissibilité, question 4 : Courriel"
    )
    check(page, f"qualite-{size}")
    page.get_by_label("Du", exact=True).fill("2026-11-01")
    page.get_by_label("Au", exact=True).fill("2026-11-21")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator(".lead-in")).to_contain_text("2 conversations commencées")
    assert problems == []
    page.context.close()
