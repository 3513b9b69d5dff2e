"""Chat input validation shared by the web app and the Rasa REST channel."""

import json

import pytest

from bot.messages import MAX_MESSAGE_CHARS, InvalidMessage, page_messages, parse_message


def body(**fields: object) -> str:
    return json.dumps(fields)


def test_a_valid_message_is_cleaned() -> None:
    message = parse_message(body(sender="abc-123", message="  c'tu gratis?\x00 "))
    assert (message.sender, message.text, message.metadata) == ("abc-123", "c'tu gratis?", None)


def test_html_sql_and_emoji_are_kept_as_plain_text() -> None:
    for text in ["<script>alert(1)</script>", "'; DROP TABLE events; --", "🙂🙂🙂"]:
        assert parse_message(body(sender="s1", message=text)).text == text


@pytest.mark.parametrize(
    ("raw", "status", "words"),
    [
        ("{bad", 400, "JSON valide"),
        ("", 400, "JSON valide"),
        (b"\xff\xfe", 400, "JSON valide"),
        ("[]", 400, "objet JSON"),
        ('"allo"', 400, "objet JSON"),
        (body(message="allo"), 400, "sender"),
        (body(sender="", message="allo"), 400, "sender"),
        (body(sender={"a": 1}, message="allo"), 400, "sender"),
        (body(sender="a b", message="allo"), 400, "sender"),
        (body(sender="s1"), 400, "texte"),
        (body(sender="s1", message=123), 400, "texte"),
        (body(sender="s1", message="   "), 400, "vide"),
        (body(sender="s1", message="allo", metadata=[1]), 400, "métadonnées"),
        (body(sender="s1", message="a" * (MAX_MESSAGE_CHARS + 1)), 413, "trop long"),
    ],
)
def test_bad_input_is_refused_in_french(raw: str | bytes, status: int, words: str) -> None:
    with pytest.raises(InvalidMessage) as refused:
        parse_message(raw)
    assert refused.value.status == status
    assert words in str(refused.value)


def test_the_longest_message_allowed() -> None:
    assert len(parse_message(body(sender="s1", message="a" * MAX_MESSAGE_CHARS)).text) == 2000


def test_page_messages_keep_text_and_buttons_only() -> None:
    replies = [
        {
            "recipient_id": "s1",
            "text": "Bonjour!",
            "buttons": [{"title": "Oui", "payload": "/affirm"}],
        },
        {"recipient_id": "s1", "image": "x.png"},
        "not a dict",
    ]
    assert page_messages(replies) == [
        {"text": "Bonjour!", "buttons": [{"title": "Oui", "payload": "/affirm"}]}
    ]
    assert page_messages({"unexpected": True}) == []
