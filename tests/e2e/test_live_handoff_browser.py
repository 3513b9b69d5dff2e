"""The live handoff in real browsers (Debian's Chromium, Playwright), two contexts at once on
the running product (the real Rasa paused and resumed through its HTTP API, the web app's
server-sent events): a merchant in the widget asks for a person, an advisor signed in to the
workspace is notified on the page they are on (a banner, the browser's notification), takes
it, they write three messages each way with the typing shown both ways, the assistant says
nothing meanwhile, the advisor hands back and the assistant answers a FAQ again; two advisors
clicking « Prendre » at once leave one holder (the merchant's browser without server-sent
events, polling); nobody takes it in time → a callback request stored and the merchant told;
outside the hours, the callback request as before; the fallback's offer of a person. Desktop
and phone (375 px) screenshots under test-results/live/, axe-core on both sides.

This module runs its own product on the real clock (the wait and the silence must pass), with
a live chat open every hour of every day whatever the date (`closures: false`), so that it
passes on any day, a year ahead too."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from bot.settings import ROOT, Settings
from bot.storage.accounts import create_account
from bot.storage.database import sessions_for
from bot.storage.models import CallbackRequest, LiveChat
from bot.storage.transcripts import transcript
from tests.conftest import post, running_stack
from tests.e2e.test_intake_conversation import silence
from tests.e2e.test_widget_browser import AXE, LAUNCHER, conversation_id, say
from tests.e2e.test_workspace_browser import PASSWORD, sign_in

SHOTS = ROOT / "test-results" / "live"
SIZES = {"bureau": (1280, 860), "telephone": (375, 740)}
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
WAITING = "C'est transmis : une personne de l'équipe va se joindre à la conversation"
# Records the browser's notifications (the permission granted), for the advisor's pages.
NOTIFICATIONS = """
window.__notifications = [];
class RecordedNotification {
  constructor(title, options) { window.__notifications.push({ title, body: options.body }); }
  addEventListener() {}
  static requestPermission() { return Promise.resolve("granted"); }
}
RecordedNotification.permission = "granted";
window.Notification = RecordedNotification;
"""
_versions = iter(range(1, 10_000))


def configure(path: Path, open_: bool = True, wait: int = 120) -> None:
    """The live chat's file: open every hour of every day (or never), this wait."""
    hours = ", ".join(f"{day}: ['00:00-24:00']" for day in DAYS) if open_ else ""
    path.write_text(
        f"hours: {{{hours}}}\nclosures: false\nwait_seconds: {wait}\nsilence_minutes: 10\n"
        "titles: {sophie: conseillère, marc: conseiller}\n",
        encoding="utf-8",
    )
    version = next(_versions)
    os.utime(path, (version, version))  # read again at once, whatever the clock says


@pytest.fixture(scope="module")
def live_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    var_dir = tmp_path_factory.mktemp("live")
    hours = var_dir / "live_chat.yml"
    configure(hours)
    with running_stack(var_dir, live_chat_file=hours) as settings:
        yield settings


@pytest.fixture
def hours(live_stack: Settings) -> Iterator[Path]:
    """The live chat's file, open again after the test."""
    yield live_stack.live_chat_file
    configure(live_stack.live_chat_file)


def advisor(settings: Settings, name: str, advisor_id: str) -> str:
    email = f"{advisor_id}-{uuid.uuid4().hex[:6]}@qcnum.example"
    create_account(
        sessions_for(settings.database_url), email, name, "advisor", PASSWORD, advisor_id
    )
    return email


def context(browser: Browser, size: str, script: str = "") -> BrowserContext:
    width, height = SIZES[size]
    made = browser.new_context(viewport={"width": width, "height": height}, locale="fr-CA")
    if script:
        made.add_init_script(script)
    return made


def check(page: Page, name: str) -> None:
    """A screenshot, and no WCAG 2.1 A/AA or 2.2 AA violation found by axe-core; on a phone,
    nothing scrolls sideways."""
    if page.viewport_size and page.viewport_size["width"] <= 400:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    violations = Axe().run(page, options=AXE).response["violations"]
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {node['target']} {node['html'][:200]}"
        for v in violations
        for node in v["nodes"]
    )


def merchant_page(browser: Browser, settings: Settings, size: str, script: str = "") -> Page:
    page = context(browser, size, script).new_page()
    page.goto(f"{settings.web_url}/")
    page.get_by_role("button", name=LAUNCHER).click()
    expect(page.locator("li.bot .bubble").first).to_contain_text("Bonjour!")
    return page


