"""The figures of one model file, as `make test` measures the model in service: Rasa's own
evaluations (`rasa test nlu` on the held-out set, `rasa test core` on the test stories) and what
merchants get through the REST channel of one product started with that model on free ports
with its own files (clock frozen on the tests' Monday, calendar empty): the typed booking turns
in context (`bot.learning.booking_turns`), the FAQ questions of the held-out set and every
message of the held-out and independent sets (`bot.learning.answers`), and the simulated
merchants (`bot.learning.simulated`). The booking turns and the simulated merchants take about
ten minutes more a model: they are computed when the quality file (`Settings.quality_file`,
config/quality.yml) marks them `candidate: true`, as it does; a quality file that does not
(the end-to-end test's) leaves them to `make test`."""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.learning import booking_turns as turns
from bot.learning.answers import answer_sets, answered_right, examples, faq_selection
from bot.learning.merchant import Persona, load_personas
from bot.learning.quality import answers_key, load_quality
from bot.learning.responses import Responses
from bot.learning.simulated import simulate
from bot.settings import ROOT, Settings
from bot.stack import RASA_BIN, Stack, rasa_env

# The moment the measuring product's clock is frozen on: the tests' (tests/conftest.py
# FROZEN_NOW), so that a reply that names a date is the same for every model.
REFERENCE_MOMENT = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Toronto"))
RASA_TIMEOUT = 1200  # seconds for one `rasa test`
# The figures of config/quality.yml that need the booking calendar or the simulated merchants.
BOOKING_TURNS = "booking_turns"
SIMULATED = ("simulated_merchants", "simulated_repeats")  # served right; repeats per merchant


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


def rasa_report(
    settings: Settings, model: Path, out: Path, kind: str, tests: tuple[str, str], report: str
) -> Any:
    """`rasa test kind` on `model` with `tests` (its option and path), its JSON report `report`
    read from `out`; MeasureFailed when Rasa fails or writes no report."""
    done = rasa_test(settings, model, kind, *tests, "--out", str(out), "--no-plot")
    path = out / report
    if done.returncode != 0 or not path.exists():
        raise MeasureFailed(f"rasa test {kind}: {done.stderr[-1500:]}")
    return json.loads(path.read_text())


def nlu_macro_f1(settings: Settings, model: Path, out: Path) -> float:
    """Intent macro-F1 on the held-out set (tests/nlu/heldout.yml, never trained on)."""
    tests = ("--nlu", "tests/nlu/heldout.yml")
    report = rasa_report(settings, model, out, "nlu", tests, "intent_report.json")
    return float(report["macro avg"]["f1-score"])


def stories(settings: Settings, model: Path, out: Path) -> float:
    """The share of test stories predicted right. Without `--fail-on-prediction-errors`, which
    stops at the first wrong prediction and writes no report: the report is read instead (all
    stories right is that flag's pass)."""
    tests = ("--stories", "tests/stories")
    report = rasa_report(settings, model, out, "core", tests, "story_report.json")
    return float(report["conversation_accuracy"]["accuracy"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measuring_settings(settings: Settings, model: Path, folder: Path) -> Settings:
    """The embedded product on free ports with `model` and files of its own under `folder`:
    the live chat closed (« Parler à une personne » is the callback request, as in the tests),
    the tests' advisors and their hours (config/advisors.yml) with nothing booked yet."""
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
        advisors_file=ROOT / "config" / "advisors.yml",
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


def booking_turns(
    stack: Settings, responses: Responses, cases: list[dict[str, Any]] | None = None
) -> dict[str, float]:
    """`booking_turns`: the typed booking turns (tests/nlu/booking_turns.yml, or `cases`)
    understood as meant, on `stack` (empty calendar, clock on the reference moment)."""
    played = turns.load() if cases is None else cases
    return {BOOKING_TURNS: turns.understood(stack, responses, played).accuracy}


def simulated_merchants(
    stack: Settings, responses: Responses, personas: list[Persona] | None = None
) -> dict[str, float]:
    """`simulated_merchants` (the share served right) and `simulated_repeats` (questions asked
    again per merchant): the personas of tests/simulation/personas.yml (or `personas`) played
    on `stack`, each e-mail new to its database."""
    simulation = simulate(stack, responses, load_personas() if personas is None else personas)
    served, repeats = SIMULATED
    return {served: simulation.served_share, repeats: simulation.repeats}


def through_rest(
    settings: Settings, model: Path, folder: Path, wanted: set[str] | None = None
) -> dict[str, float]:
    """Through one product serving `model`: the booking turns first (while its calendar is
    empty), FAQ selection and each set's messages answered right, then the simulated merchants
    (who book). The booking turns and the simulated merchants only when `wanted` (figure keys)
    names them; all when it is None."""
    responses = Responses()
    stack = Stack(measuring_settings(settings, model, folder), log_dir=folder / "logs")
    try:
        stack.start(timeout=180)
    except RuntimeError as error:
        raise MeasureFailed(f"le produit ne démarre pas avec ce modèle : {error}") from None
    try:
        figures: dict[str, float] = {}
        if wanted is None or BOOKING_TURNS in wanted:
            figures |= booking_turns(stack.settings, responses)
        url = stack.settings.rasa_url
        figures["faq_selection"] = faq_selection(url, responses).accuracy
        for path in answer_sets():
            figures[answers_key(path.stem)] = answered_right(
                url, responses, examples(path)
            ).accuracy
        if wanted is None or set(SIMULATED) & wanted:
            figures |= simulated_merchants(stack.settings, responses)
        return figures
    finally:
        stack.stop()


def measure(settings: Settings, model: Path, work: Path) -> dict[str, float]:
    """Every figure a candidate's measurement computes, by the quality file's keys (the booking
    turns and the simulated merchants when it marks them `candidate: true`)."""
    wanted = {k for k, f in load_quality(settings.quality_file).items() if f.candidate}
    figures = {
        "nlu_macro_f1": nlu_macro_f1(settings, model, work / "nlu"),
        "stories": stories(settings, model, work / "core"),
    }
    return figures | through_rest(settings, model, work / "product", wanted)
