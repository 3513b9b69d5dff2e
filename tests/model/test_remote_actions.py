"""The faster check of action server responses (rasa_components/remote_actions.py) accepts
and refuses exactly what Rasa's own check does, inside Rasa's virtualenv."""

from __future__ import annotations

import json
import subprocess

from bot.settings import ROOT, load_settings
from bot.stack import RASA_BIN, rasa_env

SCRIPT = """
import json
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa_components import remote_actions

def outcome(check, result):
    try:
        return bool(check(RemoteAction.__new__(RemoteAction), result))
    except ValidationError as error:
        return error.message

original = RemoteAction._validate_action_result
remote_actions.install()
assert RemoteAction._validate_action_result is not original
results = [
    {"events": [{"event": "slot", "name": "lead_id", "value": 3}], "responses": [{"text": "ok"}]},
    {"events": [{"event": "slot", "name": 5}], "responses": []},
    {"events": [], "responses": "pas une liste"},
    {"events": [{"event": "inconnu"}]},
]
print(json.dumps([[outcome(original, r), outcome(RemoteAction._validate_action_result, r)]
                  for r in results]))
"""


def test_same_verdicts_and_messages_as_rasa() -> None:
    done = subprocess.run(
        [str(RASA_BIN.parent / "python"), "-c", SCRIPT],
        cwd=ROOT,
        env={**rasa_env(load_settings()), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    verdicts = json.loads(done.stdout.strip().splitlines()[-1])
    assert verdicts[0] == [True, True]
    assert all(original == ours for original, ours in verdicts)
    assert all(isinstance(ours, str) and "Failed to validate" in ours for _, ours in verdicts[1:])