def ask_for_a_person(page: Page, name: str, live: bool = True) -> None:
    page.get_by_role("button", name="Parler à une personne").first.click()
    expect(page.get_by_role("heading", name="Parler à une personne")).to_be_focused()
    intro = "ici même, en direct" if live else "L'équipe n'est pas en ligne en ce moment"
    expect(page.locator(".sheet p").first).to_contain_text(intro)
    page.get_by_label("Votre nom").fill(name)
    page.get_by_label("Courriel").fill("julie@exemple.com")
    page.get_by_label("Message", exact=True).fill("Est-ce que mon dépanneur est admissible?")
    page.get_by_label("J'accepte que l'équipe").check()
    page.get_by_role("button", name="Envoyer").click()


def live_bar(page: Page) -> str:
    return page.locator(".live-bar").inner_text() if page.locator(".live-bar").is_visible() else ""


@pytest.mark.parametrize("size", list(SIZES))
def test_a_person_joins_answers_live_and_hands_back(
    browser: Browser, live_stack: Settings, size: str
) -> None:
    email = advisor(live_stack, "Sophie Gagnon", "sophie")
    staff = context(browser, size, NOTIFICATIONS).new_page()
    sign_in(staff, live_stack, email)  # on the leads page: any page is told

    merchant = merchant_page(browser, live_stack, size)
    say(merchant, "c'tu gratis?")
    expect(merchant.locator("li.bot .bubble").nth(1)).to_contain_text("entièrement gratuit")
    name = f"Julie {uuid.uuid4().hex[:6]}"
    ask_for_a_person(merchant, name)
    expect(merchant.locator("li.note .bubble").last).to_contain_text(WAITING)
    expect(merchant.locator(".live-bar")).to_have_text("En attente d'une personne de l'équipe…")
    bot_lines = merchant.locator("li.bot").count()
    check(merchant, f"marchand-attente-{size}")

    # The advisor is told on the page they are on, and by the browser's notification.
    banner = staff.locator("#direct-alerte")
    expect(banner).to_contain_text(f"{name} attend une personne en direct dans le clavardage.")
    expect(staff.locator("#direct-lien")).to_have_text("En direct (1)")
    notified = staff.evaluate("window.__notifications")
    assert {"title": "100 % NumériQC : un commerçant attend",
            "body": f"{name} souhaite parler à une personne en direct."} in notified  # fmt: skip
    check(staff, f"conseiller-alerte-{size}")
    banner.get_by_role("link", name="Répondre").click()
    check(staff, f"conseiller-file-{size}")
    staff.get_by_role("button", name=f"Prendre la conversation avec {name}").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"En direct avec {name}")
    log = staff.locator("#direct-log")
    expect(log).to_contain_text("c'tu gratis?")  # the whole conversation
    expect(staff.locator("#dossier").locator("..")).to_contain_text("Est-ce que mon dépanneur")

    expect(merchant.locator(".live-bar")).to_have_text("En direct avec Sophie, conseillère")
    expect(merchant.locator("li.note .bubble").last).to_have_text(
        "Sophie, conseillère, se joint à la conversation."
    )
    # Typing, both ways.
    merchant.get_by_label("Votre message").press_sequentially("Je")
    expect(staff.locator("#direct-ecrit")).to_have_text("Le commerçant écrit…")
    merchant.get_by_label("Votre message").fill("")
    staff.get_by_label(f"Votre message à {name}").press_sequentially("Bon")
    expect(merchant.locator("li.typing")).to_be_visible()
    staff.get_by_label(f"Votre message à {name}").fill("")

    for turn in range(3):  # three messages each way
        asked = f"Question {turn + 1} de {name} : mon commerce est à Limoilou, ça va?"
        say(merchant, asked)
        expect(log.locator("li.merchant").last).to_contain_text(asked)
        answer = f"Réponse {turn + 1} : oui, Limoilou fait partie de la ville de Québec."
        box = staff.get_by_label(f"Votre message à {name}")
        box.fill(answer)
        box.press("Enter")
        expect(box).to_have_value("")
        expect(merchant.locator("li.advisor .bubble").nth(turn)).to_have_text(answer)
        expect(merchant.locator("li.advisor .who").nth(turn)).to_have_text("Sophie, conseillère")
        expect(log.locator("li.advisor").last).to_contain_text(answer)
    assert merchant.locator("li.bot").count() == bot_lines  # the assistant said nothing
    check(merchant, f"marchand-en-direct-{size}")
    check(staff, f"conseiller-conversation-{size}")
    lines = transcript(live_stack.tracker_url, conversation_id(merchant))
    joined = max(i for i, line in enumerate(lines) if line.text.startswith("Sophie, conseillère"))
    assert [line.speaker for line in lines[joined + 1 :]] == ["merchant", "advisor"] * 3

    staff.get_by_role("button", name="Redonner la main à l'assistant").click()
    expect(staff.get_by_role("status").filter(has_text="C'est fait")).to_be_visible()
    expect(merchant.locator("li.note .bubble").last).to_have_text(
        "Sophie a terminé : l'assistant virtuel reprend la conversation. Posez-lui vos "
        "questions sur le programme."
    )
    expect(merchant.locator(".live-bar")).to_be_hidden()
    say(merchant, "combien ça coûte?")
    expect(merchant.locator("li.bot .bubble").nth(bot_lines)).to_contain_text("entièrement gratuit")
    check(merchant, f"marchand-retour-assistant-{size}")
    # A reload reads it all back: who said what.
    merchant.reload()  # the panel opens again by itself
    expect(merchant.get_by_role("dialog", name="Assistant 100 % NumériQC")).to_be_visible()
    expect(merchant.locator("li.advisor .who")).to_have_count(3)
    expect(merchant.locator(".live-bar")).to_be_hidden()
    merchant.context.close()
    staff.context.close()


