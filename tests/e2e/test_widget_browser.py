"""The chat widget in a real browser (Debian's Chromium driven by Playwright) on the running
product, at desktop and phone (375 px) sizes: a FAQ, the eligibility check by buttons, a reload
mid-form and a new browser context with the same storage (history read back from the server,
the same question, no greeting into the form), a booking, « Parler à une personne » (the
stored request), the conversation by e-mail, the unread badge, a failed send retried, long
links, keyboard only, axe-core (WCAG 2.1 A/AA and 2.2's target size), and the widget hosted on
an allowed and on a disallowed other origin. Screenshots go to test-results/widget/."""

from __future__ import annotations

import email
import re
import threading
import uuid
from collections.abc import Iterator
from email.policy import default
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from sqlalchemy import select

from bot.settings import ROOT, Settings
from bot.storage.database import sessions_for
from bot.storage.models import CallbackRequest
from bot.storage.transcripts import transcript
from tests.conftest import PARTNER_ORIGIN, Responses, free_port
from tests.e2e.test_diagnostic_conversation import eligible
from tests.e2e.test_intake_conversation import Chat

SHOTS = ROOT / "test-results" / "widget"
AXE = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    }
}
SIZES = {"bureau": (1280, 800), "telephone": (375, 740)}
GREETING = "Bonjour! Je suis l'assistant virtuel de 100 % NumériQC"
LAUNCHER = "Clavarder avec l'assistant"


def new_context(browser: Browser, size: str, storage: str | None = None) -> BrowserContext:
    width, height = SIZES[size]
    return browser.new_context(
        viewport={"width": width, "height": height}, locale="fr-CA", storage_state=storage
    )


