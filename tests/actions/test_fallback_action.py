"""The fallback action answers by stage and forgets the message it did not understand."""

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


async def test_second_miss_offers_topics_and_a_person() -> None:
    dispatcher = CollectingDispatcher()
    history = [action("action_listen"), action("action_handle_fallback"), action("action_listen")]
    await ActionHandleFallback().run(dispatcher, tracker("qwerty", "nlu_fallback", history), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_fallback_options"]


async def test_an_unsure_message_naming_a_town_gets_the_territory_answer() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionHandleFallback().run(dispatcher, tracker("wendake??", "nlu_fallback"), {})
    assert [(m["response"], m["place"]) for m in dispatcher.messages] == [
        ("utter_territory_outside", "Wendake")
    ]
    assert events == []
