"""The program's territory (`program/territory.yml`): its places, postal codes and verdicts.

`bot/territory.py` holds the mechanism (finding a place in a message, a postal code's
verdict); this module holds what it reads, validated with `file:line` errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node, SequenceNode

from bot.pack.loader import TEXT, Check, Reader, in_current_pack
from bot.text import fold

TERRITORY_FILE = "territory.yml"


@dataclass(frozen=True)
class Place:
    """A place a merchant may name, and whether it lies in the territory."""

    name: str
    inside: bool
    aliases: tuple[str, ...] = ()
    within: str = ""  # the municipality a neighbourhood belongs to
    broad: bool = False  # named only when nothing more precise is (the city, a region)


@dataclass(frozen=True)
class PostalCodes:
    """Postal codes by their start (« G1 », « G3A »): the first list holding it decides."""

    inside: tuple[str, ...]
    outside: tuple[str, ...]
    letters: tuple[str, ...]  # a code starting with another letter is outside
    municipalities: tuple[tuple[str, str], ...]  # (FSA, municipality) other than the city's


@dataclass(frozen=True)
class Verdicts:
    """The verdicts as written: « dans l'agglomération »…"""

    inside: str
    outside: str
    unknown: str


@dataclass(frozen=True)
class Territory:
    name: str  # as a sentence names it: « l'agglomération de Québec »
    city: Place  # the main city, broad: « la Ville de Québec »
    municipality: str  # the city as the figures name it: « Québec »
    places: tuple[Place, ...]  # the city first, then the file's order
    postal_codes: PostalCodes
    verdicts: Verdicts
    unknown_territory: str  # the figures' label for a lead that is nowhere


def _municipalities(city: str, places: tuple[Place, ...]) -> frozenset[str]:
    """The city's municipality and every place that is neither a neighbourhood nor a region."""
    return frozenset((city, *(p.name for p in places if not p.within and not p.broad)))


_BOOL: Check = (lambda v: type(v) is bool, "true or false")
_ALIAS: Check = (
    lambda v: isinstance(v, str) and v != "" and fold(v) == v,
    "folded text (lower case, no accents, spaces for punctuation), such as 'sainte anne'",
)
_START: Check = (
    lambda v: isinstance(v, str) and re.fullmatch(r"[A-Z]([0-9][A-Z]?)?", v) is not None,
    "the start of a postal code in capitals: a letter (G), a letter and a digit (G1) or an FSA "
    "(G3A)",
)
_LETTER: Check = (
    lambda v: isinstance(v, str) and re.fullmatch(r"[A-Z]", v) is not None,
    "one capital letter",
)
_FSA: Check = (
    lambda v: isinstance(v, str) and re.fullmatch(r"[A-Z][0-9][A-Z]", v) is not None,
    "an FSA such as G2E",
)
_TOP = ("name", "city", "places", "postal_codes", "verdicts", "unknown_territory")
_CITY: dict[str, Check] = {"name": TEXT, "municipality": TEXT}
_PLACE: dict[str, Check] = {"name": TEXT, "inside": _BOOL, "within": TEXT, "broad": _BOOL}
_PLACE_OPTIONAL = {"within", "broad"}


def load(folder: Path) -> Territory:
    """The pack's `territory.yml` in `folder`, validated; raises `PackError` listing every
    problem as `file:line: path: problem`."""
    reader, root = Reader.open(folder, TERRITORY_FILE)
    top = reader.mapping(root, "", None) if root is not None else {}
    if not top:  # empty, or not a mapping: said once
        reader.done()
    for key in top:
        if key not in _TOP:
            reader.error(top[key], key, f"unknown section (known: {', '.join(_TOP)})")
    texts: dict[str, str] = {}
    for key in ("name", "unknown_territory"):
        if key not in top:
            reader.error(root, key, f"missing ({TEXT[1]})")
        elif (text := reader.check(top[key], key, TEXT)) is not None:
            texts[key] = str(text)
    aliases = _Aliases(reader)
    city_map = reader.mapping(top.get("city"), "city", root)
    city_key = reader.keys.get("city", root)
    city = reader.section(
        city_key, {k: v for k, v in city_map.items() if k != "aliases"}, "city", _CITY
    )
    name = str(city.get("name", ""))
    city_aliases = (
        aliases.read(city_map.get("aliases"), "city.aliases", city_key, name) if city_map else ()
    )
    main = Place(name, True, city_aliases, broad=True)
    found, withins = _places(reader, top.get("places"), root, aliases)
    places = (main, *found)
    municipality = str(city.get("municipality", ""))
    known = _municipalities(municipality, places)
    for node, path, within in withins:
        if within not in known:
            reader.error(node, path, f"should name a municipality of the file, got {within!r}")
    codes = _postal_codes(reader, top.get("postal_codes"), root, known)
    verdicts = reader.section(
        reader.keys.get("verdicts", root),
        reader.mapping(top.get("verdicts"), "verdicts", root),
        "verdicts",
        {"inside": TEXT, "outside": TEXT, "unknown": TEXT},
    )
    reader.done()
    return Territory(
        name=texts["name"],
        city=main,
        municipality=municipality,
        places=places,
        postal_codes=codes,
        verdicts=Verdicts(**{key: str(value) for key, value in verdicts.items()}),
        unknown_territory=texts["unknown_territory"],
    )


