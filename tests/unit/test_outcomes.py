"""What happened in a conversation, from event lists as Rasa writes them (`tests.tracker_events`)."""

from __future__ import annotations

from datetime import timedelta

from bot.learning import outcomes
from bot.learning.outcomes import (
    ABANDONED,
    BOOKED,
    CALLBACK,
    CONSENT_REFUSED,
    DIAGNOSTIC_DONE,
    FAQ_ONLY,
    FELL_BACK,
    INTAKE_DONE,
    LIVE_CHAT,
    PERSON,
    Facts,
    describe,
    read,
)
from tests.conftest import FROZEN_NOW
from tests.tracker_events import Conversation

START = FROZEN_NOW - timedelta(hours=3)
LATER = FROZEN_NOW  # three hours later: every open form is idle


def facts_of(conversation: Conversation) -> Facts:
    found = read(conversation.sender, conversation.events)
    assert found is not None
    return found


def test_questions_only_counts_the_merchants_messages_not_the_automatic_greeting() -> None:
    talk = Conversation("c1", START).user("/greet", "greet").bot("utter_greet", "Bonjour!")
    talk.faq().faq("C'est où?")
    found = facts_of(talk)
    assert found.messages == 2
    assert found.started_at > START and found.last_at > found.started_at
    assert found.outcomes(LATER) == (FAQ_ONLY,)
    assert describe(found, LATER) == ["Questions seulement"]


def test_a_conversation_where_the_merchant_never_wrote_has_no_facts() -> None:
    talk = Conversation("c0", START).user("/greet", "greet").bot("utter_greet", "Bonjour!")
    assert read("c0", talk.events) is None


def test_two_messages_not_understood_in_a_row_but_not_two_apart() -> None:
    twice = Conversation("c2", START).faq().not_understood().not_understood("rien compris")
    assert facts_of(twice).outcomes(LATER) == (FELL_BACK,)
    apart = Conversation("c3", START).not_understood().faq().not_understood()
    found = facts_of(apart)
    assert found.longest_fallback_streak == 1
    assert found.outcomes(LATER) == (FAQ_ONLY,)
    assert sum(missed for _, _, missed in found.per_day) == 2
    assert sum(messages for _, messages, _ in found.per_day) == 3


def test_intake_diagnostic_and_booking_done_the_main_outcome_is_the_booking() -> None:
    talk = Conversation("c4", START).faq().intake("admissible")
    talk.form("diagnostic_form", [("diag_website", "oui"), ("diag_summary_confirmed", "oui")])
    talk.add("action", name="action_save_diagnostic").said("utter_diagnostic_saved")
    talk.user("Je veux prendre rendez-vous", "book_session")
    talk.form("booking_form", [("booking_when", "mardi 10 h"), ("booking_confirm", "oui")])
    talk.said("utter_booking_done", "C'est réservé")
    found = facts_of(talk)
    assert found.outcomes(LATER) == (BOOKED, DIAGNOSTIC_DONE, INTAKE_DONE)
    assert found.main(LATER) == BOOKED
    assert found.intake == "admissible"
    assert found.started_forms == ("intake_form", "diagnostic_form", "booking_form")
    assert found.completed_forms == found.started_forms
    assert found.time_to_booking is not None
    assert timedelta(0) < found.time_to_booking < timedelta(minutes=10)
    assert describe(found, LATER)[2] == "Admissibilité vérifiée (admissible)"


def test_a_form_left_open_is_abandoned_at_its_question_once_idle() -> None:
    talk = Conversation("c5", START).user("Je veux m'inscrire", "request_eligibility")
    talk.form("intake_form", [("business_name", "Café Lune"), ("contact_name", "Julie"),
                              ("contact_role", "")])  # fmt: skip
    found = facts_of(talk)
    just_after = found.last_at + timedelta(minutes=5)
    assert found.abandoned(just_after) is None
    assert found.main(just_after) is None  # a form under way, nothing else yet
    stop = found.abandoned(found.last_at + outcomes.IDLE)
    assert stop is not None
    assert (stop.form, stop.question, stop.number) == ("intake_form", "contact_role", 3)
    assert stop.label == "Admissibilité, question 3 : Votre rôle"
    assert found.outcomes(LATER) == (ABANDONED,)
    assert describe(found, LATER) == [
        "Formulaire abandonné : Admissibilité, question 3 : Votre rôle"
    ]


def test_a_form_stopped_by_the_merchant_is_abandoned_unless_taken_up_again() -> None:
    talk = Conversation("c6", START).user("Je veux faire le diagnostic", "start_diagnostic")
    talk.form("diagnostic_form", [("diag_website", "oui"), ("diag_platform", "")])
    talk.stop_form("diagnostic_form", "utter_diagnostic_paused")
    stop = facts_of(talk).abandoned(START)
    assert stop is not None and stop.label == "Diagnostic, question 2 : Plateforme du site"
    talk.user("On reprend", "start_diagnostic")
    talk.form("diagnostic_form", [("diag_platform", "Shopify"), ("diag_summary_confirmed", "oui")])
    talk.said("utter_diagnostic_saved")
    found = facts_of(talk)
    assert found.abandoned(LATER) is None
    assert found.outcomes(LATER) == (DIAGNOSTIC_DONE,)


def test_consent_refused_and_a_refused_lead() -> None:
    refused = Conversation("c7", START).user("Je veux m'inscrire", "request_eligibility")
    refused.bot("utter_ask_consent").user("Non", "deny").slot("consent_given", False)
    refused.said("utter_consent_declined")
    assert facts_of(refused).outcomes(LATER) == (CONSENT_REFUSED,)
    not_eligible = facts_of(Conversation("c8", START).intake("non admissible"))
    assert not_eligible.outcomes(LATER) == (INTAKE_DONE,)
    assert describe(not_eligible, LATER) == ["Admissibilité vérifiée (non admissible)"]


def test_a_person_asked_for_live_by_callback_or_as_the_database_knows() -> None:
    live = Conversation("c9", START).not_understood().add("pause")
    live.add("bot", text="Bonjour, ici Sophie", metadata={"live": {"kind": "advisor"}})
    assert facts_of(live).person() == LIVE_CHAT
    assert facts_of(live).outcomes(LATER) == (PERSON,)
    callback = Conversation("c10", START).intake()
    callback.form("booking_form", [("booking_callback", "oui")])
    callback.said("utter_booking_callback_recorded")
    assert facts_of(callback).outcomes(LATER) == (INTAKE_DONE, PERSON)
    assert describe(facts_of(callback), LATER)[1] == "A demandé une personne (demande de rappel)"
    widget = facts_of(Conversation("c11", START).faq())
    assert widget.outcomes(LATER, asked=CALLBACK) == (PERSON,)
    assert widget.outcomes(LATER) == (FAQ_ONLY,)


def test_a_form_ended_without_a_booking() -> None:
    talk = Conversation("c12", START).user("Annuler mon rendez-vous", "cancel_booking")
    talk.form("booking_form", [("booking_lookup", "NQ-ABCDEFGH"), ("booking_cancel", "oui")])
    talk.said("utter_booking_cancelled")
    assert facts_of(talk).outcomes(LATER) == (outcomes.FORM_ENDED,)
    assert describe(facts_of(talk), LATER) == ["Formulaire terminé sans réservation"]


def test_every_form_question_has_a_french_label_and_a_number() -> None:
    for form, questions in outcomes.questions().items():
        assert form in outcomes.FORM_NAMES
        for number, (name, label) in enumerate(questions, start=1):
            stop = outcomes.Stop(form, name)
            assert stop.number == number
            assert label and label != name, (form, name)
