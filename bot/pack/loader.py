"""Load and validate the program pack (`program/program.yml`) into frozen dataclasses.

Only PyYAML and the standard library: the web app, the action server and Rasa's components
(the two virtualenvs) all read the pack. A `PackError` names the file and the line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import TypeVar, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

ROOT = Path(__file__).resolve().parent.parent.parent
PROGRAM_FILE = "program.yml"


class PackError(ValueError):
    """An invalid pack; the message starts with « file:line: ». All errors are in `errors`."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = tuple(errors)


@dataclass(frozen=True)
class Identity:
    """Who the program is, as the code writes it (e-mails, invitations, references)."""

    name: str  # « 100 % NumériQC »
    operator: str  # « Québec numérique »
    funder: str  # « Ville de Québec »
    website: str  # https://…
    brand: str  # as written in e-mails and invitations
    reference_prefix: str  # booking references: « NQ- » + 8 characters
    calendar_domain: str  # invitation UIDs: « <reference>@<calendar_domain> »
    sender_name: str  # display name of the e-mails' sender
    slug: str  # file names of exports and calendars

    @property
    def reference_letters(self) -> str:
        """The prefix without its dash: « NQ » (read in « nq 7kx3pd »)."""
        return self.reference_prefix.rstrip("-")


@dataclass(frozen=True)
class Pack:
    name: str
    version: int
    identity: Identity
    folder: Path


# Each field's check: a predicate and what is expected, for the error message.
Check = tuple[Callable[[object], bool], str]
TEXT: Check = (lambda v: isinstance(v, str) and v.strip() == v and v != "", "a non-empty text")
_IDENTITY_CHECKS: dict[str, Check] = {
    "website": (
        lambda v: isinstance(v, str) and re.fullmatch(r"https?://[^\s/]+(/\S*)?", v) is not None,
        "an http(s) address such as https://www.exemple.org",
    ),
    "reference_prefix": (
        lambda v: isinstance(v, str) and re.fullmatch(r"[A-Z]{1,4}-", v) is not None,
        "1 to 4 capital letters and a dash, such as AB-",
    ),
    "calendar_domain": (
        lambda v: isinstance(v, str) and re.fullmatch(r"[a-z0-9][a-z0-9.-]*", v) is not None,
        "a lower-case domain such as programme or programme.example.org",
    ),
    "slug": (
        lambda v: isinstance(v, str) and re.fullmatch(r"[a-z0-9][a-z0-9-]*", v) is not None,
        "lower-case letters, digits and dashes, such as programme",
    ),
}
_PACK_CHECKS: dict[str, Check] = {
    "name": _IDENTITY_CHECKS["slug"],
    "version": (lambda v: type(v) is int and v >= 1, "a whole number from 1"),
}


