"""The figures of one model file, as `make test` measures the model in service: Rasa's own
evaluations (`rasa test nlu` on the held-out set, `rasa test core` on the test stories) and the
replies merchants see through the REST channel of a product started with that model on free
ports with its own files (the FAQ questions of the held-out set, and every message of the
held-out and independent sets). The booking turns and the simulated merchants stay with
`make test` (config/quality.yml says which figures a candidate's measurement computes)."""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.learning.answers import answer_sets, answered_right, examples, faq_selection
from bot.learning.quality import answers_key
from bot.learning.responses import Responses
from bot.settings import ROOT, Settings
from bot.stack import RASA_BIN, Stack, rasa_env

# The moment the measuring product's clock is frozen on: the tests' (tests/conftest.py
# FROZEN_NOW), so that a reply that names a date is the same for every model.
REFERENCE_MOMENT = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Toronto"))
RASA_TIMEOUT = 1200  # seconds for one `rasa test`


class MeasureFailed(Exception):
    """A measurement did not run to its end (the message says which, for the page)."""


def rasa_test(settings: Settings, model: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`rasa test …` on `model`, in Rasa's virtualenv."""
    return subprocess.run(
        [str(RASA_BIN), "test", *args, "--model", str(model)],
        cwd=ROOT,
        env=rasa_env(settings),
        capture_output=True,
        text=True,
        timeout=RASA_TIMEOUT,
    )


def nlu_macro_f1(settings: Settings, model: Path, out: Path) -> float:
    """Intent macro-F1 on the held-out set (tests/nlu/heldout.yml, never trained on)."""
    done = rasa_test(
        settings, model, "nlu", "--nlu", "tests/nlu/heldout.yml", "--out", str(out), "--no-plot"
    )
    report = out / "intent_report.json"
    if done.returncode != 0 or not report.exists():
        raise MeasureFailed(f"rasa test nlu: {done.stderr[-1500:]}")
    return float(json.loads(report.read_text())["macro avg"]["f1-score"])


def stories(settings: Settings, model: Path, out: Path) -> float:
    """The share of test stories predicted right. Without `--fail-on-prediction-errors`, which
    stops at the first wrong prediction and writes no report: the report is read instead (all
    stories right is that flag's pass)."""
    done = rasa_test(
        settings, model, "core", "--stories", "tests/stories", "--out", str(out), "--no-plot"
    )
    report = out / "story_report.json"
    if done.returncode != 0 or not report.exists():
        raise MeasureFailed(f"rasa test core: {done.stderr[-1500:]}")
    return float(json.loads(report.read_text())["conversation_accuracy"]["accuracy"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measuring_settings(settings: Settings, model: Path, folder: Path) -> Settings:
    """The embedded product on free ports with `model` and files of its own under `folder`:
    the live chat closed (« Parler à une personne » is the callback request, as in the tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    closed = folder / "live_chat_closed.yml"
    closed.write_text("hours: {}\n", encoding="utf-8")
    return dataclasses.replace(
        settings,
        model_path=model,
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        var_dir=folder,
        tracker_db=folder / "tracker.db",
        database_url=f"sqlite:///{folder / 'numeriqc.db'}",
        frozen_clock=REFERENCE_MOMENT,
        live_chat_file=closed,
        action_token="",
        rasa_api_token="",
        redis_url="",
        instances=1,
        public_port=0,
        public_url="",
        tracker_store_url="",
        smtp_host="",
        team_email="",
    )


def through_rest(settings: Settings, model: Path, folder: Path) -> dict[str, float]:
    """FAQ selection and each set's messages answered right, through a product serving `model`."""
    responses = Responses()
    stack = Stack(measuring_settings(settings, model, folder), log_dir=folder / "logs")
    try:
        stack.start(timeout=180)
    except RuntimeError as error:
        raise MeasureFailed(f"le produit ne démarre pas avec ce modèle : {error}") from None
    try:
        url = stack.settings.rasa_url
        figures = {"faq_selection": faq_selection(url, responses).accuracy}
        for path in answer_sets():
            figures[answers_key(path.stem)] = answered_right(
                url, responses, examples(path)
            ).accuracy
        return figures
    finally:
        stack.stop()


def measure(settings: Settings, model: Path, work: Path) -> dict[str, float]:
    """Every figure a candidate's measurement computes, by config/quality.yml's keys."""
    figures = {
        "nlu_macro_f1": nlu_macro_f1(settings, model, work / "nlu"),
        "stories": stories(settings, model, work / "core"),
    }
    return figures | through_rest(settings, model, work / "product")
