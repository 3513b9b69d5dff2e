"""The program analytics through Sanic's test client, on SQLite and PostgreSQL: managers only,
the seeded figures on the page (chart data and tables), the CSV with the page's figures made
safe for spreadsheets; and in Debian's Chromium, a canvas per chart under the strict CSP."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sanic import Sanic
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import ROOT, Settings, load_settings
from bot.storage.accounts import create_account
from bot.storage.database import sessions_for, upgrade
from bot.storage.leads import save_submission, spreadsheet_cell
from tests.conftest import web_app_alone
from tests.storage.test_analytics import EXPECTED, NOW, WEEKLY, seed_leads, seed_tracker
from tests.storage.test_leads import INTAKE, submission
from tests.web.test_workspace import PASSWORD, Browser, app, signed_in

__all__ = ["app"]
PAGE, CSV = "/conseillers/statistiques", "/conseillers/statistiques.csv"
VENDOR = ROOT / "bot" / "web" / "static" / "vendor" / "chart.umd.js"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The workspace's settings, with a tracker store of known conversations and a fixed now."""
    tracker = tmp_path / "tracker.db"
    seed_tracker(f"sqlite:///{tracker}")
    return dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path, tracker_db=tracker,
        frozen_clock=NOW, coaching_goal=100,
    )  # fmt: skip


def page_figures(html: str) -> list[dict[str, Any]]:
    """The figures the page hands its charts (the JSON block, never executed)."""
    found = re.search(r'<script type="application/json" id="figures">(.*?)</script>', html, re.S)
    assert found, "no figures block"
    figures: list[dict[str, Any]] = json.loads(found.group(1))
    return figures


def test_only_managers_see_the_analytics(app: Sanic) -> None:
    anonymous = Browser(app)
    for url in (PAGE, CSV):
        reply = anonymous.get(url)
        assert reply.status == 302, url
        assert reply.headers["location"].startswith("/conseillers/connexion?suivant=")
    sophie = signed_in(app, "sophie@qcnum.example")
    for url in (PAGE, CSV):
        refused = sophie.get(url)
        assert refused.status == 403 and "Réservé aux gestionnaires" in refused.text, url
    assert "/statistiques" not in sophie.get("/conseillers/").text  # no link in her menu
    manager = signed_in(app, "gestion@qcnum.example")
    assert 'href="/conseillers/statistiques">Statistiques</a>' in manager.get("/conseillers/").text
    assert manager.get(PAGE).status == 200 and manager.get(CSV).status == 200


def test_the_page_shows_the_seeded_figures(app: Sanic, sessions: sessionmaker[Session]) -> None:
    seed_leads(sessions)
    reply = signed_in(app, "gestion@qcnum.example").get(PAGE)
    assert reply.status == 200
    assert reply.headers["content-security-policy"].startswith("default-src 'self'")
    html = reply.text
    charts = {chart["key"]: chart for chart in page_figures(html)}
    for key, rows in EXPECTED.items():
        chart = charts[key]
        assert chart["labels"] == [label for label, _ in rows], key
        assert chart["series"] == [[v[i] for _, v in rows] for i in range(len(chart["columns"]))]
    for key, weekly in WEEKLY.items():  # the last 12 weeks (then the sessions' 4 coming ones)
        assert [label for label, _ in weekly] == charts[key]["labels"][9:12]
        assert [row for _, row in weekly] == list(zip(*charts[key]["series"], strict=True))[9:12]
    assert charts["rencontres"]["labels"][12:] == ["2026-S49", "2026-S50", "2026-S51", "2026-S52"]
    assert "<strong>2</strong> commerçants accompagnés sur un objectif de 100" in html
    assert '<progress max="100" value="2"' in html
    # Every chart has its table: a caption, column and row headers, the same figures.
    assert html.count("<caption") == len(charts) == 9
    assert '<th scope="row">Limoilou</th><td class="number">3</td><td class="number">3</td>' in html
    assert '<th scope="col" class="number">Rencontre réservée</th>' in html
    assert '<th scope="row" class="week">2026-S48</th>' in html
    # Served by our app, no CDN; the page's own script is a file (the CSP allows no inline one).
    scripts = re.findall(r'<script src="([^"]+)"', html)
    # (Every workspace page also follows the live queue: « En direct », static/direct.js.)
    assert scripts == [
        "/static/direct.js",
        "/static/vendor/chart.umd.js",
        "/static/statistiques.js",
    ]
    assert "<script>" not in html and "style=" not in html


