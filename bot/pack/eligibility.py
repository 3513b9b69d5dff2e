"""The pack's `eligibility.yml`: the sectors and their synonyms, the decision's wording and the
priority score's factors (`bot.eligibility` applies them, `bot.parsing` reads the sectors)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node

from bot.pack.loader import TEXT, Check, Reader, in_current_pack
from bot.text import fold

FILE = "eligibility.yml"
OTHER = "other"  # the id of « any other activity »: kept, detailed, sent to an advisor
ANSWERS = ("yes", "no", "unsure")  # bot.vocabulary.Answer, by name
READINESS = ("now", "soon", "exploring")  # bot.eligibility.Readiness, by name
SCORE = 100  # the factors' maximums add up to it (« priorité 70/100 »)
WORDING = {  # each reason and its placeholders
    "outside": ("territory", "reason"),
    "territory_unknown": ("reason",),
    "no_storefront": (),
    "storefront_unsure": (),
    "sector_unknown": (),
    "sector_not_eligible": ("sector",),
    "eligible": ("reason", "sector"),
}


@dataclass(frozen=True)
class Sector:
    """A sector of activity; `label` is what is stored and shown."""

    id: str
    label: str
    button: str
    eligible: bool = False
    names: tuple[str, ...] = ()  # folded: the sector named as such
    synonyms: tuple[str, ...] = ()  # folded: what the business is or does
    signs: tuple[str, ...] = ()  # patterns on the folded text that decide at once

    @property
    def is_other(self) -> bool:
        return self.id == OTHER


@dataclass(frozen=True)
class Steps:
    """A factor scored by thresholds: the first `at_least` reached gives its points."""

    label: str
    maximum: int
    steps: tuple[tuple[float, int], ...]  # (at_least, points), highest first

    def points(self, amount: float | None) -> int:
        if amount is None:
            return 0
        return next((points for least, points in self.steps if amount >= least), 0)


@dataclass(frozen=True)
class Choices:
    """A factor scored by a choice: points for each answer, sector or readiness (else 0)."""

    label: str
    maximum: int
    by: tuple[tuple[str, int], ...]

    def points(self, key: str) -> int:
        return dict(self.by).get(key, 0)


@dataclass(frozen=True)
class PriorityRules:
    association: Choices  # by answer: yes, no, unsure
    sector: Choices  # by sector id
    time: Steps  # hours per week
    readiness: Choices  # by readiness: now, soon, exploring
    impact: Steps  # characters of the impact described


@dataclass(frozen=True)
class Eligibility:
    sectors: tuple[Sector, ...]  # in the buttons' order, without other
    other: Sector
    tried: tuple[Sector, ...]  # the synonyms' order, most specific first
    expected: str  # what a sector answer should be, when none is found
    wording: tuple[tuple[str, str], ...]  # each reason's template (WORDING)
    priority: PriorityRules

    @property
    def every_sector(self) -> tuple[Sector, ...]:
        return (*self.sectors, self.other)

    def sector(self, id: str) -> Sector:
        """The sector of this id (`other` included)."""
        return next(s for s in self.every_sector if s.id == id)

    def stored(self, label: str) -> Sector:
        """The sector stored under `label`; ValueError for a label the pack does not hold."""
        found = next((s for s in self.every_sector if s.label == label), None)
        if found is None:
            raise ValueError(f"{label!r} is no sector of the program")
        return found

    def says(self, name: str, **values: str) -> str:
        """The reason's wording, its placeholders filled."""
        return dict(self.wording)[name].format(**values)


BOOLEAN: Check = (lambda v: isinstance(v, bool), "true or false")
POINTS: Check = (lambda v: type(v) is int and v >= 0, "a whole number of points from 0")
AT_LEAST: Check = (
    lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 0,
    "a number from 0",
)


def _record(
    reader: Reader, node: Node | None, path: str, checks: dict[str, Check], lists: tuple[str, ...]
) -> tuple[dict[str, object], dict[str, Node]]:
    """A mapping's single values (checked, each required) and its other keys' nodes."""
    parent = reader.keys.get(path) or reader.keys.get(path.rsplit(".", 1)[0])
    fields = reader.mapping(node, path, parent)
    known = (*checks, *lists)
    for name, value in fields.items():
        if name not in known:
            where = reader.keys.get(f"{path}.{name}", value)
            reader.error(where, f"{path}.{name}", f"unknown key (known: {', '.join(known)})")
    values = reader.section(
        reader.keys.get(path), {n: v for n, v in fields.items() if n in checks}, path, checks
    )
    if fields and not any(n in checks for n in fields):  # `section` says nothing of an empty one
        for name, check in checks.items():
            reader.error(reader.keys.get(path), f"{path}.{name}", f"missing ({check[1]})")
    return values, fields


