"""Validation of incoming chat messages: `{"sender": ..., "message": ...}` as JSON.

Standard library only: both the web app and the Rasa REST channel (in Rasa's own
environment, see `rasa_components/channels.py`) import it, so both refuse the same input
with the same French explanation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_CHARS = 2000
_SENDER = re.compile(r"^[\w.@:+-]{1,128}$", re.ASCII)


class InvalidMessage(ValueError):
    """Input refused; `str()` is the French explanation, `status` the HTTP status to answer."""

    def __init__(self, explanation: str, status: int = 400) -> None:
        super().__init__(explanation)
        self.status = status


@dataclass(frozen=True)
class IncomingMessage:
    sender: str
    text: str
    metadata: dict[str, Any] | None = None


def parse_message(raw: bytes | str | None) -> IncomingMessage:
    """Parse and check a request body; raise `InvalidMessage` when it cannot be answered."""
    try:
        body = json.loads(raw or "")
    except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting: RecursionError
        raise InvalidMessage("La requête n'est pas du JSON valide.") from None
    if not isinstance(body, dict):
        raise InvalidMessage("La requête doit être un objet JSON avec « sender » et « message ».")
    sender, text, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        raise InvalidMessage(
            "Identifiant de conversation (« sender ») manquant ou invalide : "
            "de 1 à 128 lettres, chiffres ou . _ - @ : +"
        )
    if not isinstance(text, str):
        raise InvalidMessage("Le message (« message ») doit être du texte.")
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidMessage("Les métadonnées (« metadata ») doivent être un objet JSON.")
    # A JSON escape can carry a lone surrogate ("\ud800"): not text, and PostgreSQL refuses it.
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "").strip()
    if not text:
        raise InvalidMessage("Votre message est vide : écrivez votre question, puis envoyez-la.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidMessage(
            f"Votre message est trop long ({MAX_MESSAGE_CHARS} caractères au maximum). "
            "Pourriez-vous le raccourcir?",
            status=413,
        )
    return IncomingMessage(sender=sender, text=text, metadata=metadata)


def page_messages(rasa_messages: Any) -> list[dict[str, Any]]:
    """Keep only what the chat page shows from Rasa's REST replies: text and buttons."""
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
