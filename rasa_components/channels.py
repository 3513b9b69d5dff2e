"""Rasa's REST channel with input validation: bad input gets a JSON 4xx in French, never a 500.

Rasa 3.6's own `RestInput` answers 500 to a JSON array or an empty body, files messages
without a sender under the shared id "default", and silently ignores non-text messages.
This channel keeps the same URL (`/webhooks/rest/webhook`) and replies, and checks each
request first with the same rules as the web app (`bot/messages.py`, standard library only).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import log_privacy
from bot.messages import InvalidMessage, parse_message
from rasa_components import (
    asked_questions,
    failed_actions,
    remote_actions,
    session_resume,
    typed_buttons,
)

# Loaded before the server logs any message: e-mails, phones and postal codes masked in every
# log record of the Rasa server (Rasa's, Sanic's and ours, see `bot/log_privacy.py`).
log_privacy.install()
# This module is loaded by every `rasa run` (credentials.yml): the place to patch the whole
# server (each patch refuses to install on a Rasa other than 3.6.21): a faster check of action
# server responses, a French apology when a custom action fails, and typed button titles or a
# plain yes/no handled as the click they mean, a form question asked once per turn without a
# second call to the action server, a form in progress resumed by a new session.
remote_actions.install()
failed_actions.install()
typed_buttons.install()
asked_questions.install()
session_resume.install()


class ValidatedRestInput(RestInput):
    """`RestInput` that refuses malformed requests with a clear French JSON error."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook: Blueprint = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def validate(request: Request) -> HTTPResponse | None:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            try:
                message = parse_message(request.body)
            except InvalidMessage as invalid:
                return response.json({"error": str(invalid)}, status=invalid.status)
            request.ctx.message = message
            return None

        return webhook

    async def _extract_sender(self, req: Request) -> str | None:
        return str(req.ctx.message.sender)

    def _extract_message(self, req: Request) -> str | None:
        return str(req.ctx.message.text)

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata: dict[str, Any] | None = request.ctx.message.metadata
        return metadata
