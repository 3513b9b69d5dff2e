"""Personal information masked before a missed message is kept: e-mails, phones in the forms
Québec merchants write them, Canadian postal codes, and the names, business names and address
given in that same conversation (case, accents and punctuation aside, whole words only)."""

from __future__ import annotations

import pytest

from bot.learning.masking import mask, names_of

NAMES = names_of(
    [
        ("contact_name", "Marie-Ève Tremblay"),
        ("business_name", "Café Chez Léo"),
        ("association_name", "SDC Limoilou"),
        ("address", "1200, 3e Avenue"),
        ("sector", "restauration"),  # not personal: never masked
    ]
)


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("écrivez-moi à marie.tremblay@gmail.com svp", "écrivez-moi à [courriel] svp"),
        ("MARIE_T+chat@Videotron.CA.", "[courriel]."),
        ("mon cell 418 555-1234", "mon cell [téléphone]"),
        ("(418)555-1234 le soir", "[téléphone] le soir"),
        ("(418) 555-1234", "[téléphone]"),
        ("4185551234", "[téléphone]"),
        ("418.555.1234 ou 581-555-9876", "[téléphone] ou [téléphone]"),
        ("+1 418 555 1234", "[téléphone]"),
        ("+14185551234", "[téléphone]"),
        ("1-418-555-1234", "[téléphone]"),
        ("on est au G1K 3A5", "on est au [code postal]"),
        ("g1k3a5 à québec", "[code postal] à québec"),
        ("code G1K-3A5.", "code [code postal]."),
    ],
)
def test_contact_details_of_any_form(said: str, kept: str) -> None:
    assert mask(said) == kept


@pytest.mark.parametrize(
    "said",
    [
        "c'est combien pour 12 employés depuis 2019?",
        "on a 1763912345 abonnés",  # a timestamp-like number is not a phone (area code 176)
        "la facture 45.99$ du 2026-11-23",
        "ouvert de 9h à 17h, 7 jours",
        "le programme G1 c'est quoi",
    ],
)
def test_numbers_that_are_not_personal_stay(said: str) -> None:
    assert mask(said) == said


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("Bonjour, ici marie-eve TREMBLAY", "Bonjour, ici [nom]"),
        ("Marie Ève Tremblay du café chez leo", "[nom] du [nom]"),
        ("demandez à Tremblay", "demandez à [nom]"),  # a person's surname alone
        ("Marie a dit que l'ÈVE…", "[nom] a dit que l'[nom]…"),
        ("on est membre de la sdc limoilou", "on est membre de la [nom]"),
        ("livrez au 1200 3e avenue svp", "livrez au [adresse] svp"),
        ("le Café du coin, chez nous", "le Café du coin, chez nous"),  # a business's word alone
        ("Tremblayville et mariée", "Tremblayville et mariée"),  # word boundaries
        ("restauration rapide", "restauration rapide"),
    ],
)
def test_names_given_in_the_conversation(said: str, kept: str) -> None:
    assert mask(said, NAMES) == kept


def test_everything_at_once_and_placeholders_never_masked_again() -> None:
    values = names_of([("contact_name", "Nom Adresse"), ("email", "luc@gite.ca")])
    said = "Nom Adresse, luc@gite.ca, 418 555-1234, G1K 3A5 — nom?"
    assert mask(said, values) == "[nom], [courriel], [téléphone], [code postal] — [nom]?"


def test_emoji_html_and_long_text_are_kept_as_text() -> None:
    said = "<script>alert('x')</script> 😀 c'est combien? " * 50
    assert mask(said, NAMES) == said
