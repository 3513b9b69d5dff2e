"""NLU quality on the held-out set (tests/nlu/heldout.yml), which is never trained on."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bot.learning.quality import minimum
from bot.settings import ROOT
from bot.text import fold
from tests.conftest import FIGURES

MIN_MACRO_F1 = minimum("nlu_macro_f1")  # config/quality.yml


def examples(path: Path) -> dict[str, str]:
    """Folded example text -> intent, for every example in an NLU file."""
    found = {}
    for block in yaml.safe_load(path.read_text())["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                found[fold(line.strip()[2:])] = block["intent"]
    return found


def training_examples() -> dict[str, str]:
    """Folded training example -> intent, over data/nlu."""
    found: dict[str, str] = {}
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        found |= examples(path)
    return found


def test_heldout_examples_are_not_in_the_training_data() -> None:
    heldout = examples(ROOT / "tests" / "nlu" / "heldout.yml")
    training = training_examples()
    assert len(heldout) >= 300
    assert sorted(set(heldout) & set(training)) == []


def test_heldout_covers_every_intent_of_the_domain() -> None:
    heldout_intents = set(examples(ROOT / "tests" / "nlu" / "heldout.yml").values())
    domain_intents: set[str] = set()
    for path in (ROOT / "domain").glob("*.yml"):
        domain_intents |= set(yaml.safe_load(path.read_text()).get("intents") or [])
    assert domain_intents - {"nlu_fallback"} == heldout_intents


def test_intent_macro_f1_on_heldout(nlu_report_dir: Path) -> None:
    report = json.loads((nlu_report_dir / "intent_report.json").read_text())
    per_intent = {
        name: round(scores["f1-score"], 3)
        for name, scores in report.items()
        if isinstance(scores, dict)
        and "support" in scores
        and name not in {"macro avg", "micro avg", "weighted avg"}
    }
    FIGURES[f"NLU held-out intent macro-F1 (min {MIN_MACRO_F1})"] = (
        f"{report['macro avg']['f1-score']:.4f}"
    )
    FIGURES["NLU held-out per-intent F1"] = str(per_intent)
    assert report["macro avg"]["f1-score"] >= MIN_MACRO_F1, per_intent
