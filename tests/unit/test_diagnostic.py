"""Diagnostic rules on varied businesses: maturity per area, focus areas, brief, summary."""

import pytest

from bot.diagnostic import (
    UNKNOWN,
    Answers,
    brief,
    profile,
    read_budget,
    read_frequency,
    read_list,
    read_website,
    summary,
    vocabulary,
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
    """Selling online is its first goal: it leads."""
    assert titles(RESTAURANT_OLD_SITE) == ["Vente en ligne", "Site Web", "Fidélisation"]
    assert profile(RESTAURANT_OLD_SITE).levels["visibilité"] == "en place"


def test_bed_and_breakfast_on_booking_platforms() -> None:
    result = profile(BED_AND_BREAKFAST)
    assert result.levels["ventes"] == "de base" and result.levels["visibilité"] == "avancé"
    assert titles(BED_AND_BREAKFAST) == [
        "Visibilité auprès des touristes",  # its one goal
        "Contenu des réseaux sociaux",
        "Outils de gestion",
    ]


def test_hair_salon_with_nothing_online() -> None:
    result = profile(HAIR_SALON_NOTHING)
    assert set(result.levels.values()) == {"à bâtir"}
    assert titles(HAIR_SALON_NOTHING) == [
        "Visibilité locale",  # its one goal: the clientele of the neighbourhood
        "Site Web",
        "Présence sur les réseaux sociaux",
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
    assert (
        "• Pistes prioritaires : Vente en ligne (première priorité nommée, objectif de vendre en "
        "ligne, pas encore de vente en ligne); Site Web (site à moderniser)" in text
    )
    assert "• À préparer pour la première rencontre : vente en ligne :" in text


def test_merchant_summary() -> None:
    text = summary(profile(HAIR_SALON_NOTHING))
    assert text.startswith("Merci! Voici les pistes") and text.endswith(
        "Est-ce que ça vous convient?"
    )


def test_answer_readers_accept_je_sais_pas() -> None:
    assert read_website("je sais pas") == UNKNOWN
    assert read_website("on a un vieux site") == "ancien"
    assert read_list("fb pis insta", vocabulary("social_networks"), "x") == "Facebook, Instagram"
    assert read_list("aucun", vocabulary("social_networks"), "x") == "aucun"
    assert read_frequency("une fois par semaine") == "chaque semaine"
    assert read_budget("1 000 à 5 000 $") == "1 000 $ à 5 000 $"
    with pytest.raises(NotUnderstood):
        read_website("mardi")


@pytest.mark.parametrize(
    ("said", "label"),
    [
        # A number of times a period is read as said: monthly is not rarely.
        ("genre une fois par mois", "chaque mois"),
        ("rarement, genre une fois par mois", "chaque mois"),
        ("pas souvent, une fois par mois à peu près", "chaque mois"),
        ("à tous les mois", "chaque mois"),
        ("mensuellement", "chaque mois"),
        ("aux deux semaines", "quelques fois par mois"),
        ("tous les 15 jours", "quelques fois par mois"),
        ("deux fois par mois", "quelques fois par mois"),
        ("une fois par semaine", "chaque semaine"),
        ("2-3 fois par semaine", "chaque semaine"),
        ("1 fois/sem", "chaque semaine"),
        ("aux deux jours", "chaque semaine"),
        ("genre une story par jour", "chaque jour"),
        ("plusieurs fois par jour", "chaque jour"),
        ("aux 2 mois", "rarement"),
        ("une fois aux trois mois", "rarement"),
        ("4-5 fois par an", "rarement"),
        ("une couple de fois par année", "rarement"),
        # A number said as one case among others is no frequency.
        ("Pas souvent, des fois deux fois dans un mois, des fois rien pendant trois mois",
         "rarement"),
        # Words without a number, as before.
        ("pas souvent", "rarement"),
        ("le lundi pis le jeudi", "chaque semaine"),
        ("pantoute", "jamais"),
    ],
)  # fmt: skip
def test_frequencies_are_read_as_said(said: str, label: str) -> None:
    assert read_frequency(said) == label


def test_a_time_in_the_past_is_no_frequency() -> None:
    with pytest.raises(NotUnderstood):
        read_frequency("j'ai publié le mois passé")


BOOKING_FIRST = Answers(
    website="ancien", platform="Wix", social_networks="Facebook", posting="chaque mois",
    google_profile="oui", online_sales="non", newsletter="non", online_booking="non",
    tools="point de vente", goals="réservation en ligne", obstacles="le temps",
    budget="moins de 1 000 $", first_change="la prise de rendez-vous en ligne",
)  # fmt: skip


def test_the_focus_areas_follow_the_first_need() -> None:
    """Online booking, her first need, leads the focus areas (it was missing)."""
    result = profile(BOOKING_FIRST)
    assert [f.title for f in result.focus] == [
        "Réservation en ligne",
        "Site Web",
        "Contenu des réseaux sociaux",
        "Outils de gestion",
    ]
    assert result.focus[0].why.startswith("première priorité nommée")
    text = brief("Salon", BOOKING_FIRST, result)
    assert "• Pistes prioritaires : Réservation en ligne (première priorité nommée" in text
    assert "Réservation en ligne : choisir un outil de réservation" in summary(result)


@pytest.mark.parametrize(
    ("first_change", "goals", "title"),
    [
        ("la prise de rendez-vous en ligne", "", "Réservation en ligne"),
        ("un site qui prend les réservations", "visibilité", "Réservation en ligne"),
        ("que le monde puisse commander en ligne", "", "Commande en ligne"),
        ("Pouvoir vendre nos livres en ligne.", "touristes", "Vente en ligne"),
        ("etre sur google map", "", "Visibilité locale"),
        ("refaire mon site", "", "Site Web"),
        ("publier plus sur Facebook", "", "Contenu des réseaux sociaux"),
        ("", "fidélisation, visibilité", "Fidélisation"),  # the first goal said
        ("", "réservation en ligne", "Réservation en ligne"),
    ],
)
def test_the_first_need_leads_whatever_it_is(first_change: str, goals: str, title: str) -> None:
    answers = Answers(
        website="ancien", social_networks="Facebook", posting="rarement", google_profile="non",
        online_sales="non", online_booking="non", tools="point de vente",
        goals=goals or UNKNOWN, first_change=first_change,
    )  # fmt: skip
    assert profile(answers).focus[0].title == title


def test_goals_keep_the_order_said_and_read_online_booking() -> None:
    assert read_list(
        "la prise de rendez-vous en ligne pis plus de visibilité",
        vocabulary("goals"),
        "x",
        in_order_said=True,
    ) == ("réservation en ligne, visibilité")
    assert read_list(
        "More visibility, and reaching tourists", vocabulary("goals"), "x", in_order_said=True
    ) == ("visibilité, touristes")


def test_a_platform_named_alone_is_a_website() -> None:
    assert read_website("sur Wix") == "récent"  # as a plain « oui »
    assert read_website("oui mais il date de 2012, sur Wix") == "ancien"
