"""The digital-needs diagnostic: answers, maturity profile, focus areas, advisor brief.

Plain rules an advisor can read. The focus areas map to what the program offers
(program/PROGRAM.md): diagnostic, individual action plan, help choosing a provider (neutral:
no vendor is ever recommended), a content strategy for social media, implementation support.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache

from bot import extraction, quantities
from bot.clock import system_now
from bot.pack.diagnostic import FALLBACKS, Diagnostic, Focus, current_diagnostic
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


_YEAR = re.compile(r"\b(?:19[89]\d|20[0-4]\d)\b")
_AGES = {"old": Website.OLD, "recent": Website.RECENT}


def read_website(text: str) -> str:
    """None, old or recent; a year says which (« un site de 2009 » is old)."""
    if is_unsure(text):
        return UNKNOWN
    folded = f" {fold(text)} "
    first = first_clause(text)  # after a bare « ouais, mais… » the rest says which
    said_none = folded if first not in {"oui", "ouais", "ouin"} else f" {first} "
    pack = current_diagnostic()
    if any(f" {w}" in said_none for w in pack.no_website):
        return Website.NONE
    if year := _YEAR.search(folded):
        age = system_now().year - int(year.group())  # the year it is where the merchant is
        return Website.OLD if age >= pack.old_after_years else Website.RECENT
    for age_said, words in pack.website_said:
        if any(f" {w}" in folded for w in words):
            return _AGES[age_said]
    if extraction.platforms(text):  # « sur Wix »: a site, as a plain yes says
        return Website.RECENT
    raise NotUnderstood(pack.question("diag_website").expected)


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


# How often, in words that say no number (« des fois », « tous les jours ») (folded), as posts a
# month (None: never); the first said wins, named by the pack's labels. A frequency with a
# number (« genre une fois par mois ») is read first (`_posts_a_month`).
_FREQUENCIES: tuple[tuple[tuple[str, ...], float | None], ...] = (
    (("jour", "quotidien", "tous les jours", "chaque matin", "tlj", "daily", "every day",
      "everyday"), 30.4),
    (("semaine", "hebdo", "fin de semaine", "weekly", "fois sem", "every week", "lundi", "mardi",
      "mercredi", "jeudi", "vendredi", "samedi", "dimanche"), 4.35),
    (("mois", "mensuel", "monthly", "every month"), 1.0),
    (
        (
            "rarement", "presque jamais", "de temps en temps", "pas souvent", "peu souvent",
            "quand j ai le temps", "quand j y pense", "des fois", "parfois", "a l occasion",
            "occasionnellement", "pas regulier", "irregulier", "quand ca adonne", "pas assez",
            "une fois de temps en temps", "de temps a autre", "par annee", "par an ",
            "fois par an", "annuel", "yearly", "seldom", "rarely",
        ),
        0.25,
    ),
    (("jamais", "aucun", "pantoute", "on publie pas", "je publie pas", "publie rien", "never"),
     None),
)  # fmt: skip
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


def frequency_label(posts_a_month: float | None) -> str:
    """What the pack calls posting so often (« une fois par mois » is « chaque mois », not
    « rarement »); None is never."""
    pack = current_diagnostic()
    if posts_a_month is None:
        return pack.never
    return next(label for label, least in pack.posting if posts_a_month >= least)


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
        (folded.find(f" {w}"), rate) for words, rate in _FREQUENCIES for w in words
        if f" {w}" in folded
    ]  # fmt: skip
    if not said and mentions_unsure(text):  # « c'est ma fille qui s'en occupe, aucune idée »
        return UNKNOWN
    if not said:
        raise NotUnderstood(current_diagnostic().question("diag_posting").expected)
    return frequency_label(min(said, key=lambda found: found[0])[1])


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


def _level(points: int, levels: tuple[tuple[str, int], ...]) -> str:
    return [name for name, least in levels if points >= least][-1]


def _signs(answers: Answers, networks: list[str], active: bool, tools: list[str]) -> dict[str, int]:
    """What the answers show, each sign counted (`bot.pack.diagnostic.SIGNS`)."""
    return {
        "old_website": answers.website == Website.OLD,
        "recent_website": answers.website == Website.RECENT,
        "business_profile": _yes(answers.google_profile),
        "social_networks": bool(networks),
        "regular_posting": active,
        "newsletter": _yes(answers.newsletter),
        "online_sales": _yes(answers.online_sales),
        "online_booking": _yes(answers.online_booking),
        "each_tool": len(tools),
    }


def profile(answers: Answers) -> Profile:
    """A level per area and 2 to 4 focus areas, most useful first."""
    pack = current_diagnostic()
    networks = (
        [] if answers.social_networks in {UNKNOWN, "aucun"} else answers.social_networks.split(", ")
    )
    active = answers.posting in pack.regular
    tools = [] if answers.tools in {UNKNOWN, "aucun"} else answers.tools.split(", ")
    signs = _signs(answers, networks, active, tools)
    levels = {
        area.name: _level(sum(signs[sign] * points for sign, points in area.points), pack.levels)
        for area in pack.areas
    }

    keys = _focus_keys(pack, answers, networks, active, tools)
    first = first_need(answers)
    if first:
        keys = [_focus_for(pack, first, answers, networks), *keys]
    keys = list(dict.fromkeys(keys))
    focus = [_area(pack.focus_area(k), answers, networks, tools, first) for k in keys]
    fallbacks = [
        FocusArea(f.title, _why(f, answers, networks, tools), f.offer)
        for f in map(pack.focus_area, FALLBACKS)
    ]
    focus += fallbacks[: max(0, 2 - len(focus))]
    return Profile(levels, focus[:4])


def first_need(answers: Answers) -> str | None:
    """The merchant's first need: what they would change first (the most precise need it
    names), else their first goal, as said."""
    said = _keywords(answers.first_change, vocabulary("needs"), in_order_said=True)
    if said:
        return min(said, key=current_diagnostic().needs_first.index)
    goals = [] if answers.goals in {UNKNOWN, "aucun", ""} else answers.goals.split(", ")
    return goals[0] if goals else None


def _focus_keys(
    pack: Diagnostic, answers: Answers, networks: list[str], active: bool, tools: list[str]
) -> list[str]:
    """The focus areas the answers call for, most useful first."""
    goals = answers.goals
    goal = {f.key: f.goal for f in pack.focus}
    keys = []
    if answers.website in {Website.NONE, Website.OLD}:
        keys.append("website")
    if networks and not active:
        keys.append("social_content")
    elif not networks and answers.social_networks == "aucun":
        keys.append("social_presence")
    if not _yes(answers.google_profile):
        keys.append("local_visibility")
    if goal["online_sales"] and goal["online_sales"] in goals and not _yes(answers.online_sales):
        keys.append("online_sales")
    for key in ("online_booking", "online_ordering"):
        if goal[key] and goal[key] in goals and not _yes(answers.online_booking):
            keys.append(key)
    if (goal["management_tools"] and goal["management_tools"] in goals) or len(tools) <= 1:
        keys.append("management_tools")
    if goal["loyalty"] and goal["loyalty"] in goals:
        keys.append("loyalty")
    return keys


# When a need is answered by several focus areas, the first that suits the answers, else the
# last (« visibilité »: the site when there is none or it is old, else local visibility).
_SUITS: dict[str, Callable[[Answers, list[str]], bool]] = {
    "website": lambda answers, networks: answers.website in {Website.NONE, Website.OLD},
    "social_content": lambda answers, networks: bool(networks),
}


def _focus_for(pack: Diagnostic, need: str, answers: Answers, networks: list[str]) -> str:
    """The focus area that answers a need."""
    answering = [f.key for f in pack.focus if need in f.needs]
    suits = [k for k in answering if k not in _SUITS or _SUITS[k](answers, networks)]
    return suits[0] if suits else answering[-1]


def _why(focus: Focus, answers: Answers, networks: list[str], tools: list[str]) -> str:
    """Why a focus area is one for this merchant, in the case its answers are in."""
    lacking = {
        "local_visibility": not _yes(answers.google_profile),
        "online_sales": not _yes(answers.online_sales),
        "online_booking": not _yes(answers.online_booking),
        "online_ordering": not _yes(answers.online_booking),
        "management_tools": len(tools) <= 1,
    }
    if focus.key == "website":
        case = {Website.NONE: "no_website", Website.OLD: "old_website"}.get(
            answers.website, "otherwise"
        )
    elif focus.key in lacking:
        case = "lacking" if lacking[focus.key] else "otherwise"
    else:
        case = ""
    return focus.why_for(case).format(networks=", ".join(networks), posting=answers.posting)


def _area(
    focus: Focus, answers: Answers, networks: list[str], tools: list[str], first: str | None
) -> FocusArea:
    """A focus area: why it is one for this merchant, and what the program offers for it."""
    pack = current_diagnostic()
    why = _why(focus, answers, networks, tools)
    if first is not None and _focus_for(pack, first, answers, networks) == focus.key:
        why = pack.first_need.format(why=why)
    return FocusArea(focus.title, why, focus.offer)


def brief(business: str, answers: Answers, result: Profile) -> str:
    """The advisor's brief, in French: a short paragraph, then bullet points."""
    template = dict(current_diagnostic().brief)
    levels = ", ".join(template["level"].format(area=a, level=v) for a, v in result.levels.items())
    platform = template["platform"].format(platform=answers.platform) if answers.platform else ""
    focus = "; ".join(
        template["focus"].format(title=f.title, why=f.why, offer=f.program_offer)
        for f in result.focus
    )
    preparation = "; ".join(
        template["preparation"].format(
            title=f.title, lowered_title=f.title.lower(), why=f.why, offer=f.program_offer
        )
        for f in result.focus
    )
    said = {k: v for k, v in asdict(answers).items() if k not in {"platform", "first_change"}}
    return template["text"].format(
        business=business, levels=levels, platform=platform, focus=focus,
        preparation=preparation, first_change=answers.first_change or UNKNOWN, **said,
    )  # fmt: skip


def summary(result: Profile) -> str:
    """What the merchant sees at the end: short, in plain French."""
    template = dict(current_diagnostic().summary)
    focus = "\n".join(
        template["focus"].format(title=f.title, why=f.why, offer=f.program_offer)
        for f in result.focus
    )
    return template["text"].format(focus=focus)


@cache
def _vocabularies(pack: Diagnostic) -> dict[str, dict[str, str]]:
    return {
        "social_networks": dict(pack.social_networks),
        "tools": dict(pack.tools),
        "goals": dict(pack.goals),
        "needs": dict(pack.goals) | dict(pack.needs),  # the goals' words, then the needs'
        "obstacles": dict(pack.obstacles),
    }


def vocabulary(name: str) -> dict[str, str]:
    """The current pack's folded words and their labels: social_networks, tools, goals, needs
    (what to change first: the goals' words and the needs'), obstacles."""
    return _vocabularies(current_diagnostic())[name]
