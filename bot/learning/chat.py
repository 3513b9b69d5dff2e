"""A merchant's conversation with a running product over its REST channel, the bot's replies
read as the domain's response names; and the steps that bring a merchant to the booking: an
eligible intake, the diagnostic. Used by the measurements of a model (`bot.learning.measure`:
the booking turns, the simulated merchants) and by the end-to-end tests."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
import uuid
from typing import Any

from bot.learning.responses import Responses
from bot.pack.diagnostic import current_diagnostic
from bot.pack.intake import current_intake
from bot.pack.sample_merchant import current_sample_merchant
from bot.settings import Settings

RECAP = "<recap>"


def post(
    url: str,
    body: bytes | str | dict[str, Any],
    headers: dict[str, str] | None = None,
    context: ssl.SSLContext | None = None,
) -> tuple[int, Any]:
    """POST `body` (JSON-encoded unless already bytes or text); the status and the JSON reply
    (an error's too, or its text when it is not JSON)."""
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    raw = data.encode() if isinstance(data, str) else data
    request = urllib.request.Request(
        url, data=raw, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=60, context=context) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, text.decode(errors="replace")


class Chat:
    """One merchant's conversation over the REST channel; replies come back as response names."""

    def __init__(self, stack: Settings, responses: Responses) -> None:
        self.url = f"{stack.rasa_url}/webhooks/rest/webhook"
        self.sender = f"intake-{uuid.uuid4().hex[:12]}"
        self.responses = responses
        self.last: list[dict[str, Any]] = []

    def say(self, text: str) -> list[str]:
        status, replies = post(self.url, {"sender": self.sender, "message": text})
        assert status == 200, replies
        self.last = replies
        return names_of(self.responses, replies)

    def answer_until(self, stop: str, answers: dict[str, str], asked: list[str]) -> list[str]:
        """Answer each question from `answers` until the bot says `stop`; return what it said."""
        said = asked
        for _ in range(30):
            if stop in said:
                return said
            question = said[-1]
            assert question in answers, said
            said = self.say(answers[question])
        raise AssertionError("no end")


def intake_answers() -> dict[str, str]:
    """The pack's sample merchant's answers to the intake (`sample_merchant.yml`)."""
    return dict(current_sample_merchant().intake)


def diagnostic_answers() -> dict[str, str]:
    """The pack's sample merchant's answers to the diagnostic."""
    return dict(current_sample_merchant().diagnostic)


def names_of(responses: Responses, messages: list[dict[str, Any]]) -> list[str]:
    """The responses the bot's messages come from, the recap as RECAP."""
    opening = current_intake().opening
    return [
        RECAP if m.get("text", "").startswith(opening) else responses.name_of(m.get("text", ""))
        for m in messages
    ]


def start(chat: Chat) -> list[str]:
    """Ask for the eligibility check and consent: the first question of the intake."""
    assert chat.say("je veux vérifier mon admissibilité") == ["utter_ask_consent"]
    return chat.say("/affirm")


def eligible(chat: Chat, email: str) -> None:
    """An eligible intake for a new business (a returning business would update its lead)."""
    answers = intake_answers() | {
        "utter_ask_email": email,
        "utter_ask_business_name": f"Boutique {email}",
    }
    chat.answer_until(RECAP, answers, start(chat))
    assert chat.say("oui") == ["utter_intake_eligible"]


def summary_said(chat: Chat) -> bool:
    """Whether the bot's last message is the diagnostic's summary (its text before `{focus}`)."""
    opening = dict(current_diagnostic().summary)["text"].split("{", 1)[0].strip()
    return bool(chat.last[-1]["text"].startswith(opening))


def diagnose(chat: Chat, replies: dict[str, str]) -> list[str]:
    """Answer the diagnostic from `replies` until its summary; every response the bot said."""
    said = chat.say("/affirm")
    every = list(said)
    while not summary_said(chat):
        assert said[-1] in replies and len(every) < 40, every
        said = chat.say(replies[said[-1]])
        every += said
    return every
