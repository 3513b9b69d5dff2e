"""Run Rasa's own evaluations of the trained model (in Rasa's virtualenv) once per session."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.settings import ROOT, load_settings
from bot.stack import RASA_BIN, rasa_env


def run_rasa(*args: str) -> subprocess.CompletedProcess[str]:
    settings = load_settings()
    return subprocess.run(
        [str(RASA_BIN), *args, "--model", str(settings.model_path)],
        cwd=ROOT,
        env=rasa_env(settings),
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def nlu_report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("nlu")
    done = run_rasa("test", "nlu", "--nlu", "tests/nlu/heldout.yml", "--out", str(out), "--no-plot")
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def core_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("core")
    done = run_rasa(
        "test", "core", "--stories", "tests/stories", "--fail-on-prediction-errors",
        "--out", str(out), "--no-plot",
    )  # fmt: skip
    return done, out
