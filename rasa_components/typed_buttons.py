"""Typed equals clicked: a typed button title or a plain yes/no becomes the button's payload.

After a bot message with buttons, Rasa 3.6 reads a typed « oui » with the NLU model like any
message, so it may do something else than touching « Choisir un moment » would. `install()`
wraps `MessageProcessor._handle_message_with_tracker`: when the merchant's message names one of
the buttons of the bot's last messages (`bot.buttons.typed_choice`), the message is handled as
that button's payload, exactly as a click; what was typed is kept in the message's metadata
(`typed`) for transcripts. It wraps a Rasa 3.6.21 internal, so it refuses to install on another
Rasa (`rasa_components/patching.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import BotUttered, UserUttered

from bot.buttons import typed_choice
from rasa_components.patching import wrap

PATCHED = {
    "rasa.core.processor.MessageProcessor._handle_message_with_tracker": (
        "f42e1ae303933d9ffed67c0b879a946d68bee26ab9c991676c62d9c0f7e374d2"
    ),
}
Handle = Callable[[MessageProcessor, UserMessage, Any], Awaitable[None]]


def last_buttons(events: list[Any]) -> list[dict[str, Any]]:
    """The buttons the bot offered since the merchant's last message (the latest set)."""
    for event in reversed(events):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered) and (event.data or {}).get("buttons"):
            return list(event.data["buttons"])
    return []


def as_clicked(message: UserMessage, tracker: Any) -> UserMessage:
    """`message`, or the click on the button it names."""
    if message.parse_data or not message.text:
        return message
    payload = typed_choice(message.text, last_buttons(list(tracker.events)))
    if payload is None:
        return message
    return UserMessage(
        text=payload,
        output_channel=message.output_channel,
        sender_id=message.sender_id,
        input_channel=message.input_channel,
        message_id=message.message_id,
        metadata={**(message.metadata or {}), "typed": message.text},
    )


def _clicking(original: Handle) -> Handle:
    async def handle(self: MessageProcessor, message: UserMessage, tracker: Any) -> None:
        await original(self, as_clicked(message, tracker), tracker)

    return handle


def install() -> None:
    """Wrap the processor's handling of a message (once; only on the Rasa it was written for)."""
    wrap(__name__, MessageProcessor, "_handle_message_with_tracker", _clicking)
