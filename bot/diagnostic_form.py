"""The diagnostic as data for the form engine (`bot.forms`): its questions, how each answer is
read, and the answers the profile is computed from.

Buttons for closed choices, free text everywhere; every question is optional (« je ne sais
pas » and « passer » are answers); « on arrête » stops (what was answered is kept). A website
platform named in any answer (« oui, un site Wix ») answers the platform question, which is
then not asked.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from bot import diagnostic as d
from bot import extraction, forms
from bot.forms import UNSURE, YES_NO_UNSURE, Form, Question, Reader, Recogniser, same
from bot.limits import FREE_TEXT
from bot.parsing import NotUnderstood, parse_yes_no
from bot.text import fold, one_line, typo_tolerant
from bot.vocabulary import Answer, opens_unsure


def _yes_no_unsure(signs: tuple[str, ...], against: tuple[str, ...] = ()) -> Callable[[str], str]:
    """Oui, non or « je ne sais pas »; `signs` are words that say yes (« un peu sur Etsy »),
    `against` words that say no (« juste en boutique »)."""

    def read(text: str) -> str:
        try:
            answer = parse_yes_no(text, signs, against)
        except NotUnderstood:
            raise NotUnderstood("oui ou non") from None
        return d.UNKNOWN if answer is Answer.UNSURE else answer.value

    return read


def _free(text: str) -> str:
    text = one_line(text)
    if not text or len(text) > FREE_TEXT:
        raise NotUnderstood(
            f"une réponse de {FREE_TEXT} caractères au maximum (« je ne sais pas » convient)"
        )
    return text


def _reading(question: str, read: Callable[[str], str]) -> Reader:
    return lambda text, answers: {question: read(text)}


def _listing(
    question: str,
    vocabulary: dict[str, str],
    expected: str,
    lacking: bool = False,
    in_order_said: bool = False,
    everything: tuple[str, ...] = (),
) -> Reader:
    return _reading(
        question,
        lambda text: d.read_list(text, vocabulary, expected, lacking, in_order_said, everything),
    )


def _platform(text: str) -> str:
    """The platforms named (« WordPress, je crois » is « WordPress »), « je ne sais pas », or
    the answer as said (« c'est mon neveu qui l'a fait »)."""
    named = extraction.platforms(text, only_websites=False)
    if named:
        return named
    if opens_unsure(text):
        return d.UNKNOWN
    return _free(extraction.after_lead_in(text, articles=False))


def _platform_said(text: str, question: str | None, answers: dict[str, Any]) -> dict[str, Any]:
    """A website platform named in an answer to another question (« oui, un site Wix »), when
    the platform is not answered yet: it is not asked."""
    if question == "diag_platform" or answers.get("diag_platform") not in (None, ""):
        return {}
    named = extraction.platforms(text)
    return {"diag_platform": named} if named else {}


def _short(text: str) -> bool:
    return len(fold(text).split()) <= 6


def _alone(question: str, read: Callable[[str], str], sign: Callable[[str], bool]) -> Recogniser:
    """Reads a value typed alone at the summary when `sign` says it is this question's."""

    def alone(text: str, answers: dict[str, Any]) -> dict[str, Any] | None:
        return {question: read(text)} if _short(text) and sign(text) else None

    return alone


def _names_platform(text: str) -> bool:
    return extraction.platforms(text) is not None


def _is_amount(text: str) -> bool:
    return any(w in f" {fold(text)} " for w in (" $", " dollars ", " piasses ")) or "$" in text


def _names_networks(text: str) -> bool:
    return bool(typo_tolerant(fold(text), d.SOCIAL_NETWORKS))


def _says_how_often(text: str) -> bool:
    return d.frequency_said(text)


