"""Dialogue policy on the test stories: `rasa test core --fail-on-prediction-errors`.

Rasa exits 0 on failing stories without that flag, so the reports are read as well.
The same stories are replayed end to end, with their text, in tests/e2e/test_conversations.py.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path


def test_every_test_story_is_predicted(
    core_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, out = core_run
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    failed = (out / "failed_test_stories.yml").read_text()
    assert "None of the test stories failed" in failed, failed
    report = json.loads((out / "story_report.json").read_text())
    assert report["conversation_accuracy"]["accuracy"] == 1.0
    assert report["conversation_accuracy"]["total"] >= 25