def test_a_hostile_municipality_stays_text_in_the_tables_and_the_chart_data(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    hostile = "</script><script>alert(1)</script>"
    save_submission(sessions, submission(replace(INTAKE, municipality=hostile)))
    html = signed_in(app, "gestion@qcnum.example").get(PAGE).text
    assert "<script>alert" not in html and "&lt;/script&gt;&lt;script&gt;alert(1)" in html
    [territories] = [c for c in page_figures(html) if c["key"] == "territoires"]
    assert territories["labels"] == [hostile]


def test_the_csv_has_the_page_figures_made_safe(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    seed_leads(sessions)
    manager = signed_in(app, "gestion@qcnum.example")
    shown = [
        (chart["title"], label, column, str(chart["series"][i][j]))
        for chart in page_figures(manager.get(PAGE).text)
        for j, label in enumerate(chart["labels"])
        for i, column in enumerate(chart["columns"])
    ]
    reply = manager.get(CSV)
    assert reply.headers["content-type"] == "text/csv; charset=utf-8"
    assert reply.headers["content-disposition"].startswith("attachment;")
    header, *lines = csv.reader(io.StringIO(reply.text))
    assert header == ["tableau", "ligne", "colonne", "nombre"]
    assert [tuple(line) for line in lines] == [
        tuple(spreadsheet_cell(cell) for cell in cells) for cells in shown
    ]
    territories = [line for line in lines if line[0].startswith("Pistes par municipalité")]
    assert ["'=1+2", "Pistes", "1"] in [line[1:] for line in territories]  # not a formula
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)


def test_the_goal_comes_from_the_settings(
    sessions: sessionmaker[Session], settings: Settings
) -> None:
    from bot.web.app import create_app

    seed_leads(sessions)
    create_account(sessions, "chef@qcnum.example", "Chef", "manager", PASSWORD)
    small = create_app(dataclasses.replace(settings, coaching_goal=4), name="analytics_goal")
    html = signed_in(small, "chef@qcnum.example").get(PAGE).text
    assert "sur un objectif de 4" in html and "(50 %)" in html


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The web app alone (no Rasa) in its own process, on a seeded SQLite database."""
    url = f"sqlite:///{tmp_path / 'numeriqc.db'}"
    upgrade(url)
    database = sessions_for(url)
    seed_leads(database)
    create_account(database, "gestion@qcnum.example", "Gestion", "manager", PASSWORD)
    seed_tracker(f"sqlite:///{tmp_path / 'tracker.db'}")
    with web_app_alone(url, tmp_path) as base:
        yield base


def look(browser: Any, base: str, width: int, scripts: bool, shots: Path) -> None:
    """Sign in as the manager, open the analytics, check the charts, save a screenshot."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-CA",
                                  java_script_enabled=scripts)  # fmt: skip
    page = context.new_page()
    problems: list[str] = []  # a CSP violation or a missing file is a console error
    page.on("console", lambda m: problems.append(f"{m.text} {m.location['url']}")
            if m.type == "error" and not m.location["url"].endswith("/favicon.ico")
            else None)  # fmt: skip
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{base}{PAGE}")
    page.get_by_label("Courriel").fill("gestion@qcnum.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Statistiques du programme")).to_be_visible()
    expect(page.locator("table")).to_have_count(9)  # the figures, with or without the charts
    expect(page.locator(".chart canvas")).to_have_count(9 if scripts else 0)
    if scripts:
        page.wait_for_function("Object.keys(Chart.instances).length === 9")
        assert page.evaluate("Object.values(Chart.instances).every(c => c.width * c.height > 0)")
    shot = shots / f"statistiques-{width}-{'js' if scripts else 'sans-js'}.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert problems == [], problems
    context.close()


@pytest.mark.skipif(not VENDOR.exists(), reason="Chart.js not installed: run `make assets`")
def test_the_charts_render_in_chromium(served: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, scripts in [(1280, True), (390, True), (1280, False)]:
            look(browser, served, width, scripts, tmp_path)
        browser.close()