def test_two_advisors_take_at_once_one_holds_it_the_merchant_polling(
    browser: Browser, live_stack: Settings
) -> None:
    pages = [context(browser, "bureau").new_page() for _ in range(2)]
    for page, (person, key) in zip(
        pages, [("Sophie Gagnon", "sophie"), ("Marc Lévesque", "marc")], strict=True
    ):
        sign_in(page, live_stack, advisor(live_stack, person, key))
        page.goto(f"{live_stack.web_url}/conseillers/direct")
    # The merchant's browser has no server-sent events: the widget polls.
    merchant = merchant_page(browser, live_stack, "bureau", "delete window.EventSource;")
    name = f"Luc {uuid.uuid4().hex[:6]}"
    ask_for_a_person(merchant, name)
    forms = []
    for page in pages:  # the queue shows up by itself on both pages
        take = page.get_by_role("button", name=f"Prendre la conversation avec {name}")
        expect(take).to_be_visible()
        forms.append(take.locator("xpath=ancestor::form").element_handle())
    for page, form in zip(pages, forms, strict=True):  # both click, neither waits
        page.evaluate("form => setTimeout(() => form.requestSubmit(), 0)", form)
    for page in pages:
        page.wait_for_url(re.compile(r"/conseillers/direct/\d+(/prendre)?$"))
    headings = [page.get_by_role("heading", level=1).inner_text() for page in pages]
    assert sorted(headings) == ["En direct", f"En direct avec {name}"], headings
    winner, loser = (pages[0], pages[1]) if headings[0] != "En direct" else (pages[1], pages[0])
    expect(loser.get_by_role("alert")).to_contain_text("a déjà pris cette conversation.")
    check(loser, "conseiller-deja-prise-bureau")
    with sessions_for(live_stack.database_url)() as session:
        [chat] = session.scalars(
            select(LiveChat).where(LiveChat.conversation_id == conversation_id(merchant))
        ).all()
        assert chat.status == "held" and chat.held_by is not None
    box = winner.get_by_label(f"Votre message à {name}")
    box.fill("Bonjour, je suis là.")
    box.press("Enter")
    expect(merchant.locator("li.advisor .bubble")).to_have_text("Bonjour, je suis là.")
    expect(merchant.locator(".live-bar")).to_contain_text("En direct avec")
    winner.get_by_role("button", name="Redonner la main à l'assistant").click()
    expect(merchant.locator(".live-bar")).to_be_hidden()
    for page in (*pages, merchant):
        page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_nobody_takes_it_a_callback_request_and_the_merchant_told(
    browser: Browser, live_stack: Settings, hours: Path, size: str
) -> None:
    configure(hours, wait=3)
    merchant = merchant_page(browser, live_stack, size)
    name = f"Anne {uuid.uuid4().hex[:6]}"
    ask_for_a_person(merchant, name)
    expect(merchant.locator("li.note .bubble").first).to_contain_text(WAITING)
    told = merchant.locator("li.note .bubble").last
    expect(told).to_contain_text("Personne de l'équipe n'est libre en ce moment", timeout=20_000)
    expect(told).to_contain_text("l'équipe vous répondra par courriel d'ici 2 jours")
    expect(merchant.locator(".live-bar")).to_be_hidden()
    check(merchant, f"marchand-personne-libre-{size}")
    with sessions_for(live_stack.database_url)() as session:
        [callback] = session.scalars(
            select(CallbackRequest).where(
                CallbackRequest.conversation_id == conversation_id(merchant)
            )
        ).all()
    assert (callback.name, callback.email, callback.status) == (name, "julie@exemple.com", "open")
    say(merchant, "c'tu gratis?")  # the assistant answers again
    expect(merchant.locator("li.bot .bubble").last).to_contain_text("entièrement gratuit")
    merchant.context.close()


