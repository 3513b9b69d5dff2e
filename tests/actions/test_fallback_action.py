"""The fallback action answers by stage and forgets the message it did not understand; during
the team's opening hours, its second stage offers a person first (the live chat)."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionHandleFallback
from tests.actions.trackers import tracker


def action(name: str) -> dict[str, str]:
    return {"event": "action", "name": name}


async def test_first_miss_asks_to_rephrase_and_reverts_the_message() -> None:
    dispatcher = CollectingDispatcher()
    history = [action("action_session_start"), action("action_listen")]
    events = await ActionHandleFallback().run(
        dispatcher, tracker("asdfgh", "nlu_fallback", history), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_rephrase"]
    assert [e["event"] for e in events] == ["rewind"]


@pytest.mark.parametrize(
    ("moment", "token", "response"),
    [
        ("2026-11-23T10:00-05:00", "", "utter_fallback_options"),  # no live chat configured
        ("2026-11-23T10:00-05:00", "t" * 32, "utter_fallback_options_live"),  # Monday, 10 h
        ("2026-11-23T20:00-05:00", "t" * 32, "utter_fallback_options"),  # Monday evening
        ("2026-11-28T10:00-05:00", "t" * 32, "utter_fallback_options"),  # Saturday
    ],
)
async def test_second_miss_offers_topics_and_a_person(
    monkeypatch: pytest.MonkeyPatch, moment: str, token: str, response: str
) -> None:
    monkeypatch.setenv("FROZEN_CLOCK", moment)  # the product's clock, never the system's
    monkeypatch.setenv("RASA_API_TOKEN", token)
    monkeypatch.delenv("LIVE_CHAT_FILE", raising=False)  # config/live_chat.yml's hours
    dispatcher = CollectingDispatcher()
    history = [action("action_listen"), action("action_handle_fallback"), action("action_listen")]
    await ActionHandleFallback().run(dispatcher, tracker("qwerty", "nlu_fallback", history), {})
    assert [m["response"] for m in dispatcher.messages] == [response]


async def test_an_unsure_message_naming_a_town_gets_the_territory_answer() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionHandleFallback().run(dispatcher, tracker("wendake??", "nlu_fallback"), {})
    assert [(m["response"], m["place"]) for m in dispatcher.messages] == [
        ("utter_territory_outside", "Wendake")
    ]
    assert events == []
