"""What the merchant reads from Rasa: the pack's responses (`program/responses/<topic>.yml`).

Each file holds a `responses:` mapping in Rasa's own format (a response is a list of variants;
a variant has a `text`, optional `buttons` with a `title` and a `payload`, an optional
`condition`). Training composes them with `domain/` (`bot.pack.training`); the code and the
tests that read a response read it here, never in `domain/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node

from bot.pack.loader import TEXT, Check, PackError, Reader, in_current_pack

FOLDER = "responses"
_NAME = re.compile(r"utter_[a-z0-9_]+")
_VARIANT_KEYS = ("text", "buttons", "condition")
_BUTTON_CHECKS: dict[str, Check] = {"title": TEXT, "payload": TEXT}
_CONDITION_CHECKS: dict[str, Check] = {
    "type": (lambda v: v == "slot", "slot"),
    "name": (lambda v: isinstance(v, str) and re.fullmatch(r"[a-z][a-z0-9_]*", v) is not None,
             "a slot's name"),
    "value": (lambda v: isinstance(v, (str, bool, int, float)), "a text, a number or true/false"),
}  # fmt: skip


@dataclass(frozen=True)
class Topic:
    """One file of responses: its topic (the file's stem), where it is, its text as written."""

    name: str
    shown: str  # program/responses/faq.yml
    text: str


@dataclass(frozen=True)
class Responses:
    """The pack's responses, file by file (sorted by topic), and their names."""

    topics: tuple[Topic, ...]
    names: tuple[str, ...]


def load(folder: Path) -> Responses:
    """Every `responses/*.yml` of the pack in `folder`, validated; `PackError` lists every
    problem of every file as `file:line: path: problem`."""
    files = sorted((folder / FOLDER).glob("*.yml"))
    if not files:
        raise PackError([f"{Reader(folder / FOLDER).shown}:1: {FOLDER}: no response file (*.yml)"])
    errors: list[str] = []
    topics: list[Topic] = []
    seen: dict[str, str] = {}  # response name → where it was first given
    for file in files:
        try:
            reader, root = Reader.open(folder, f"{FOLDER}/{file.name}")
        except PackError as error:
            errors.extend(error.errors)
            continue
        top = reader.mapping(root, "", None) if root is not None else {}
        for key in top:
            if key != "responses":
                reader.error(reader.keys[key], key, "unknown section (known: responses)")
        if root is not None and "responses" not in top:
            reader.error(root, "responses", "missing")
        for name, node in reader.mapping(top.get("responses"), "responses", root).items():
            name_node = reader.keys[f"responses.{name}"]
            where = f"{reader.shown}:{name_node.start_mark.line + 1}"
            if not _NAME.fullmatch(name):
                reader.error(name_node, name, "a response's name is utter_ and lower-case words")
            elif name in seen:
                reader.error(name_node, name, f"given twice (also {seen[name]})")
            seen.setdefault(name, where)
            _variants(reader, node, name, name_node)
        try:
            reader.done()
        except PackError as error:
            errors.extend(error.errors)
            continue
        topics.append(Topic(file.stem, reader.shown, file.read_text(encoding="utf-8")))
    if errors:
        raise PackError(errors)
    return Responses(tuple(topics), tuple(seen))


def _variants(reader: Reader, node: Node, name: str, key: Node) -> None:
    variants = reader.sequence(node, name, key)
    if not variants and node is not None and reader.value(node) == []:
        reader.error(node, name, "should have at least one variant (- text: …)")
    for index, variant in enumerate(variants):
        path = f"{name}[{index + 1}]"
        fields = reader.mapping(variant, path, node)
        for field in fields:
            if field not in _VARIANT_KEYS:
                known = ", ".join(_VARIANT_KEYS)
                reader.error(reader.keys[f"{path}.{field}"], f"{path}.{field}",
                             f"unknown key (known: {known})")  # fmt: skip
        if isinstance(variant, MappingNode):
            if "text" in fields:
                reader.check(fields["text"], f"{path}.text", TEXT)
            else:
                reader.error(variant, f"{path}.text", "missing (the text the merchant reads)")
        if "buttons" in fields:
            buttons = reader.sequence(fields["buttons"], f"{path}.buttons", variant)
            for number, button in enumerate(buttons):
                where = f"{path}.buttons[{number + 1}]"
                mapping = reader.mapping(button, where, fields["buttons"])
                reader.section(button, mapping, where, _BUTTON_CHECKS)
        if "condition" in fields:
            tests = reader.sequence(fields["condition"], f"{path}.condition", variant)
            for number, test in enumerate(tests):
                where = f"{path}.condition[{number + 1}]"
                reader.section(test, reader.mapping(test, where, variant), where, _CONDITION_CHECKS)


def current_responses() -> Responses:
    """The responses of the pack `PROGRAM_DIR` names (read at call time)."""
    return in_current_pack(load)


@cache
def as_rasa(found: Responses) -> dict[str, list[dict[str, Any]]]:
    """`found` as Rasa reads it: name → its variants (`text`, `buttons`, `condition`)."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for topic in found.topics:
        merged.update(yaml.safe_load(topic.text)["responses"])
    return merged


def responses() -> dict[str, list[dict[str, Any]]]:
    """The current pack's responses as Rasa reads them: name → its variants (`text`,
    `buttons`, `condition`). Shared: do not change what it returns."""
    return as_rasa(current_responses())


def texts(name: str) -> list[str]:
    """The texts of the response `name`'s variants (KeyError for a response the pack lacks)."""
    return [str(variant["text"]) for variant in responses()[name]]
