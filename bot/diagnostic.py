"""The digital-needs diagnostic: answers, maturity profile, focus areas, advisor brief.

Plain rules an advisor can read. The focus areas map to what the program offers
(../shared/PROGRAM.md): diagnostic, individual action plan, help choosing a provider (neutral:
no vendor is ever recommended), a content strategy for social media, implementation support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot import quantities
from bot.clock import system_now
from bot.parsing import NotUnderstood, parse_yes_no
from bot.text import fold, typo_tolerant
from bot.vocabulary import (
    Answer,
    find_yes_no,
    first_clause,
    is_unsure,
    mentions_unsure,
    opens_unsure,
)

AREAS = ("visibilité", "marketing", "ventes", "gestion")
LEVELS = ("à bâtir", "de base", "en place", "avancé")

SOCIAL_NETWORKS = {
    "facebook": "Facebook", "fb": "Facebook", "instagram": "Instagram", "insta": "Instagram",
    "tiktok": "TikTok", "linkedin": "LinkedIn", "pinterest": "Pinterest", "youtube": "YouTube",
    "x": "X", "twitter": "X", "threads": "Threads", "fesse bouc": "Facebook", "fessebouc": "Facebook",
    "face de bouc": "Facebook", "face": "Facebook", "ig": "Instagram", "fcbk": "Facebook",
    "ytb": "YouTube", "yt": "YouTube",
}  # fmt: skip
TOOLS = {
    "caisse": "point de vente", "point de vente": "point de vente", "pos": "point de vente",
    "inventaire": "inventaire", "stock": "inventaire", "comptabilite": "comptabilité",
    "comptable": "comptabilité", "quickbooks": "comptabilité", "sage": "comptabilité",
    "reservation": "réservations", "rendez vous": "réservations", "crm": "gestion des clients",
    "lightspeed": "point de vente", "square": "point de vente", "clover": "point de vente",
    "moneris": "point de vente", "terminal": "point de vente", "acomba": "comptabilité",
    "xero": "comptabilité", "compta": "comptabilité", "wave": "comptabilité", "agenda": "réservations", "calendrier": "réservations",
    "liste de mes clients": "gestion des clients", "liste des clients": "gestion des clients",
    "liste de clients": "gestion des clients", "fichier client": "gestion des clients",
    "dossiers clients": "gestion des clients", "dossier client": "gestion des clients",
    "coordonnees de mes clients": "gestion des clients",
}  # fmt: skip
GOALS = {
    "visibilite": "visibilité", "visible": "visibilité", "local": "clientèle locale",
    "quartier": "clientèle locale", "touris": "touristes", "vente": "ventes en ligne",
    "vendre": "ventes en ligne", "fidel": "fidélisation", "temps": "gagner du temps en gestion",
    "gestion": "gagner du temps en gestion", "connaitre": "visibilité", "coin": "clientèle locale",
    "voisin": "clientèle locale", "revien": "fidélisation", "revenir": "fidélisation", "comptab": "gagner du temps en gestion",
    "nous voi": "visibilité",
    "se faire voir": "visibilité", "paperasse": "gagner du temps en gestion",
}  # fmt: skip
OBSTACLES = {
    "temps": "le temps", "competence": "les compétences", "connais": "les compétences",
    "budget": "le budget", "argent": "le budget", "cher": "le budget",
    "fournisseur": "trouver un fournisseur de confiance", "confiance": "trouver un fournisseur de confiance",
    "commencer": "savoir par où commencer", "par ou": "savoir par où commencer",
    "perdu": "savoir par où commencer", "time": "le temps", "busy": "le temps",
    "occupe": "le temps", "deborde": "le temps", "dans le jus": "le temps",
    "fiable": "trouver un fournisseur de confiance", "agence": "trouver un fournisseur de confiance",
    "savent pas": "les compétences", "ordinateur": "les compétences", "computer": "les compétences",
    "pas mon fort": "les compétences", "webmestre": "trouver un fournisseur de confiance",
    "fait avoir": "trouver un fournisseur de confiance", "quel bout": "savoir par où commencer",
    "trop de choix": "savoir par où commencer", "cash": "le budget", "piasse": "le budget", "sous": "le budget", "techno": "les compétences",
}  # fmt: skip
UNKNOWN = "je ne sais pas"


class Website:
    NONE = "aucun"
    OLD = "ancien"
    RECENT = "récent"


def _keywords(text: str, vocabulary: dict[str, str]) -> list[str]:
    """The labels of the vocabulary's words in `text`, typos tolerated, in vocabulary order."""
    said = {vocabulary[word] for word in typo_tolerant(fold(text), vocabulary)}
    return [label for label in dict.fromkeys(vocabulary.values()) if label in said]


