"""The domain's intents a missed message may be labelled with, each with a French label a
person reads: the title of a button of the pack's responses that sends it (« Combien ça
coûte? » sends `/faq_cost`), a chitchat intent's own, else the intent's name (the page shows both)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml

from bot.pack.responses import Responses as PackResponses
from bot.pack.responses import as_rasa, current_responses
from bot.pack.training import DOMAIN

NOT_A_TOPIC = frozenset({"nlu_fallback"})
_PAYLOAD = re.compile(r"^/([a-z_]+)$")
# The chitchat intents' buttons answer a question (« Plus tard » sends `deny`): named here.
CHITCHAT = {"affirm": "Oui", "deny": "Non", "greet": "Salutation", "goodbye": "Au revoir",
            "thanks": "Remerciement", "bot_challenge": "Êtes-vous un robot?",
            "out_of_scope": "Hors sujet"}  # fmt: skip


def _buttons(value: Any) -> list[dict[str, Any]]:
    """Every button of responses (name → variants)."""
    if isinstance(value, dict):
        found = [value] if "payload" in value and "title" in value else []
        return found + [b for item in value.values() for b in _buttons(item)]
    if isinstance(value, list):
        return [b for item in value for b in _buttons(item)]
    return []


def intent_labels() -> dict[str, str]:
    """The domain's intents (but the fallback) → their French label, sorted by label."""
    return _labels(current_responses())


@cache
def _labels(pack: PackResponses) -> dict[str, str]:
    intents: list[str] = []
    titles: dict[str, str] = {}
    for path in sorted(DOMAIN.glob("*.yml")):
        document = yaml.safe_load(path.read_text("utf-8")) or {}
        for intent in document.get("intents") or []:
            name = next(iter(intent)) if isinstance(intent, dict) else str(intent)
            if name not in NOT_A_TOPIC and name not in intents:
                intents.append(name)
    for button in _buttons(as_rasa(pack)):
        found = _PAYLOAD.match(str(button["payload"]))
        if found and found.group(1) not in titles:
            titles[found.group(1)] = str(button["title"])
    labels = {name: CHITCHAT.get(name) or titles.get(name, name) for name in intents}
    return dict(sorted(labels.items(), key=lambda item: item[1].casefold()))


def label_of(intent: str | None) -> str:
    """An intent as people read it (« — » for none)."""
    if not intent:
        return "—"
    return intent_labels().get(intent, intent)
