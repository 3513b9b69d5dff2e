"""The domain's prompts that wait for an answer outside the forms (consent, the program's offer,
the booking offer after an eligible intake, the review offer after a refusal, the fallback's
own « reformulez »), each sent three unreadable answers through the REST channel: no bot message
is read word for word a third time, and a way out (buttons) is offered by the third reply. The
forms' questions are walked in tests/storage/test_escalation_walk.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from bot.settings import Settings
from tests.conftest import FIGURES, Responses
from tests.e2e.test_intake_conversation import ANSWERS, RECAP, Chat, start
from tests.storage.test_escalation_walk import UNREADABLE


def eligible(chat: Chat) -> None:
    chat.answer_until(RECAP, ANSWERS | {"utter_ask_email": "walk-ok@exemple.com"}, start(chat))
    assert chat.say("oui") == ["utter_intake_eligible"]


def refused(chat: Chat) -> None:
    answers = ANSWERS | {
        "utter_ask_address": "5000 boulevard Guillaume-Couture, Lévis G6V 1A1",
        "utter_ask_email": "walk-levis@exemple.com",
    }
    chat.answer_until(RECAP, answers, start(chat))
    assert chat.say("oui") == ["utter_intake_not_eligible"]


PROMPTS: dict[str, Callable[[Chat], object]] = {
    "utter_ask_consent": lambda chat: chat.say("je veux vérifier mon admissibilité"),
    "utter_offer_for_business": lambda chat: chat.say(
        "bonjour j'ai une boutique de cadeaux à Limoilou, pouvez-vous m'aider?"
    ),
    "utter_intake_eligible": eligible,
    "utter_intake_not_eligible": refused,
    "utter_ask_rephrase": lambda chat: chat.say("xkcd zzz"),
}


@pytest.mark.parametrize("prompt", sorted(PROMPTS))
def test_a_prompt_escalates(stack: Settings, responses: Responses, prompt: str) -> None:
    chat = Chat(stack, responses)
    PROMPTS[prompt](chat)
    assert chat.last and responses.name_of(chat.last[-1]["text"]) == prompt
    said = Counter(r.get("text", "") for r in chat.last)
    buttons = False
    for text in UNREADABLE:
        chat.say(text)
        said.update(r.get("text", "") for r in chat.last)
        buttons = buttons or any(r.get("buttons") for r in chat.last)
    repeated = [text for text, count in said.items() if count >= 3]
    assert not repeated, repeated
    assert buttons, "no way out by the third unreadable answer"
    FIGURES["escalation walk: domain prompts outside forms, through REST"] = (
        f"{len(PROMPTS)} prompts, three unreadable answers each"
    )
