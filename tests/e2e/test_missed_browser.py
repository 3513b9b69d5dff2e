"""« Messages manqués » in a real browser (Debian's Chromium driven by Playwright), on the running
product: a merchant's question that falls back in the chat, with an e-mail and a phone in it,
reaches the inbox masked once the scheduled job has read the tracker store; an advisor given the
inbox labels it, a manager approves it; the page at desktop and phone sizes, checked with
axe-core (WCAG 2.1 A and AA) and nothing scrolling sideways on a phone."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, expect

from bot.learning.responses import Responses
from bot.settings import Settings
from bot.storage import missed
from bot.storage.accounts import create_account
from bot.storage.database import sessions_for
from tests.e2e.test_intake_conversation import Chat
from tests.e2e.test_workspace_browser import PASSWORD, SIZES, check, open_page, sign_in

ASKED = "xkcd zzz porte-à-porte {suffix}? écrivez à julie.{suffix}@exemple.com ou au 418 555-0199"
MASKED = "xkcd zzz porte-à-porte {suffix}? écrivez à [courriel] ou au [téléphone]"


@pytest.fixture(scope="module")
def inbox(stack: Settings, responses: Responses) -> dict[str, str]:
    """A manager, an advisor given the inbox, and a merchant's question that fell back, read
    into the inbox by the scheduled job's scan."""
    suffix = uuid.uuid4().hex[:6]
    database = sessions_for(stack.database_url)
    manager, advisor = f"gestion-m-{suffix}@qcnum.example", f"sophie-m-{suffix}@qcnum.example"
    create_account(database, manager, "Geneviève Gestion", "manager", PASSWORD)
    create_account(database, advisor, "Sophie Gagnon", "advisor", PASSWORD, "sophie")
    missed.give_inbox(database, advisor, True)
    chat = Chat(stack, responses)
    assert chat.say(ASKED.format(suffix=suffix)) == ["utter_ask_rephrase"]
    assert missed.scan(database, stack.tracker_url) >= 1
    return {
        "manager": manager, "advisor": advisor, "masked": MASKED.format(suffix=suffix),
        "suffix": suffix,
    }  # fmt: skip


@pytest.mark.parametrize("size", list(SIZES))
def test_a_fallen_back_question_masked_labelled_and_approved(
    browser: Browser, stack: Settings, inbox: dict[str, str], size: str
) -> None:
    page = open_page(browser, size)
    sign_in(page, stack, inbox["advisor"])
    page.get_by_role("link", name="Messages manqués").click()
    expect(page.get_by_role("heading", name="Messages manqués", level=1)).to_be_visible()
    # Other tests' conversations fill the inbox of this shared product: found by its words
    page.get_by_label("Mots").fill(f"PORTE-A-PORTE {inbox['suffix']}")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("1 groupe, 1 message.")).to_be_visible()
    group = page.locator("section.card", has_text=inbox["masked"])
    expect(group.get_by_role("heading", level=2)).to_have_text(f"« {inbox['masked']} »")
    expect(page.locator("main")).not_to_contain_text("@exemple.com")
    expect(page.locator("main")).not_to_contain_text("555-0199")
    check(page, f"manques-{size}")
    if size != "bureau":
        return
    group.get_by_label("Autre intention pour le groupe").select_option("faq_contact")
    group.get_by_role("button", name="Choisir cette intention pour le groupe").click()
    expect(page.locator("p.notice")).to_contain_text("Étiquette proposée")
    group = page.locator("section.card", has_text=inbox["masked"])
    expect(group).to_contain_text("Vous avez proposé cette étiquette")
    check(page, f"manques-propose-{size}")
    other = open_page(browser, size)
    sign_in(other, stack, inbox["manager"])
    other.goto(f"{stack.web_url}/conseillers/manques?mots={inbox['suffix']}")
    theirs = other.locator("section.card", has_text=inbox["masked"])
    expect(theirs).to_contain_text("Parler à une personne")
    theirs.get_by_role("button", name="Approuver les étiquettes").click()
    expect(other.locator("p.notice")).to_contain_text("Étiquette approuvée.")
    check(other, f"manques-approuve-{size}")
    examples = missed.approved_examples(sessions_for(stack.database_url))
    assert ("faq_contact", inbox["masked"]) in examples
