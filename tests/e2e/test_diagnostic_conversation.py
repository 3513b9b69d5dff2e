"""The diagnostic after an eligible intake, through the running product, and the stored brief."""

from __future__ import annotations

import uuid

from bot.settings import Settings
from tests.conftest import Responses
from tests.e2e.test_intake_conversation import ANSWERS, RECAP, Chat, lead_of, start

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


def eligible(chat: Chat, email: str) -> None:
    """An eligible intake for a new business (a returning business would update its lead)."""
    answers = ANSWERS | {"utter_ask_email": email, "utter_ask_business_name": f"Boutique {email}"}
    chat.answer_until(RECAP, answers, start(chat))
    assert chat.say("oui") == ["utter_intake_eligible"]


def summary_said(chat: Chat) -> bool:
    return bool(chat.last[-1]["text"].startswith("Merci! Voici les pistes"))


def test_full_diagnostic_is_summarised_and_stored_as_a_brief(
    stack: Settings, responses: Responses
) -> None:
    chat = Chat(stack, responses)
    email = f"diag-{uuid.uuid4().hex[:6]}@exemple.com"
    eligible(chat, email)
    said = chat.say("/affirm")
    assert said == ["utter_ask_diag_website"]
    for _ in range(20):
        if summary_said(chat):
            break
        said = chat.say(DIAGNOSTIC[said[-1]])
    summary = chat.last[-1]["text"]
    assert (
        "• Site Web : plan d'action du site et aide neutre pour choisir le bon fournisseur"
        in summary
    )
    assert chat.say("oui") == ["utter_diagnostic_saved"]
    diagnostic = lead_of(stack, email)["diagnostic"]
    assert diagnostic["completed"] is True
    assert diagnostic["focus"][:2] == ["Site Web", "Contenu des réseaux sociaux"]
    assert diagnostic["brief"].startswith(f"Boutique {email} : maturité numérique")
    assert diagnostic["answers"]["google_profile"] == "je ne sais pas"


def test_the_diagnostic_can_be_skipped(stack: Settings, responses: Responses) -> None:
    chat = Chat(stack, responses)
    email = f"skip-{uuid.uuid4().hex[:6]}@exemple.com"
    eligible(chat, email)
    assert chat.say("/deny") == ["utter_no_problem"]
    assert lead_of(stack, email)["diagnostic"] is None


def test_stopping_midway_keeps_the_answers(stack: Settings, responses: Responses) -> None:
    chat = Chat(stack, responses)
    email = f"pause-{uuid.uuid4().hex[:6]}@exemple.com"
    eligible(chat, email)
    chat.say("/affirm")
    assert chat.say("aucun") == ["utter_ask_diag_social_networks"]
    assert chat.say("c'est tu vraiment gratuit?") == [
        "utter_faq_cost",
        "utter_ask_diag_social_networks",
    ]
    assert chat.say("on arrête ça") == ["utter_diagnostic_paused"]
    diagnostic = lead_of(stack, email)["diagnostic"]
    assert diagnostic["completed"] is False and diagnostic["answers"]["website"] == "aucun"


def test_correction_at_the_summary(stack: Settings, responses: Responses) -> None:
    chat = Chat(stack, responses)
    eligible(chat, f"fix-{uuid.uuid4().hex[:6]}@exemple.com")
    said = chat.say("/affirm")
    for _ in range(20):
        if summary_said(chat):
            break
        said = chat.say(DIAGNOSTIC[said[-1]])
    assert chat.say("non") == ["utter_ask_diag_field_to_correct"]
    assert chat.say("le budget") == ["utter_ask_diag_budget"]
    chat.say("plus de 5 000 $")
    assert summary_said(chat)