class Reader:
    """Walks one composed YAML file of the pack (nodes keep their line) and gathers every error.

    Each section's module (`bot/pack/territory.py`, …) opens its file with `Reader.open`,
    reads its nodes with `mapping`, `sequence`, `section` and `value`, then calls `done()`,
    which raises one `PackError` listing every problem in the file's order.
    """

    def __init__(self, file: Path, shown: str | None = None) -> None:
        self.file = file
        self.shown = shown if shown is not None else _shown(file)
        self.errors: list[tuple[int, str]] = []
        self.keys: dict[str, Node] = {}  # each section's key node: where « missing » points

    @classmethod
    def open(cls, folder: Path, name: str) -> tuple[Reader, Node | None]:
        """The reader of `folder/name` and its root node (None for an empty file, which is
        reported). An unreadable file or broken YAML raises `PackError` at once."""
        file = folder / name
        reader = cls(file)
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as error:
            raise PackError(
                [f"{reader.shown}:1: cannot read the file ({error.strerror})"]
            ) from error
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 1
            raise PackError([f"{reader.shown}:{line}: not valid YAML: {error.problem}"]) from error
        if root is None:
            reader.error(None, name, "the file is empty")
        return reader, root

    def error(self, node: Node | None, path: str, text: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.errors.append((line, f"{self.shown}:{line}: {path}: {text}"))

    def done(self) -> None:
        """Raise the errors found so far, in the file's order, as one `PackError`."""
        if self.errors:
            raise PackError([text for _, text in sorted(self.errors, key=lambda e: e[0])])

    @staticmethod
    def value(node: Node) -> object:
        """The plain Python value of a node (a text, a number, a list, a mapping)."""
        return yaml.safe_load(yaml.serialize(node))

    def mapping(self, node: Node | None, path: str, parent: Node | None) -> dict[str, Node]:
        if node is None:
            self.error(parent, path, "missing")
            return {}
        if not isinstance(node, MappingNode):
            self.error(node, path, "should be a mapping of names to values")
            return {}
        found: dict[str, Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else str(key)
            if name in found:
                self.error(key, f"{path}.{name}" if path else name, "given twice")
            found[name] = value
            self.keys.setdefault(f"{path}.{name}" if path else name, key)
        return found

    def sequence(self, node: Node | None, path: str, parent: Node | None) -> list[Node]:
        if node is None:
            self.error(parent, path, "missing")
            return []
        if not isinstance(node, SequenceNode):
            self.error(node, path, "should be a list")
            return []
        return list(node.value)

    def check(self, node: Node, path: str, check: Check) -> object | None:
        """The node's value when `check` accepts it, else None with the error noted."""
        predicate, expected = check
        value = self.value(node) if isinstance(node, ScalarNode) else None
        if not predicate(value):
            shown = repr(value) if value is not None else "not a single value"
            self.error(node, path, f"should be {expected}, got {shown}")
            return None
        return value

    def section(
        self, parent: Node | None, mapping: dict[str, Node], path: str, checks: Mapping[str, Check]
    ) -> dict[str, object]:
        values: dict[str, object] = {}
        if not mapping:  # the section itself is missing or not a mapping: said once
            return values
        for name in mapping:
            if name not in checks:
                self.error(
                    mapping[name], f"{path}.{name}", f"unknown key (known: {', '.join(checks)})"
                )
        for name, check in checks.items():
            node = mapping.get(name)
            if node is None:
                self.error(parent, f"{path}.{name}", f"missing ({check[1]})")
                continue
            value = self.check(node, f"{path}.{name}", check)
            if value is not None:
                values[name] = value
        return values


def load_pack(folder: Path | str) -> Pack:
    """The pack's `program.yml` in `folder`, validated; raises `PackError` listing every problem.
    (`bot.pack.check.load_all` validates every file of the pack.)"""
    folder = Path(folder)
    reader, root = Reader.open(folder, PROGRAM_FILE)
    top = reader.mapping(root, "", None) if root is not None else {}
    for name in top:
        if name not in {"pack", "identity"}:
            reader.error(top[name], name, "unknown section (known: pack, identity)")
    about = reader.section(
        reader.keys.get("pack", root),
        reader.mapping(top.get("pack"), "pack", root) if root is not None else {},
        "pack",
        _PACK_CHECKS,
    )
    identity_checks = {f.name: _IDENTITY_CHECKS.get(f.name, TEXT) for f in fields(Identity)}
    identity = reader.section(
        reader.keys.get("identity", root),
        reader.mapping(top.get("identity"), "identity", root) if root is not None else {},
        "identity",
        identity_checks,
    )
    reader.done()
    return Pack(
        name=str(about["name"]),
        version=int(about["version"]),  # type: ignore[call-overload]
        identity=Identity(**{k: str(v) for k, v in identity.items()}),
        folder=folder,
    )


def _shown(file: Path) -> str:
    """The file as a person reads it: relative to the repository when inside it."""
    try:
        return str(file.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(file)


def program_dir() -> Path:
    """The pack's folder: `PROGRAM_DIR`, else `program/` (as `bot.settings` reads it; the Rasa
    virtualenv has no python-dotenv, so this reads the environment alone)."""
    raw = os.environ.get("PROGRAM_DIR", "").strip()
    return Path(raw) if raw else ROOT / "program"


T = TypeVar("T")


@cache
def _loaded(load: Callable[[Path], T], folder: Path) -> T:
    return load(folder)


def in_current_pack(load: Callable[[Path], T]) -> T:
    """What `load` reads from the pack `PROGRAM_DIR` names, read once per process and folder.

    Read at call time, never at import: a test moves `PROGRAM_DIR` to another pack and the
    same code follows it."""
    return cast(T, _loaded(load, program_dir().resolve()))


def current_pack() -> Pack:
    """The pack of the folder the settings name (its `program.yml`)."""
    return in_current_pack(load_pack)
