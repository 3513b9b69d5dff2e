"""What the forms' words mean (`bot/glossary.py`, program/responses/glossary.yml): when a message asks,
which definition answers it, and the definitions themselves."""

from __future__ import annotations

import pytest
import yaml

from bot.glossary import TERMS, asked_about
from bot.settings import ROOT

DEFINITIONS = {
    name: variants[0]["text"]
    for name, variants in yaml.safe_load((ROOT / "program/responses/glossary.yml").read_text())[
        "responses"
    ].items()
}


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("c'est quoi une infolettre?", "newsletter"),
        ("C'est quoi ça, une infolettre?", "newsletter"),
        ("une infolettre?", "newsletter"),
        ("infolettre ?", "newsletter"),
        ("je sais pas c'est quoi une infolettre", "newsletter"),
        ("qu'est-ce qu'une infolettre?", "newsletter"),
        ("c koi une newsletter", "newsletter"),
        ("c'est quoi les médias sociaux?", "social_media"),
        ("le SEO, c'est quoi?", "seo"),
        ("ça veut dire quoi référencement?", "seo"),
        ("ça veut dire quoi, transactionnel?", "transactional"),
        ("qu'est-ce qu'un site transactionnel?", "transactional"),
        ("qu'est-ce qu'une fiche d'entreprise Google?", "business_profile"),
        ("que voulez-vous dire par plateforme?", "platform"),
        ("c'est quoi publier, genre des annonces dans le journal?", "posting"),
        ("Kossé ça, une story?", "story"),
        ("c'est quoi un point de vente?", "point_of_sale"),
        ("c'est quoi un CRM?", "crm"),
        ("c'est quoi la réservation en ligne?", "online_booking"),
        ("c'est quoi avoir pignon sur rue?", "storefront"),
        ("je comprends pas virage numérique", "digital_shift"),
    ],
)
def test_a_question_about_a_word_gets_its_definition(text: str, term: str) -> None:
    assert asked_about(text) == f"utter_define_{term}"


@pytest.mark.parametrize(
    "text",
    [
        "non",
        "oui, une fois par mois avec Mailchimp",
        "c'est quoi une SDC?",  # the program's own topic: its FAQ answer
        "c'est quoi votre programme?",
        "combien ça coûte une infolettre?",
        "on envoie une infolettre chaque mois",
        "Facebook",
    ],
)
def test_other_messages_ask_no_definition(text: str) -> None:
    assert asked_about(text) is None


def test_every_term_has_its_definition_and_every_definition_a_term() -> None:
    assert {f"utter_define_{term}" for term in TERMS} == set(DEFINITIONS)


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_a_definition_is_one_short_plain_sentence(name: str) -> None:
    text = DEFINITIONS[name]
    assert text.endswith(".") and text.count(". ") == 0 and len(text) <= 220, text
    assert "?" not in text and "tu " not in f" {text.casefold()} "  # vouvoiement
    for advice in ("nous recommandons", "choisissez", "le meilleur"):  # never a recommendation
        assert advice not in text.casefold()