_NO_WEBSITE = (
    "aucun", "pas de site", "non", "no ", "nop", "nope", "pantoute", "jamais eu", "pas encore",
    "juste une page", "seulement une page", "rien",
)  # fmt: skip
_WEBSITE_WORDS = (  # checked in this order, after « none » and a year
    (
        ("vient de", "refait", "brand new", "new ", "launched", "cette annee", "l an passe",
         "l an dernier", "l annee passee", "cet automne", "cet ete", "cet hiver", "ce printemps",
         "dernier", "derniere"),
        Website.RECENT,
    ),
    (
        ("vieux", "ancien", "date", "desuet", "vieillot", "refaire", "annees", "ans",
         "pas a jour", "plus a jour", "moderniser", "depasse", "pas adapte", "mal sur",
         "marche pas", "depuis longtemps", "plus bon", "jamais touche", "jamais mis a jour"),
        Website.OLD,
    ),
    (("recent", "nouveau", "neuf", "moderne", "oui", "yes", "a jour"), Website.RECENT),
)  # fmt: skip


_YEAR = re.compile(r"\b(?:19[89]\d|20[0-4]\d)\b")
OLD_AFTER_YEARS = 3


def read_website(text: str) -> str:
    """None, old or recent; a year says which (« un site de 2009 » is old)."""
    if is_unsure(text):
        return UNKNOWN
    folded = f" {fold(text)} "
    first = first_clause(text)  # after a bare « ouais, mais… » the rest says which
    said_none = folded if first not in {"oui", "ouais", "ouin"} else f" {first} "
    if any(f" {w}" in said_none for w in _NO_WEBSITE):
        return Website.NONE
    if year := _YEAR.search(folded):
        age = system_now().year - int(year.group())  # the year it is where the merchant is
        return Website.OLD if age >= OLD_AFTER_YEARS else Website.RECENT
    for words, label in _WEBSITE_WORDS:
        if any(f" {w}" in folded for w in words):
            return label
    raise NotUnderstood("si vous avez un site Web, et s'il est ancien ou récent")


_NOT_THIS = re.compile(r"\b(?:pas|aucun|aucune|jamais) (?:de |d |sur )?\w+")
_NONE_OF_THEM = re.compile(r"\b(?:aucun|aucune)\b|\b(?:pas|jamais) (?:de|d|sur)\b")


_EVERYTHING = {"tout", "toute", "toutes", "tous", "tout ca", "toute ca", "all", "toute la liste"}
_BY_HAND = re.compile(r"\b(?:papier|crayon|a la main|cahier)\b")


def read_list(text: str, vocabulary: dict[str, str], expected: str, lacking: bool = False) -> str:
    """A list of known items ("Facebook, Instagram"), "aucun", "je ne sais pas", or « toute! »
    (every item). A negated item is not named (« on n'a pas de Facebook »), unless the list is
    of what is `lacking` (« pas de temps, pas d'argent » are the obstacles)."""
    if is_unsure(text):
        return UNKNOWN
    folded = fold(text)
    if folded in _EVERYTHING:
        return ", ".join(dict.fromkeys(vocabulary.values()))
    said = folded if lacking else _NOT_THIS.sub(" ", folded)
    found = _keywords(said, vocabulary)
    if found:
        return ", ".join(found)
    negated = _NONE_OF_THEM.search(folded)  # « on n'est sur aucun réseau »
    nothing = first_clause(text).split()[:1] in (["aucun"], ["aucune"], ["rien"])  # « rien de… »
    if negated or nothing or _BY_HAND.search(folded) or find_yes_no(text) is Answer.NO:
        return "aucun"
    raise NotUnderstood(expected)


