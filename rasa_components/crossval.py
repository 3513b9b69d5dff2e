"""k-fold cross-validation of the intent classifier on the training data (`make crossval`).

Trains the pipeline of `config.yml` (the `TfidfIntentClassifier` settings, through
`rasa_components.intent_model`) on k-1 folds of `data/nlu` and predicts the last, k times
(stratified, seeded). Prints per-intent and macro F1, the confusions, and, for a few
`FallbackClassifier` thresholds: the share of right answers that would fall back, of wrong
answers caught by the fallback, and of random gibberish that would still get an intent (from a
model trained on all the data). Tune on this, never on `tests/nlu/`.

Usage: `.venv/rasa/bin/python -m rasa_components.crossval [--folds 5] [--thresholds ...]`.
"""

from __future__ import annotations

import argparse
import random
import string
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import classification_report
from sklearn.model_selection import StratifiedKFold

from rasa_components.intent_model import build_model, fit, probabilities

ROOT = Path(__file__).resolve().parent.parent
FALLBACK = "nlu_fallback"


def pipeline_settings(config_file: Path) -> tuple[dict[str, Any], float]:
    """The classifier's settings and the fallback threshold of the served pipeline."""
    pipeline = yaml.safe_load(config_file.read_text())["pipeline"]
    classifier = next(c for c in pipeline if c["name"].endswith("TfidfIntentClassifier"))
    fallback = next(c for c in pipeline if c["name"] == "FallbackClassifier")
    settings = {k: v for k, v in classifier.items() if k != "name"}
    return settings, float(fallback["threshold"])


def training_examples(data_dir: Path) -> tuple[list[str], list[str]]:
    """(texts, intents) of every intent example under `data_dir`."""
    data = load_data(str(data_dir))
    examples = [e for e in data.intent_examples if e.get("intent") and e.get("text")]
    return [e.get("text") for e in examples], [e.get("intent") for e in examples]


def gibberish(count: int, seed: int = 7) -> list[str]:
    """Random letter strings of one to three "words", as a cat on a keyboard types them."""
    rng = random.Random(seed)
    return [
        " ".join(
            "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))
            for _ in range(rng.randint(1, 3))
        )
        for _ in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "nlu")
    parser.add_argument(
        "--thresholds", type=float, nargs="+", default=[0.15, 0.2, 0.25, 0.3, 0.35, 0.4]
    )
    args = parser.parse_args()
    began = time.perf_counter()
    settings, served_threshold = pipeline_settings(args.config)
    texts, labels = training_examples(args.data)
    x, y = np.array(texts, dtype=object), np.array(labels, dtype=object)
    predicted = np.empty(len(y), dtype=object)
    confidence = np.zeros(len(y))
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=settings.get("random_state"))
    for train, test in folds.split(x, y):
        model = fit(build_model(settings), list(x[train]), list(y[train]))
        found = probabilities(model, list(x[test]))
        predicted[test] = model.classes_[found.argmax(axis=1)]
        confidence[test] = found.max(axis=1)

    print(f"{len(y)} examples, {len(set(labels))} intents, {args.folds} folds, {settings}\n")
    print(classification_report(y, predicted, digits=3, zero_division=0))
    confusions = Counter((t, p) for t, p in zip(y, predicted, strict=True) if t != p)
    print("Most frequent confusions (true -> predicted):")
    for (true, wrong), count in confusions.most_common(15):
        print(f"  {count:3d}  {true} -> {wrong}")

    noise = gibberish(300)
    full = fit(build_model(settings), list(x), list(y))
    noise_confidence = probabilities(full, noise).max(axis=1)
    right = predicted == y
    print("\nthreshold  macro-F1  right answers falling back  wrong caught  gibberish passing")
    for threshold in sorted({*args.thresholds, served_threshold}):
        kept = np.where(confidence >= threshold, predicted, FALLBACK)
        report = classification_report(y, kept, output_dict=True, zero_division=0)
        macro = np.mean([report[intent]["f1-score"] for intent in sorted(set(labels))])
        falls = np.mean(confidence[right] < threshold)
        caught = np.mean(confidence[~right] < threshold) if (~right).any() else 0.0
        passing = np.mean(noise_confidence >= threshold)
        mark = "  <- config.yml" if threshold == served_threshold else ""
        print(
            f"{threshold:9.2f}  {macro:8.4f}  {falls:26.1%}  {caught:12.1%}  {passing:17.1%}{mark}"
        )
    print(f"\n{time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
