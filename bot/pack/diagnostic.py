"""The diagnostic of the program pack (`program/diagnostic.yml`): areas and levels, the words
its answers are read with, the focus areas and their offers, the brief, the summary and the
form's labels and buttons. `bot.diagnostic` and `bot.diagnostic_form` hold the rules."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node

from bot.pack.loader import TEXT, Check, Reader, in_current_pack

FILE = "diagnostic.yml"
Pairs = tuple[tuple[str, str], ...]
Posts = tuple[tuple[str, float], ...]
A_NEED = "a need (a label of vocabulary.goals or vocabulary.needs)"
BRIEF = ("text", "level", "platform", "focus", "preparation")
SUMMARY = ("text", "focus")

# What the answers show, each worth the points an area gives it (`bot.diagnostic.profile`).
SIGNS = (
    "old_website", "recent_website", "business_profile", "social_networks", "regular_posting",
    "newsletter", "online_sales", "online_booking", "each_tool",
)  # fmt: skip
# The focus areas the code proposes, each with the cases its `why` is written in (none: one
# text). The last two are proposed when the answers call for fewer than two.
FOCUS_CASES: dict[str, tuple[str, ...]] = {
    "website": ("no_website", "old_website", "otherwise"),
    "social_content": (),
    "social_presence": (),
    "local_visibility": ("lacking", "otherwise"),
    "tourists": (),
    "online_sales": ("lacking", "otherwise"),
    "online_booking": ("lacking", "otherwise"),
    "online_ordering": ("lacking", "otherwise"),
    "management_tools": ("lacking", "otherwise"),
    "loyalty": (),
    "action_plan": (),
    "implementation": (),
}
FALLBACKS = ("action_plan", "implementation")
# The form's questions (slots of the domain) and those whose reading says what it expects.
QUESTIONS = (
    "diag_website", "diag_platform", "diag_social_networks", "diag_posting",
    "diag_google_profile", "diag_online_sales", "diag_newsletter", "diag_online_booking",
    "diag_tools", "diag_goals", "diag_obstacles", "diag_budget", "diag_first_change",
)  # fmt: skip
EXPECTING = frozenset(
    {"diag_website", "diag_social_networks", "diag_posting", "diag_tools", "diag_goals",
     "diag_obstacles"}
)  # fmt: skip
VOCABULARIES = ("social_networks", "tools", "goals", "needs", "obstacles")
# The placeholders each template may use.
PLACEHOLDERS = {
    "brief.text": (
        "business", "levels", "website", "platform", "social_networks", "posting",
        "google_profile", "online_sales", "online_booking", "newsletter", "tools", "goals",
        "obstacles", "budget", "first_change", "focus", "preparation",
    ),
    "brief.level": ("area", "level"),
    "brief.platform": ("platform",),
    "brief.focus": ("title", "why", "offer"),
    "brief.preparation": ("title", "lowered_title", "why", "offer"),
    "summary.text": ("focus",),
    "summary.focus": ("title", "why", "offer"),
    "focus.why": ("networks", "posting"),  # every focus area's why
    "focus.first_need": ("why",),
}  # fmt: skip


@dataclass(frozen=True)
class Area:
    name: str
    points: tuple[tuple[str, int], ...]  # sign → points


@dataclass(frozen=True)
class Focus:
    key: str  # the code's rule: website, social_content…
    title: str
    why: Pairs  # case → text; one text: (("", text),)
    offer: str
    needs: tuple[str, ...] = ()
    goal: str = ""

    def why_for(self, case: str = "") -> str:
        return dict(self.why)[case]


@dataclass(frozen=True)
class FormQuestion:
    label: str
    example: str
    words: tuple[str, ...] = ()
    buttons: Pairs = ()  # title, payload
    unsure: bool = False  # the « je ne sais pas » button last
    choices: tuple[str, ...] = ()
    hears: tuple[str, ...] = ()
    expected: str = ""
    says_yes: tuple[str, ...] = ()
    says_no: tuple[str, ...] = ()


@dataclass(frozen=True)
class Diagnostic:
    areas: tuple[Area, ...]
    levels: tuple[tuple[str, int], ...]  # name, points from; lowest first
    posting: tuple[tuple[str, float], ...]  # label, posts a month from; most often first
    never: str
    regular: tuple[str, ...]
    social_networks: Pairs  # folded word → label, in the pack's order
    tools: Pairs
    goals: Pairs
    goals_asked: tuple[str, ...]
    needs: Pairs  # beyond the goals' words
    needs_first: tuple[str, ...]
    obstacles: Pairs
    no_website: tuple[str, ...]
    old_after_years: int
    website_said: tuple[tuple[str, tuple[str, ...]], ...]  # old or recent, its words
    focus: tuple[Focus, ...]
    first_need: str
    brief: Pairs  # text, level, platform, focus, preparation
    summary: Pairs  # text, focus
    correct_example: str
    questions: tuple[tuple[str, FormQuestion], ...]

    def focus_area(self, key: str) -> Focus:
        return next(f for f in self.focus if f.key == key)

    def question(self, name: str) -> FormQuestion:
        return dict(self.questions)[name]


_FOLDED = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)* ?")
WORD: Check = (
    lambda v: isinstance(v, str) and _FOLDED.fullmatch(v) is not None,
    "a folded word (lower case, no accents, no punctuation), such as « reseaux sociaux »",
)
POINTS: Check = (lambda v: type(v) is int and v >= 0, "a whole number from 0")
POSTS: Check = (
    lambda v: type(v) in (int, float) and v >= 0,  # type: ignore[operator]
    "a number of posts a month from 0",
)
# A template may start with a space (« ({platform}) » follows the website).
TEMPLATE: Check = (lambda v: isinstance(v, str) and v.strip() != "", "a non-empty text")
YES: Check = (lambda v: isinstance(v, bool), "true or false")


def _template(reader: Reader, node: Node, path: str, kind: str = "") -> str | None:
    """A text whose {placeholders} are those `kind` (default: `path`) may use."""
    text = reader.check(node, path, TEMPLATE)
    if not isinstance(text, str):
        return None
    known = PLACEHOLDERS[kind or path]
    try:
        named = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        reader.error(node, path, f"not a valid template ({error})")
        return None
    unknown = [name for name in named if name not in known]
    if unknown:
        reader.error(
            node, path, f"unknown placeholder {{{unknown[0]}}} (known: {', '.join(known)})"
        )
        return None
    return text


def _texts(reader: Reader, node: Node | None, path: str, check: Check) -> tuple[str, ...]:
    """A list of distinct texts (a word given twice is an error); none when missing (the
    mapping's `_keys` says so)."""
    found: list[str] = []
    for item in reader.sequence(node, path, None) if node is not None else ():
        value = reader.check(item, f"{path}[]", check)
        if isinstance(value, str):
            if value in found:
                reader.error(item, path, f"{value!r} given twice")
            found.append(value)
    return tuple(found)


def _words(reader: Reader, node: Node | None, path: str) -> Pairs:
    """A mapping of folded words to their label; none when missing."""
    pairs: list[tuple[str, str]] = []
    for word, label in reader.mapping(node, path, None).items() if node is not None else ():
        key = reader.keys[f"{path}.{word}"]
        if reader.check(key, path, WORD) is not None:
            text = reader.check(label, f"{path}.{word}", TEXT)
            if isinstance(text, str):
                pairs.append((word, text))
    return tuple(pairs)


def _at(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _keys(
    reader: Reader,
    found: dict[str, Node],
    path: str,
    known: tuple[str, ...],
    required: tuple[str, ...] = (),
) -> None:
    """Unknown keys of `found` at their line; missing `required` ones at the mapping's key."""
    for name, node in found.items():
        if name not in known:
            where = reader.keys.get(_at(path, name), node)
            reader.error(where, _at(path, name), f"unknown key (known: {', '.join(known)})")
    for name in required:
        if name not in found:
            reader.error(reader.keys.get(path), _at(path, name), "missing")


def _text(
    reader: Reader, found: dict[str, Node], path: str, name: str, check: Check = TEXT
) -> object | None:
    node = found.get(name)
    return reader.check(node, f"{path}.{name}", check) if node is not None else None


def _areas(reader: Reader, found: dict[str, Node]) -> tuple[Area, ...]:
    areas = []
    for name, node in found.items():
        path = f"areas.{name}"
        points = []
        for sign, value in reader.mapping(node, path, reader.keys[path]).items():
            if sign not in SIGNS:
                where = reader.keys[f"{path}.{sign}"]
                reader.error(where, f"{path}.{sign}", f"unknown sign (known: {', '.join(SIGNS)})")
            elif isinstance(count := reader.check(value, f"{path}.{sign}", POINTS), int):
                points.append((sign, count))
        areas.append(Area(name, tuple(points)))
    return tuple(areas)


def _levels(reader: Reader, found: dict[str, Node]) -> tuple[tuple[str, int], ...]:
    levels: list[tuple[str, int]] = []
    for name, node in found.items():
        start = reader.check(node, f"levels.{name}", POINTS)
        if not isinstance(start, int):
            continue
        if not levels and start != 0:
            reader.error(node, f"levels.{name}", "the first level should start from 0 points")
        elif levels and start <= levels[-1][1]:
            below, points = levels[-1]
            reader.error(node, f"levels.{name}", f"should be more points than {below!r} ({points})")
        levels.append((name, start))
    return tuple(levels)


def _posting(reader: Reader, found: dict[str, Node]) -> tuple[Posts, str, tuple[str, ...]]:
    """The labels with their posts a month, the « never » label, the regular labels."""
    _keys(reader, found, "posting", ("labels", "never", "regular"), ("labels", "never", "regular"))
    labels: list[tuple[str, float]] = []
    named = reader.mapping(found["labels"], "posting.labels", None) if "labels" in found else {}
    for name, node in named.items():
        rate = reader.check(node, f"posting.labels.{name}", POSTS)
        if not isinstance(rate, (int, float)):
            continue
        if labels and rate >= labels[-1][1]:
            more, least = labels[-1]
            reader.error(
                node, f"posting.labels.{name}",
                f"should be fewer posts than {more!r} ({least:g}): most often first",
            )  # fmt: skip
        labels.append((name, float(rate)))
    if labels and labels[-1][1] != 0:
        reader.error(found["labels"], "posting.labels", "the last label should start from 0 posts")
    never = _text(reader, found, "posting", "never")
    regular = _texts(reader, found.get("regular"), "posting.regular", TEXT)
    for label in regular if "regular" in found else ():
        if label not in dict(labels):
            reader.error(found["regular"], "posting.regular", f"{label!r} is not a posting label")
    return tuple(labels), str(never), regular


def _vocabulary(reader: Reader, found: dict[str, Node]) -> dict[str, Any]:
    """The vocabularies (folded word → label), the goals asked and the needs' order."""
    known = (*VOCABULARIES, "goals_asked", "needs_first")
    _keys(reader, found, "vocabulary", known, known)
    read: dict[str, Any] = {
        name: _words(reader, found.get(name), f"vocabulary.{name}") for name in VOCABULARIES
    }
    goals = {label for _, label in read["goals"]}
    needs = goals | {label for _, label in read["needs"]}
    for name in ("goals_asked", "needs_first"):
        read[name] = _texts(reader, found.get(name), f"vocabulary.{name}", TEXT)
    key, path = reader.keys.get("vocabulary.goals_asked"), "vocabulary.goals_asked"
    for label in read["goals_asked"]:
        if label not in goals:
            reader.error(key, path, f"{label!r} is not a goal of vocabulary.goals")
    key, path = reader.keys.get("vocabulary.needs_first"), "vocabulary.needs_first"
    for label in sorted(needs - set(read["needs_first"])) if "needs_first" in found else ():
        reader.error(key, path, f"the need {label!r} is missing")
    for label in read["needs_first"]:
        if label not in needs:
            reader.error(key, path, f"{label!r} is not {A_NEED}")
    read["goal_labels"], read["need_labels"] = goals, needs
    return read


def _website(
    reader: Reader, found: dict[str, Node]
) -> tuple[tuple[str, ...], object | None, tuple[tuple[str, tuple[str, ...]], ...]]:
    """The words of no website, the age of an old one, the words of an old or recent one."""
    _keys(
        reader,
        found,
        "website",
        ("none", "old_after_years", "said"),
        ("none", "old_after_years", "said"),
    )
    none = _texts(reader, found.get("none"), "website.none", WORD)
    years = _text(reader, found, "website", "old_after_years", POINTS)
    said = []
    items = reader.sequence(found["said"], "website.said", None) if "said" in found else []
    for index, item in enumerate(items):
        path = f"website.said[{index}]"
        ages = reader.mapping(item, path, item)
        if len(ages) != 1 or not set(ages) <= {"old", "recent"}:
            reader.error(item, path, "should be « old: [words] » or « recent: [words] »")
            continue
        ((age, node),) = ages.items()
        said.append((age, _texts(reader, node, f"{path}.{age}", WORD)))
    return none, years, tuple(said)


def _focus_area(reader: Reader, key: str, node: Node, goals: set[str], needs: set[str]) -> Focus:
    path = f"focus.{key}"
    found = reader.mapping(node, path, reader.keys.get(path))
    fallback = key in FALLBACKS
    known = ("title", "why", "offer") if fallback else ("title", "why", "offer", "needs", "goal")
    _keys(reader, found, path, known, known[:3] if fallback else known[:4])
    cases = FOCUS_CASES[key]
    why: list[tuple[str, str]] = []
    if cases and "why" in found:
        texts = reader.mapping(found["why"], f"{path}.why", None)
        _keys(reader, texts, f"{path}.why", cases, cases)
        for case in cases:
            text = (
                _template(reader, texts[case], f"{path}.why.{case}", "focus.why")
                if case in texts
                else None
            )
            why += [(case, text)] if text is not None else []
    elif "why" in found:
        text = _template(reader, found["why"], f"{path}.why", "focus.why")
        why = [("", text)] if text is not None else []
    answers = _texts(reader, found["needs"], f"{path}.needs", TEXT) if "needs" in found else ()
    for need in answers:
        if need not in needs:
            reader.error(found["needs"], f"{path}.needs", f"{need!r} is not {A_NEED}")
    goal = _text(reader, found, path, "goal")
    if goal is not None and goal not in goals:
        reader.error(found["goal"], f"{path}.goal", f"{goal!r} is not a goal of vocabulary.goals")
    title, offer = _text(reader, found, path, "title"), _text(reader, found, path, "offer")
    return Focus(key, str(title), tuple(why), str(offer), answers, str(goal or ""))


def _focus(
    reader: Reader, found: dict[str, Node], goals: set[str], needs: set[str]
) -> tuple[tuple[Focus, ...], str]:
    """The focus areas, each need answered by one at least, and the first need's why."""
    known = (*FOCUS_CASES, "first_need")
    _keys(reader, found, "focus", known, known)
    focus = tuple(
        _focus_area(reader, key, found[key], goals, needs) for key in FOCUS_CASES if key in found
    )
    answered = {need for f in focus for need in f.needs}
    for need in sorted(needs - answered):
        reader.error(reader.keys.get("focus"), "focus", f"no focus area answers the need {need!r}")
    first = (
        _template(reader, found["first_need"], "focus.first_need")
        if "first_need" in found
        else None
    )
    return focus, str(first)


def _templates(reader: Reader, found: dict[str, Node], name: str, parts: tuple[str, ...]) -> Pairs:
    _keys(reader, found, name, parts, parts)
    return tuple(
        (part, text)
        for part in parts
        if part in found and (text := _template(reader, found[part], f"{name}.{part}")) is not None
    )


def _question(reader: Reader, name: str, node: Node) -> FormQuestion:
    path = f"form.questions.{name}"
    found = reader.mapping(node, path, reader.keys.get(path))
    required = ("label", "example", "words", *(("expected",) if name in EXPECTING else ()))
    _keys(reader, found, path, tuple(f.name for f in fields(FormQuestion)), required)
    buttons = (
        reader.mapping(found["buttons"], f"{path}.buttons", None) if "buttons" in found else {}
    )
    lists = {
        key: _texts(reader, found.get(key), f"{path}.{key}", TEXT if key == "choices" else WORD)
        for key in ("words", "choices", "hears", "says_yes", "says_no")
        if key in found
    }
    given = {key: _text(reader, found, path, key) for key in ("label", "example", "expected")}
    return FormQuestion(
        label=str(given["label"]), example=str(given["example"]),
        buttons=tuple(
            (title, payload) for title, node in buttons.items()
            if isinstance(payload := reader.check(node, f"{path}.buttons.{title}", TEXT), str)
        ),
        unsure=_text(reader, found, path, "unsure", YES) is True,
        expected=str(given["expected"] or ""), **lists,
    )  # fmt: skip


def _form(
    reader: Reader, found: dict[str, Node]
) -> tuple[str, tuple[tuple[str, FormQuestion], ...]]:
    """The example of a field to correct and each question's wording."""
    _keys(reader, found, "form", ("correct_example", "questions"), ("correct_example", "questions"))
    example = _text(reader, found, "form", "correct_example")
    nodes = (
        reader.mapping(found["questions"], "form.questions", None) if "questions" in found else {}
    )
    _keys(reader, nodes, "form.questions", QUESTIONS, QUESTIONS if nodes else ())
    questions = tuple(
        (name, _question(reader, name, nodes[name])) for name in QUESTIONS if name in nodes
    )
    return str(example), questions


SECTIONS = (
    "areas",
    "levels",
    "posting",
    "vocabulary",
    "website",
    "focus",
    "brief",
    "summary",
    "form",
)


def load(folder: Path) -> Diagnostic:
    """The pack's `diagnostic.yml` in `folder`, validated; raises `PackError` listing every
    problem."""
    reader, root = Reader.open(folder, FILE)
    top = reader.mapping(root, "", None) if root is not None else {}
    _keys(reader, top, "", SECTIONS, SECTIONS if isinstance(root, MappingNode) else ())
    found = {name: reader.mapping(top[name], name, None) for name in SECTIONS if name in top}
    if isinstance(top.get("areas"), MappingNode) and not found["areas"]:
        reader.error(top["areas"], "areas", "should name at least one area")
    areas = _areas(reader, found.get("areas", {}))
    levels = _levels(reader, found.get("levels", {}))
    posting, never, regular = (
        _posting(reader, found["posting"]) if "posting" in found else ((), "", ())
    )
    words = _vocabulary(reader, found["vocabulary"]) if "vocabulary" in found else {}
    website = _website(reader, found["website"]) if "website" in found else ((), None, ())
    focus, first_need = (
        _focus(reader, found["focus"], words["goal_labels"], words["need_labels"])
        if "focus" in found and words
        else ((), "")
    )
    brief = _templates(reader, found.get("brief", {}), "brief", BRIEF) if "brief" in found else ()
    summary = _templates(reader, found["summary"], "summary", SUMMARY) if "summary" in found else ()
    example, questions = _form(reader, found["form"]) if "form" in found else ("", ())
    reader.done()
    no_website, years, website_said = website
    return Diagnostic(
        areas=areas, levels=levels, posting=posting, never=never, regular=regular,
        social_networks=words["social_networks"], tools=words["tools"], goals=words["goals"],
        goals_asked=words["goals_asked"], needs=words["needs"], needs_first=words["needs_first"],
        obstacles=words["obstacles"], no_website=no_website,
        old_after_years=int(years),  # type: ignore[call-overload]
        website_said=website_said, focus=focus, first_need=first_need, brief=brief,
        summary=summary, correct_example=example, questions=questions,
    )  # fmt: skip


def current_diagnostic() -> Diagnostic:
    """The current pack's diagnostic, read at call time (`in_current_pack`)."""
    return in_current_pack(load)