YES_NO = (("Oui", "oui"), ("Non", "non"))
# Words that say yes or no to the yes/no questions, beyond « oui » and « non » (`lean_yes_no`).
OFFLINE = (
    "juste en boutique", "seulement en boutique", "juste en magasin", "seulement en magasin",
    "sur place seulement", "juste sur place", "par telephone seulement", "juste par telephone",
)  # fmt: skip
REVIEWS = ("fiche", "avis", "etoiles")
SHOPS_ONLINE = ("etsy", "marketplace", "shopify", "amazon", "ebay")
NEWSLETTERS = ("mailchimp", "cyberimpact", "on envoie", "j envoie", "nous envoyons")
NO_NEWSLETTER = ("pas d infolettre", "pas de newsletter")
BOOKING_APPS = (
    "calendly",
    "opentable",
    "libro",
    "uber eats",
    "doordash",
    "skip",
    "fresha",
    "peuvent",
)
DIAGNOSTIC = Form(
    questions=(
        Question("diag_website", _reading("diag_website", d.read_website), "ancien", optional=True,
                 buttons=(("Aucun", "aucun"), ("Oui, ancien", "ancien"), ("Oui, récent", "récent"), UNSURE),
                 label="Site Web", words=("site", "site web")),
        Question("diag_platform", _reading("diag_platform", _platform), "Shopify", optional=True,
                 buttons=(UNSURE,),
                 asked=lambda a: a.get("diag_website") not in {None, d.Website.NONE, d.UNKNOWN},
                 alone=_alone("diag_platform", _platform, _names_platform),
                 label="Plateforme du site", words=("plateforme",)),
        Question("diag_social_networks",
                 _listing("diag_social_networks", d.SOCIAL_NETWORKS, "les réseaux que vous utilisez"),
                 "Facebook, Instagram", optional=True,
                 buttons=(("Facebook", "Facebook"), ("Facebook et Instagram", "Facebook, Instagram"), ("Aucun", "aucun")),
                 alone=_alone("diag_social_networks",
                              lambda t: d.read_list(t, d.SOCIAL_NETWORKS, "les réseaux"), _names_networks),
                 label="Réseaux sociaux", words=("reseaux", "reseaux sociaux", "facebook", "instagram")),
        Question("diag_posting", _reading("diag_posting", d.read_frequency), "chaque semaine", optional=True,
                 buttons=(("Chaque semaine", "chaque semaine"), ("Chaque mois", "chaque mois"), ("Rarement", "rarement")),
                 asked=lambda a: a.get("diag_social_networks") not in {None, "aucun", d.UNKNOWN},
                 alone=_alone("diag_posting", d.read_frequency, _says_how_often),
                 label="Publications", words=("publications", "frequence", "publier")),
        Question("diag_google_profile", _reading("diag_google_profile", _yes_no_unsure(REVIEWS)), "oui",
                 optional=True, buttons=YES_NO_UNSURE,
                 label="Fiche d'entreprise et avis en ligne", words=("google", "avis", "fiche")),
        Question("diag_online_sales", _reading("diag_online_sales", _yes_no_unsure(SHOPS_ONLINE, OFFLINE)), "non",
                 optional=True, buttons=YES_NO,
                 label="Vente en ligne", words=("vente", "ventes", "vente en ligne")),
        Question("diag_newsletter", _reading("diag_newsletter", _yes_no_unsure(NEWSLETTERS, NO_NEWSLETTER)), "non",
                 optional=True, buttons=YES_NO, label="Infolettre", words=("infolettre",)),
        Question("diag_online_booking", _reading("diag_online_booking", _yes_no_unsure(BOOKING_APPS, OFFLINE)), "oui",
                 optional=True, buttons=YES_NO,
                 label="Réservation ou commande en ligne", words=("reservation", "commande")),
        Question("diag_tools", _listing("diag_tools", d.TOOLS, "vos outils de gestion"),
                 "caisse, comptabilité", optional=True,
                 buttons=(("Caisse seulement", "caisse"), ("Caisse et comptabilité", "caisse, comptabilité"), ("Aucun", "aucun")),
                 label="Outils de gestion", words=("outils", "caisse", "comptabilite", "inventaire")),
        Question("diag_goals", _listing("diag_goals", d.GOALS, "vos objectifs", in_order_said=True, everything=d.GOALS_ASKED),
                 "plus de visibilité, vendre en ligne", optional=True,
                 choices=same("Être plus visible", "Vendre en ligne", "Réservation en ligne", "Fidéliser mes clients",
                              "Gagner du temps en gestion"),
                 label="Objectifs", words=("objectifs", "objectif", "buts")),
        Question("diag_obstacles", _listing("diag_obstacles", d.OBSTACLES, "ce qui vous freine", lacking=True),
                 "le temps, le budget", optional=True, hears=("pas le temps",),
                 choices=same("Le temps", "Le budget", "Les compétences", "Savoir par où commencer"),
                 label="Freins", words=("freins", "obstacles", "defis")),
        Question("diag_budget", _reading("diag_budget", d.read_budget), "environ 2 000 $", optional=True,
                 buttons=(("Moins de 1 000 $", "moins de 1 000 $"), ("1 000 à 5 000 $", "1 000 à 5 000 $"),
                          ("Plus de 5 000 $", "plus de 5 000 $"), UNSURE),
                 alone=_alone("diag_budget", d.read_budget, _is_amount),
                 label="Budget", words=("budget",)),
        Question("diag_first_change", _reading("diag_first_change", _free), "être trouvé sur Google",
                 optional=True, label="Première chose à changer", words=("changement", "premier", "priorite")),
    ),
    recap="diag_summary_confirmed",
    correct="diag_field_to_correct",
    correct_example="site",
    paused="utter_diagnostic_paused",
    extra=_platform_said,
)  # fmt: skip
QUESTIONS = DIAGNOSTIC.slots
FIELD_TO_CORRECT = DIAGNOSTIC.correct

# Handle one message of the form (`bot.forms.take_turn` on DIAGNOSTIC).
take_turn = partial(forms.take_turn, DIAGNOSTIC)


def to_answers(answers: dict[str, Any]) -> d.Answers:
    """The diagnostic answers so far; what was not answered is "je ne sais pas", and the
    answer to a question no longer asked is left out (a platform when there is no site)."""
    values = {
        q.name.removeprefix("diag_"): answers.get(q.name)
        for q in DIAGNOSTIC.questions
        if q.asked(answers)
    }
    return d.Answers(**{k: v for k, v in values.items() if v not in (None, "")})