def check(page: Page, name: str) -> None:
    """Save a screenshot and assert axe-core finds no WCAG 2.1 A/AA or 2.2 AA violation."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    violations = Axe().run(page, options=AXE).response["violations"]
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {node['target']} {node['html'][:200]}"
        for v in violations
        for node in v["nodes"]
    )


def open_widget(page: Page) -> None:
    page.get_by_role("button", name=LAUNCHER).click()
    expect(page.get_by_role("dialog", name="Assistant 100 % NumériQC")).to_be_visible()


def bot_said(page: Page) -> list[str]:
    return page.locator("li.bot .bubble").all_inner_texts()


def say(page: Page, text: str) -> None:
    page.get_by_label("Votre message").fill(text)
    page.get_by_label("Votre message").press("Enter")


def in_view_above_input(page: Page, name: str) -> None:
    """The button is on screen, above the input bar (not hidden under it)."""
    button = page.get_by_role("button", name=name, exact=True)
    expect(button).to_be_in_viewport()
    box, bar = button.bounding_box(), page.locator("form.composer").bounding_box()
    assert box is not None and bar is not None and box["y"] + box["height"] <= bar["y"]


def conversation_id(page: Page) -> str:
    return str(page.evaluate("localStorage.getItem('numeriqc-conversation')"))


@pytest.mark.parametrize("size", list(SIZES))
def test_faq_eligibility_by_buttons_reload_and_a_new_context_continue(
    browser: Browser, stack: Settings, size: str, tmp_path: Path
) -> None:
    context = new_context(browser, size)
    page = context.new_page()
    page.goto(f"{stack.web_url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("accompagnement numérique")
    check(page, f"accueil-{size}")
    open_widget(page)
    expect(page.locator("li.bot .bubble").first).to_contain_text(GREETING)
    say(page, "c'tu gratis?")
    expect(page.locator("li.user .bubble").last).to_contain_text("c'tu gratis?")
    expect(page.locator("li.bot .bubble").nth(1)).to_contain_text("c'est entièrement gratuit")
    assert len(page.locator("li.bot .buttons").all()) == 1  # older buttons left the Tab order
    check(page, f"faq-{size}")

    page.get_by_role("button", name="Qui est admissible?").click()
    expect(page.locator("li.bot .bubble").last).to_contain_text("pignon sur rue")
    page.get_by_role("button", name="Vérifier mon admissibilité").click()
    expect(page.locator("li.bot .bubble").last).to_contain_text("Acceptez-vous?")
    in_view_above_input(page, "J'accepte")  # the consent's buttons need no scrolling
    check(page, f"consentement-{size}")
    page.get_by_role("button", name="J'accepte").click()
    expect(page.locator("li.bot .bubble").last).to_have_text(
        "Merci! Quel est le nom de votre commerce?"
    )
    shown = len(bot_said(page))

    page.reload()  # mid-form: the history and the same question come back, no greeting
    expect(page.locator("li.bot .bubble")).to_have_count(shown)
    expect(page.locator("li.bot .bubble").last).to_have_text(
        "Merci! Quel est le nom de votre commerce?"
    )
    expect(page.locator("li.user .bubble").last).to_contain_text("J'accepte")
    check(page, f"rechargee-{size}")

    storage = str(tmp_path / "storage.json")
    context.storage_state(path=storage)
    sender = conversation_id(page)
    context.close()
    later = new_context(browser, size, storage)  # the browser closed, then reopened
    page = later.new_page()
    page.goto(f"{stack.web_url}/")
    assert conversation_id(page) == sender
    expect(page.locator("li.bot .bubble")).to_have_count(shown)
    say(page, "Boulangerie des Tests")
    expect(page.locator("li.bot .bubble").last).to_have_text("Et votre nom?")
    assert not any("Désolé" in said for said in bot_said(page))
    later.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_booking_in_the_widget_after_an_intake(
    browser: Browser, stack: Settings, responses: Responses, size: str
) -> None:
    """The intake done earlier in the same conversation shows in the widget, which books."""
    chat = Chat(stack, responses)
    chat.sender = str(uuid.uuid4())
    eligible(chat, f"widget-{chat.sender[:8]}@exemple.com")
    context = new_context(browser, size)
    context.add_init_script(f"localStorage.setItem('numeriqc-conversation', '{chat.sender}')")
    page = context.new_page()
    page.goto(f"{stack.web_url}/")
    open_widget(page)
    expect(page.locator("li.bot .bubble").last).to_contain_text("votre commerce est admissible")
    page.get_by_role("button", name="Réserver une rencontre").click()
    proposals = page.locator("li.bot .buttons button")
    expect(proposals.first).to_be_visible()
    page.locator("li.bot .buttons button").first.click()
    expect(page.locator("li.bot .bubble").last).to_contain_text("Je la réserve?")
    page.get_by_role("button", name="Oui, je réserve").click()
    expect(page.locator("li.bot .bubble").last).to_contain_text("C'est réservé")
    expect(page.locator("li.bot .bubble").last).to_contain_text("NQ-")
    check(page, f"reservation-{size}")
    context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_person_one_tap_away_files_a_callback_request(
    browser: Browser, stack: Settings, size: str
) -> None:
    context = new_context(browser, size)
    page = context.new_page()
    page.goto(f"{stack.web_url}/")
    open_widget(page)
    expect(page.locator("li.bot .bubble").first).to_contain_text(GREETING)
    say(page, "je veux parler à un humain")
    answer = page.locator("li.bot .bubble").nth(1)
    expect(answer).to_contain_text("touchez « Parler à une personne »")
    website = answer.get_by_role("link", name="100numeriqc.qcnum.com")
    expect(website).to_have_attribute("href", "https://100numeriqc.qcnum.com/")
    expect(website).to_have_attribute("target", "_blank")
    page.get_by_role("button", name="Parler à une personne").click()
    expect(page.get_by_role("heading", name="Parler à une personne")).to_be_focused()
    page.get_by_role("button", name="Envoyer").click()  # nothing filled in
    expect(page.get_by_label("Votre nom")).to_be_focused()
    expect(page.locator("#nq-consent-error")).to_contain_text("Cochez la case")
    check(page, f"personne-erreurs-{size}")
    name = f"Julie {uuid.uuid4().hex[:6]}"
    page.get_by_label("Votre nom").fill(name)
    page.get_by_label("Téléphone").fill("418 555-1234")
    page.get_by_label("Message", exact=True).fill("J'aimerais parler de mon site Web.")
    page.get_by_label("J'accepte que l'équipe").check()
    page.get_by_role("button", name="Envoyer").click()
    note = page.locator("li.note .bubble")
    expect(note).to_contain_text(f"Merci, {name}!")
    expect(note).to_contain_text(f"par téléphone d'ici {stack.first_contact_days} jours")
    expect(page.get_by_label("Votre message")).to_be_focused()  # back in the chat
    check(page, f"personne-envoyee-{size}")
    with sessions_for(stack.database_url)() as session:
        stored = session.scalars(
            select(CallbackRequest).where(CallbackRequest.conversation_id == conversation_id(page))
        ).one()
    assert (stored.name, stored.phone, stored.email, stored.status) == (
        name, "+14185551234", None, "open",
    )  # fmt: skip
    assert stored.wish == "J'aimerais parler de mon site Web." and stored.consented_at
    context.close()


def test_the_conversation_by_email(browser: Browser, stack: Settings) -> None:
    context = new_context(browser, "bureau")
    page = context.new_page()
    page.goto(f"{stack.web_url}/")
    open_widget(page)
    say(page, "c'tu gratis?")
    expect(page.locator("li.bot .bubble").nth(1)).to_contain_text("entièrement gratuit")
    page.get_by_role("button", name="Plus d'options").click()
    page.get_by_role("button", name="Recevoir la conversation par courriel").click()
    address = f"copie-{uuid.uuid4().hex[:8]}@exemple.com"
    page.get_by_label("Courriel", exact=True).fill(address)
    page.get_by_role("button", name="Envoyer").click()
    # An address the conversation has not proven it holds gets a code first, nothing else.
    code = page.get_by_label("Code de confirmation reçu par courriel")
    expect(code).to_be_focused()
    expect(page.locator("#nq-f-code-hint")).to_contain_text(
        f"un code vient d'être envoyé à {address}"
    )
    check(page, "courriel-code-bureau")

    def sent_to_address() -> list[str]:
        sent = [
            email.message_from_bytes(path.read_bytes(), policy=default)
            for path in (stack.var_dir / "outbox").glob("*.eml")
        ]
        return [m.get_body().get_content() for m in sent if m["To"] == address]  # type: ignore[union-attr]

    [code_mail] = sent_to_address()
    assert "entièrement gratuit" not in code_mail
    code.fill(code_mail.split("code de confirmation : ")[1][:6])
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("li.note .bubble")).to_have_text(f"C'est envoyé à {address}.")
    [body] = [b for b in sent_to_address() if b != code_mail]
    assert "Vous : c'tu gratis?" in body and "entièrement gratuit" in body
    first = conversation_id(page)
    page.get_by_role("button", name="Plus d'options").click()
    page.get_by_role("button", name="Nouvelle conversation").click()
    expect(page.locator("li.user")).to_have_count(0)
    expect(page.locator("li.bot .bubble")).to_have_count(1)
    expect(page.locator("li.bot .bubble").first).to_contain_text(GREETING)
    assert conversation_id(page) != first
    context.close()


def test_keyboard_only_faq_and_a_button_choice(browser: Browser, stack: Settings) -> None:
    context = new_context(browser, "bureau")
    page = context.new_page()
    page.goto(f"{stack.web_url}/")
    for _ in range(12):  # Tab through the page to the launcher
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "numeriqc-widget":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_label("Votre message")).to_be_focused()
    expect(page.locator("li.bot .bubble").first).to_contain_text(GREETING)
    page.keyboard.type("c'est quoi les secteurs admissibles?")
    page.keyboard.press("Enter")
    expect(page.locator("li.bot .bubble").nth(1)).to_contain_text("commerce de détail")
    expect(page.get_by_label("Votre message")).to_be_focused()  # typing goes on
    announced = page.locator("div[aria-live='polite']")  # bot messages, not the merchant's own
    expect(announced).to_contain_text("commerce de détail")
    expect(announced).not_to_contain_text("secteurs admissibles")
    expect(page.get_by_role("log", name="Conversation")).to_contain_text("secteurs admissibles")
    page.keyboard.press("Shift+Tab")  # back to the newest answer's buttons
    choice = page.locator("li.bot .buttons button").last
    expect(choice).to_be_focused()
    title = choice.inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("li.user .bubble").last).to_contain_text(title)
    page.wait_for_function(  # focus on the first new message, not the page's body
        "() => { const a = document.getElementById('numeriqc-widget').shadowRoot.activeElement;"
        " return a && a.matches('li.bot') && a.previousElementSibling.matches('li.user'); }"
    )
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name=LAUNCHER)).to_be_focused()
    context.close()


def test_unread_badge_failed_send_retried_and_long_links(browser: Browser, stack: Settings) -> None:
    context = new_context(browser, "telephone")
    page = context.new_page()
    page.goto(f"{stack.web_url}/?clavarder")
    expect(page.locator("li.bot .bubble").first).to_contain_text(GREETING)

    held: list[Route] = []
    page.route("**/api/messages", lambda route: held.append(route))
    say(page, "c'tu gratis?")
    expect(page.get_by_role("status")).to_have_text("L'assistant écrit…")
    page.keyboard.press("Escape")  # closed while the answer is on its way
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    held[0].continue_()
    page.unroute("**/api/messages")
    unread = page.get_by_role("button", name=re.compile(r"\(\d nouveaux? messages?\)"))
    expect(unread).to_be_visible()
    expect(page.locator(".badge")).to_have_text(re.compile(r"^\d$"))
    check(page, "non-lu-telephone")
    unread.click()
    expect(page.locator(".badge")).to_be_hidden()
    expect(page.locator("li.bot .bubble").last).to_contain_text("entièrement gratuit")

    page.route("**/api/messages", lambda route: route.abort())
    say(page, "qui est admissible?")
    expect(page.locator("li.error")).to_contain_text("Votre message n'a pas été envoyé.")
    page.unroute("**/api/messages")
    page.get_by_role("button", name="Réessayer").click()
    expect(page.locator("li.bot .bubble").last).to_contain_text("pignon sur rue")
    expect(page.locator("li.user .bubble", has_text="qui est admissible?")).to_have_count(1)
    expect(page.locator("li.error")).to_have_count(0)

    long_url = "https://100numeriqc.qcnum.com/" + "tres-long-chemin-" * 12
    page.route(
        "**/api/messages",
        lambda route: route.fulfill(
            json={
                "messages": [{"text": f"Voyez {long_url} ou 100numeriqc.qcnum.com", "buttons": []}]
            }
        ),
    )
    say(page, "un lien?")
    links = page.locator("li.bot").last.locator("a")
    expect(links).to_have_count(2)
    expect(links.first).to_have_attribute("href", long_url)
    expect(links.nth(1)).to_have_attribute("href", "https://100numeriqc.qcnum.com/")
    expect(links.first).to_have_attribute("target", "_blank")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scroll
    check(page, "lien-long-telephone")
    context.close()


class _Partner(SimpleHTTPRequestHandler):
    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def partner_pages(stack: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A partner's page embedding the widget, served on PARTNER_ORIGIN (allowed) and on another
    port of 127.0.0.1 (not allowed); yields the folder's path."""
    folder = tmp_path_factory.mktemp("partenaire")
    (folder / "index.html").write_text(
        '<!doctype html><html lang="fr-CA"><head><meta charset="utf-8"><title>SDC test</title>'
        "</head><body><main><h1>SDC du quartier</h1></main>"
        f'<script src="{stack.web_url}/static/widget.js" defer></script></body></html>',
        "utf-8",
    )
    handler = partial(_Partner, directory=str(folder))
    servers = [
        ThreadingHTTPServer(("127.0.0.1", urlsplit(PARTNER_ORIGIN).port or 80), handler),
        ThreadingHTTPServer(("127.0.0.1", free_port()), handler),
    ]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{servers[1].server_address[1]}"
    for server in servers:
        server.shutdown()


