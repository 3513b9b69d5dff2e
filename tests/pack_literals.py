"""The literals of the code (`bot/`, `actions/`, `rasa_components/`), for the tests that check
no program fact of the pack is written in code. Docstrings are left out: they may use examples."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from bot.settings import ROOT

CODE = ("bot", "actions", "rasa_components")


@dataclass(frozen=True)
class Literal:
    file: str  # relative to the repository: bot/territory.py
    line: int
    value: str | int | float

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.value!r}"


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


@cache
def literals() -> tuple[Literal, ...]:
    """Every string and number constant of the code that is not a docstring."""
    found: list[Literal] = []
    for folder in CODE:
        for file in sorted((ROOT / folder).rglob("*.py")):
            shown = str(file.relative_to(ROOT))
            tree = ast.parse(file.read_text(encoding="utf-8"))
            docstrings = _docstrings(tree)
            for node in ast.walk(tree):
                if not isinstance(node, ast.Constant) or id(node) in docstrings:
                    continue
                value = node.value
                if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                    found.append(Literal(shown, node.lineno, value))
    return tuple(found)


def strings() -> Iterator[Literal]:
    return (literal for literal in literals() if isinstance(literal.value, str))
