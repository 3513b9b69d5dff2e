"""« Conversations » through Sanic's test client, on SQLite and PostgreSQL: managers only, what
happened in each conversation of a tracker store of known conversations, newest first, the
filters (outcome, period, tag, review) and their bad input, the transcript with its reading
audited, tags and « revue » with CSRF, erased conversations left out, hostile text escaped."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from sanic import Sanic
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, load_settings
from bot.storage import conversation_reviews as reviews
from bot.storage.models import AuditEntry
from tests.conftest import FROZEN_NOW
from tests.tracker_events import Conversation, write
from tests.web.test_workspace import Browser, app, signed_in

__all__ = ["app"]
NOW = FROZEN_NOW  # Monday 23 November 2026, 10 h in Québec
PAGE = "/conseillers/conversations"
HOSTILE = "<script>alert(1)</script>"


def known_conversations() -> list[Conversation]:
    """Six conversations, newest first: a booking, an intake left at the e-mail, two misses in
    a row, questions only (a hostile one), an older refusal of consent, and an erased one."""
    booked = Conversation("conv-booked", NOW - timedelta(hours=1)).intake()
    booked.form("booking_form", [("booking_when", "mardi"), ("booking_confirm", "oui")])
    booked.said("utter_booking_done")
    left = Conversation("conv-left", NOW - timedelta(hours=2))
    left.user("Je veux m'inscrire", "request_eligibility")
    left.form("intake_form", [("business_name", "Café"), ("contact_name", "Julie"), ("email", "")])
    missed = Conversation("conv-missed", NOW - timedelta(hours=3)).not_understood()
    missed.not_understood("toujours pas")
    faq = Conversation("conv-faq", NOW - timedelta(days=2)).faq(HOSTILE)
    refused = Conversation("conv-refused", NOW - timedelta(days=20))
    refused.user("inscription", "request_eligibility").bot("utter_ask_consent")
    refused.user("Non", "deny").slot("consent_given", False).said("utter_consent_declined")
    erased = Conversation("anonyme-0123", NOW - timedelta(minutes=5)).faq()
    return [booked, left, missed, faq, refused, erased]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    tracker = tmp_path / "tracker.db"
    write(f"sqlite:///{tracker}", known_conversations())
    return dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path, tracker_db=tracker,
        frozen_clock=NOW,
    )  # fmt: skip


def listed(html: str) -> list[str]:
    """The conversations of the list, in order (by their links)."""
    return re.findall(r'href="/conseillers/conversations/([^"?]+)\?retour=', html)


def test_only_managers_see_the_conversations(app: Sanic) -> None:
    reply = Browser(app).get(PAGE)
    assert reply.status == 302 and reply.headers["location"].startswith("/conseillers/connexion")
    sophie = signed_in(app, "sophie@qcnum.example")
    for url in (PAGE, f"{PAGE}/conv-faq"):
        refused = sophie.get(url)
        assert refused.status == 403 and "Réservé aux gestionnaires" in refused.text
    assert sophie.post(f"{PAGE}/conv-faq/revue", {}).status == 403
    assert 'href="/conseillers/conversations"' not in sophie.get("/conseillers/").text
    manager = signed_in(app, "gestion@qcnum.example")
    assert 'href="/conseillers/conversations">Conversations</a>' in manager.get(PAGE).text


def test_the_list_says_what_happened_newest_first_without_erased_ones(app: Sanic) -> None:
    html = signed_in(app, "gestion@qcnum.example").get(PAGE).text
    assert listed(html) == ["conv-booked", "conv-left", "conv-missed", "conv-faq", "conv-refused"]
    assert "5 conversations" in html
    for said in ("<strong>Rencontre réservée</strong>", "<li>Admissibilité vérifiée (admissible)</li>",
                 "Formulaire abandonné : Admissibilité, question 4 : Courriel",
                 "<strong>Incompris deux fois de suite</strong>",
                 "<strong>Questions seulement</strong>", "<strong>Consentement refusé</strong>"):  # fmt: skip
        assert said in html
    assert "anonyme-" not in html
    assert "le lundi 23 novembre à 9 h" in html  # Québec time


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("resultat=abandon", ["conv-left"]),
        ("resultat=admissibilite", ["conv-booked"]),
        ("resultat=incompris", ["conv-missed"]),
        ("depuis=2026-11-21", ["conv-booked", "conv-left", "conv-missed", "conv-faq"]),
        ("depuis=2026-11-01&jusqu=2026-11-21", ["conv-faq", "conv-refused"]),
        (
            "resultat=inconnu&revue=peut-etre",
            ["conv-booked", "conv-left", "conv-missed", "conv-faq", "conv-refused"],
        ),  # ignored
    ],
)
def test_filters(app: Sanic, query: str, expected: list[str]) -> None:
    html = signed_in(app, "gestion@qcnum.example").get(f"{PAGE}?{query}").text
    assert listed(html) == expected


def test_a_date_that_is_not_one_is_a_french_error(app: Sanic) -> None:
    reply = signed_in(app, "gestion@qcnum.example").get(f"{PAGE}?depuis=hier")
    assert reply.status == 400 and "Date invalide" in reply.text


def test_tags_and_review_filter_the_list(app: Sanic, sessions: sessionmaker[Session]) -> None:
    manager = signed_in(app, "gestion@qcnum.example")
    back = f"{PAGE}?resultat=incompris&page=1"
    reply = manager.post(
        f"{PAGE}/conv-missed/etiquettes", {"etiquette": "Horaire ", "retour": back}
    )
    assert reply.status == 303 and reply.headers["location"] == back
    manager.post(f"{PAGE}/conv-faq/etiquettes", {"etiquette": "horaire"})
    manager.post(f"{PAGE}/conv-faq/revue", {})
    assert listed(manager.get(f"{PAGE}?etiquette=horaire").text) == ["conv-missed", "conv-faq"]
    assert listed(manager.get(f"{PAGE}?revue=oui").text) == ["conv-faq"]
    assert "conv-faq" not in listed(manager.get(f"{PAGE}?revue=non").text)
    html = manager.get(PAGE).text
    assert "Revue par Gestion" in html and '<span class="tag">horaire</span>' in html
    assert '<option value="horaire">' in html  # suggested
    manager.post(f"{PAGE}/conv-faq/revue", {"revue": "non"})
    manager.post(f"{PAGE}/conv-faq/etiquettes/retirer", {"etiquette": "horaire"})
    assert reviews.reviews(sessions)["conv-missed"].tags == ("horaire",)
    assert "conv-faq" not in reviews.reviews(sessions)


def test_bad_tags_unknown_conversations_and_missing_tokens(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    manager = signed_in(app, "gestion@qcnum.example")
    refused = manager.post(f"{PAGE}/conv-faq/etiquettes", {"etiquette": "<b>gras</b>"})
    assert refused.status == 400 and "que des lettres" in refused.text
    long = manager.post(f"{PAGE}/conv-faq/etiquettes", {"etiquette": "x" * 40})
    assert long.status == 400 and "au plus 30 caractères" in long.text
    for url in (f"{PAGE}/inconnue", f"{PAGE}/anonyme-0123"):
        missing = manager.get(url)
        assert missing.status == 404 and "existe pas ou a été effacée" in missing.text, url
    assert manager.get(f"{PAGE}/{'x' * 300}").status == 404
    assert manager.post(f"{PAGE}/inconnue/revue", {}).status == 404
    assert manager.post(f"{PAGE}/inconnue/etiquettes", {"etiquette": "x"}).status == 404
    forged = manager.post(f"{PAGE}/conv-faq/revue", {}, csrf=False)
    assert forged.status == 403 and "Jeton de sécurité invalide" in forged.text
    assert reviews.reviews(sessions) == {}


def test_the_transcript_is_escaped_and_each_reading_audited(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    manager = signed_in(app, "gestion@qcnum.example")
    back = quote(f"{PAGE}?resultat=faq&page=1", safe="")
    reply = manager.get(f"{PAGE}/conv-faq?retour={back}")
    assert reply.status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reply.text and HOSTILE not in reply.text
    assert "C&#39;est gratuit." in reply.text
    assert f'href="{PAGE}?resultat=faq&amp;page=1"' in reply.text
    elsewhere = manager.get(f"{PAGE}/conv-faq?retour=https://ailleurs.example").text
    assert "ailleurs.example" not in elsewhere
    with sessions() as session:
        audited = session.execute(select(AuditEntry.action, AuditEntry.detail)).all()
    assert [tuple(row) for row in audited] == [
        ("lecture de conversation", "conversation conv-faq")
    ] * 2
