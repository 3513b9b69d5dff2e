"""Typed equals clicked through the running product: a typed button title or a plain yes/no
does what touching the button does (rasa_components/typed_buttons.py)."""

from __future__ import annotations

import uuid

from bot.settings import Settings
from bot.storage.transcripts import transcript
from tests.conftest import Responses
from tests.e2e.test_diagnostic_conversation import DIAGNOSTIC, eligible, summary_said
from tests.e2e.test_intake_conversation import Chat


def test_typed_yes_after_the_diagnostic_books_like_the_button(
    stack: Settings, responses: Responses
) -> None:
    chat = Chat(stack, responses)
    eligible(chat, f"tape-{uuid.uuid4().hex[:6]}@exemple.com")
    said = chat.say("ouais")  # « Voulez-vous faire le diagnostic? » [Oui / Non]
    assert said == ["utter_ask_diag_website"]
    for _ in range(20):
        if summary_said(chat):
            break
        said = chat.say(DIAGNOSTIC[said[-1]])
    assert chat.say("Oui, c'est exact") == ["utter_diagnostic_saved"]
    # « Voulez-vous en choisir le moment maintenant? » [Choisir un moment / Plus tard]
    assert chat.say("oui") == ["utter_booking_next_free", "utter_ask_booking_when"]


def test_typed_refusals_and_titles_at_the_consent(stack: Settings, responses: Responses) -> None:
    chat = Chat(stack, responses)
    assert chat.say("je veux vérifier mon admissibilité") == ["utter_ask_consent"]
    clicked = Chat(stack, responses)
    clicked.say("je veux vérifier mon admissibilité")
    assert chat.say("non merci") == clicked.say("/deny") == ["utter_consent_declined"]
    chat = Chat(stack, responses)
    chat.say("je veux vérifier mon admissibilité")
    assert chat.say("J'accepte") == ["utter_ask_business_name"]


def test_the_transcript_keeps_what_was_typed(stack: Settings, responses: Responses) -> None:
    chat = Chat(stack, responses)
    chat.say("je veux vérifier mon admissibilité")
    chat.say("ok")
    said = [
        line.text
        for line in transcript(stack.tracker_url, chat.sender)
        if line.speaker == "merchant"
    ]
    assert said == ["je veux vérifier mon admissibilité", "ok"]