def test_the_widget_works_on_an_allowed_origin_only(
    browser: Browser, stack: Settings, partner_pages: str
) -> None:
    context = new_context(browser, "bureau")
    page = context.new_page()
    page.goto(f"{PARTNER_ORIGIN}/")
    open_widget(page)
    expect(page.locator("li.bot .bubble").first).to_contain_text(GREETING)
    say(page, "c'tu gratis?")
    expect(page.locator("li.bot .bubble").nth(1)).to_contain_text("entièrement gratuit")
    check(page, "partenaire-autorise")

    page.goto(f"{partner_pages}/")  # the same page on an origin not in ALLOWED_ORIGINS
    open_widget(page)
    expect(page.locator("li.error")).to_contain_text("n'est pas joignable")
    expect(page.locator("li.bot")).to_have_count(0)
    check(page, "partenaire-refuse")
    sender = conversation_id(page)
    context.close()
    assert len(sender) == 36 and transcript(stack.tracker_url, sender) == []  # never opened


def test_a_320_px_screen_fits_the_panel_without_sideways_scrolling(
    browser: Browser, stack: Settings
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 568}, locale="fr-CA")
    page = context.new_page()
    page.goto(f"{stack.web_url}/")
    open_widget(page)
    expect(page.locator("li.bot .bubble").first).to_contain_text(GREETING)
    panel = page.get_by_role("dialog").bounding_box()
    assert panel is not None and (panel["x"], panel["width"]) == (0, 320)  # full screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for name in ("Fermer le clavardage", "Envoyer", "Qui est admissible?"):
        box = page.get_by_role("button", name=name).bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    check(page, "accueil-320")
    context.close()
