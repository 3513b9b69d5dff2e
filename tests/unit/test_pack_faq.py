"""One source of truth for the FAQ's facts: the answers that state the territory or the sectors
(`responses/faq.yml`) are checked against the pack's `territory.yml` and `eligibility.yml`, for
the real program and the fictional one.

Checked rather than generated: each answer words its list its own way (« la Ville de Québec,
L'Ancienne-Lorette ou Saint-Augustin-de-Desmaures », « à Québec, à L'Ancienne-Lorette ou à
… », a few neighbourhoods and « etc. »), which the program team keeps writing in plain French;
a test names the answer and the fact as soon as the two disagree.

Names are compared on folded text (`bot.text.fold`: no accents, capitals or punctuation), as
whole words; a leading article is dropped (« la Rive-Sud » is found as « rive sud ») and a
word may take a plural s or x (« commerces de détail »).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.pack.eligibility import Eligibility
from bot.pack.eligibility import load as load_eligibility
from bot.pack.responses import as_rasa
from bot.pack.responses import load as load_responses
from bot.pack.territory import Territory
from bot.pack.territory import load as load_territory
from bot.settings import ROOT
from bot.text import fold

PACKS = {"real": ROOT / "program", "fictional": ROOT / "tests" / "packs" / "fictional"}
# The answers that state the whole territory: each names every municipality of it.
TERRITORY_ANSWERS = (
    "utter_faq_territory",
    "utter_faq_eligibility",
    "utter_territory_outside",
    "utter_territory_ask_advisor",
)
# The answers that state the sectors: each names every eligible sector and no other program's.
SECTOR_ANSWERS = ("utter_faq_eligibility", "utter_faq_sectors")
# The answers that state who is favoured: each names the sectors with the most priority points.
PRIORITY_ANSWERS = ("utter_faq_priority", "utter_faq_sectors")
ARTICLE = re.compile(r"^(?:la|le|les|l) ")


def loaded(folder: Path, file: str) -> None:
    if not (folder / file).is_file():
        pytest.skip(f"{folder / file} is not written yet")


def texts(folder: Path) -> dict[str, str]:
    """Each response's variants, folded, as one text."""
    return {
        name: " | ".join(fold(str(v["text"])) for v in variants)
        for name, variants in as_rasa(load_responses(folder)).items()
    }


def pattern(name: str) -> re.Pattern[str]:
    words = ARTICLE.sub("", fold(name)).split()
    return re.compile(r"\b" + r" ".join(f"{re.escape(w)}[sx]?" for w in words) + r"\b")


def names(text: str, name: str) -> bool:
    return pattern(name).search(text) is not None


def municipalities(territory: Territory) -> list[tuple[str, ...]]:
    """Each municipality as it may be named: the city by its sentence name or its figures'
    name (« la Ville de Québec », « Québec »), the others by their name."""
    others = [(p.name,) for p in territory.places[1:] if p.inside and not p.within and not p.broad]
    return [(territory.city.name, territory.municipality), *others]


def places(territory: Territory) -> set[str]:
    return {territory.municipality, *(p.name for p in territory.places)}


@pytest.mark.parametrize("pack", PACKS)
def test_the_territory_answers_name_every_municipality(pack: str) -> None:
    folder = PACKS[pack]
    loaded(folder, "territory.yml")
    territory = load_territory(folder)
    said = texts(folder)
    missing = [
        f"{name} omits {forms[0]!r}"
        for name in TERRITORY_ANSWERS
        for forms in municipalities(territory)
        if not any(names(said[name], form) for form in forms)
    ]
    assert not missing, f"{folder}/responses/faq.yml against territory.yml:\n" + "\n".join(missing)


@pytest.mark.parametrize("pack", PACKS)
def test_no_answer_names_a_place_its_pack_does_not_have(pack: str) -> None:
    folder = PACKS[pack]
    for other in PACKS.values():
        loaded(other, "territory.yml")
    own = places(load_territory(folder))
    known = set().union(*(places(load_territory(other)) for other in PACKS.values()))
    strangers = [p for p in known - own if not any(names(fold(p), mine) for mine in own)]
    found = [
        f"{name} names {place!r}"
        for name, text in texts(folder).items()
        for place in sorted(strangers)
        if names(text, place)
    ]
    assert not found, f"{folder}/responses/ names places of another program:\n" + "\n".join(found)


def sector_forms(eligibility: Eligibility, eligible: bool = True) -> dict[str, tuple[str, ...]]:
    """Each sector (eligible ones only by default) → how an answer may name it: its label,
    button or names."""
    return {
        s.label: (s.label, s.button, *s.names)
        for s in eligibility.sectors
        if s.eligible or not eligible
    }


def related(one: str, other: str) -> bool:
    """One name holds the other (« hébergement », « tourisme et hébergement »)."""
    return names(fold(one), other) or names(fold(other), one)


@pytest.mark.parametrize("pack", PACKS)
def test_the_sector_answers_name_every_eligible_sector_and_no_other(pack: str) -> None:
    folder = PACKS[pack]
    for other in PACKS.values():
        loaded(other, "eligibility.yml")
    own = sector_forms(load_eligibility(folder))
    every = [
        form for forms in sector_forms(load_eligibility(folder), False).values() for form in forms
    ]
    strangers = {
        label
        for other in PACKS.values()
        for label in sector_forms(load_eligibility(other))
        if not any(related(label, form) for form in every)
    }
    said = texts(folder)
    wrong = [
        f"{name} omits {label!r}"
        for name in SECTOR_ANSWERS
        for label, forms in own.items()
        if not any(names(said[name], form) for form in forms)
    ] + [
        f"{name} names {label!r}, a sector of another program"
        for name in SECTOR_ANSWERS
        for label in sorted(strangers)
        if names(said[name], label)
    ]
    assert not wrong, f"{folder}/responses/faq.yml against eligibility.yml:\n" + "\n".join(wrong)


@pytest.mark.parametrize("pack", PACKS)
def test_the_priority_answers_name_the_favoured_sectors(pack: str) -> None:
    folder = PACKS[pack]
    loaded(folder, "eligibility.yml")
    eligibility = load_eligibility(folder)
    points = dict(eligibility.priority.sector.by)
    best = max(points.values())
    forms = sector_forms(eligibility)
    said = texts(folder)
    missing = [
        f"{name} omits {sector.label!r}"
        for sector in eligibility.sectors
        if points.get(sector.id) == best
        for name in PRIORITY_ANSWERS
        if not any(names(said[name], form) for form in forms[sector.label])
    ]
    assert not missing, "the sectors with the most priority points:\n" + "\n".join(missing)


def test_the_check_finds_a_stale_answer(tmp_path: Path) -> None:
    """A territory changed without its answers: the test above names the answer."""
    territory = load_territory(PACKS["real"])
    said = texts(PACKS["real"])
    stale = said["utter_faq_territory"].replace("l ancienne lorette", "ailleurs")
    assert not any(names(stale, form) for form in municipalities(territory)[1])
    assert names(said["utter_faq_territory"], "Lévis") and not names(stale, "Lennoxville")
