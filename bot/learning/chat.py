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
from bot.settings import Settings

RECAP = "<recap>"

ANSWERS = {
    "utter_ask_business_name": "Boutique Chez Marie",
    "utter_ask_contact_name": "Marie Tremblay",
    "utter_ask_contact_role": "Propriétaire",
    "utter_ask_email": "marie@exemple.com",
    "utter_ask_phone": "418 555-1234",
    "utter_ask_address": "123, 3e Avenue, Québec G1L 2W5",
    "utter_ask_storefront": "ouais",
    "utter_ask_sector": "Commerce de détail",
    "utter_ask_sdc_member": "oui",
    "utter_ask_association_name": "SDC 3e Avenue",
    "utter_ask_employees": "3",
    "utter_ask_hours_per_week": "1 à 2 heures",
    "utter_ask_readiness": "Prêt à commencer maintenant",
    "utter_ask_impact": "Vendre en ligne et attirer la clientèle du quartier",
}

DIAGNOSTIC = {
    "utter_ask_diag_website": "ancien",
    "utter_ask_diag_platform": "je ne sais pas",
    "utter_ask_diag_social_networks": "Facebook",
    "utter_ask_diag_posting": "rarement",
    "utter_ask_diag_google_profile": "je sais pas",
    "utter_ask_diag_online_sales": "non",
    "utter_ask_diag_newsletter": "non",
    "utter_ask_diag_online_booking": "non",
    "utter_ask_diag_tools": "caisse",
    "utter_ask_diag_goals": "plus de visibilité et vendre en ligne",
    "utter_ask_diag_obstacles": "le temps",
    "utter_ask_diag_budget": "moins de 1 000 $",
    "utter_ask_diag_first_change": "Être trouvé sur le Web",
}


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


def names_of(responses: Responses, messages: list[dict[str, Any]]) -> list[str]:
    """The responses the bot's messages come from, the recap as RECAP."""
    return [
        RECAP
        if m.get("text", "").startswith("Voici ce que j'ai noté")
        else responses.name_of(m.get("text", ""))
        for m in messages
    ]


def start(chat: Chat) -> list[str]:
    """Ask for the eligibility check and consent: the first question of the intake."""
    assert chat.say("je veux vérifier mon admissibilité") == ["utter_ask_consent"]
    return chat.say("/affirm")


def eligible(chat: Chat, email: str) -> None:
    """An eligible intake for a new business (a returning business would update its lead)."""
    answers = ANSWERS | {"utter_ask_email": email, "utter_ask_business_name": f"Boutique {email}"}
    chat.answer_until(RECAP, answers, start(chat))
    assert chat.say("oui") == ["utter_intake_eligible"]


def summary_said(chat: Chat) -> bool:
    return bool(chat.last[-1]["text"].startswith("Merci! Voici les pistes"))


def diagnose(chat: Chat, replies: dict[str, str]) -> list[str]:
    """Answer the diagnostic from `replies` until its summary; every response the bot said."""
    said = chat.say("/affirm")
    every = list(said)
    while not summary_said(chat):
        assert said[-1] in replies and len(every) < 40, every
        said = chat.say(replies[said[-1]])
        every += said
    return every