class _Aliases:
    """Reads alias lists, each alias once in the whole file."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.owners: dict[str, str] = {}

    def read(
        self, node: Node | None, path: str, parent: Node | None, owner: str
    ) -> tuple[str, ...]:
        found: list[str] = []
        items = self.reader.sequence(node, path, parent)
        if isinstance(node, SequenceNode) and not items:
            self.reader.error(node, path, "should list at least one alias")
        for index, item in enumerate(items):
            checked = self.reader.check(item, f"{path}[{index}]", _ALIAS)
            if checked is None:
                continue
            alias = str(checked)
            if alias in self.owners:
                self.reader.error(
                    item,
                    f"{path}[{index}]",
                    f"{alias!r} is already an alias of {self.owners[alias]}",
                )
                continue
            self.owners[alias] = owner
            found.append(alias)
        return tuple(found)


def _places(
    reader: Reader, node: Node | None, root: Node | None, aliases: _Aliases
) -> tuple[list[Place], list[tuple[Node, str, str]]]:
    """The places in the file's order, and each `within` to check once all are read."""
    places: list[Place] = []
    withins: list[tuple[Node, str, str]] = []
    for index, item in enumerate(reader.sequence(node, "places", root)):
        path = f"places[{index}]"
        mapping = reader.mapping(item, path, node)
        if not mapping:
            continue
        values: dict[str, object] = {}
        for key, value in mapping.items():
            if key == "aliases":
                continue
            if key not in _PLACE:
                known = ", ".join((*_PLACE, "aliases"))
                reader.error(value, f"{path}.{key}", f"unknown key (known: {known})")
                continue
            checked = reader.check(value, f"{path}.{key}", _PLACE[key])
            if checked is not None:
                values[key] = checked
        for key, check in _PLACE.items():
            if key not in mapping and key not in _PLACE_OPTIONAL:
                reader.error(item, f"{path}.{key}", f"missing ({check[1]})")
        name = str(values.get("name", ""))
        found = aliases.read(mapping.get("aliases"), f"{path}.aliases", item, name)
        if "within" in values:
            withins.append((mapping["within"], f"{path}.within", str(values["within"])))
        places.append(
            Place(
                name,
                values.get("inside") is True,
                found,
                str(values.get("within", "")),
                values.get("broad") is True,
            )
        )
    return places, withins


def _postal_codes(
    reader: Reader, node: Node | None, root: Node | None, municipalities: frozenset[str]
) -> PostalCodes:
    mapping = reader.mapping(node, "postal_codes", root)
    if not mapping:  # missing or not a mapping: said once
        return PostalCodes((), (), (), ())
    known = ("inside", "outside", "letters", "municipalities")
    for key in mapping:
        if key not in known:
            reader.error(
                mapping[key], f"postal_codes.{key}", f"unknown key (known: {', '.join(known)})"
            )
    lists: dict[str, tuple[str, ...]] = {}
    for key, check in (("inside", _START), ("outside", _START), ("letters", _LETTER)):
        path = f"postal_codes.{key}"
        items = reader.sequence(mapping.get(key), path, reader.keys.get("postal_codes", node))
        checked = (reader.check(item, f"{path}[{i}]", check) for i, item in enumerate(items))
        lists[key] = tuple(str(value) for value in checked if value is not None)
        if key == "outside":
            for index, item in enumerate(items):
                if Reader.value(item) in lists["inside"]:
                    reader.error(item, f"{path}[{index}]", "also in postal_codes.inside")
    owners: list[tuple[str, str]] = []
    by_fsa = mapping.get("municipalities")  # optional: every FSA inside is the city's
    found = (
        reader.mapping(by_fsa, "postal_codes.municipalities", node) if by_fsa is not None else {}
    )
    for fsa, value in found.items():
        path = f"postal_codes.municipalities.{fsa}"
        fsa_node = reader.keys[path]
        if reader.check(fsa_node, path, _FSA) is None:
            continue
        if not fsa.startswith(lists["inside"]) or fsa.startswith(lists["outside"]):
            reader.error(fsa_node, path, "should be an FSA inside (postal_codes.inside)")
        municipality = reader.check(value, path, TEXT)
        if municipality is not None and municipality not in municipalities:
            reader.error(
                value, path, f"should name a municipality of the file, got {municipality!r}"
            )
        owners.append((fsa, str(municipality)))
    return PostalCodes(lists["inside"], lists["outside"], lists["letters"], tuple(owners))


def current_territory() -> Territory:
    """The territory of the current pack (`PROGRAM_DIR`), read at call time."""
    return in_current_pack(load)
