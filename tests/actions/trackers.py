"""Build rasa_sdk trackers for action tests."""

from typing import Any

from rasa_sdk import Tracker


def tracker(
    text: str = "", intent: str = "", events: list[dict[str, Any]] | None = None
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    return Tracker(
        sender_id="test",
        slots={},
        latest_message=latest,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
