"""The chat widget on the landing page in a real browser (Debian's Chromium driven by
Playwright): greeting, typed and clicked questions, text never read as HTML, links.
The widget's own journeys are in `test_widget_browser.py`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.settings import Settings


@pytest.fixture
def page(browser: Browser, stack: Settings) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="fr-CA")
    opened = context.new_page()
    opened.goto(f"{stack.web_url}/?clavarder")  # the widget opened
    yield opened
    context.close()


def test_the_bot_greets_then_answers_a_typed_question(page: Page) -> None:
    bot = page.locator("li.bot .bubble")
    expect(bot.first).to_contain_text("Bonjour! Je suis l'assistant virtuel de 100 % NumériQC")
    page.fill("#nq-message", "c'tu gratis?")
    page.press("#nq-message", "Enter")
    expect(page.locator("li.user .bubble").last).to_have_text("Vous : c'tu gratis?")
    expect(bot.nth(1)).to_contain_text("c'est entièrement gratuit")


def test_a_button_asks_the_question_for_the_merchant(page: Page) -> None:
    page.get_by_role("button", name="Qui est admissible?").click()
    expect(page.locator("li.user .bubble").last).to_have_text("Vous : Qui est admissible?")
    expect(page.locator("li.bot .bubble").nth(1)).to_contain_text("pignon sur rue")


def test_html_typed_by_the_merchant_is_shown_as_text(page: Page) -> None:
    expect(page.locator("li.bot .bubble").first).to_be_visible()
    page.fill("#nq-message", "<img src=x onerror=\"document.title='pwned'\"><b>gras</b>")
    page.press("#nq-message", "Enter")
    expect(page.locator("li.user .bubble").last).to_have_text(
        "Vous : <img src=x onerror=\"document.title='pwned'\"><b>gras</b>"
    )
    expect(page.locator("li.bot .bubble")).to_have_count(2)
    assert page.locator("li.user img, li.user b").count() == 0
    assert page.title() != "pwned"


def test_privacy_link_in_an_answer_opens_the_policy(page: Page, stack: Settings) -> None:
    page.fill("#nq-message", "qu'est-ce que vous faites avec mes renseignements personnels?")
    page.press("#nq-message", "Enter")
    link = page.locator("li.bot a", has_text="politique de confidentialité")
    expect(link).to_have_attribute("href", f"{stack.web_url}/confidentialite")
    expect(link).to_have_attribute("target", "_blank")


def test_only_our_own_paths_and_web_addresses_become_links(page: Page, stack: Settings) -> None:
    """A reply (here forged by intercepting the chat API) linking to another host by a
    protocol-relative path or to a script shows as text."""
    forged = (
        "[ici](/confidentialite) [ailleurs](//other-host/x) "
        "[encore](/\\\\other-host.example) [script](javascript:alert(1))"
    )
    page.route(
        "**/api/messages",
        lambda route: route.fulfill(json={"messages": [{"text": forged, "buttons": []}]}),
    )
    expect(page.locator("li.bot .bubble").first).to_be_visible()  # one message at a time
    page.fill("#nq-message", "bonjour")
    page.press("#nq-message", "Enter")
    bubble = page.locator("li.bot .bubble").last
    expect(bubble).to_contain_text("[ailleurs](//other-host/x)")
    links = bubble.locator("a")
    expect(links).to_have_count(1)
    expect(links.first).to_have_attribute("href", f"{stack.web_url}/confidentialite")
