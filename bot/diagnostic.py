"""The digital-needs diagnostic: answers, maturity profile, focus areas, advisor brief.

Plain rules an advisor can read. The focus areas map to what the program offers
(program/PROGRAM.md): diagnostic, individual action plan, help choosing a provider (neutral:
no vendor is ever recommended), a content strategy for social media, implementation support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot import extraction, quantities
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
    "reservation": "réservation en ligne", "reserver": "réservation en ligne",
    "rendez vous": "réservation en ligne", "prise de rendez": "réservation en ligne",
    "booking": "réservation en ligne", "commande": "commande en ligne",
    "commander": "commande en ligne",
}  # fmt: skip
# The goals the question names (« toute! » is all of them).
GOALS_ASKED = (
    "visibilité", "clientèle locale", "touristes", "ventes en ligne", "fidélisation",
    "gagner du temps en gestion",
)  # fmt: skip
# The first thing a merchant wants to change, read into a need (`profile`): the goals' words,
# and words that name a topic of the diagnostic.
NEEDS = GOALS | {
    "site": "site Web", "web": "site Web", "facebook": "réseaux sociaux",
    "instagram": "réseaux sociaux", "reseaux": "réseaux sociaux", "publier": "réseaux sociaux",
    "publication": "réseaux sociaux", "infolettre": "fidélisation", "google": "clientèle locale",
    "map": "clientèle locale", "avis": "clientèle locale", "fiche": "clientèle locale",
    "trouve": "visibilité", "inventaire": "gagner du temps en gestion",
    "caisse": "gagner du temps en gestion", "boutique en ligne": "ventes en ligne",
    "inventaire en ligne": "ventes en ligne", "livraison": "ventes en ligne",
}  # fmt: skip
# When the first change names several needs, the most precise one leads (« un site qui prend
# les réservations » is online booking).
NEEDS_FIRST = (
    "réservation en ligne", "commande en ligne", "ventes en ligne", "fidélisation",
    "gagner du temps en gestion", "réseaux sociaux", "site Web", "clientèle locale",
    "touristes", "visibilité",
)  # fmt: skip
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


def _keywords(text: str, vocabulary: dict[str, str], in_order_said: bool = False) -> list[str]:
    """The labels of the vocabulary's words in `text`, typos tolerated, in vocabulary order or
    `in_order_said`."""
    folded = fold(text)
    said = {vocabulary[word] for word in typo_tolerant(folded, vocabulary)}
    if not in_order_said:
        return [label for label in dict.fromkeys(vocabulary.values()) if label in said]
    tokens = folded.split()
    found: list[str] = []
    for index, token in enumerate(tokens):  # each word in turn: the vocabulary's words it starts
        here = f" {' '.join(tokens[index:])}"
        starts = [w for w in vocabulary if here.startswith(f" {w}")]
        found += [vocabulary[w] for w in starts or typo_tolerant(token, vocabulary)]
    return [label for label in dict.fromkeys(found) if label in said]


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
    if extraction.platforms(text):  # « sur Wix »: a site, as a plain yes says
        return Website.RECENT
    raise NotUnderstood("si vous avez un site Web, et s'il est ancien ou récent")


_NOT_THIS = re.compile(r"\b(?:pas|aucun|aucune|jamais) (?:de |d |sur )?\w+")
_NONE_OF_THEM = re.compile(r"\b(?:aucun|aucune)\b|\b(?:pas|jamais) (?:de|d|sur)\b")


_EVERYTHING = {"tout", "toute", "toutes", "tous", "tout ca", "toute ca", "all", "toute la liste"}
_BY_HAND = re.compile(r"\b(?:papier|crayon|a la main|cahier)\b")


def read_list(
    text: str,
    vocabulary: dict[str, str],
    expected: str,
    lacking: bool = False,
    in_order_said: bool = False,
    everything: tuple[str, ...] = (),
) -> str:
    """A list of known items ("Facebook, Instagram"), "aucun", "je ne sais pas", or « toute! »
    (every item, or those the question lists: `everything`). A negated item is not named (« on n'a pas de Facebook »), unless the list is
    of what is `lacking` (« pas de temps, pas d'argent » are the obstacles); priorities keep
    the order they were said in (`in_order_said`: the first goal is the first need)."""
    if is_unsure(text):
        return UNKNOWN
    folded = fold(text)
    if folded in _EVERYTHING:
        return ", ".join(everything or dict.fromkeys(vocabulary.values()))
    said = folded if lacking else _NOT_THIS.sub(" ", folded)
    found = _keywords(said, vocabulary, in_order_said)
    if found:
        return ", ".join(found)
    negated = _NONE_OF_THEM.search(folded)  # « on n'est sur aucun réseau »
    nothing = first_clause(text).split()[:1] in (["aucun"], ["aucune"], ["rien"])  # « rien de… »
    if negated or nothing or _BY_HAND.search(folded) or find_yes_no(text) is Answer.NO:
        return "aucun"
    raise NotUnderstood(expected)


def read_yes_no(text: str) -> str:
    return parse_yes_no(text).value


# How often, in words that say no number (« des fois », « tous les jours ») (folded); the first
# said wins. A frequency with a number (« genre une fois par mois ») is read first (`_RATE`).
_FREQUENCIES = (
    (("jour", "quotidien", "tous les jours", "chaque matin", "tlj", "daily", "every day",
      "everyday"), "chaque jour"),
    (("semaine", "hebdo", "fin de semaine", "weekly", "fois sem", "every week", "lundi", "mardi",
      "mercredi", "jeudi", "vendredi", "samedi", "dimanche"), "chaque semaine"),
    (("mois", "mensuel", "monthly", "every month"), "chaque mois"),
    (
        (
            "rarement", "presque jamais", "de temps en temps", "pas souvent", "peu souvent",
            "quand j ai le temps", "quand j y pense", "des fois", "parfois", "a l occasion",
            "occasionnellement", "pas regulier", "irregulier", "quand ca adonne", "pas assez",
            "une fois de temps en temps", "de temps a autre", "par annee", "par an ",
            "fois par an", "annuel", "yearly", "seldom", "rarely",
        ),
        "rarement",
    ),
    (("jamais", "aucun", "pantoute", "on publie pas", "je publie pas", "publie rien", "never"),
     "jamais"),
)  # fmt: skip
# Posts a month and what they are called (« une fois par mois » is « chaque mois », not
# « rarement »; « aux deux semaines » is « quelques fois par mois »).
FREQUENCY_LABELS = (
    (20.0, "chaque jour"),
    (4.0, "chaque semaine"),
    (2.0, "quelques fois par mois"),
    (1.0, "chaque mois"),
    (0.0, "rarement"),
)
_NUMBERS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
    "couple": 2, "une couple de": 2, "un couple de": 2, "couple de": 2, "quelques": 3,
    "plusieurs": 3, "once": 1, "twice": 2,
}  # fmt: skip
_DAYS = {
    "jour": 1, "jours": 1, "journee": 1, "matin": 1, "soir": 1, "day": 1, "semaine": 7,
    "semaines": 7, "sem": 7, "week": 7, "mois": 30.4, "month": 30.4, "saison": 91, "saisons": 91,
    "an": 365, "ans": 365, "annee": 365, "annees": 365, "year": 365,
}  # fmt: skip
_NUMBER = (
    r"(?:\d+|une couple de|un couple de|couple de|"
    + "|".join(sorted(_NUMBERS, key=len, reverse=True))
    + ")"
)
_PERIOD = r"(?P<period>" + "|".join(sorted(_DAYS, key=len, reverse=True)) + ")"
# « une fois par mois », « 2-3 fois par semaine », « une story par jour », « 1 fois/sem »
_TIMES_PER = re.compile(
    rf"\b(?P<n>{_NUMBER})(?:\s+(?:ou|a|et)?\s*{_NUMBER})?\s+(?:fois|foi|times|post|posts|"
    rf"publications?|stor(?:y|ies)|photos?|videos?|reels?)\s+(?:(?:par|a la|au|dans la|dans le|"
    rf"dans un|dans une|chaque|a chaque|pour la|pour le|sur la|sur le|a|per|a)\s+)?{_PERIOD}\b"
)
# « aux deux semaines », « tous les 15 jours », « à tous les mois », « chaque semaine »
_EVERY = re.compile(
    rf"\b(?:aux|a tous les|tous les|toutes les|a toutes les|chaque|a chaque|every)\s+"
    rf"(?:(?P<n>{_NUMBER})\s+)?{_PERIOD}\b"
)
_ADVERBS = (
    (re.compile(r"\b(?:quotidien\w*|daily|tlj)\b"), 30.4),
    (re.compile(r"\b(?:hebdo\w*|weekly)\b"), 4.35),
    (re.compile(r"\b(?:mensuel\w*|monthly)\b"), 1.0),
    (re.compile(r"\b(?:annuel\w*|yearly)\b"), 1 / 12),
)
# A number said as one case among others is no frequency (« des fois deux fois dans un mois,
# des fois rien »).
_HEDGED = re.compile(r"\b(?:des fois|parfois|quand|si|sometimes)\s+(?:\w+\s+){0,1}$")
_PAST = re.compile(
    r"\b(?:le |la |l |ce |cette |cet )?(?:mois|semaine|an|annee|ete|hiver|automne|printemps|noel)"
    r" (?:passe|passee|dernier|derniere|ci)\b"
)


def _number(said: str) -> float:
    return float(said) if said.isdigit() else float(_NUMBERS.get(said, 1))


def _posts_a_month(folded: str) -> float | None:
    """Posts a month when the answer says a number of times a period, or every N periods."""
    for pattern, every in ((_TIMES_PER, False), (_EVERY, True)):
        for found in pattern.finditer(folded):
            if _HEDGED.search(folded[: found.start()]):
                continue
            count = _number(found.group("n")) if found.group("n") else 1.0
            days = _DAYS[found.group("period")]
            if count <= 0:
                continue
            return 30.4 / (count * days) if every else count * 30.4 / days
    for pattern, rate in _ADVERBS:
        if pattern.search(folded):
            return rate
    return None


def frequency_said(text: str) -> bool:
    """Whether `text` says a frequency with a number or a period (« une fois par mois »,
    « aux deux semaines », « hebdo »), not a bare « jamais »."""
    return _posts_a_month(_PAST.sub(" ", fold(text))) is not None


def frequency_label(posts_a_month: float) -> str:
    return next(label for least, label in FREQUENCY_LABELS if posts_a_month >= least)


def read_frequency(text: str) -> str:
    """How often the merchant posts, read as said: a number of times a period first
    (« genre une fois par mois » is « chaque mois », « aux deux semaines » « quelques fois par
    mois », « 4-5 fois par an » « rarement »), else the first frequency word said (« chaque
    semaine, des photos du pain du jour » is weekly)."""
    if opens_unsure(text):
        return UNKNOWN
    folded = _PAST.sub(" ", fold(text))
    rate = _posts_a_month(folded)
    if rate is not None:
        return frequency_label(rate)
    folded = f" {folded} ".replace(" journal", " ").replace(" aucune idee", " ")
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

    titles = _focus_titles(answers, networks, active, tools)
    first = first_need(answers)
    if first:
        titles = [_title_for(first, answers, networks), *titles]
    titles = list(dict.fromkeys(titles))
    focus = [_area(t, answers, networks, tools, first) for t in titles]
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


def first_need(answers: Answers) -> str | None:
    """The merchant's first need: what they would change first (the most precise need it
    names), else their first goal, as said."""
    said = _keywords(answers.first_change, NEEDS, in_order_said=True)
    if said:
        return min(said, key=NEEDS_FIRST.index)
    goals = [] if answers.goals in {UNKNOWN, "aucun", ""} else answers.goals.split(", ")
    return goals[0] if goals else None


def _focus_titles(
    answers: Answers, networks: list[str], active: bool, tools: list[str]
) -> list[str]:
    """The focus areas the answers call for, most useful first."""
    goals = answers.goals
    titles = []
    if answers.website in {Website.NONE, Website.OLD}:
        titles.append("Site Web")
    if networks and not active:
        titles.append("Contenu des réseaux sociaux")
    elif not networks and answers.social_networks == "aucun":
        titles.append("Présence sur les réseaux sociaux")
    if not _yes(answers.google_profile):
        titles.append("Visibilité locale")
    if "ventes en ligne" in goals and not _yes(answers.online_sales):
        titles.append("Vente en ligne")
    for goal, title in (("réservation en ligne", "Réservation en ligne"),
                        ("commande en ligne", "Commande en ligne")):  # fmt: skip
        if goal in goals and not _yes(answers.online_booking):
            titles.append(title)
    if "gagner du temps en gestion" in goals or len(tools) <= 1:
        titles.append("Outils de gestion")
    if "fidélisation" in goals:
        titles.append("Fidélisation")
    return titles


_NEED_TITLES = {
    "réservation en ligne": "Réservation en ligne",
    "commande en ligne": "Commande en ligne",
    "ventes en ligne": "Vente en ligne",
    "fidélisation": "Fidélisation",
    "gagner du temps en gestion": "Outils de gestion",
    "site Web": "Site Web",
    "clientèle locale": "Visibilité locale",
    "touristes": "Visibilité auprès des touristes",
}


def _title_for(need: str, answers: Answers, networks: list[str]) -> str:
    """The focus area that answers a need."""
    if need == "réseaux sociaux":
        return "Contenu des réseaux sociaux" if networks else "Présence sur les réseaux sociaux"
    if need == "visibilité":
        return "Site Web" if answers.website in {Website.NONE, Website.OLD} else "Visibilité locale"
    return _NEED_TITLES[need]


def _area(
    title: str, answers: Answers, networks: list[str], tools: list[str], first: str | None
) -> FocusArea:
    """A focus area: why it is one for this merchant, and what the program offers for it."""
    asked_first = first is not None and _title_for(first, answers, networks) == title
    why, offer = {
        "Site Web": (
            {Website.NONE: "aucun site", Website.OLD: "site à moderniser"}.get(
                answers.website, "site à améliorer"
            ),
            "plan d'action du site et aide neutre pour choisir le bon fournisseur",
        ),
        "Contenu des réseaux sociaux": (
            f"présent sur {', '.join(networks)}, publications {answers.posting}",
            "stratégie de contenu : valeur ajoutée du commerce et saveur des publications",
        ),
        "Présence sur les réseaux sociaux": (
            "aucun réseau social",
            "choisir les bons réseaux et planifier le contenu",
        ),
        "Visibilité locale": (
            "fiche d'entreprise et avis en ligne à mettre en place"
            if not _yes(answers.google_profile)
            else "se faire connaître de la clientèle visée",
            "plan d'action individualisé",
        ),
        "Visibilité auprès des touristes": (
            "objectif d'attirer les touristes",
            "plan d'action individualisé pour se faire connaître des visiteurs",
        ),
        "Vente en ligne": (
            "objectif de vendre en ligne, pas encore de vente en ligne"
            if not _yes(answers.online_sales)
            else "vente en ligne à développer",
            "définir le projet et choisir une solution en toute neutralité",
        ),
        "Réservation en ligne": (
            "prise de rendez-vous ou réservation en ligne à mettre en place"
            if not _yes(answers.online_booking)
            else "réservation en ligne à améliorer",
            "choisir un outil de réservation en ligne en toute neutralité et le mettre en place",
        ),
        "Commande en ligne": (
            "commande en ligne à mettre en place"
            if not _yes(answers.online_booking)
            else "commande en ligne à améliorer",
            "définir le projet de commande en ligne et choisir une solution en toute neutralité",
        ),
        "Outils de gestion": (
            "peu d'outils de gestion" if len(tools) <= 1 else "objectif de gagner du temps",
            "faire le point sur la caisse, l'inventaire et la comptabilité",
        ),
        "Fidélisation": (
            "objectif de fidéliser la clientèle",
            "plan d'action : contenu, infolettre et suivi de la clientèle",
        ),
    }[title]
    return FocusArea(title, f"première priorité nommée, {why}" if asked_first else why, offer)


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
        f"première rencontre :\n{areas}\nEst-ce que ça vous convient?"
    )