def _words(
    reader: Reader, node: Node | None, path: str, seen: dict[str, str], owner: str
) -> tuple[str, ...]:
    """A list of words, folded; a word given twice, here or in another sector, is an error."""
    found: list[str] = []
    for item in reader.sequence(node, path, reader.keys.get(path.rsplit(".", 1)[0])):
        word = reader.check(item, path, TEXT)
        if word is None:
            continue
        folded = fold(str(word))
        if not folded:
            reader.error(item, path, f"{word!r} holds no letter")
        elif folded in seen:
            where = "here" if seen[folded] == owner else f"in {seen[folded]}"
            reader.error(item, path, f"{word!r} is already given {where}")
        else:
            seen[folded] = owner
            found.append(folded)
    return tuple(found)


def _patterns(reader: Reader, node: Node | None, path: str) -> tuple[str, ...]:
    found = []
    for item in reader.sequence(node, path, None) if node is not None else ():
        pattern = reader.check(item, path, TEXT)
        if pattern is None:
            continue
        try:
            found.append(re.compile(str(pattern)).pattern)
        except re.error as error:
            reader.error(item, path, f"not a valid pattern ({error})")
    return tuple(found)


def _sectors(reader: Reader, node: Node | None, root: Node | None) -> list[Sector]:
    sectors = []
    names: dict[str, str] = {}
    synonyms: dict[str, str] = {}
    checks = {"label": TEXT, "button": TEXT, "eligible": BOOLEAN}
    for id, item in reader.mapping(node, "sectors", root).items():
        path = f"sectors.{id}"
        values, fields = _record(reader, item, path, checks, ("names", "synonyms", "signs"))
        sectors.append(
            Sector(
                id=id,
                label=str(values.get("label", "")),
                button=str(values.get("button", "")),
                eligible=values.get("eligible") is True,
                names=_words(reader, fields.get("names"), f"{path}.names", names, id),
                synonyms=_words(reader, fields.get("synonyms"), f"{path}.synonyms", synonyms, id),
                signs=_patterns(reader, fields.get("signs"), f"{path}.signs"),
            )
        )
    if node is not None and not sectors:
        reader.error(node, "sectors", "should name at least one sector")
    return sectors


def _tried(
    reader: Reader, node: Node | None, root: Node | None, sectors: list[Sector]
) -> tuple[Sector, ...]:
    by_id = {s.id: s for s in sectors}
    tried: list[Sector] = []
    for item in reader.sequence(node, "tried", root):
        id = reader.value(item)
        if id not in by_id:
            reader.error(item, "tried", f"{id!r} is no sector (sectors: {', '.join(by_id)})")
        elif by_id[str(id)] in tried:
            reader.error(item, "tried", f"{id!r} is given twice")
        else:
            tried.append(by_id[str(id)])
    missing = [s.id for s in sectors if s not in tried]
    if node is not None and missing:
        reader.error(node, "tried", f"should try every sector, missing: {', '.join(missing)}")
    return tuple(tried)


def _wording(reader: Reader, node: Node | None, root: Node | None) -> tuple[tuple[str, str], ...]:
    checks = {name: TEXT for name in WORDING}
    values, fields = _record(reader, node, "wording", checks, ())
    for name, text in values.items():
        used = {field for _, field, _, _ in string.Formatter().parse(str(text)) if field}
        if wrong := used - set(WORDING[name]):
            allowed = ", ".join(f"{{{p}}}" for p in WORDING[name]) or "none"
            reader.error(
                fields[name],
                f"wording.{name}",
                f"unknown placeholder {{{sorted(wrong)[0]}}} (allowed: {allowed})",
            )
    return tuple((name, str(values.get(name, ""))) for name in WORDING)


def _choices(
    reader: Reader, node: Node | None, path: str, key: str, known: tuple[str, ...]
) -> Choices:
    values, fields = _record(reader, node, path, {"label": TEXT, "maximum": POINTS}, (key,))
    maximum = values.get("maximum")
    by: list[tuple[str, int]] = []
    given = (
        reader.mapping(fields.get(key), f"{path}.{key}", reader.keys.get(path)) if fields else {}
    )
    for name, item in given.items():
        where = f"{path}.{key}.{name}"
        if name not in known:
            reader.error(item, where, f"unknown (known: {', '.join(known)})")
        elif isinstance(points := reader.check(item, where, POINTS), int):
            _within(reader, item, where, points, maximum)
            by.append((name, points))
    return Choices(str(values.get("label", "")), _whole(maximum), tuple(by))


