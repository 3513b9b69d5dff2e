"""The test stories replayed with their text through the running product's REST channel.

`rasa test core` checks the dialogue policy on the annotated intents; here the merchant's
words go through the real NLU, policy, action server and channel, and each reply must be
the response the story expects.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import ROOT, Settings
from tests.conftest import Responses, post

# Custom actions answer with one of several responses.
ACTION_RESPONSES = {
    "action_answer_territory": {
        "utter_faq_territory",
        "utter_territory_inside",
        "utter_territory_outside",
    },
    "action_handle_fallback": {"utter_ask_rephrase", "utter_fallback_options"},
    "intake_form": {"utter_ask_business_name"},
}
SILENT_ACTIONS = {"action_record_consent"}


def load_stories() -> list[dict[str, Any]]:
    stories = []
    for path in sorted((ROOT / "tests" / "stories").glob("*.yml")):
        stories += yaml.safe_load(Path(path).read_text())["stories"]
    return stories


def turns(story: dict[str, Any]) -> list[tuple[str, list[set[str]]]]:
    """(what the merchant types, the allowed responses of each bot message that follows)."""
    result: list[tuple[str, list[set[str]]]] = []
    for step in story["steps"]:
        if "user" in step:
            result.append((step["user"].strip(), []))
        elif "action" in step and step["action"] not in SILENT_ACTIONS:
            action = step["action"]
            result[-1][1].append(ACTION_RESPONSES.get(action, {action}))
    return result


@pytest.mark.parametrize("story", load_stories(), ids=lambda s: s["story"])
def test_story_end_to_end(story: dict[str, Any], stack: Settings, responses: Responses) -> None:
    sender = f"story-{uuid.uuid4().hex[:12]}"
    for text, expected in turns(story):
        status, replies = post(
            f"{stack.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text}
        )
        assert status == 200
        got = [responses.name_of(reply.get("text", "")) for reply in replies]
        assert len(got) == len(expected), (text, got)
        for name, allowed in zip(got, expected, strict=True):
            assert name in allowed, (text, got)
