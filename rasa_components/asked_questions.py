"""A form question is asked once per turn, without a second call to the action server.

Rasa 3.6 asks a form's next question by running `action_ask_<question>` after the form's
validation action. Ours live in the action server (`actions/forms.ask_action`: the question with
its buttons, or nothing after a failed answer). The validation action already knows the next
question and says it itself (`actions.forms.apply_turn`), so a second round trip to the action
server — with the whole conversation sent again — would only confirm that nothing is left to say.
`install()` wraps `rasa.core.actions.action.action_for_name_or_text`: an `action_ask_*` action
becomes `AskUnlessAsked`, which says nothing (in the Rasa process) when the question was already
asked since the merchant's last message, or after a failed answer (the form's re-ask stands),
and otherwise runs the action server's action as before (a form's first question, a resumed
form). It wraps a Rasa 3.6.21 internal, so it refuses to install on another Rasa
(`rasa_components/patching.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa.core.actions import action
from rasa.core.actions.action import Action
from rasa.shared.core.events import BotUttered, Event, UserUttered

from rasa_components.patching import wrap

PATCHED = {
    "rasa.core.actions.action.action_for_name_or_text": (
        "a63fb2d066efa0bc5a116dc4932299c77736aad3b6b8a85170e0dcafe615bf52"
    ),
}
ASK_PREFIX = "action_ask_"
FAILURES = "form_failures"  # bot.forms.FAILURES (the Rasa process does not import the forms)
Lookup = Callable[[str, Any, Any], Action]


def already_asked(events: list[Event], question: str) -> bool:
    """Whether `utter_ask_<question>` was said since the merchant's last message."""
    for event in reversed(events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.metadata.get("utter_action") == (
            f"utter_ask_{question}"
        ):
            return True
    return False


class AskUnlessAsked(Action):
    """`action_ask_<question>`: nothing if the question was said or the answer failed, else the
    action server's action."""

    def __init__(self, remote: Action) -> None:
        self._remote = remote

    def name(self) -> str:
        return str(self._remote.name())

    async def run(self, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list[Event]:
        question = self.name().removeprefix(ASK_PREFIX)
        if tracker.get_slot(FAILURES) or already_asked(list(tracker.events), question):
            return []
        return list(await self._remote.run(output_channel, nlg, tracker, domain))


def _asking_once(original: Lookup) -> Lookup:
    def action_for_name_or_text(name: str, domain: Any, endpoint: Any) -> Action:
        found = original(name, domain, endpoint)
        return AskUnlessAsked(found) if name.startswith(ASK_PREFIX) else found

    return action_for_name_or_text


def install() -> None:
    """Wrap Rasa's action lookup (once; only on the Rasa it was written for)."""
    wrap(__name__, action, "action_for_name_or_text", _asking_once)
