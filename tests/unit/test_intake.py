"""The intake conversation logic: answers, digressions, corrections, stop/resume, recap."""

from __future__ import annotations

from typing import Any

import pytest

from bot.eligibility import Outcome, decide
from bot.forms import FAILURES
from bot.intake import INTAKE, recap, take_turn, to_intake
from bot.text import phone_for_people

HAPPY = {
    "business_name": "Boutique Chez Marie",
    "contact_name": "Marie Tremblay",
    "contact_role": "Propriétaire",
    "email": "marie@exemple.com",
    "phone": "418 555-1234",
    "address": "123, 3e Avenue, Québec G1L 2W5",
    "storefront": "ouais",
    "sector": "une boutique de vêtements",
    "sdc_member": "oui",
    "association_name": "SDC 3e Avenue",
    "employees": "3",
    "hours_per_week": "2 h",
    "readiness": "Prêt à commencer maintenant",
    "impact": "Vendre en ligne et attirer la clientèle du quartier",
}


def converse(replies: dict[str, str], answers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Answer each question from `replies` until the recap; return the answers."""
    answers = dict(answers or {})
    question = take_turn(answers, None, "").next_question
    for _ in range(40):
        if question is None or question == "recap_confirmed":
            return answers
        turn = take_turn(answers, question, replies[question])
        answers.update(turn.updates)
        question = turn.next_question
    raise AssertionError("the intake never ends")


def test_happy_path_fills_every_answer_and_decides_eligible() -> None:
    answers = converse(HAPPY)
    assert answers["email"] == "marie@exemple.com" and answers["phone"] == "+14185551234"
    assert answers["postal_code"] == "G1L 2W5" and answers["municipality"] == "la Ville de Québec"
    assert answers["sector"] == "commerce de détail" and answers["storefront"] == "oui"
    assert answers["employees"] == 3 and answers["hours_per_week"] == 2.0
    assert "municipality" not in [k for k, v in answers.items() if v is None]
    assert decide(to_intake(answers)).outcome is Outcome.ELIGIBLE
    summary = recap(answers)
    assert (
        summary.startswith("Voici ce que j'ai noté :")
        and "• Courriel : marie@exemple.com" in summary
    )


def test_a_faq_question_mid_form_is_answered_then_the_question_asked_again() -> None:
    turn = take_turn({"business_name": "X"}, "email", "c'est tu gratis?", "faq_cost", 0.93)
    assert (turn.faq, turn.next_question, turn.updates) == (
        "faq_cost",
        "email",
        {"form_failures": 0},
    )


def test_free_text_that_resembles_a_topic_is_an_answer_not_a_question() -> None:
    turn = take_turn({}, "impact", "plus de visibilité sur le web", "faq_website", 0.8)
    assert turn.faq is None and turn.updates["impact"] == "plus de visibilité sur le web"


def test_a_correction_mid_form_updates_the_earlier_answer() -> None:
    answers = {"email": "vieux@exemple.com"}
    turn = take_turn(answers, "sector", "en fait mon courriel c'est nouveau@exemple.com")
    assert turn.updates == {"email": "nouveau@exemple.com"}
    assert turn.say == [("utter_form_noted", {"label": "Courriel", "value": "nouveau@exemple.com"})]


def test_a_phone_and_hours_read_as_people_write_them() -> None:
    """Stored E.164 and numbers; shown « 581 555-7777 » and « 1,5 h » (the wording guide)."""
    answers = {"business_name": "Café", "phone": "+14185551234", "hours_per_week": 1.5}
    turn = take_turn(answers, "sector", "en fait mon numéro c'est le 581.555.7777")
    assert turn.updates == {"phone": "+15815557777"}
    assert turn.say == [("utter_form_noted", {"label": "Téléphone", "value": "581 555-7777"})]
    shown = recap(answers)
    assert "• Téléphone : 418 555-1234" in shown and "• Temps par semaine : 1,5 h" in shown
    assert phone_for_people("+33142685300") == "+33142685300"  # not North American: as is
    assert phone_for_people(None) == ""


def test_several_answers_in_one_message() -> None:
    turn = take_turn({"business_name": "X"}, "email", "marie@exemple.com, mon cell 581 555-0000")
    assert turn.updates["email"] == "marie@exemple.com"
    assert turn.updates["phone"] == "+15815550000"


def test_stop_and_resume() -> None:
    stop = take_turn({"business_name": "X"}, "email", "on arrête ça, j'ai pas le temps")
    assert stop.paused and stop.say == [("utter_intake_paused", {})]
    resume = take_turn({"business_name": "X"}, None, "")
    assert resume.say == [("utter_intake_resumed", {})] and resume.next_question == "contact_name"


def test_invalid_answers_are_explained_then_help_is_offered() -> None:
    first = take_turn({}, "email", "marie at exemple")
    assert first.say[0][0] == "utter_form_retry" and "courriel" in first.say[0][1]["expected"]
    assert first.next_question == "business_name"  # still missing, asked in order
    second = take_turn({}, "email", "encore non", failures=1)
    assert second.say[0][0] == "utter_form_help" and second.updates["form_failures"] == 2


def test_rural_postal_code_asks_the_municipality() -> None:
    answers = {
        **{k: "x" for k in ("business_name", "contact_name", "contact_role", "email", "phone")}
    }
    turn = take_turn(answers, "address", "12 rue Principale, G0A 1E0")
    assert turn.updates["postal_code"] == "G0A 1E0" and turn.next_question == "municipality"
    answers |= turn.updates
    answers |= take_turn(answers, "municipality", "Boischatel").updates
    assert answers["municipality"] == "Boischatel" and INTAKE.next_question(answers) == "storefront"


def test_other_sector_asks_for_a_detail_unless_given() -> None:
    assert take_turn({}, "sector", "Autre").next_question == "business_name"
    assert "sector_detail" not in take_turn({}, "sector", "Autre").updates
    described = take_turn({}, "sector", "fabrication de drones")
    assert described.updates["sector_detail"] == "fabrication de drones"


def test_recap_correction_then_confirmation() -> None:
    answers = converse(HAPPY)
    fix = take_turn(answers, "recap_confirmed", "le courriel")
    assert fix.updates == {"email": None, FAILURES: 0} and fix.next_question == "email"
    direct = take_turn(answers, "recap_confirmed", "non, mon courriel c'est m@exemple.com")
    assert direct.updates == {"email": "m@exemple.com", FAILURES: 0}
    assert direct.next_question == "recap_confirmed"
    unsure = take_turn(answers, "recap_confirmed", "non")
    assert (unsure.say, unsure.next_question) == ([], "field_to_correct")
    which = take_turn(answers, "field_to_correct", "l'adresse")
    assert which.updates == {"address": None, "postal_code": None, "municipality": None,
                             FAILURES: 0}  # fmt: skip
    assert which.next_question == "address"
    done = take_turn(answers, "recap_confirmed", "oui c'est ça")
    assert done.updates == {"recap_confirmed": True} and done.next_question is None


def test_hostile_text_is_kept_as_text_or_refused() -> None:
    html = take_turn({}, "business_name", "<script>alert(1)</script>")
    assert html.updates["business_name"] == "<script>alert(1)</script>"
    huge = take_turn({}, "impact", "a" * 10_000)
    assert "impact" not in huge.updates and huge.say[0][0] == "utter_form_retry"
    emoji = take_turn({}, "business_name", "🙂🙂")  # no word at all: not a name
    assert "business_name" not in emoji.updates and emoji.say[0][0] == "utter_form_retry"
    assert take_turn({}, "business_name", "Café 🙂").updates["business_name"] == "Café 🙂"


def test_a_shop_named_stop_is_a_name_not_a_request_to_stop() -> None:
    assert take_turn({}, "business_name", "Café Stop").updates["business_name"] == "Café Stop"
    assert take_turn({}, "business_name", "stop").paused


@pytest.mark.parametrize("nothing", ["je sais pas", "rien", "non", "Rien à corriger", "c'est beau"])
def test_nothing_to_correct_keeps_the_answers(nothing: str) -> None:
    turn = take_turn(converse(HAPPY), "field_to_correct", nothing)
    assert turn.updates == {"recap_confirmed": True, FAILURES: 0} and turn.next_question is None
    assert turn.say == [("utter_form_nothing_to_correct", {})]


def test_what_to_correct_escalates_to_the_answers_as_buttons_then_a_pause() -> None:
    answers = converse(HAPPY)
    first = take_turn(answers, "field_to_correct", "euh le truc")
    assert first.say == [("utter_form_retry", {"expected": "le nom de ce qui est à corriger",
                                               "example": "courriel"})]  # fmt: skip
    second = take_turn(answers, "field_to_correct", "le machin", failures=1)
    [(response, values)] = second.say
    titles = [b["title"] for b in values["buttons"]]
    assert response == "utter_form_choices" and "Courriel" in titles
    assert titles[-1] == "Rien à corriger"
    assert take_turn(answers, "field_to_correct", titles[1], failures=2).next_question != (
        "field_to_correct"
    )
    third = take_turn(answers, "field_to_correct", "bof", failures=2)
    assert third.paused and [r for r, _ in third.say] == ["utter_form_stuck", "utter_intake_paused"]
