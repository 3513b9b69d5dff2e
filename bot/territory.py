"""The program's territory: which places a merchant names, and whether they are in it.

The facts (places, aliases, postal codes, verdicts' wording) are the pack's
(`program/territory.yml`, `bot/pack/territory.py`), read at call time; this module holds how a
message, a postal code or a lead is placed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache

from bot.pack.territory import Place as Place  # re-exported: the actions name it
from bot.pack.territory import Territory, current_territory
from bot.text import fold


@cache
def _aliases(territory: Territory) -> tuple[tuple[str, Place], ...]:
    """Every alias with its place, longest first (the file's order among equals)."""
    return tuple(
        sorted(
            ((alias, place) for place in territory.places for alias in place.aliases),
            key=lambda pair: -len(pair[0]),
        )
    )


def find_place(text: str) -> Place | None:
    """The most specific known place named in `text`, or None.

    Longer names win over the shorter names they contain ("Lac-Saint-Charles" over
    "Saint-Charles", "Vieux-Québec" over "Québec"), and the bare city name or a region only
    counts when no other place is named ("Lévis, près de Québec", "à Lévis, sur la Rive-Sud"
    are about Lévis).
    """
    folded = f" {fold(text)} "
    found: list[Place] = []
    for alias, place in _aliases(current_territory()):
        pattern = f" {alias} "
        if pattern in folded:
            found.append(place)
            folded = folded.replace(pattern, " | ")
    specific = [place for place in found if not place.broad]
    if specific:
        return specific[0]
    return found[0] if found else None


PLACE_TOKEN = "lieuconnu"


def mask_places(text: str) -> str:
    """`text` folded, each known place other than the city itself replaced by one token.

    The intent classifier sees "Wendake", "Lévis" or "Limoilou" as the same word, so a town
    it never saw in training still reads as a question about the territory.
    """
    territory = current_territory()
    folded = f" {fold(text)} "
    for alias, place in _aliases(territory):
        if place is not territory.city:
            folded = folded.replace(f" {alias} ", f" {PLACE_TOKEN} ")
    return folded.strip()


class Verdict(Enum):
    """Where a place or a postal code stands; each value names its wording in the pack."""

    INSIDE = "inside"
    OUTSIDE = "outside"
    UNKNOWN = "unknown"

    @property
    def wording(self) -> str:
        """As the assistant writes it: « dans l'agglomération »…"""
        return str(getattr(current_territory().verdicts, self.value))


def postal_code_verdict(postal_code: str) -> Verdict:
    """Inside, outside, or unknown (ask the municipality) for a code like "G1K 3A5".

    The first of the pack's lists holding the code's start decides (inside first); a code
    starting with another letter than the pack's is outside. G0A is rural and shared by many
    small municipalities: codes the pack does not name are never rejected on a guess.
    """
    codes = current_territory().postal_codes
    fsa = postal_code.replace(" ", "").upper()[:3]
    if fsa.startswith(codes.inside):
        return Verdict.INSIDE
    if fsa.startswith(codes.outside) or (fsa != "" and fsa[0] not in codes.letters):
        return Verdict.OUTSIDE
    return Verdict.UNKNOWN


@dataclass(frozen=True)
class TerritoryCheck:
    """Where the business stands, and why, in French."""

    verdict: Verdict
    reason: str
    ask_municipality: bool = False


def check_territory(postal_code: str | None, municipality: str | None) -> TerritoryCheck:
    """Combine the postal code and the municipality the merchant named.

    When they disagree, or neither decides, the answer is UNKNOWN (an advisor checks);
    `ask_municipality` says the merchant should be asked which municipality it is.
    """
    place = find_place(municipality) if municipality else None
    by_place = (
        Verdict.UNKNOWN if place is None else (Verdict.INSIDE if place.inside else Verdict.OUTSIDE)
    )
    by_code = postal_code_verdict(postal_code) if postal_code else Verdict.UNKNOWN
    known = {verdict for verdict in (by_code, by_place) if verdict is not Verdict.UNKNOWN}
    if len(known) == 2:
        return TerritoryCheck(
            Verdict.UNKNOWN,
            f"le code postal {postal_code} et la municipalité {municipality} ne concordent pas",
        )
    if not known:
        if municipality:
            reason = f"municipalité « {municipality} » {Verdict.UNKNOWN.wording}"
        elif postal_code:
            reason = f"le code postal {postal_code} ne suffit pas à situer l'adresse"
        else:
            reason = "adresse manquante"
        return TerritoryCheck(Verdict.UNKNOWN, reason, ask_municipality=not municipality)
    verdict = known.pop()
    where = place.name if place is not None else f"code postal {postal_code}"
    return TerritoryCheck(verdict, f"{where} : {verdict.wording}")


def located(municipality: str | None, postal_code: str | None) -> tuple[str, str | None]:
    """Where a business is, for the program's figures: its municipality (a neighbourhood the
    merchant named counts in its city: Sainte-Foy in Québec) and, in the Ville de Québec, its
    neighbourhood (the one named, else the postal code's FSA, « RTA G1L »); else None."""
    territory = current_territory()
    fsa = (postal_code or "").replace(" ", "").upper()[:3]
    by_code = f"RTA {fsa}" if fsa else None
    named = (municipality or "").strip()
    place = find_place(named) if named else None
    if place is not None and place.within:
        return place.within, place.name
    if place is territory.city:
        return territory.municipality, by_code
    if place is not None:
        return place.name, None
    if named:
        return named, None
    if fsa and postal_code_verdict(fsa) is Verdict.INSIDE:
        city = dict(territory.postal_codes.municipalities).get(fsa, territory.municipality)
        return city, by_code if city == territory.municipality else None
    return by_code or territory.unknown_territory, None