def test_outside_the_hours_the_callback_request_as_before(
    browser: Browser, live_stack: Settings, hours: Path
) -> None:
    configure(hours, open_=False)
    merchant = merchant_page(browser, live_stack, "telephone")
    name = f"Paul {uuid.uuid4().hex[:6]}"
    ask_for_a_person(merchant, name, live=False)
    expect(merchant.locator("li.note .bubble")).to_contain_text(
        f"Merci, {name}! Votre demande est transmise à l'équipe de 100 % NumériQC"
    )
    with sessions_for(live_stack.database_url)() as session:
        assert session.scalars(
            select(CallbackRequest.name).where(
                CallbackRequest.conversation_id == conversation_id(merchant)
            )
        ).all() == [name]
        assert (
            session.scalars(
                select(LiveChat).where(LiveChat.conversation_id == conversation_id(merchant))
            ).all()
            == []
        )
    merchant.context.close()


def test_after_two_misunderstandings_the_assistant_offers_a_person_live(
    browser: Browser, live_stack: Settings
) -> None:
    merchant = merchant_page(browser, live_stack, "bureau")
    say(merchant, "xkcd zzz")
    expect(merchant.locator("li.bot .bubble").nth(1)).to_contain_text("reformuler")
    say(merchant, "wxcvb poiuy")
    offer = merchant.locator("li.bot").nth(2)
    expect(offer).to_contain_text(
        "Une personne de l'équipe peut vous répondre ici même, en direct."
    )
    offer.get_by_role("button", name="Parler à une personne").click()
    expect(merchant.get_by_role("heading", name="Parler à une personne")).to_be_focused()
    expect(merchant.locator(".sheet p").first).to_contain_text("ici même, en direct")
    check(merchant, "marchand-offre-personne-bureau")
    merchant.context.close()


def test_the_assistant_stays_silent_in_a_new_conversation_and_after_its_session_expired(
    live_stack: Settings, hours: Path
) -> None:
    """Through the widget's API on the real Rasa: a conversation that starts with the request
    for a person, and one whose session expires during the wait (Rasa starts a new session:
    the pause goes on, `rasa_components/session_resume.py`)."""
    base = live_stack.web_url
    asked = {"name": "Luce Roy", "email": "luce@exemple.com", "message": "Une question",
             "consent": True}  # fmt: skip
    fresh = str(uuid.uuid4())  # never talked to the assistant
    assert post(f"{base}/api/live", {"sender": fresh, **asked})[0] == 201
    assert post(f"{base}/api/messages", {"sender": fresh, "message": "allo?"}) == (
        200, {"messages": []},
    )  # fmt: skip

    idle = str(uuid.uuid4())
    status, said = post(f"{base}/api/messages", {"sender": idle, "message": "c'tu gratis?"})
    assert status == 200 and "entièrement gratuit" in said["messages"][0]["text"]
    assert post(f"{base}/api/live", {"sender": idle, **asked})[0] == 201
    silence(live_stack, idle, 90)  # Rasa's sessions last 60 minutes
    assert post(f"{base}/api/messages", {"sender": idle, "message": "c'tu gratis?"}) == (
        200, {"messages": []},
    )  # fmt: skip
    for sender in (fresh, idle):  # the merchant leaves: the assistant is back
        assert post(f"{base}/api/live/{sender}/fin", {})[0] == 204
        status, said = post(f"{base}/api/messages", {"sender": sender, "message": "c'tu gratis?"})
        assert status == 200 and "entièrement gratuit" in said["messages"][0]["text"]
