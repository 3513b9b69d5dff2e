"""Diagnostic rules on varied businesses: maturity per area, focus areas, brief, summary."""

import pytest

from bot.diagnostic import (
    SOCIAL_NETWORKS,
    UNKNOWN,
    Answers,
    brief,
    profile,
    read_budget,
    read_frequency,
    read_list,
    read_website,
    summary,
)
from bot.parsing import NotUnderstood

BOUTIQUE_FACEBOOK_ONLY = Answers(
    website="aucun", social_networks="Facebook", posting="rarement", google_profile="non",
    online_sales="non", newsletter="non", online_booking="non", tools="point de vente",
    goals="visibilité, clientèle locale", obstacles="le temps", budget="moins de 1 000 $",
)  # fmt: skip
RESTAURANT_OLD_SITE = Answers(
    website="ancien", social_networks="Facebook, Instagram", posting="chaque semaine",
    google_profile="oui", online_sales="non", newsletter="non", online_booking="non",
    tools="point de vente, comptabilité", goals="ventes en ligne, fidélisation",
    obstacles="trouver un fournisseur de confiance", budget="1 000 $ à 5 000 $",
)  # fmt: skip
BED_AND_BREAKFAST = Answers(
    website="récent", platform="plateformes de réservation", social_networks="Instagram",
    posting="chaque mois", google_profile="oui", online_sales="non", newsletter="non",
    online_booking="oui", tools="réservations", goals="touristes", obstacles="le temps",
)  # fmt: skip
HAIR_SALON_NOTHING = Answers(
    website="aucun", social_networks="aucun", posting="jamais", google_profile="non",
    online_sales="non", newsletter="non", online_booking="non", tools="aucun",
    goals="clientèle locale", obstacles="savoir par où commencer",
)  # fmt: skip
RETAILER_ONLINE = Answers(
    website="récent", platform="Shopify", social_networks="Facebook, Instagram, TikTok",
    posting="chaque jour", google_profile="oui", online_sales="oui", newsletter="oui",
    online_booking="non", tools="point de vente, inventaire, comptabilité",
    goals="fidélisation", obstacles="le temps", budget="plus de 5 000 $",
)  # fmt: skip


def titles(answers: Answers) -> list[str]:
    return [f.title for f in profile(answers).focus]


def test_boutique_with_only_facebook() -> None:
    result = profile(BOUTIQUE_FACEBOOK_ONLY)
    assert result.levels == {
        "visibilité": "à bâtir",
        "marketing": "de base",
        "ventes": "à bâtir",
        "gestion": "de base",
    }
    assert titles(BOUTIQUE_FACEBOOK_ONLY) == [
        "Site Web",
        "Contenu des réseaux sociaux",
        "Visibilité locale",
        "Outils de gestion",
    ]


def test_restaurant_with_old_site_and_no_online_ordering() -> None:
    assert titles(RESTAURANT_OLD_SITE) == ["Site Web", "Vente en ligne", "Fidélisation"]
    assert profile(RESTAURANT_OLD_SITE).levels["visibilité"] == "en place"


def test_bed_and_breakfast_on_booking_platforms() -> None:
    result = profile(BED_AND_BREAKFAST)
    assert result.levels["ventes"] == "de base" and result.levels["visibilité"] == "avancé"
    assert titles(BED_AND_BREAKFAST) == ["Contenu des réseaux sociaux", "Outils de gestion"]


def test_hair_salon_with_nothing_online() -> None:
    result = profile(HAIR_SALON_NOTHING)
    assert set(result.levels.values()) == {"à bâtir"}
    assert titles(HAIR_SALON_NOTHING) == [
        "Site Web",
        "Présence sur les réseaux sociaux",
        "Visibilité locale",
        "Outils de gestion",
    ]


def test_retailer_already_selling_online() -> None:
    result = profile(RETAILER_ONLINE)
    assert result.levels == {
        "visibilité": "avancé",
        "marketing": "avancé",
        "ventes": "en place",
        "gestion": "avancé",
    }
    assert titles(RETAILER_ONLINE) == ["Fidélisation", "Plan d'action numérique"]


@pytest.mark.parametrize(
    "answers",
    [
        BOUTIQUE_FACEBOOK_ONLY,
        RESTAURANT_OLD_SITE,
        BED_AND_BREAKFAST,
        HAIR_SALON_NOTHING,
        RETAILER_ONLINE,
        Answers(),
    ],
)
def test_two_to_four_focus_areas_and_never_a_vendor(answers: Answers) -> None:
    result = profile(answers)
    assert 2 <= len(result.focus) <= 4
    text = brief("Commerce", answers, result) + summary(result)
    for vendor in ["Shopify", "Wix", "WordPress", "Squarespace", "Lightspeed"]:
        if vendor not in answers.platform:
            assert vendor not in text


def test_brief_for_the_advisor() -> None:
    text = brief("Café Saint-Roch", RESTAURANT_OLD_SITE, profile(RESTAURANT_OLD_SITE))
    assert text.startswith("Café Saint-Roch : maturité numérique — visibilité en place")
    assert "• Pistes prioritaires : Site Web (site à moderniser); Vente en ligne" in text
    assert "• À préparer pour la première rencontre : site web :" in text


def test_merchant_summary() -> None:
    text = summary(profile(HAIR_SALON_NOTHING))
    assert text.startswith("Merci! Voici les pistes") and text.endswith("Quelque chose à corriger?")


def test_answer_readers_accept_je_sais_pas() -> None:
    assert read_website("je sais pas") == UNKNOWN
    assert read_website("on a un vieux site") == "ancien"
    assert read_list("fb pis insta", SOCIAL_NETWORKS, "x") == "Facebook, Instagram"
    assert read_list("aucun", SOCIAL_NETWORKS, "x") == "aucun"
    assert read_frequency("une fois par semaine") == "chaque semaine"
    assert read_budget("1 000 à 5 000 $") == "1 000 $ à 5 000 $"
    with pytest.raises(NotUnderstood):
        read_website("mardi")