def read_yes_no(text: str) -> str:
    return parse_yes_no(text).value


_FREQUENCIES = (
    (("jour", "quotidien", "tous les jours", "chaque matin", "tlj", "daily", "every day",
      "everyday"), "chaque jour"),
    (("semaine", "hebdo", "fin de semaine", "weekly", "fois sem", "every week", "lundi", "mardi", "mercredi", "jeudi",
      "vendredi", "samedi", "dimanche"), "chaque semaine"),
    (("mois", "mensuel", "monthly", "every month"), "chaque mois"),
    (
        (
            "rarement", "presque jamais", "de temps en temps", "pas souvent", "peu souvent",
            "quand j ai le temps", "quand j y pense", "des fois", "parfois", "a l occasion",
            "occasionnellement", "pas regulier", "irregulier", "quand ca adonne", "pas assez",
            "une fois de temps en temps", "de temps a autre", "par annee", "par an ", "fois par an",
        ),
        "rarement",
    ),
    (("jamais", "aucun", "pantoute", "on publie pas", "je publie pas", "publie rien", "never"),
     "jamais"),
)  # fmt: skip


def read_frequency(text: str) -> str:
    """How often the merchant posts; the first frequency said wins (« chaque semaine, des
    photos du pain du jour » is weekly)."""
    if opens_unsure(text):
        return UNKNOWN
    folded = f" {fold(text)} ".replace(" journal", " ").replace(" aucune idee", " ")
    said = [
        (folded.find(f" {w}"), label) for words, label in _FREQUENCIES for w in words
        if f" {w}" in folded
    ]  # fmt: skip
    if not said and mentions_unsure(text):  # « c'est ma fille qui s'en occupe, aucune idée »
        return UNKNOWN
    if not said:
        raise NotUnderstood("à quelle fréquence vous publiez")
    return min(said)[1]


def read_budget(text: str) -> str:
    if is_unsure(text):
        return UNKNOWN
    label = quantities.budget_label(quantities.money(text))
    if label is None:
        raise NotUnderstood("un montant ou une fourchette en dollars")
    return label


@dataclass(frozen=True)
class Answers:
    """The diagnostic answers; any may be "je ne sais pas"."""

    website: str = UNKNOWN
    platform: str = ""
    social_networks: str = UNKNOWN
    posting: str = UNKNOWN
    google_profile: str = UNKNOWN
    online_sales: str = UNKNOWN
    newsletter: str = UNKNOWN
    online_booking: str = UNKNOWN
    tools: str = UNKNOWN
    goals: str = UNKNOWN
    obstacles: str = UNKNOWN
    budget: str = UNKNOWN
    first_change: str = ""


@dataclass(frozen=True)
class FocusArea:
    title: str
    why: str
    program_offer: str


@dataclass(frozen=True)
class Profile:
    levels: dict[str, str]
    focus: list[FocusArea] = field(default_factory=list)


def _yes(value: str) -> bool:
    return value == Answer.YES.value


def _level(points: int) -> str:
    return LEVELS[max(0, min(points, len(LEVELS) - 1))]


