"""The REST channel answers in French, and refuses bad input with a French 4xx, never a 500."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bot.settings import Settings
from tests.conftest import Responses, post


def webhook(stack: Settings) -> str:
    return f"{stack.rasa_url}/webhooks/rest/webhook"


def test_a_french_conversation(stack: Settings, responses: Responses) -> None:
    status, replies = post(webhook(stack), {"sender": "rest-fr", "message": "allo"})
    assert status == 200
    assert [responses.name_of(r["text"]) for r in replies] == ["utter_greet"]
    assert "Comment puis-je vous aider?" in replies[0]["text"]
    assert [b["payload"] for b in replies[0]["buttons"]] == [
        "/faq_what_is",
        "/faq_eligibility",
        "/request_eligibility",
    ]
    status, replies = post(webhook(stack), {"sender": "rest-fr", "message": "c'tu gratis?"})
    assert status == 200
    assert replies[0]["text"].startswith("Oui, c'est entièrement gratuit!")


def test_a_town_outside_the_agglomeration_is_named_in_the_answer(stack: Settings) -> None:
    _, replies = post(
        webhook(stack),
        {"sender": "rest-levis", "message": "mon commerce est a levis, c'est tu correct?"},
    )
    assert replies[0]["text"].startswith("Lévis ne fait pas partie de l'agglomération de Québec.")


def test_two_misses_in_a_row_rephrase_then_offer_topics(
    stack: Settings, responses: Responses
) -> None:
    names = []
    for text in ["xkcd zzz", "wxcvb poiuy"]:
        _, replies = post(webhook(stack), {"sender": "rest-fallback", "message": text})
        names += [responses.name_of(r["text"]) for r in replies]
    assert names == ["utter_ask_rephrase", "utter_fallback_options"]


@pytest.mark.parametrize(
    "message",
    ["🙂🙂🙂", "<script>alert('x')</script><b>allo</b>", "'; DROP TABLE events; --", "a" * 2000],
    ids=["emoji", "html", "sql", "2000-chars"],
)
def test_odd_text_gets_a_french_reply(stack: Settings, responses: Responses, message: str) -> None:
    status, replies = post(webhook(stack), {"sender": "rest-odd", "message": message})
    assert status == 200
    assert len(replies) == 1
    assert not responses.name_of(replies[0]["text"]).startswith("<unknown")


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ("{bad json", 400, "JSON valide"),
        ("", 400, "JSON valide"),
        ("[]", 400, "objet JSON"),
        (json.dumps({"message": "allo"}), 400, "sender"),
        (json.dumps({"sender": 42, "message": "allo"}), 400, "sender"),
        (json.dumps({"sender": "x"}), 400, "texte"),
        (json.dumps({"sender": "x", "message": ["allo"]}), 400, "texte"),
        (json.dumps({"sender": "x", "message": "   "}), 400, "vide"),
        (json.dumps({"sender": "x", "message": "a" * 10_000}), 413, "trop long"),
    ],
    ids=["broken-json", "empty-body", "array", "no-sender", "number-sender", "no-message",
         "list-message", "blank-message", "10000-chars"],
)  # fmt: skip
def test_bad_input_gets_a_french_4xx(stack: Settings, body: str, status: int, words: str) -> None:
    got_status, reply = post(webhook(stack), body)
    assert got_status == status
    assert words in reply["error"]


def test_hostile_text_is_stored_as_inert_text(stack: Settings) -> None:
    text = "'); DROP TABLE events; -- <img src=x onerror=alert(1)>"
    status, _ = post(webhook(stack), {"sender": "rest-inert", "message": text})
    assert status == 200
    with sqlite3.connect(stack.tracker_db) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", ("rest-inert",)
        ).fetchall()
    assert [json.loads(data)["text"] for (data,) in rows] == [text]


def test_the_conversation_store_uses_a_write_ahead_log(stack: Settings) -> None:
    post(webhook(stack), {"sender": "rest-wal", "message": "bonjour"})
    with sqlite3.connect(stack.tracker_db) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        count = db.execute("SELECT count(*) FROM events WHERE sender_id = 'rest-wal'").fetchone()
    assert count[0] >= 4  # session start, user message, answer, listen
