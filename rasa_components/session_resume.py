"""A new session resumes the form left in progress, and stays paused if a person holds it.

After 60 minutes of silence (`domain/session.yml`) Rasa 3.6 starts a new session: the slots are
carried over, but not the active form, so the merchant who comes back to answer the question
still on screen would be read by another flow; nor the pause of a conversation a person of the
team holds (the live chat, `bot/rasa_api.py`), so the assistant would answer over them.
`install()` wraps Rasa's `ActionSessionStart.run` (in the Rasa process: no call to the action
server, which may be down) to add the form that was active and the pause, just before the
session waits for the merchant. It wraps a Rasa 3.6.21 internal, so it refuses to install on
another Rasa (`rasa_components/patching.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.actions.action import ActionSessionStart
from rasa.shared.core.events import ActionExecuted, ActiveLoop, ConversationPaused, Event

from rasa_components.patching import wrap

PATCHED = {
    "rasa.core.actions.action.ActionSessionStart.run": (
        "c2e7c99a94ca57a5574af2ed0d009286839dd8cbf9803ada00bcb45550857633"
    ),
}
Run = Callable[..., Awaitable[list[Event]]]


def _resuming(original: Run) -> Run:
    async def run(
        self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> list[Event]:
        events = list(await original(self, output_channel, nlg, tracker, domain))
        form = tracker.active_loop_name  # the ending session's, not yet reset
        if events and isinstance(events[-1], ActionExecuted):
            if form:
                events.insert(len(events) - 1, ActiveLoop(form))
            if tracker.is_paused():  # a person holds the conversation: the assistant stays quiet
                events.insert(len(events) - 1, ConversationPaused())
        return events

    return run


def install() -> None:
    """Wrap Rasa's session start (once; only on the Rasa it was written for)."""
    wrap(__name__, ActionSessionStart, "run", _resuming)
