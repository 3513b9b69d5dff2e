"""The thresholds of config/quality.yml: one source for the tests and the candidates' page, read
as figures with their French labels, and the reasons a candidate may not serve."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.learning.answers import answer_sets
from bot.learning.quality import (
    Figure,
    answers_minimum,
    decimal,
    load_quality,
    maximum,
    minimum,
    shortfalls,
)


def test_every_figure_has_a_french_label_and_one_threshold() -> None:
    figures = load_quality()
    assert list(figures)[:3] == ["nlu_macro_f1", "faq_selection", "stories"]
    for figure in figures.values():
        assert figure.label and (figure.minimum is None) != (figure.maximum is None)
    assert minimum("nlu_macro_f1") == 0.965 and maximum("simulated_repeats") == 1.0


def test_each_answered_set_has_its_figure_or_the_held_out_minimum() -> None:
    assert answers_minimum("independent_4") == 0.96
    assert answers_minimum("independent_5_openings") == 0.89
    assert answers_minimum("independent_99_not_yet_registered") == minimum("answers_heldout")
    keys = set(load_quality())
    assert {f"answers_{path.stem}" for path in answer_sets()} <= keys


def test_the_reasons_name_the_figure_and_its_threshold() -> None:
    figures = {
        "f1": Figure("f1", "F1 macro des intentions (jeu réservé)", minimum=0.965, candidate=True),
        "faq": Figure("faq", "Questions FAQ", minimum=0.95, candidate=True),
        "repeats": Figure("repeats", "Questions répétées", maximum=1.0, candidate=True),
        "turns": Figure("turns", "Tours", minimum=0.95),  # not a candidate's figure
    }
    assert shortfalls(figures, {"f1": 0.97, "faq": 0.95, "repeats": 1.0}) == []
    assert shortfalls(figures, {"f1": 0.9649, "repeats": 1.2}) == [
        "« F1 macro des intentions (jeu réservé) » : 0,9649, le seuil est ≥ 0,965.",
        "« Questions FAQ » n'a pas été mesuré.",
        "« Questions répétées » : 1,2, le seuil est ≤ 1.",
    ]
    assert decimal(0.9) == "0,9" and decimal(1.0) == "1" and decimal(0.96145) == "0,9615"


def test_a_figure_needs_exactly_one_threshold(tmp_path: Path) -> None:
    broken = tmp_path / "quality.yml"
    broken.write_text("figures:\n  - {key: x, label: X}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="x needs a minimum or a maximum"):
        load_quality(broken)
