"""Validation of chat requests coming from the page, before they reach Rasa."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_CHARS = 2000
_SENDER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class InvalidChatRequest(ValueError):
    """A request the page should never send; the message is shown to the merchant, in French."""


@dataclass(frozen=True)
class ChatRequest:
    sender: str
    text: str


def parse_chat_request(body: Any) -> ChatRequest:
    """Check the JSON body `{"sender": ..., "text": ...}` and return it cleaned."""
    if not isinstance(body, dict):
        raise InvalidChatRequest("La requête doit être un objet JSON avec « sender » et « text ».")
    sender, text = body.get("sender"), body.get("text")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        raise InvalidChatRequest("Identifiant de conversation manquant ou invalide.")
    if not isinstance(text, str):
        raise InvalidChatRequest("Le message doit être du texte.")
    text = text.replace("\x00", "").strip()
    if not text:
        raise InvalidChatRequest(
            "Votre message est vide : écrivez votre question, puis envoyez-la."
        )
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidChatRequest(
            f"Votre message est trop long ({MAX_MESSAGE_CHARS} caractères au maximum). "
            "Pourriez-vous le raccourcir?"
        )
    return ChatRequest(sender=sender, text=text)


def to_page_messages(rasa_messages: Any) -> list[dict[str, Any]]:
    """Keep only what the page shows from Rasa's REST replies: text and buttons."""
    messages: list[dict[str, Any]] = []
    for message in rasa_messages if isinstance(rasa_messages, list) else []:
        if not isinstance(message, dict):
            continue
        buttons = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in message.get("buttons") or []
            if isinstance(b, dict)
        ]
        if message.get("text") or buttons:
            messages.append({"text": str(message.get("text") or ""), "buttons": buttons})
    return messages
