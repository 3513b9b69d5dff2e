"""The value a free-text answer gives (`bot/extraction.py`): names, roles, associations, shops'
names and website platforms, without the words that wrap them in conversation."""

from __future__ import annotations

import pytest

from bot.extraction import (
    after_lead_in,
    association,
    association_named,
    business,
    person,
    platforms,
    role,
)


@pytest.mark.parametrize(
    ("said", "name", "role_said"),
    [
        ("Ginette Tremblay, la propriétaire", "Ginette Tremblay", "Propriétaire"),
        ("Ginette Tremblay (proprio)", "Ginette Tremblay", "Propriétaire"),
        ("Ginette Tremblay - propriétaire", "Ginette Tremblay", "Propriétaire"),
        ("Ginette Tremblay pis je suis la gérante", "Ginette Tremblay", "Gérante"),
        ("moi c'est Ginette Tremblay, je suis la propriétaire", "Ginette Tremblay", "Propriétaire"),
        ("la propriétaire, Ginette Tremblay", "Ginette Tremblay", "Propriétaire"),
        ("Ginette Tremblay, propriétaire de la boutique", "Ginette Tremblay",
         "Propriétaire de la boutique"),
        ("mon nom c'est juste Ginette Tremblay", "Ginette Tremblay", None),
        ("Moi c'est Nathalie Girard, enchantée!", "Nathalie Girard", None),
        ("Guy Bélanger, mais tout le monde m'appelle Ti-Guy", "Guy Bélanger", None),
        ("Hélène Bouchard.", "Hélène Bouchard", None),
        ("comme j'ai dit, Ginette Tremblay", "Ginette Tremblay", None),
        ("euh Ginette Tremblay", "Ginette Tremblay", None),
        # Names kept whole: a first name like a filler, a hyphen, initials, two people.
        ("Ben Tremblay", "Ben Tremblay", None),
        ("Marc-André Roy", "Marc-André Roy", None),
        ("J.-P. Roy", "J.-P. Roy", None),
        ("Marie et Jean Tremblay", "Marie et Jean Tremblay", None),
        # A role and no name.
        ("la propriétaire", "", "Propriétaire"),
    ],
)  # fmt: skip
def test_a_name_without_the_role_said_with_it(said: str, name: str, role_said: str | None) -> None:
    assert person(said) == (name, role_said)


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("comme j'ai dit, la propriétaire", "Propriétaire"),
        ("comme je l'ai dit, propriétaire", "Propriétaire"),
        ("je l'ai déjà dit, la proprio", "Propriétaire"),
        ("Je suis la propriétaire.", "Propriétaire"),
        ("c'est moi le boss", "Propriétaire"),
        ("le proprio", "Propriétaire"),
        ("gerant", "Gérant"),
        ("Gérante", "Gérante"),
        ("copropriétaire avec mon frère", "Copropriétaire avec mon frère"),
        ("Ben je suis la propriétaire, mais je coiffe encore quatre jours par semaine",
         "Propriétaire"),
        ("responsable du marketing", "Responsable du marketing"),
        ("je m'occupe de tout", "Je m'occupe de tout"),
    ],
)  # fmt: skip
def test_a_role_without_the_fillers(said: str, meant: str) -> None:
    assert role(said) == meant


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("ben je viens de le dire, les gens d'affaires de Charlesbourg",
         "Gens d'affaires de Charlesbourg"),
        ("comme j'ai dit, l'Association des gens d'affaires de Charlesbourg",
         "Association des gens d'affaires de Charlesbourg"),
        ("c'est la SDC Saint-Roch je pense", "SDC Saint-Roch"),
        ("oui la SDC St-Roch, on paie la cotisation", "SDC St-Roch"),
        ("La SDC du Faubourg Saint-Jean.", "SDC du Faubourg Saint-Jean"),
        ("SDC 3e Avenue", "SDC 3e Avenue"),
        ("Saint-Roch", "Saint-Roch"),
    ],
)  # fmt: skip
def test_an_association_answer_without_the_fillers(said: str, meant: str) -> None:
    assert association(said) == meant


@pytest.mark.parametrize(
    ("said", "named"),
    [
        ("oui, une SDC ou un regroupement, les gens d'affaires de Charlesbourg",
         "Gens d'affaires de Charlesbourg"),
        ("oui on fait partie du regroupement des gens d'affaires de Charlesbourg",
         "Regroupement des gens d'affaires de Charlesbourg"),
        ("ouin, on est membre de la SDC du Vieux-Québec", "SDC du Vieux-Québec"),
        ("on paie une cotisation à la SDC du Vieux-Québec chaque année", "SDC du Vieux-Québec"),
        ("oui, on est membre de la SDC Saint-Roch mais on va jamais aux réunions", "SDC Saint-Roch"),
        ("Oui, nous sommes sur l'avenue Cartier et membres de la SDC Montcalm.", "SDC Montcalm"),
        ("On est membres de la Chambre de commerce de Québec depuis des années",
         "Chambre de commerce de Québec"),
        ("la SDC c'est l'Association des gens d'affaires de Charlesbourg",
         "Association des gens d'affaires de Charlesbourg"),
        ("oui SDC St-Roch", "SDC St-Roch"),
        # No particular one named.
        ("oui, une SDC ou un regroupement", None),
        ("oui je suis membre d'un regroupement de gens d'affaires", None),
        ("oui on est sur la 3e avenue, on paye la cotisation à la SDC", None),
        ("Oui, nous sommes membres de la Chambre de commerce.", None),
        ("oui la SDC du coin", None),
        ("non, y a pas de SDC dans le coin", None),
        ("oui pis c'est eux qui m'ont parlé de votre programme", None),
    ],
)  # fmt: skip
def test_an_association_named_in_a_sentence(said: str, named: str | None) -> None:
    assert association_named(said) == named


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("Ça s'appelle Salon Mèches Folles, c'est ma fille qui a trouvé le nom", "Salon Mèches Folles"),
        ("le nom c'est Café Stop", "Café Stop"),
        ("mon commerce s'appelle Fleuriste Ginette", "Fleuriste Ginette"),
        # Said alone, a name stays as typed.
        ("C'est la vie", "C'est la vie"),
        ("Bon Appétit Traiteur", "Bon Appétit Traiteur"),
        ("La Librairie Le Signet.", "La Librairie Le Signet."),
        ("<script>alert('x')</script>'); DROP TABLE leads;--",
         "<script>alert('x')</script>'); DROP TABLE leads;--"),
    ],
)  # fmt: skip
def test_a_shops_name_without_ca_sappelle(said: str, meant: str) -> None:
    assert business(said) == meant


def test_website_platforms_named_among_other_words() -> None:
    assert platforms("oui, un site fait avec Wix il y a 2 ans") == "Wix"
    assert platforms("WordPress, je crois.") == "WordPress"
    assert platforms("shopify pis woocommerce") == "Shopify, WooCommerce"
    assert platforms("on a une caisse Square") is None  # a till, unless the site is asked
    assert platforms("Square", only_websites=False) == "Square"
    assert platforms("mon neveu l'a fait") is None


def test_fillers_go_but_a_name_that_starts_like_one_stays() -> None:
    assert after_lead_in("ben je viens de le dire, Fleuriste Ginette") == "Fleuriste Ginette"
    assert after_lead_in("Ben, Ginette", keep=("ben",)) == "Ginette"
    assert after_lead_in("Ben Tremblay", keep=("ben",)) == "Ben Tremblay"
    assert after_lead_in("« comme j'ai dit »") == ""
