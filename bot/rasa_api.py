"""Rasa's HTTP API, the parts we use: for the live chat, events appended to a conversation's
tracker (`POST /conversations/<id>/tracker/events?token=…`). Pausing a conversation (Rasa's own
`pause` event, `ConversationPaused`) keeps the assistant silent while a person holds it: Rasa
still records every message the merchant sends, but predicts no action; `resume` gives it back.
What the team member writes is recorded as the assistant's own messages are (`bot` events), with
who wrote it in their metadata, so that the transcript — in the workspace, in the e-mail to the
merchant, in the person's file — shows who said what, and the erasure and retention of
conversations cover it. For a model put in service (`bot/learning/candidate.py`), `PUT /model`
on each Rasa instance.

The API is on the Rasa servers' private address only (never behind nginx's public entry), and
answers only with RASA_API_TOKEN (`rasa run --enable-api --auth-token`, `bot.stack`). Blocking
(urllib): the web app calls it off its event loop, the scheduled job as it is."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

LIVE = "live"  # the metadata key of the events the live chat adds
ADVISOR, NOTICE = "advisor", "notice"  # who says a line the live chat adds


class RasaUnavailable(Exception):
    """Rasa did not take the events (down, refused, or no token configured)."""


def said(
    text: str, kind: str, who: str = "", buttons: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """A line of the live chat as a `bot` event: a team member's message (`who`: « Sophie,
    conseillère ») or a notice of the chat itself; `buttons` repeat a question left pending."""
    event: dict[str, Any] = {"event": "bot", "text": text, "metadata": {LIVE: {"kind": kind}}}
    if who:
        event["metadata"][LIVE]["who"] = who
    if buttons:
        event["data"] = {"buttons": buttons}
    return event


PAUSE: dict[str, Any] = {"event": "pause"}
RESUME: dict[str, Any] = {"event": "resume"}
# A conversation Rasa has never seen starts with its session, explicitly: otherwise Rasa would
# start one after the events sent were made, and its store reads a session by time.
SESSION_START: list[dict[str, Any]] = [
    {"event": "action", "name": "action_session_start"},
    {"event": "session_started"},
    {"event": "action", "name": "action_listen"},
]


@dataclass(frozen=True)
class RasaApi:
    """Rasa's HTTP API at `url` (the private balancer, or the one server), with its token."""

    url: str
    token: str
    timeout: float = 10.0

    def append(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        """Append `events` to the conversation (under Rasa's lock of that conversation, shared
        by every Rasa instance); raise `RasaUnavailable` when Rasa did not take them."""
        path = urllib.parse.quote(conversation_id, safe="")
        self._call(
            "POST", f"/conversations/{path}/tracker/events", events, {"include_events": "NONE"}
        )

    def replace_model(self, model_file: str, timeout: float = 300.0) -> None:
        """Serve the model at `model_file` (a path on Rasa's host) from now on (`PUT /model`):
        the conversations are in the tracker store, so each continues with the new model at its
        next message; raise `RasaUnavailable` when this instance did not load it."""
        self._call("PUT", "/model", {"model_file": model_file}, timeout=timeout)

    def _call(
        self, method: str, path: str, body: Any, query: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> None:  # fmt: skip
        if not self.token:
            raise RasaUnavailable("RASA_API_TOKEN is not set")
        encoded = urllib.parse.urlencode({"token": self.token, **(query or {})})
        request = urllib.request.Request(
            f"{self.url}{path}?{encoded}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as reply:
                if reply.status not in (200, 204):
                    raise RasaUnavailable(f"HTTP {reply.status}")
        except urllib.error.HTTPError as error:
            raise RasaUnavailable(f"HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            raise RasaUnavailable(type(error).__name__) from None
