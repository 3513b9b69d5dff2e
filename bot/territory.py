"""The program's territory: which places are in the agglomeration de Québec.

The agglomeration is the Ville de Québec (with its boroughs and neighbourhoods),
L'Ancienne-Lorette and Saint-Augustin-de-Desmaures (program/PROGRAM.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.text import fold


@dataclass(frozen=True)
class Place:
    """A place a merchant may name, and whether it lies in the agglomeration."""

    name: str
    inside: bool
    aliases: tuple[str, ...] = ()
    within: str = ""  # the municipality a neighbourhood belongs to


QUEBEC = "Québec"  # the municipality, as the analytics name it
VILLE_DE_QUEBEC = Place("la Ville de Québec", True, ("quebec", "ville de quebec"))
RIVE_SUD = Place("la Rive-Sud", False, ("rive sud",))
_BROAD = (VILLE_DE_QUEBEC, RIVE_SUD)  # named only when nothing more precise is

PLACES: tuple[Place, ...] = (
    VILLE_DE_QUEBEC,
    Place(
        "L'Ancienne-Lorette", True, ("l ancienne lorette", "ancienne lorette", "lancienne lorette")
    ),
    Place("Saint-Augustin-de-Desmaures", True, ("saint augustin de desmaures", "saint augustin")),
    # Boroughs and neighbourhoods of the Ville de Québec.
    Place("Limoilou", True, ("limoilou", "la cite limoilou"), QUEBEC),
    Place("Saint-Roch", True, ("saint roch",), QUEBEC),
    Place("Saint-Sauveur", True, ("saint sauveur",), QUEBEC),
    Place("Saint-Jean-Baptiste", True, ("saint jean baptiste",), QUEBEC),
    Place("Vieux-Québec", True, ("vieux quebec",), QUEBEC),
    Place("Montcalm", True, ("montcalm",), QUEBEC),
    Place("Sillery", True, ("sillery",), QUEBEC),
    Place("Sainte-Foy", True, ("sainte foy", "saint foy"), QUEBEC),
    Place("Cap-Rouge", True, ("cap rouge",), QUEBEC),
    Place("Charlesbourg", True, ("charlesbourg",), QUEBEC),
    Place("Beauport", True, ("beauport",), QUEBEC),
    Place("Loretteville", True, ("loretteville",), QUEBEC),
    Place("Val-Bélair", True, ("val belair",), QUEBEC),
    Place("Lac-Saint-Charles", True, ("lac saint charles",), QUEBEC),
    Place("Saint-Émile", True, ("saint emile",), QUEBEC),
    Place("Duberger", True, ("duberger",), QUEBEC),
    Place("Lebourgneuf", True, ("lebourgneuf",), QUEBEC),
    Place("Vanier", True, ("vanier",), QUEBEC),
    Place("Neufchâtel", True, ("neufchatel",), QUEBEC),
    Place("Les Rivières", True, ("les rivieres",), QUEBEC),
    Place("La Haute-Saint-Charles", True, ("haute saint charles",), QUEBEC),
    # Outside the agglomeration.
    Place(
        "Lévis", False, ("levis", "saint romuald", "charny", "saint nicolas", "saint redempteur")
    ),
    RIVE_SUD,
    Place("Boischatel", False, ("boischatel",)),
    Place("Lac-Beauport", False, ("lac beauport",)),
    Place("Stoneham-et-Tewkesbury", False, ("stoneham", "tewkesbury")),
    Place("Sainte-Brigitte-de-Laval", False, ("sainte brigitte de laval", "sainte brigitte")),
    Place("Wendake", False, ("wendake",)),
    Place("l'Île d'Orléans", False, ("ile d orleans", "ile orleans", "saint pierre de l ile")),
    Place("Shannon", False, ("shannon",)),
    Place("Pont-Rouge", False, ("pont rouge",)),
    Place("Saint-Raymond", False, ("saint raymond",)),
    Place("Donnacona", False, ("donnacona",)),
    Place("Sainte-Catherine-de-la-Jacques-Cartier", False, ("sainte catherine",)),
    Place("Baie-Saint-Paul", False, ("baie saint paul",)),
    Place("Château-Richer", False, ("chateau richer",)),
    Place("L'Ange-Gardien", False, ("l ange gardien", "ange gardien")),
    Place("Montréal", False, ("montreal", "mtl")),
    Place("Laval", False, ("laval",)),
    Place("Gatineau", False, ("gatineau",)),
    Place("Sherbrooke", False, ("sherbrooke",)),
    Place("Trois-Rivières", False, ("trois rivieres",)),
    Place("Saguenay", False, ("saguenay", "chicoutimi")),
)

_ALIASES: list[tuple[str, Place]] = sorted(
    ((alias, place) for place in PLACES for alias in place.aliases),
    key=lambda pair: -len(pair[0]),
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
    for alias, place in _ALIASES:
        pattern = f" {alias} "
        if pattern in folded:
            found.append(place)
            folded = folded.replace(pattern, " | ")
    specific = [place for place in found if place not in _BROAD]
    if specific:
        return specific[0]
    return found[0] if found else None


PLACE_TOKEN = "lieuconnu"


def mask_places(text: str) -> str:
    """`text` folded, each known place other than the city itself replaced by one token.

    The intent classifier sees "Wendake", "Lévis" or "Limoilou" as the same word, so a town
    it never saw in training still reads as a question about the territory.
    """
    folded = f" {fold(text)} "
    for alias, place in _ALIASES:
        if place is not VILLE_DE_QUEBEC:
            folded = folded.replace(f" {alias} ", f" {PLACE_TOKEN} ")
    return folded.strip()


class Verdict(Enum):
    INSIDE = "dans l'agglomération"
    OUTSIDE = "hors de l'agglomération"
    UNKNOWN = "à vérifier"


# Forward sortation areas (the first three characters of a postal code), program/PROGRAM.md.
_INSIDE_FSAS = {"G3A", "G3E", "G3G", "G3J", "G3K"}
_OUTSIDE_FSAS = {"G3B", "G3C", "G3H", "G3L", "G3M", "G3N", "G3Z", "G7A"}


def postal_code_verdict(postal_code: str) -> Verdict:
    """Inside, outside, or unknown (ask the municipality) for a code like "G1K 3A5".

    G0A is rural and shared by many small municipalities; codes the fact sheet does not
    name are never rejected on a guess.
    """
    fsa = postal_code.replace(" ", "").upper()[:3]
    if fsa[:2] in {"G1", "G2"} or fsa in _INSIDE_FSAS:
        return Verdict.INSIDE
    if fsa in _OUTSIDE_FSAS or fsa[:2] == "G6" or fsa[:1] not in {"", "G"}:
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
            reason = f"municipalité « {municipality} » à vérifier"
        elif postal_code:
            reason = f"le code postal {postal_code} ne suffit pas à situer l'adresse"
        else:
            reason = "adresse manquante"
        return TerritoryCheck(Verdict.UNKNOWN, reason, ask_municipality=not municipality)
    verdict = known.pop()
    where = place.name if place is not None else f"code postal {postal_code}"
    return TerritoryCheck(verdict, f"{where} : {verdict.value}")


# FSAs inside the agglomeration that are not the Ville de Québec's (program/PROGRAM.md).
_FSA_MUNICIPALITIES = {
    "G2E": "L'Ancienne-Lorette",
    "G2G": "L'Ancienne-Lorette",
    "G3A": "Saint-Augustin-de-Desmaures",
}


def located(municipality: str | None, postal_code: str | None) -> tuple[str, str | None]:
    """Where a business is, for the program's figures: its municipality (a neighbourhood the
    merchant named counts in its city: Sainte-Foy in Québec) and, in the Ville de Québec, its
    neighbourhood (the one named, else the postal code's FSA, « RTA G1L »); else None."""
    fsa = (postal_code or "").replace(" ", "").upper()[:3]
    by_code = f"RTA {fsa}" if fsa else None
    named = (municipality or "").strip()
    place = find_place(named) if named else None
    if place is not None and place.within:
        return place.within, place.name
    if place is VILLE_DE_QUEBEC:
        return QUEBEC, by_code
    if place is not None:
        return place.name, None
    if named:
        return named, None
    if fsa and postal_code_verdict(fsa) is Verdict.INSIDE:
        city = _FSA_MUNICIPALITIES.get(fsa, QUEBEC)
        return city, by_code if city == QUEBEC else None
    return by_code or "Territoire inconnu", None