def profile(answers: Answers) -> Profile:
    """A level per area and 2 to 4 focus areas, most useful first."""
    networks = (
        [] if answers.social_networks in {UNKNOWN, "aucun"} else answers.social_networks.split(", ")
    )
    active = answers.posting in {"chaque jour", "chaque semaine"}
    tools = [] if answers.tools in {UNKNOWN, "aucun"} else answers.tools.split(", ")
    visibility = {Website.NONE: 0, Website.OLD: 1, Website.RECENT: 2}.get(answers.website, 0)
    visibility += 1 if _yes(answers.google_profile) else 0
    marketing = (
        min(len(networks), 1) + (1 if active else 0) + (1 if _yes(answers.newsletter) else 0)
    )
    sales = (2 if _yes(answers.online_sales) else 0) + (1 if _yes(answers.online_booking) else 0)
    management = min(len(tools), 3)
    levels = dict(zip(AREAS, map(_level, (visibility, marketing, sales, management)), strict=True))

    goals = answers.goals
    focus: list[FocusArea] = []
    if answers.website in {Website.NONE, Website.OLD}:
        focus.append(FocusArea(
            "Site Web",
            "aucun site" if answers.website == Website.NONE else "site à moderniser",
            "plan d'action du site et aide neutre pour choisir le bon fournisseur",
        ))  # fmt: skip
    if networks and not active:
        focus.append(FocusArea(
            "Contenu des réseaux sociaux",
            f"présent sur {', '.join(networks)}, publications {answers.posting}",
            "stratégie de contenu : valeur ajoutée du commerce et saveur des publications",
        ))  # fmt: skip
    elif not networks and answers.social_networks == "aucun":
        focus.append(FocusArea(
            "Présence sur les réseaux sociaux",
            "aucun réseau social",
            "choisir les bons réseaux et planifier le contenu",
        ))  # fmt: skip
    if not _yes(answers.google_profile):
        focus.append(FocusArea(
            "Visibilité locale",
            "fiche d'entreprise et avis en ligne à mettre en place",
            "plan d'action individualisé",
        ))  # fmt: skip
    if "ventes en ligne" in goals and not _yes(answers.online_sales):
        focus.append(FocusArea(
            "Vente en ligne",
            "objectif de vendre en ligne, pas encore de vente en ligne",
            "définir le projet et choisir une solution en toute neutralité",
        ))  # fmt: skip
    if "gagner du temps en gestion" in goals or len(tools) <= 1:
        focus.append(FocusArea(
            "Outils de gestion",
            "peu d'outils de gestion" if len(tools) <= 1 else "objectif de gagner du temps",
            "faire le point sur la caisse, l'inventaire et la comptabilité",
        ))  # fmt: skip
    if "fidélisation" in goals:
        focus.append(FocusArea(
            "Fidélisation",
            "objectif de fidéliser la clientèle",
            "plan d'action : contenu, infolettre et suivi de la clientèle",
        ))  # fmt: skip
    fallbacks = [
        FocusArea(
            "Plan d'action numérique",
            "consolider ce qui est en place",
            "plan d'action individualisé",
        ),
        FocusArea(
            "Mise en œuvre",
            "passer du plan à l'action",
            "soutien à la mise en œuvre de la stratégie numérique",
        ),
    ]
    focus += fallbacks[: max(0, 2 - len(focus))]
    return Profile(levels, focus[:4])


def brief(business: str, answers: Answers, result: Profile) -> str:
    """The advisor's brief, in French: a short paragraph, then bullet points."""
    levels = ", ".join(f"{area} {level}" for area, level in result.levels.items())
    lines = [
        f"{business} : maturité numérique — {levels}. "
        f"Objectifs : {answers.goals}. Principal frein : {answers.obstacles}. "
        f"Budget indicatif : {answers.budget}.",
        f"• Site Web : {answers.website}{f' ({answers.platform})' if answers.platform else ''}",
        f"• Réseaux sociaux : {answers.social_networks} (publications : {answers.posting})",
        f"• Fiche d'entreprise et avis en ligne : {answers.google_profile}",
        f"• Vente en ligne : {answers.online_sales}; réservation ou commande en ligne : {answers.online_booking}",
        f"• Infolettre : {answers.newsletter}; outils de gestion : {answers.tools}",
        "• Pistes prioritaires : " + "; ".join(f"{f.title} ({f.why})" for f in result.focus),
        f"• Ce qu'il changerait en premier : {answers.first_change or UNKNOWN}",
        "• À préparer pour la première rencontre : "
        + "; ".join(f"{f.title.lower()} : {f.program_offer}" for f in result.focus),
    ]
    return "\n".join(lines)


def summary(result: Profile) -> str:
    """What the merchant sees at the end: short, in plain French."""
    areas = "\n".join(f"• {f.title} : {f.program_offer}" for f in result.focus)
    return (
        "Merci! Voici les pistes que votre conseiller ou conseillère préparera pour votre "
        f"première rencontre :\n{areas}\nQuelque chose à corriger?"
    )