def _steps(reader: Reader, node: Node | None, path: str) -> Steps:
    values, fields = _record(reader, node, path, {"label": TEXT, "maximum": POINTS}, ("steps",))
    maximum = values.get("maximum")
    steps: list[tuple[float, int]] = []
    parent = reader.keys.get(path)
    for item in reader.sequence(fields.get("steps"), f"{path}.steps", parent) if fields else ():
        where = f"{path}.steps"
        step, _ = _record(reader, item, where, {"at_least": AT_LEAST, "points": POINTS}, ())
        least, points = step.get("at_least"), step.get("points")
        if not isinstance(least, int | float) or not isinstance(points, int):
            continue
        _within(reader, item, where, points, maximum)
        if steps and least >= steps[-1][0]:
            reader.error(item, where, "should go from the highest at_least to the lowest")
        steps.append((float(least), points))
    return Steps(str(values.get("label", "")), _whole(maximum), tuple(steps))


def _whole(value: object) -> int:
    """A checked whole number, or 0 where it was wrong (the error is noted)."""
    return value if isinstance(value, int) else 0


def _within(reader: Reader, node: Node, path: str, points: int, maximum: object) -> None:
    if isinstance(maximum, int) and points > maximum:
        reader.error(node, path, f"{points} points is above the factor's maximum ({maximum})")


def _priority(
    reader: Reader, node: Node | None, root: Node | None, sectors: list[Sector]
) -> PriorityRules:
    factors = ("association", "sector", "time", "readiness", "impact")
    _, fields = _record(reader, node, "priority", {}, factors)
    if not fields:  # said once; the file is refused
        none, no_steps = Choices("", 0, ()), Steps("", 0, ())
        return PriorityRules(none, none, no_steps, none, no_steps)
    rules = PriorityRules(
        association=_choices(reader, fields.get("association"), "priority.association",
                             "by_answer", ANSWERS),
        sector=_choices(reader, fields.get("sector"), "priority.sector", "by_sector",
                        (*(s.id for s in sectors), OTHER)),
        time=_steps(reader, fields.get("time"), "priority.time"),
        readiness=_choices(reader, fields.get("readiness"), "priority.readiness",
                           "by_readiness", READINESS),
        impact=_steps(reader, fields.get("impact"), "priority.impact"),
    )  # fmt: skip
    total = sum(getattr(rules, name).maximum for name in factors)
    if len(fields) == len(factors) and total != SCORE:
        where = reader.keys.get("priority")
        reader.error(where, "priority", f"the maximums add up to {total}, not {SCORE}")
    return rules


def load(folder: Path) -> Eligibility:
    """The pack's `eligibility.yml` in `folder`, validated; raises `PackError`."""
    reader, root = Reader.open(folder, FILE)
    top = reader.mapping(root, "", None) if root is not None else {}
    known = ("sectors", "other", "tried", "expected", "wording", "priority")
    for name in top:
        if name not in known:
            where = reader.keys.get(name, top[name])
            reader.error(where, name, f"unknown section (known: {', '.join(known)})")
    sectors = _sectors(reader, top.get("sectors"), root)
    other_values, other_fields = _record(
        reader, top.get("other"), "other", {"label": TEXT, "button": TEXT}, ("words",)
    )
    other = Sector(
        id=OTHER,
        label=str(other_values.get("label", "")),
        button=str(other_values.get("button", "")),
        names=_words(reader, other_fields.get("words"), "other.words", {}, OTHER)
        if other_fields
        else (),
    )
    labels: dict[str, str] = {}
    for sector in (*sectors, other):
        if sector.label and fold(sector.label) in labels:
            key = reader.keys.get(f"sectors.{sector.id}", reader.keys.get("other"))
            path = f"sectors.{sector.id}.label" if sector.id != OTHER else "other.label"
            reader.error(key, path, f"{sector.label!r} is already {labels[fold(sector.label)]}'s")
        labels.setdefault(fold(sector.label), sector.id)
    tried = _tried(reader, top.get("tried"), root, sectors)
    expected = reader.check(top["expected"], "expected", TEXT) if "expected" in top else None
    if root is not None and "expected" not in top:
        reader.error(root, "expected", f"missing ({TEXT[1]})")
    wording = _wording(reader, top.get("wording"), root)
    priority = _priority(reader, top.get("priority"), root, sectors)
    reader.done()
    return Eligibility(
        sectors=tuple(sectors),
        other=other,
        tried=tried,
        expected=str(expected),
        wording=wording,
        priority=priority,
    )


def current_eligibility() -> Eligibility:
    """The eligibility section of the pack `PROGRAM_DIR` names, read at call time."""
    return in_current_pack(load)
