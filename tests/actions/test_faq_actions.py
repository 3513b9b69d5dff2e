"""The territory answer names the place the merchant asked about."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerTerritory
from tests.actions.trackers import tracker


@pytest.mark.parametrize(
    ("text", "response", "place"),
    [
        ("c'tu correct pour limoilou?", "utter_territory_inside", "Limoilou"),
        ("mon commerce est à Lévis", "utter_territory_outside", "Lévis"),
        ("sur l'ile d'orleans", "utter_territory_outside", "L'Île d'Orléans"),
        ("je suis a quebec", "utter_territory_inside", "La Ville de Québec"),
    ],
)
async def test_a_named_place_gets_a_yes_or_no(text: str, response: str, place: str) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerTerritory().run(dispatcher, tracker(text, "faq_territory"), {})
    assert events == []
    assert [(m["response"], m["place"]) for m in dispatcher.messages] == [(response, place)]


async def test_no_place_gets_the_general_territory_answer() -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerTerritory().run(dispatcher, tracker("quel territoire?", "faq_territory"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_territory"]
