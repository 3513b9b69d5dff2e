"""Our patches of Rasa's `RemoteAction`, inside Rasa's virtualenv: the faster check of action
server responses (rasa_components/remote_actions.py) accepts and refuses exactly what Rasa's
own check does; the apology for a failed custom action (rasa_components/failed_actions.py) is
said once per message; both refuse another Rasa version and match the Rasa they patch."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

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


# The guards of our patches of Rasa internals, and the apology for a failed custom action
# (rasa_components/failed_actions.py), in one run of Rasa's environment.
PATCHES_SCRIPT = """
import asyncio, json, socket
import rasa
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa.core.actions import action as rasa_action
from rasa_components import (
    asked_questions,
    failed_actions,
    remote_actions,
    session_resume,
    typed_buttons,
)
from rasa_components.patching import changed_sources

patched = {
    **remote_actions.PATCHED, **failed_actions.PATCHED, **typed_buttons.PATCHED,
    **asked_questions.PATCHED, **session_resume.PATCHED,
}
lookup = rasa_action.action_for_name_or_text
found = {"changed": changed_sources(patched)}
originals = (RemoteAction.run, RemoteAction._validate_action_result)
real, rasa.__version__ = rasa.__version__, "3.7.0"
found["refused"] = []
for module in (remote_actions, failed_actions, typed_buttons, asked_questions, session_resume):
    try:
        module.install()
        found["refused"].append("installed")
    except RuntimeError as error:
        found["refused"].append(str(error))
found["untouched"] = (RemoteAction.run, RemoteAction._validate_action_result) == originals
found["untouched"] &= "typed_buttons" not in MessageProcessor._handle_message_with_tracker.__module__
found["untouched"] &= rasa_action.action_for_name_or_text is lookup
found["untouched"] &= "session_resume" not in rasa_action.ActionSessionStart.run.__module__
rasa.__version__ = real
failed_actions.install()
failed_actions.install()  # twice: wrapped once

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    closed = s.getsockname()[1]  # nothing listens there once the socket is closed
import tempfile
from pathlib import Path
from bot.pack.training import compose
domain = Domain.load(str(compose(out=Path(tempfile.mkdtemp()) / "domain")))  # domain/ + the pack
nlg = TemplatedNaturalLanguageGenerator(domain.responses)
channel = CollectingOutputChannel()
action = RemoteAction("validate_intake_form", EndpointConfig(f"http://127.0.0.1:{closed}/webhook"))
tracker = DialogueStateTracker("merchant", domain.slots)

async def attempt(message_id):
    tracker.update(UserUttered("marie@exemple.com", {"name": "inform"}, message_id=message_id))
    try:
        await action.run(channel, nlg, tracker, domain)
        return "ran"
    except ActionExecutionRejection:
        return "rejected"
    except Exception as error:
        return type(error).__name__

async def rejecting(*args):
    raise ActionExecutionRejection("validate_intake_form")

async def main():
    outcomes = [await attempt("m1"), await attempt("m1"), await attempt("m2")]
    RemoteAction.run = failed_actions._apologising(rejecting)
    outcomes.append(await attempt("m3"))
    return outcomes

found["outcomes"] = asyncio.run(main())
found["said"] = [m["text"] for m in channel.messages]
found["apology"] = domain.responses["utter_action_failed"][0]["text"]
print(json.dumps(found))
"""


def run_patches_script() -> dict[str, Any]:
    done = subprocess.run(
        [str(RASA_BIN.parent / "python"), "-c", PATCHES_SCRIPT],
        cwd=ROOT,
        env={**rasa_env(load_settings()), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


@pytest.fixture(scope="module")
def patches() -> dict[str, Any]:
    return run_patches_script()


def test_patches_match_the_rasa_functions_they_were_written_for(patches: dict[str, Any]) -> None:
    assert patches["changed"] == []


def test_patches_refuse_another_rasa_version_clearly(patches: dict[str, Any]) -> None:
    assert [message.split(":")[0] for message in patches["refused"]] == [
        "rasa_components.remote_actions patches Rasa 3.6.21 internals; found 3.7.0",
        "rasa_components.failed_actions patches Rasa 3.6.21 internals; found 3.7.0",
        "rasa_components.typed_buttons patches Rasa 3.6.21 internals; found 3.7.0",
        "rasa_components.asked_questions patches Rasa 3.6.21 internals; found 3.7.0",
        "rasa_components.session_resume patches Rasa 3.6.21 internals; found 3.7.0",
    ]
    assert patches["untouched"]


def test_a_failed_custom_action_gets_one_french_apology_per_message(
    patches: dict[str, Any],
) -> None:
    # Action server unreachable: the error goes on to Rasa as before, the merchant is told once
    # per message; a form's rejection is not a failure.
    assert patches["outcomes"] == ["RasaException", "RasaException", "RasaException", "rejected"]
    assert patches["said"] == [patches["apology"]] * 2
    assert patches["apology"].startswith("Désolé, un problème technique de notre côté")
