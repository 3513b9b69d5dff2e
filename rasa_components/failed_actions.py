"""A French apology when a custom action fails, instead of silence.

When the action server is down, restarting or failing, Rasa 3.6 logs the failed custom action,
drops its events and goes on (`MessageProcessor._run_action`): in the middle of a form the
merchant gets no reply at all, and Rasa 3.6 has no setting or response for this case.
`install()` wraps `RemoteAction.run`: when the call fails (anything but Rasa's
`ActionExecutionRejection`, which is a form's normal "not mine" answer), the merchant gets the
domain's `utter_action_failed` (once per message, however many actions fail in that turn), then
the error goes on to Rasa unchanged, so the conversation state is exactly what Rasa would keep:
the answers given before, the form and the question still active. The merchant's next message,
once the action server is back, carries on the form. It wraps a Rasa 3.6.21 internal, so it
refuses to install on another Rasa (`rasa_components/patching.py`).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction

from rasa_components.patching import wrap

log = logging.getLogger(__name__)

RESPONSE = "utter_action_failed"

# The Rasa functions this module relies on, with the SHA-256 of their source in Rasa 3.6.21:
# the call it wraps, and the processor's handling of a failed action it lets run unchanged.
PATCHED = {
    "rasa.core.actions.action.RemoteAction.run": (
        "ccabf6f1160d527a157fad5bd285ce69e8221b1bcad23f8a61499b4360a1c17e"
    ),
    "rasa.core.processor.MessageProcessor._run_action": (
        "6d383d0179ef1187639887289168959a5a82f94e6949e4e27bb83b2165094995"
    ),
}

Run = Callable[[RemoteAction, Any, Any, Any, Any], Awaitable[list[Any]]]
# The last message of each conversation that got an apology (bounded: oldest forgotten first).
_apologised: OrderedDict[str, object] = OrderedDict()
_REMEMBERED = 10_000


def _message_key(tracker: Any) -> object:
    message = tracker.latest_message
    if message is None:
        return None
    return message.message_id or message.timestamp


async def apologise(output_channel: Any, nlg: Any, tracker: Any) -> None:
    """Send `utter_action_failed` to the merchant, unless this message already got it."""
    key = _message_key(tracker)
    if key is not None and _apologised.get(tracker.sender_id) == key:
        return
    _apologised[tracker.sender_id] = key
    _apologised.move_to_end(tracker.sender_id)
    while len(_apologised) > _REMEMBERED:
        _apologised.popitem(last=False)
    message = await nlg.generate(RESPONSE, tracker, output_channel.name())
    if message is None:
        log.error("no response %s in the model's domain: retrain the model", RESPONSE)
        return
    await output_channel.send_response(tracker.sender_id, message)


def _apologising(original: Run) -> Run:
    async def run(
        self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> list[Any]:
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception:
            log.warning("custom action %s failed: telling %s", self.name(), tracker.sender_id)
            try:
                await apologise(output_channel, nlg, tracker)
            except Exception:
                log.exception("could not send %s", RESPONSE)
            raise

    return run


def install() -> None:
    """Wrap `RemoteAction.run` (once; only on the Rasa it was written for)."""
    wrap(__name__, RemoteAction, "run", _apologising)
