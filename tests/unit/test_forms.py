"""The form engine's escalation (`bot/forms.py`): re-ask with an example, then choices as
buttons, then skip (optional) or pause (required); never the same words a third time."""

from __future__ import annotations

from typing import Any

import pytest

from bot.diagnostic_form import form as diagnostic_form
from bot.forms import FAILURES, Form, take_turn
from bot.intake import intake_form


def failing(form: Form, question: str, text: str, times: int) -> list[Any]:
    """What the bot says after `times` unreadable answers in a row, turn by turn."""
    said, failures = [], 0
    for _ in range(times):
        turn = take_turn(form, {}, question, text, failures=failures)
        said.append(turn)
        failures = int(turn.updates.get(FAILURES) or 0)
    return said


def test_a_number_is_re_asked_with_an_example_then_offered_as_ranges() -> None:
    first, second, third = failing(intake_form(), "employees", "bof", 3)
    assert first.say[0][0] == "utter_form_retry" and first.next_question == "business_name"
    assert first.say[0][1]["example"] == "3 (ou « juste moi »)"
    ranges = ("Juste moi", "2 à 5", "6 à 20", "Plus de 20")
    assert second.say == [
        (
            "utter_form_choices",
            {
                "buttons": [{"title": t, "payload": t} for t in ranges]
                + [{"title": "Je ne sais pas", "payload": "je ne sais pas"}]
            },
        )
    ]
    assert third.say == [("utter_form_skipped", {})] and not third.paused
    responses = [name for turn in (first, second, third) for name, _ in turn.say]
    assert len(responses) == len(set(responses))  # never the same words twice


def test_a_required_question_is_paused_on_the_third_failure() -> None:
    _, second, third = failing(intake_form(), "storefront", "bof", 3)
    assert [b["title"] for b in second.say[0][1]["buttons"]] == ["Oui", "Non", "Je ne sais pas"]
    assert third.paused and [name for name, _ in third.say] == [
        "utter_form_stuck",
        "utter_intake_paused",
    ]


def test_a_field_without_choices_offers_a_way_out_on_the_second_failure() -> None:
    _, second = failing(intake_form(), "email", "chez nous", 2)
    assert second.say[0][0] == "utter_form_help" and second.say[0][1]["buttons"] == []
    assert "courriel" in second.say[0][1]["expected"]


def test_an_optional_question_offers_je_ne_sais_pas_then_moves_on() -> None:
    _, second, third = failing(diagnostic_form(), "diag_goals", "zzz", 3)
    titles = [b["title"] for b in second.say[0][1]["buttons"]]
    assert titles[-1] == "Je ne sais pas" and "Vendre en ligne" in titles
    assert third.updates["diag_goals"] == "je ne sais pas" and not third.paused
    assert third.say == [("utter_form_skipped", {})] and third.next_question == "diag_website"


def test_a_reading_resets_the_count_and_a_faq_asks_again_in_full() -> None:
    turn = take_turn(intake_form(), {}, "employees", "5", failures=2)
    assert turn.updates == {"employees": 5, FAILURES: 0}
    faq = take_turn(intake_form(), {}, "employees", "c'est combien?", "faq_cost", 0.9, failures=1)
    assert faq.faq == "faq_cost" and faq.updates == {FAILURES: 0}


def test_je_ne_sais_pas_and_passer_answer_an_optional_question_only() -> None:
    for text in ("je sais pas", "Passer", "aucune idée"):
        turn = take_turn(diagnostic_form(), {}, "diag_budget", text)
        assert turn.updates["diag_budget"] == "je ne sais pas", text
    assert take_turn(intake_form(), {}, "email", "passer").say[0][0] == "utter_form_retry"


def test_passe_in_a_date_is_not_passer() -> None:
    turn = take_turn(diagnostic_form(), {}, "diag_website", "on l'a refait l'été passé")
    assert turn.updates["diag_website"] == "récent"
    turn = take_turn(diagnostic_form(), {}, "diag_online_booking", "non, faut passer en boutique")
    assert turn.updates["diag_online_booking"] == "non"


def test_pas_le_temps_answers_the_hours_question_and_stops_the_others() -> None:
    assert (
        take_turn(intake_form(), {}, "hours_per_week", "zéro, pas le temps").updates[
            "hours_per_week"
        ]
        == 0
    )
    assert take_turn(intake_form(), {}, "sector", "pas le temps").paused
    assert take_turn(intake_form(), {}, "hours_per_week", "on arrête").paused


def test_every_question_has_an_example_and_a_domain_question() -> None:
    from bot.pack.responses import responses

    for form in (intake_form(), diagnostic_form()):
        for question in form.questions:
            assert question.example and f"utter_ask_{question.name}" in responses()


def test_an_answer_that_also_reads_as_a_question_is_an_answer() -> None:
    said = "Vous pouvez me joindre au 418 555-0101."
    turn = take_turn(intake_form(), {}, "phone", said, "faq_contact", 0.8)
    assert turn.faq is None and turn.updates["phone"] == "+14185550101"
    asked = take_turn(intake_form(), {}, "phone", "vous êtes où?", "faq_contact", 0.8)
    assert asked.faq == "faq_contact"


def test_je_ne_sais_pas_inside_a_longer_answer_to_an_optional_question() -> None:
    said = "Ouf, je le sais pas pantoute, ça dépend de ce que ça coûte"
    assert (
        take_turn(diagnostic_form(), {}, "diag_budget", said).updates["diag_budget"]
        == "je ne sais pas"
    )


@pytest.mark.usefixtures("fictional")
def test_a_plain_yes_at_the_recap_confirms_even_where_one_question_has_a_yes_button() -> None:
    """The fictional pack gives « Oui » as a button to one diagnostic question only: « oui » to
    « Est-ce que ces pistes vous conviennent? » is still the confirmation, not a correction."""
    yes_buttons = [q.name for q in diagnostic_form().questions if ("Oui", "oui") in q.buttons]
    assert yes_buttons == ["diag_google_profile"]
    turn = take_turn(diagnostic_form(), {}, "diag_summary_confirmed", "oui")
    assert turn.updates == {"diag_summary_confirmed": True} and turn.next_question is None
