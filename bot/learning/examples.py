"""Approved examples as training data: written as a Rasa NLU file of their own (never into a
test set), and the test sets' messages, which no example may repeat (the held-out and
independent measures would no longer be honest)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.settings import ROOT
from bot.text import fold

TEST_SETS = ("tests/nlu/*.yml", "tests/forms/*.yml", "tests/scheduling_corpus*.yml")
EXAMPLES_FILE = "approved_examples.yml"  # its usual name, in the candidate's own directory
_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


class InTestSet(ValueError):
    """The example is a message of a held-out or independent test set."""


def _texts(value: Any) -> Iterable[str]:
    """Every message of a test file's YAML: `text:` values and `examples: |` lines."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                yield item
            elif key == "examples" and isinstance(item, str):
                for line in item.splitlines():
                    if line.strip().startswith("- "):
                        yield _ANNOTATION.sub(
                            lambda m: m.group(1) or m.group(2) or "", line.strip()[2:]
                        )
            else:
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


@lru_cache(maxsize=2)
def test_set_texts(root: Path = ROOT) -> frozenset[str]:
    """The test sets' messages, folded (`bot.text.fold`)."""
    found: set[str] = set()
    for pattern in TEST_SETS:
        for path in sorted(root.glob(pattern)):
            found.update(fold(text) for text in _texts(yaml.safe_load(path.read_text("utf-8"))))
    return frozenset(found - {""})


def check_not_in_test_sets(text: str, root: Path = ROOT) -> None:
    """Raise `InTestSet` (in French) when `text`, folded, is a test set's message."""
    if fold(text) in test_set_texts(root):
        raise InTestSet(
            "Ce message figure dans un jeu de test (réservé ou indépendant) : l'ajouter à "
            "l'entraînement fausserait la mesure du modèle. Choisissez « Bruit » ou refusez-le."
        )


def nlu_yaml(examples: Iterable[tuple[str, str]]) -> str:
    """Approved (intent, masked text) pairs as a Rasa NLU file (`version: "3.1"`, one
    `- intent:` block per intent with its `examples: |`, intents in order of first appearance,
    each line once). A literal block takes any text; « [x](y) » would read as an entity, so
    its bracket and parenthesis are kept apart."""
    by_intent: dict[str, list[str]] = {}
    for intent, text in examples:
        line = " ".join(text.split()).replace("](", "] (").replace("]{", "] {")
        if line and line not in by_intent.setdefault(intent, []):
            by_intent[intent].append(line)
    lines = [
        "# Approved examples from real conversations (masked), written by bot.learning.",
        'version: "3.1"',
        "nlu:" if by_intent else "nlu: []",
    ]
    for intent, texts in by_intent.items():
        lines += [f"- intent: {intent}", "  examples: |", *(f"    - {text}" for text in texts)]
    return "\n".join(lines) + "\n"


def write_examples(examples: Iterable[tuple[str, str]], path: Path, root: Path = ROOT) -> Path:
    """Write the examples to `path` (its own file; never under tests/: a test set stays
    unseen by training)."""
    resolved = path.resolve()
    if resolved.is_relative_to((root / "tests").resolve()):
        raise ValueError(f"approved examples never go into the test sets: {path}")
    resolved.parent.mkdir(parents=True, exist_ok=True)
    resolved.write_text(nlu_yaml(examples), encoding="utf-8")
    return resolved
