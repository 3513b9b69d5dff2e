"""A new session resumes the form left in progress.

After 60 minutes of silence (`domain/session.yml`) Rasa 3.6 starts a new session: the slots are
carried over, but not the active form, so the merchant who comes back to answer the question
still on screen would be read by another flow. `install()` wraps Rasa's `ActionSessionStart.run`
(in the Rasa process: no call to the action server, which may be down) to add the form that was
active, just before the session waits for the merchant. It wraps a Rasa 3.6.21 internal, so it
refuses to install on another Rasa (`rasa_components/patching.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.actions.action import ActionSessionStart
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event

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
        if form and events and isinstance(events[-1], ActionExecuted):
            events.insert(len(events) - 1, ActiveLoop(form))
        return events

    return run


def install() -> None:
    """Wrap Rasa's session start (once; only on the Rasa it was written for)."""
    wrap(__name__, ActionSessionStart, "run", _resuming)
