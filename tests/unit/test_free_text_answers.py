"""Free-text answers that simulated merchants gave and the readers once missed, read through
the form data (`bot.intake.intake_form`, `bot.diagnostic_form.form`)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.diagnostic_form import form as diagnostic_form
from bot.intake import intake_form
from bot.parsing import NotUnderstood

CASES: list[tuple[str, str, Any]] = [
    ("contact_role", "Ben je suis la propriétaire, mais je coiffe encore quatre jours par semaine, "
     "je suis pas le genre à rester dans le bureau.", "Propriétaire"),
    ("storefront", "Ah oui, on a pignon sur rue depuis 2008, une belle grande vitrine.", "oui"),
    ("storefront", "On a un kiosque au marché public, je sais pas si ça compte", "je ne sais pas"),
    ("sector", "restaurent", "restauration"),
    ("sector", "Services comptables.", "services"),
    ("employees", "cinq coiffeuses plus moi, donc six en tout, sans compter la petite", 6),
    ("employees", "moi pis ma blonde", 2),
    ("employees", "3 employés depuis 2019", 3),
    ("employees", "vingt-cinq", 25),
    ("hours_per_week", "une demi-heure", 0.5),
    ("hours_per_week", "quinze minutes", 0.25),
    ("readiness", "Nous nous informons.", "s'informe"),
    ("diag_social_networks", "facebok", "Facebook"),
    ("diag_social_networks", "pantoute, on n'a pas de Facebook", "aucun"),
    ("diag_social_networks", "non on n'a pas de réseaux", "aucun"),
    ("diag_tools", "caise seulement", "point de vente"),
    ("diag_obstacles", "le budjet", "le budget"),
    ("diag_obstacles", "le time, on est full busy", "le temps"),
    ("diag_posting", "Chaque semaine, des photos du pain du jour", "chaque semaine"),
    ("diag_posting", "pas souvent", "rarement"),
    ("diag_posting", "Quand j'ai le temps.", "rarement"),
    ("diag_website", "Oui, il a une dizaine d'années.", "ancien"),
    ("diag_budget", "1500", "1 000 $ à 5 000 $"),
    ("diag_budget", "peut-être 2000$", "1 000 $ à 5 000 $"),
    ("diag_budget", "500 piasses", "moins de 1 000 $"),
    ("diag_budget", "moin de 1000$", "moins de 1 000 $"),
    ("diag_budget", "douze cents piasses max", "1 000 $ à 5 000 $"),
    # Said in other words (the independent corpus's misses, reworded here).
    ("employees", "Cinq employés au total.", 5),
    ("employees", "moi pis mes deux parents", 3),
    ("storefront", "on a un local sur la rue Cartier", "oui"),
    ("storefront", "je pense pas, on est juste en ligne", "non"),
    ("sdc_member", "on est membres de la SDC du quartier", "oui"),
    ("diag_google_profile", "il y en a une, c'est ma fille qui s'en occupe", "oui"),
    ("diag_online_sales", "des fois sur Marketplace", "oui"),
    ("diag_newsletter", "on en faisait une, on a arrêté l'an dernier", "non"),
    ("diag_website", "nope, pas encore", "aucun"),
    ("diag_website", "il date de 2012", "ancien"),
    ("diag_website", "refait cet été", "récent"),
    ("diag_social_networks", "on n'est sur aucun réseau social", "aucun"),
    ("diag_posting", "quelques fois par année", "rarement"),
    ("diag_posting", "le mardi pis le samedi", "chaque semaine"),
    ("diag_posting", "aucune idée, c'est mon employée qui publie", "je ne sais pas"),
    ("diag_tools", "un terminal Clover pis Acomba", "point de vente, comptabilité"),
    ("diag_tools", "un agenda en ligne pis la caisse", "point de vente, réservations"),
    ("diag_goals", "que les gens du coin nous connaissent", "clientèle locale"),
    ("diag_obstacles", "on a payé une agence qui a rien livré", "trouver un fournisseur de confiance"),
    ("diag_budget", "pas gros de budget", "moins de 1 000 $"),
    ("municipality", "Charny, sur la Rive-Sud", "Lévis"),
    ("association_name", "je sais pas son nom", "je ne sais pas"),
    ("readiness", "après le temps des fêtes", "d'ici quelques mois"),
    ("readiness", "le plus vite possible svp", "prêt à commencer"),
    ("readiness", "je magasine encore", "s'informe"),
    # The second independent corpus's misses, reworded.
    ("employees", "je travaille avec ma sœur, c'est tout", 2),
    ("hours_per_week", "zéro, j'ai vraiment pas le temps", 0),
    ("diag_posting", "tlj sur insta", "chaque jour"),
    ("diag_budget", "pas une seule cenne", "moins de 1 000 $"),
    ("diag_budget", "4-9k", "plus de 5 000 $"),
    ("sdc_member", "ché pas trop", "je ne sais pas"),
    ("sector", "électricien", "services"),
    ("sector", "on vend des vélos usagés", "commerce de détail"),
    ("readiness", "je voulais juste voir ce que vous offrez", "s'informe"),
    ("phone", "quatre un huit cinq cinq cinq zéro un quatre deux", "+14185550142"),
    ("diag_website", "oui mais il s'affiche mal sur mobile", "ancien"),
    ("diag_social_networks", "fesse-bouc pis insta", "Facebook, Instagram"),
    ("diag_online_sales", "seulement en magasin", "non"),
    ("diag_online_booking", "non, faut passer au comptoir", "non"),
    ("diag_newsletter", "on envoie une infolettre par mois", "oui"),
    ("diag_online_booking", "les clients peuvent réserver sur notre site", "oui"),
    ("diag_tools", "une liste de clients dans Excel", "gestion des clients"),
    ("diag_goals", "moins de paperasse", "gagner du temps en gestion"),
    ("diag_obstacles", "le cash surtout", "le budget"),
    ("diag_obstacles", "rien de particulier", "aucun"),
    # The third independent corpus's misses, reworded.
    ("employees", "une équipe de 6 avec moi", 6),
    ("employees", "only me", 1),
    ("employees", "3, moi pis mes deux gars", 3),
    ("employees", "moi, ma sœur et un employé, donc trois personnes", 3),
    ("storefront", "yeah", "oui"),
    ("sector", "café-boulangerie où le monde mange sur place", "restauration"),
    ("municipality", "ste-foy", "Sainte-Foy"),
    ("diag_website", "oui, à jour et adapté aux cellulaires", "récent"),
    ("diag_social_networks", "fb pis ig", "Facebook, Instagram"),
    ("diag_newsletter", "on a les courriels des clients mais on envoie pas d'infolettre", "non"),
    ("diag_tools", "un cahier pis un crayon", "aucun"),
    ("diag_goals", "tout", "visibilité, clientèle locale, touristes, ventes en ligne, fidélisation, gagner du temps en gestion"),
    ("diag_obstacles", "pas de temps pis pas d'argent", "le temps, le budget"),
    # The fourth independent corpus's misses, reworded.
    ("employees", "juste moi pis mon chien", 1),
    ("employees", "me and my sister", 2),
    ("employees", "on est 4, moi pis trois cousins", 4),
    ("diag_budget", "presque rien cette année", "moins de 1 000 $"),
    ("diag_budget", "une vingtaine de mille", "plus de 5 000 $"),
    ("diag_posting", "aucune idée, c'est mon gars qui publie", "je ne sais pas"),
    ("sdc_member", "no, not a member", "non"),
    ("sector", "café avec une vingtaine de places assises", "restauration"),
    ("readiness", "je suis curieuse, sans plus", "s'informe"),
    ("email", "boutique.lys arobas gmail.com", "boutique.lys@gmail.com"),
    ("diag_website", "yes, brand new", "récent"),
    ("diag_social_networks", "fcbk pis ytb", "Facebook, YouTube"),
    ("diag_google_profile", "je crois que oui mais je suis pas sure", "je ne sais pas"),
    ("diag_tools", "Wave pour la compta", "comptabilité"),
    ("diag_goals", "des gens du coin qui viennent dîner", "clientèle locale"),
    ("diag_obstacles", "mes employés savent pas utiliser ça", "les compétences"),
    # The fifth independent corpus's misses, reworded.
    ("storefront", "nan", "non"),
    ("diag_posting", "2 fois/sem", "chaque semaine"),
    ("diag_posting", "every day", "chaque jour"),
    ("diag_posting", "on publie rien pantoute", "jamais"),
    ("diag_social_networks", "tiktok pis youtube", "TikTok, YouTube"),
    ("diag_social_networks", "face pis insta", "Facebook, Instagram"),
    ("diag_newsletter", "des rappels par texto, mais pas d'infolettre", "non"),
    ("sector", "auberge boutique dans le Vieux", "hébergement"),
    ("sector", "on répare des ordinateurs", "services"),
    ("sector", "pâtisserie, juste pour emporter, pas de places assises", "commerce de détail"),
    ("readiness", "juste de l'info pour le moment", "s'informe"),
    ("diag_website", "il existe mais il est plus bon depuis longtemps", "ancien"),
    ("diag_obstacles", "les ordinateurs, c'est pas mon fort", "les compétences"),
    ("diag_obstacles", "je sais pas par quel bout commencer", "savoir par où commencer"),
]  # fmt: skip

NOT_READ: list[tuple[str, str]] = [
    ("diag_budget", "ça coûte un bras"),
    ("diag_google_profile", "Google c'est compliqué pour moi"),
    ("diag_social_networks", "les réseaux, c'est pas mon fort"),
    ("storefront", "j'ai pas compris la question"),
    ("diag_budget", "ça dépend"),
    ("sdc_member", "on vend surtout des bottes"),
    ("sector", "oui"),
    ("diag_newsletter", "on a des cartes de fidélité en carton"),
    ("diag_posting", "c'est quoi publier, des annonces dans le journal?"),
]


@pytest.mark.parametrize(("question", "text", "expected"), CASES)
def test_read_as_a_person_would(question: str, text: str, expected: Any) -> None:
    form = diagnostic_form() if question.startswith("diag_") else intake_form()
    assert form.question(question).read(text, {})[question] == expected


@pytest.mark.parametrize(("question", "text"), NOT_READ)
def test_not_read_when_a_person_could_not_either(question: str, text: str) -> None:
    form = diagnostic_form() if question.startswith("diag_") else intake_form()
    with pytest.raises(NotUnderstood):
        form.question(question).read(text, {})
