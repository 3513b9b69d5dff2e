"""The diagnostic after an eligible intake, through the running product, and the stored brief."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from bot.learning.chat import diagnose as diagnose
from bot.learning.chat import diagnostic_answers
from bot.learning.chat import eligible as eligible
from bot.learning.chat import summary_said as summary_said
from bot.settings import Settings
from tests.conftest import Responses
from tests.e2e.test_intake_conversation import (
    IN_SENTENCES,
    Chat,
    Merchant,
    intake_in_sentences,
    lead_of,
)

DIAGNOSTIC = diagnostic_answers()  # the real pack's sample merchant; other e2e tests import it


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


# ---- a merchant who types sentences instead of clicking (user testing) ------------------------

# Ginette's answers: the platform said with the website, a monthly frequency, online booking as
# her first need (said at the goals and as the first thing to change).
GINETTE = DIAGNOSTIC | {
    "utter_ask_diag_website": "oui, un site fait avec Wix il y a 2 ans",
    "utter_ask_diag_posting": "genre une fois par mois",
    "utter_ask_diag_google_profile": "oui",
    "utter_ask_diag_goals": "la prise de rendez-vous en ligne",
    "utter_ask_diag_first_change": "la prise de rendez-vous en ligne",
}


def diagnosed(stack: Settings, responses: Responses, replies: dict[str, str]) -> Merchant:
    """An eligible intake in sentences, then the diagnostic answered with `replies`."""
    merchant = intake_in_sentences(stack, responses, IN_SENTENCES)
    assert merchant.chat.say("oui") == ["utter_intake_eligible"]
    merchant.asked = diagnose(merchant.chat, replies)
    return merchant


def check_diagnostic_as_meant(stack: Settings, responses: Responses) -> None:
    """The platform said with the website is not asked again, « genre une fois par mois » is
    monthly, and online booking, her first need, leads the focus areas, up to the stored brief."""
    merchant = diagnosed(stack, responses, GINETTE)
    assert "utter_ask_diag_platform" not in merchant.asked
    summary = merchant.chat.last[-1]["text"]
    assert summary.split("\n")[1].startswith("• Réservation en ligne : ")
    assert merchant.chat.say("oui") == ["utter_diagnostic_saved"]
    diagnostic = lead_of(stack, merchant.email)["diagnostic"]
    answers: dict[str, Any] = diagnostic["answers"]
    assert (answers["platform"], answers["posting"]) == ("Wix", "chaque mois")
    assert answers["goals"] == "réservation en ligne"
    assert diagnostic["focus"][0] == "Réservation en ligne"
    assert "• Site Web : ancien (Wix)" in diagnostic["brief"]
    assert "publications : chaque mois" in diagnostic["brief"]


def test_a_diagnostic_in_sentences_is_stored_as_meant(
    stack: Settings, responses: Responses
) -> None:
    check_diagnostic_as_meant(stack, responses)


@pytest.mark.parametrize(
    ("question", "asked", "definition"),
    [
        ("utter_ask_diag_newsletter", "c'est quoi une infolettre?", "utter_define_newsletter"),
        ("utter_ask_diag_newsletter", "une infolettre?", "utter_define_newsletter"),
        ("utter_ask_diag_newsletter", "je sais pas c'est quoi une infolettre",
         "utter_define_newsletter"),
        ("utter_ask_diag_social_networks", "c'est quoi les médias sociaux?",
         "utter_define_social_media"),
        ("utter_ask_diag_google_profile", "c'est quoi une fiche d'entreprise Google?",
         "utter_define_business_profile"),
        ("utter_ask_diag_online_sales", "ça veut dire quoi transactionnel?",
         "utter_define_transactional"),
        ("utter_ask_diag_website", "le référencement, c'est quoi?", "utter_define_seo"),
        ("utter_ask_diag_tools", "c'est quoi un point de vente?", "utter_define_point_of_sale"),
    ],
)  # fmt: skip
def test_a_word_asked_about_is_defined_then_the_question_asked_again(
    stack: Settings, responses: Responses, question: str, asked: str, definition: str
) -> None:
    chat = Chat(stack, responses)
    eligible(chat, f"mot-{uuid.uuid4().hex[:6]}@exemple.com")
    said = chat.say("/affirm")
    while said[-1] != question:
        said = chat.say(DIAGNOSTIC[said[-1]])
    assert chat.say(asked) == [definition, question]  # not « J'attends oui ou non »
    assert chat.last[-1].get("buttons") or question in {
        "utter_ask_diag_goals", "utter_ask_diag_first_change"
    }  # fmt: skip
    assert chat.say(DIAGNOSTIC[question]) != [definition, question]


@pytest.mark.parametrize(
    ("replies", "stored"),
    [
        ({"utter_ask_diag_posting": "rarement, genre une fois par mois"},
         {"posting": "chaque mois"}),
        ({"utter_ask_diag_posting": "aux deux semaines"}, {"posting": "quelques fois par mois"}),
        ({"utter_ask_diag_posting": "une couple de fois par année"}, {"posting": "rarement"}),
        ({"utter_ask_diag_website": "oui, sur Shopify, refait l'an passé"},
         {"website": "récent", "platform": "Shopify"}),
        ({"utter_ask_diag_website": "ouin un vieux site WordPress"},
         {"website": "ancien", "platform": "WordPress"}),
        ({"utter_ask_diag_goals": "plus de visibilité", "utter_ask_diag_first_change":
          "que mes clientes puissent réserver en ligne"}, {"focus": "Réservation en ligne"}),
        ({"utter_ask_diag_goals": "que le monde puisse commander en ligne pis la visibilité",
          "utter_ask_diag_first_change": "je sais pas"}, {"focus": "Commande en ligne"}),
    ],
)  # fmt: skip
def test_neighbouring_answers_are_stored_as_meant(
    stack: Settings, responses: Responses, replies: dict[str, str], stored: dict[str, str]
) -> None:
    merchant = diagnosed(stack, responses, GINETTE | replies)
    assert "utter_ask_diag_platform" not in merchant.asked  # every website answer names it
    assert merchant.chat.say("oui") == ["utter_diagnostic_saved"]
    diagnostic = lead_of(stack, merchant.email)["diagnostic"]
    for name, value in stored.items():
        got = diagnostic["focus"][0] if name == "focus" else diagnostic["answers"][name]
        assert got == value, (name, diagnostic)
