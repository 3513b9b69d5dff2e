"""The web app: health, pages, and the chat API in front of Rasa (bad input included)."""

from __future__ import annotations

import json
import urllib.request

import pytest

from bot.settings import Settings
from tests.conftest import post


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, reply.headers.get("Content-Type", ""), reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def test_health(stack: Settings) -> None:
    assert get(f"{stack.web_url}/health")[0] == 200


def test_landing_page_is_french_and_hosts_the_widget(stack: Settings) -> None:
    status, kind, html = get(f"{stack.web_url}/")
    assert status == 200 and kind.startswith("text/html")
    assert '<html lang="fr-CA">' in html and "pignon sur rue" in html
    assert '<script src="/static/widget.js" defer></script>' in html
    assert '<a href="/confidentialite">' in html


def test_privacy_policy_page(stack: Settings) -> None:
    status, _, html = get(f"{stack.web_url}/confidentialite")
    assert status == 200
    for words in [
        "consentement",
        "consulter",
        "corriger",
        "supprimer",
        "Responsable de la protection",
    ]:
        assert words in html


def test_unknown_page_is_a_french_404(stack: Settings) -> None:
    status, _, body = get(f"{stack.web_url}/nulle-part")
    assert status == 404 and json.loads(body)["error"] == "Page introuvable."


def test_chat_api_relays_the_bot_reply(stack: Settings) -> None:
    status, reply = post(
        f"{stack.web_url}/api/messages", {"sender": "web-1", "message": "c combien?"}
    )
    assert status == 200
    assert reply["messages"][0]["text"].startswith("Oui, c'est entièrement gratuit!")
    assert reply["messages"][0]["buttons"][0] == {
        "title": "Vérifier mon admissibilité",
        "payload": "/request_eligibility",
    }


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{oops", 400),
        ("null", 400),
        (json.dumps({"sender": "web-1"}), 400),
        (json.dumps({"sender": "web-1", "message": ""}), 400),
        (json.dumps({"sender": "web-1", "message": "a" * 10_000}), 413),
        ("x" * 100_000, 413),
    ],
    ids=["broken-json", "null", "no-message", "empty", "10000-chars", "100-kB-body"],
)
def test_chat_api_refuses_bad_input_in_french(stack: Settings, body: str, status: int) -> None:
    got_status, reply = post(f"{stack.web_url}/api/messages", body)
    assert got_status == status
    assert isinstance(reply, dict) and reply["error"]
