"""Several instances behind nginx keep every conversation whole: the turns of one conversation
alternate between the two Rasa servers, an instance dies mid-form, nginx reloads, Redis and
PostgreSQL restart; at the end every lead is stored whole, once."""

from __future__ import annotations

import itertools
import signal
import threading
import uuid
from collections.abc import Callable
from typing import Any

from bot.stack import Stack
from tests.conftest import Responses
from tests.e2e.test_intake_conversation import (
    ANSWERS,
    RECAP,
    Chat,
    lead_of,
    leads,
    names_of,
    start,
)
from tests.production.conftest import PublicChat, restart_postgresql, restart_redis

APOLOGY = "L'assistant n'a pas pu répondre. Réessayez dans un instant."


def widget_sender() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex[:8]


class AlternatingChat(Chat):
    """One conversation whose turns go to each Rasa instance in turn, straight to its port."""

    def __init__(self, stack: Stack, responses: Responses) -> None:
        super().__init__(stack.settings, responses)
        ports = stack.settings.instance_ports(stack.settings.rasa_port)
        self.urls = itertools.cycle(
            f"http://{stack.settings.rasa_host}:{port}/webhooks/rest/webhook" for port in ports
        )

    def say(self, text: str) -> list[str]:
        self.url = next(self.urls)
        return super().say(text)


def test_the_turns_of_one_conversation_alternate_between_two_rasa_instances(
    production: Stack, responses: Responses
) -> None:
    chats = [AlternatingChat(production, responses) for _ in range(3)]
    for i, chat in enumerate(chats):
        answers = ANSWERS | {
            "utter_ask_business_name": f"Boutique Alterne {i}",
            "utter_ask_email": f"alterne{i}@exemple.com",
        }
        chat.answer_until(RECAP, answers, start(chat))
        assert "• Courriel : " + f"alterne{i}@exemple.com" in chat.last[-1]["text"]
        assert chat.say("oui") == ["utter_intake_eligible"]
    for i in range(3):
        row = lead_of(production.settings, f"alterne{i}@exemple.com")
        assert (row["business"], row["postal_code"], row["outcome"]) == (
            f"Boutique Alterne {i}", "G1L 2W5", "admissible",
        )  # fmt: skip
        assert row["answers"]["Courriel"] == f"alterne{i}@exemple.com"


def answer_through(
    chat: PublicChat, said: list[str], answers: dict[str, str], turns: int
) -> list[str]:
    for _ in range(turns):
        said = chat.say(answers[said[-1]])
    return said


def say_after_a_fault(chat: PublicChat, text: str) -> list[str]:
    """The first message after a server's restart may get the widget's apology; the merchant
    sends it again and the conversation goes on."""
    status, reply = chat.send(text)
    if status != 200:
        assert (status, reply) == (502, {"error": APOLOGY}) or status == 503, reply
        return chat.say(text)
    chat.last = reply["messages"]
    return names_of(chat.responses, chat.last)


def finish(chat: PublicChat, said: list[str], answers: dict[str, str]) -> None:
    for _ in range(30):
        if said[-1] == RECAP:
            break
        said = chat.say(answers[said[-1]])
    assert said[-1] == RECAP
    assert chat.say("oui") == ["utter_intake_eligible"]


def test_a_rasa_instance_killed_mid_form_the_other_goes_on_with_its_answers(
    production: Stack, responses: Responses
) -> None:
    chat = PublicChat(production, responses, widget_sender())
    answers = ANSWERS | {"utter_ask_email": "tuee@exemple.com"}
    assert chat.say("je veux vérifier mon admissibilité") == ["utter_ask_consent"]
    said = answer_through(chat, chat.say("/affirm"), answers, 4)
    with production.held("rasa-1") as rasa:
        rasa.send_signal(signal.SIGKILL)
        rasa.wait()
        said = say_after_a_fault(chat, answers[said[-1]])
        finish(chat, said, answers)
    row = lead_of(production.settings, "tuee@exemple.com")
    assert row["answers"]["Entreprise"] == "Boutique Chez Marie"
    assert row["answers"]["Téléphone"] == "+14185551234", "asked before the fault, kept"
    production.wait_ready(["rasa-1"], timeout=180)


def test_nginx_reloads_lose_no_message(production: Stack, responses: Responses) -> None:
    statuses: list[int] = []

    def merchant() -> None:
        chat = PublicChat(production, responses, widget_sender())
        for _ in range(15):
            statuses.append(chat.send("c'est gratuit?")[0])

    merchants = [threading.Thread(target=merchant) for _ in range(3)]
    for thread in merchants:
        thread.start()
    for _ in range(3):
        production.reload_nginx()
        threading.Event().wait(0.5)
    for thread in merchants:
        thread.join()
    assert statuses == [200] * 45


def through_a_fault(
    production: Stack, responses: Responses, email: str, turns: int, fault: Callable[[], None]
) -> dict[str, Any]:
    """An intake through the public entry with `fault` after `turns` answers; its lead."""
    chat = PublicChat(production, responses, widget_sender())
    # A business of its own: the same business coming back would update its earlier lead.
    answers = ANSWERS | {"utter_ask_business_name": f"Boutique {email}", "utter_ask_email": email}
    assert chat.say("je veux vérifier mon admissibilité") == ["utter_ask_consent"]
    said = answer_through(chat, chat.say("/affirm"), answers, turns)
    fault()
    finish(chat, say_after_a_fault(chat, answers[said[-1]]), answers)
    return lead_of(production.settings, email)


def test_redis_restarted_conversations_go_on(production: Stack, responses: Responses) -> None:
    row = through_a_fault(production, responses, "redis@exemple.com", 3, restart_redis)
    assert row["outcome"] == "admissible"


def test_postgresql_restarted_the_chat_apologises_then_goes_on_and_no_lead_is_lost(
    production: Stack, responses: Responses
) -> None:
    before = leads(production.settings)
    row = through_a_fault(production, responses, "pg-redemarre@exemple.com", 5, restart_postgresql)
    assert row["answers"]["Courriel"] == "pg-redemarre@exemple.com"
    after = leads(production.settings)
    assert [r for r in after if r["email"] != "pg-redemarre@exemple.com"] == before
