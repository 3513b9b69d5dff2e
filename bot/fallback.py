"""Two-stage fallback: ask to rephrase first, then offer the main topics and a person."""

from __future__ import annotations

from collections.abc import Sequence

FALLBACK_ACTION = "action_handle_fallback"
REPHRASE = "utter_ask_rephrase"
OPTIONS = "utter_fallback_options"
# The options during the team's opening hours: a person first, who answers in the chat.
LIVE_OPTIONS = "utter_fallback_options_live"
_NEUTRAL_ACTIONS = {"action_listen", "action_session_start"}


def fallback_response(past_actions: Sequence[str]) -> str:
    """The response for a message not understood, given the actions run so far.

    `past_actions` excludes the fallback now running. After a rephrase request that also
    failed, show the options; after options, start again with a rephrase request.
    """
    streak = 0
    for name in reversed(past_actions):
        if name in _NEUTRAL_ACTIONS:
            continue
        if name != FALLBACK_ACTION:
            break
        streak += 1
    return REPHRASE if streak % 2 == 0 else OPTIONS


def live_offer(person_available: bool) -> str:
    """The second stage's response: a person first when one answers live now."""
    return LIVE_OPTIONS if person_available else OPTIONS
