"""Which messages the assistant missed, read from conversations' events as Rasa's tracker store
keeps them: a fallback (by intent or by the fallback action), a doubtful reading, an answer the
merchant turned down or followed by a request for a person, a form answer not understood; and
what is not missed (a click, a form's free-text answer, a FAQ asked mid-form, a « non » to the
assistant's question, a live chat with a person)."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from typing import Any

from bot.learning.missed import (
    DOUBTFUL_READING,
    FALLBACK,
    NOT_UNDERSTOOD,
    REJECTED,
    missed_messages,
    slots_of,
    suggestion,
)

START = 1795000000.0
_ids = itertools.count(1)


def user(text: str, intent: str, confidence: float, *ranking: tuple[str, float]) -> dict[str, Any]:
    """A `user` event as Rasa stores it (with the fallback first in the ranking when it fell
    back, as the FallbackClassifier puts it)."""
    ranked = [{"name": name, "confidence": value} for name, value in ranking]
    if not ranked:
        ranked = [{"name": intent, "confidence": confidence}]
    return {
        "event": "user", "text": text, "input_channel": "rest", "message_id": "m",
        "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": [],
                       "text": text, "intent_ranking": ranked, "metadata": {}},
        "metadata": {},
    }  # fmt: skip


def bot(text: str) -> dict[str, Any]:
    return {"event": "bot", "text": text, "data": {}, "metadata": {}}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name, "policy": "RulePolicy", "confidence": 1.0}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def loop(name: str | None) -> dict[str, Any]:
    return {"event": "active_loop", "name": name}


def numbered(*events: dict[str, Any], start: float = START) -> list[tuple[int, dict[str, Any]]]:
    """The events with ids and timestamps (a second apart), as read from the table."""
    return [
        (next(_ids), {**event, "timestamp": start + number}) for number, event in enumerate(events)
    ]


FALLBACK_TURN = (
    user("vous faites du porte-à-porte?", "nlu_fallback", 0.75, ("nlu_fallback", 0.75),
         ("faq_coaching", 0.21), ("faq_what_is", 0.1)),
    action("action_handle_fallback"), bot("Désolé, je n'ai pas bien compris."),
    action("action_listen"),
)  # fmt: skip


def test_a_fallback_is_missed_with_the_intent_the_model_would_suggest() -> None:
    events = numbered(user("/greet", "greet", 1.0), bot("Bonjour!"), *FALLBACK_TURN)
    [found] = missed_messages("conv-1", events)
    assert (found.reason, found.text, found.intent) == (
        FALLBACK, "vous faites du porte-à-porte?", "faq_coaching",
    )  # fmt: skip
    assert found.confidence == 0.21 and found.sender_id == "conv-1"
    assert found.event_id == events[2][0]
    assert found.at == datetime.fromtimestamp(START + 2, timezone.utc)


def test_the_fallback_action_alone_counts_too() -> None:
    events = numbered(
        user("bla bla livraison", "faq_delivery", 0.9), action("action_handle_fallback")
    )
    assert [m.reason for m in missed_messages("c", events)] == [FALLBACK]


def test_a_doubtful_reading_is_missed_a_sure_one_is_not() -> None:
    events = numbered(
        user("c'est tu cher votre affaire", "faq_cost", 0.41), bot("C'est gratuit."),
        user("et qui peut participer?", "faq_eligibility", 0.93), bot("Les commerces…"),
    )  # fmt: skip
    [found] = missed_messages("c", events)
    assert (found.reason, found.intent, found.confidence) == (DOUBTFUL_READING, "faq_cost", 0.41)


def test_an_answer_turned_down_or_followed_by_a_request_for_a_person() -> None:
    events = numbered(
        user("les heures d'ouverture?", "faq_contact", 0.8), bot("Écrivez-nous…"),
        user("les heures pour les rencontres", "faq_session_place", 0.7), bot("Au bureau…"),
        user("non c'est pas ça", "deny", 0.9), bot("Pouvez-vous reformuler?"),
        user("combien ça coûte", "faq_cost", 0.95), bot("C'est gratuit."),
        user("je veux parler à une personne", "faq_contact", 0.97), bot("Écrivez-nous…"),
    )  # fmt: skip
    found = missed_messages("c", events)
    assert [(m.text, m.reason) for m in found] == [
        ("les heures pour les rencontres", REJECTED),
        ("combien ça coûte", REJECTED),  # a person asked for right after the answer
    ]  # a request for a person is never itself « turned down »


def test_a_no_to_the_assistants_question_is_not_a_rejection() -> None:
    events = numbered(
        user("qui est admissible?", "faq_eligibility", 0.9), bot("Voulez-vous vérifier?"),
        user("non merci", "deny", 0.95), bot("D'accord!"),
    )  # fmt: skip
    assert missed_messages("c", events) == []


def test_in_a_form_only_an_answer_not_understood_counts() -> None:
    events = numbered(
        user("/request_eligibility", "request_eligibility", 1.0), loop("intake_form"),
        slot("requested_slot", "business_name"), bot("Le nom de votre commerce?"),
        # a business name reads as a fallback: not missed
        user("Boulangerie Tremblay", "nlu_fallback", 0.8, ("nlu_fallback", 0.8)),
        slot("business_name", "Boulangerie Tremblay"), slot("requested_slot", "employees"),
        bot("Combien d'employés?"),
        # a FAQ asked mid-form, answered, the question asked again: not missed
        user("c'est gratuit?", "faq_cost", 0.9), bot("C'est gratuit."),
        slot("employees", None), slot("requested_slot", "employees"),
        # not understood: the failure counter goes up
        user("une couple de gars le samedi", "nlu_fallback", 0.7, ("nlu_fallback", 0.7),
             ("describe_business", 0.2)),
        slot("form_failures", 1), slot("requested_slot", "employees"),
        bot("Je n'ai pas compris : combien de personnes?"),
        user("3", "nlu_fallback", 0.9), slot("employees", 3), slot("form_failures", 0),
        slot("requested_slot", "hours_per_week"),
    )  # fmt: skip
    [found] = missed_messages("c", events)
    assert (found.text, found.reason, found.question, found.intent) == (
        "une couple de gars le samedi", NOT_UNDERSTOOD, "employees", "describe_business",
    )  # fmt: skip


def test_personal_answers_not_understood_are_never_kept() -> None:
    events = numbered(
        loop("intake_form"), slot("requested_slot", "email"), bot("Votre courriel?"),
        user("marie at gmail", "nlu_fallback", 0.9), slot("form_failures", 1),
        slot("requested_slot", "email"),
    )  # fmt: skip
    assert missed_messages("c", events) == []


def test_clicks_commands_and_a_live_chat_are_not_missed() -> None:
    typed = user("/affirm", "affirm", 1.0)
    typed["metadata"] = {"typed": "Oui, la livraison"}
    events = numbered(
        user("/faq_cost", "faq_cost", 1.0), bot("C'est gratuit."), typed, bot("Parfait!"),
        {"event": "pause"}, user("allo?", "nlu_fallback", 0.9), {"event": "resume"},
        user("", "nlu_fallback", 0.9),
    )  # fmt: skip
    assert missed_messages("c", events) == []


def test_a_new_session_ends_the_form() -> None:
    events = numbered(
        loop("intake_form"), slot("requested_slot", "employees"),
        {"event": "session_started"},
        user("vous faites des sites web?", "faq_website", 0.3),
    )  # fmt: skip
    assert [m.reason for m in missed_messages("c", events)] == [DOUBTFUL_READING]


def test_suggestion_skips_the_fallback_and_slots_keep_every_value() -> None:
    assert suggestion({"intent_ranking": [{"name": "nlu_fallback", "confidence": 0.7}]}) == (
        None, None,
    )  # fmt: skip
    assert suggestion({"intent": {"name": "faq_cost", "confidence": 0.4}}) == ("faq_cost", 0.4)
    events = numbered(slot("contact_name", "Marie"), slot("contact_name", "Marie Tremblay"),
                      slot("email", None))  # fmt: skip
    assert slots_of(events) == [("contact_name", "Marie"), ("contact_name", "Marie Tremblay")]
