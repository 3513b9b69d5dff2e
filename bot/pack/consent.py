"""Consent to collect personal information (`program/consent.yml`, Law 25): the wording versions
merchants accepted, each with its purpose, and the version asked now."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.pack.loader import TEXT, Reader, in_current_pack

FILE = "consent.yml"


@dataclass(frozen=True)
class Version:
    version: str  # stored with each consent: « 2026-11-v1 »
    purpose: str  # what the data is used for, stored with each consent
    wording: str  # the exact text of the response `utter_ask_consent` merchants accepted


@dataclass(frozen=True)
class Consent:
    current: Version
    versions: tuple[Version, ...]


def load(folder: Path) -> Consent:
    """`folder/consent.yml`, validated: versions named once, each wording new, `current` one of
    them; raises `PackError` listing every problem."""
    reader, root = Reader.open(folder, FILE)
    top = reader.mapping(root, "", None) if root is not None else {}
    for name in top:
        if name not in {"current", "versions"}:
            reader.error(top[name], name, "unknown key (known: current, versions)")
    versions: list[Version] = []
    for index, node in enumerate(reader.sequence(top.get("versions"), "versions", root)):
        path = f"versions[{index}]"
        found = reader.mapping(node, path, node)
        values = reader.section(
            node, found, path, {f: TEXT for f in ("version", "purpose", "wording")}
        )
        if len(values) < 3:
            continue
        version = Version(**{k: str(v) for k, v in values.items()})
        if any(v.version == version.version for v in versions):
            reader.error(found["version"], f"{path}.version", f"{version.version} given twice")
        elif any(v.wording == version.wording for v in versions):
            reader.error(found["wording"], f"{path}.wording", "the same wording as an earlier "
                         "version: a new version has a new wording")  # fmt: skip
        versions.append(version)
    current = None
    if root is not None:
        if "current" not in top:
            reader.error(root, "current", "missing (the version asked now)")
        else:
            asked = reader.check(top["current"], "current", TEXT)
            current = next((v for v in versions if v.version == asked), None)
            if asked is not None and current is None:
                known = ", ".join(v.version for v in versions)
                reader.error(top["current"], "current", f"no version {asked} (known: {known})")
    reader.done()
    assert current is not None  # done() raised otherwise
    return Consent(current, tuple(versions))


def current_consent() -> Consent:
    """The consent of the pack `PROGRAM_DIR` names, read at call time."""
    return in_current_pack(load)
