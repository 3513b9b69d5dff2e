"""The figures a model must reach (`config/quality.yml`): read by the tests that check the model
in service and by the candidate's measurement, so that each threshold is written once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.settings import ROOT

QUALITY_FILE = ROOT / "config" / "quality.yml"
ANSWERS = "answers_"  # the key of a set answered through REST: answers_<file stem>
HELDOUT = "heldout"


@dataclass(frozen=True)
class Figure:
    """One figure of a model: its key, its French label, its threshold."""

    key: str
    label: str
    minimum: float | None = None
    maximum: float | None = None
    candidate: bool = False  # computed by a candidate's measurement (else by make test only)

    def passes(self, value: float) -> bool:
        """Whether `value` reaches the threshold."""
        if self.minimum is not None and value < self.minimum:
            return False
        return self.maximum is None or value <= self.maximum

    @property
    def threshold(self) -> str:
        """The threshold as people read it: « ≥ 0,965 »."""
        if self.minimum is not None:
            return f"≥ {decimal(self.minimum)}"
        return f"≤ {decimal(self.maximum or 0.0)}"


def decimal(value: float) -> str:
    """A figure in French writing: 0,9614."""
    return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",") or "0"


def load_quality(path: Path = QUALITY_FILE) -> dict[str, Figure]:
    """The figures of `path`, by key, in the file's order."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    figures: dict[str, Figure] = {}
    for item in raw.get("figures") or []:
        figure = Figure(
            key=str(item["key"]),
            label=str(item["label"]),
            minimum=None if item.get("minimum") is None else float(item["minimum"]),
            maximum=None if item.get("maximum") is None else float(item["maximum"]),
            candidate=bool(item.get("candidate", False)),
        )
        if (figure.minimum is None) == (figure.maximum is None):
            raise ValueError(f"{path}: {figure.key} needs a minimum or a maximum")
        figures[figure.key] = figure
    return figures


def minimum(key: str, path: Path = QUALITY_FILE) -> float:
    """The minimum of the figure `key` (tests read their thresholds through it)."""
    found = load_quality(path)[key].minimum
    if found is None:
        raise KeyError(f"{key} has no minimum")
    return found


def maximum(key: str, path: Path = QUALITY_FILE) -> float:
    """The maximum of the figure `key`."""
    found = load_quality(path)[key].maximum
    if found is None:
        raise KeyError(f"{key} has no maximum")
    return found


def answers_key(stem: str) -> str:
    """The figure of a set answered through REST: `answers_independent_4`."""
    return f"{ANSWERS}{stem}"


def answers_minimum(stem: str, path: Path = QUALITY_FILE) -> float:
    """The minimum of a set answered through REST; a set not registered in the file must reach
    the held-out set's."""
    figures = load_quality(path)
    figure = figures.get(answers_key(stem)) or figures[answers_key(HELDOUT)]
    assert figure.minimum is not None
    return figure.minimum


def shortfalls(figures: dict[str, Figure], measured: dict[str, float]) -> list[str]:
    """Why a model may not serve, in French: each figure a candidate must reach that is missing
    or falls short of its threshold (empty: it may)."""
    reasons = []
    for figure in figures.values():
        if not figure.candidate:
            continue
        value = measured.get(figure.key)
        if value is None:
            reasons.append(f"« {figure.label} » n'a pas été mesuré.")
        elif not figure.passes(value):
            reasons.append(
                f"« {figure.label} » : {decimal(value)}, le seuil est {figure.threshold}."
            )
    return reasons
