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

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

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
_TEXT: Check = (lambda v: isinstance(v, str) and v.strip() == v and v != "", "a non-empty text")
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


class _Reader:
    """Walks the composed YAML (nodes keep their line) and gathers every error."""

    def __init__(self, file: Path, shown: str) -> None:
        self.file = file
        self.shown = shown
        self.errors: list[tuple[int, str]] = []
        self.keys: dict[str, Node] = {}  # each section's key node: where « missing » points

    def error(self, node: Node | None, path: str, text: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.errors.append((line, f"{self.shown}:{line}: {path}: {text}"))

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
            predicate, expected = check
            node = mapping.get(name)
            if node is None:
                self.error(parent, f"{path}.{name}", f"missing ({expected})")
                continue
            value = yaml.safe_load(yaml.serialize(node)) if isinstance(node, ScalarNode) else None
            if not predicate(value):
                shown = repr(value) if value is not None else "not a single value"
                self.error(node, f"{path}.{name}", f"should be {expected}, got {shown}")
                continue
            values[name] = value
        return values


def load_pack(folder: Path | str) -> Pack:
    """The pack in `folder`, validated; raises `PackError` listing every problem."""
    folder = Path(folder)
    file = folder / PROGRAM_FILE
    shown = _shown(file)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise PackError([f"{shown}:1: cannot read the file ({error.strerror})"]) from error
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise PackError([f"{shown}:{line}: not valid YAML: {error.problem}"]) from error
    reader = _Reader(file, shown)
    top = reader.mapping(root, "", None) if root is not None else {}
    if root is None:
        reader.error(None, "pack", "the file is empty")
    else:
        for name in top:
            if name not in {"pack", "identity"}:
                reader.error(top[name], name, "unknown section (known: pack, identity)")
    about = reader.section(
        reader.keys.get("pack", root),
        reader.mapping(top.get("pack"), "pack", root),
        "pack",
        _PACK_CHECKS,
    )
    identity_checks = {f.name: _IDENTITY_CHECKS.get(f.name, _TEXT) for f in fields(Identity)}
    identity_node = top.get("identity")
    identity = reader.section(
        reader.keys.get("identity", root),
        reader.mapping(identity_node, "identity", root),
        "identity",
        identity_checks,
    )
    if reader.errors:  # in the file's order
        raise PackError([text for _, text in sorted(reader.errors, key=lambda e: e[0])])
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


@cache
def _cached(folder: Path) -> Pack:
    return load_pack(folder)


def current_pack() -> Pack:
    """The pack of the folder the settings name, loaded once per process."""
    return _cached(program_dir().resolve())
