"""The intake conversation logic: answers, digressions, corrections, stop/resume, recap."""

from __future__ import annotations

from typing import Any

import pytest

from bot.eligibility import Outcome, decide
from bot.forms import FAILURES
from bot.intake import intake_form, recap, take_turn, to_intake
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
    assert (
        answers["municipality"] == "Boischatel"
        and intake_form().next_question(answers) == "storefront"
    )


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


CHARLESBOURG = "Association des gens d'affaires de Charlesbourg"


def test_answers_typed_in_sentences_are_stored_as_meant() -> None:
    """A merchant who types instead of clicking: the name without the role (kept as the role's
    answer, not asked again), the role and the association without the fillers."""
    named = take_turn({"business_name": "X"}, "contact_name", "Ginette Tremblay, la propriétaire")
    assert named.updates | {FAILURES: 0} == {
        "contact_name": "Ginette Tremblay",
        "contact_role": "Propriétaire",
        FAILURES: 0,
    }
    assert named.next_question == "email"  # the role was said: not asked
    role = take_turn({}, "contact_role", "comme j'ai dit, la propriétaire")
    assert role.updates["contact_role"] == "Propriétaire"
    filler = "ben je viens de le dire, les gens d'affaires de Charlesbourg"
    said = take_turn({"sdc_member": "oui"}, "association_name", filler)
    assert said.updates["association_name"] == "Gens d'affaires de Charlesbourg"


@pytest.mark.parametrize(
    ("answer", "association"),
    [
        ("oui, une SDC ou un regroupement, les gens d'affaires de Charlesbourg",
         "Gens d'affaires de Charlesbourg"),
        ("oui on fait partie du regroupement des gens d'affaires de Charlesbourg",
         "Regroupement des gens d'affaires de Charlesbourg"),
        ("ouin, on est membre de la SDC du Vieux-Québec", "SDC du Vieux-Québec"),
        ("oui SDC Limoilou", "SDC Limoilou"),
    ],
)  # fmt: skip
def test_a_yes_that_names_the_association_is_not_asked_its_name(
    answer: str, association: str
) -> None:
    answers = converse(HAPPY)
    del answers["association_name"]
    turn = take_turn(answers | {"sdc_member": None}, "sdc_member", answer)
    assert turn.updates["sdc_member"] == "oui"
    assert turn.updates["association_name"] == association
    assert turn.next_question == "recap_confirmed"  # « Quel est le nom…? » skipped


def test_a_plain_yes_asks_the_associations_name() -> None:
    turn = take_turn({}, "sdc_member", "oui, une SDC ou un regroupement")
    assert "association_name" not in turn.updates


@pytest.mark.parametrize(
    "text",
    [
        f"la SDC c'est l'{CHARLESBOURG}",
        f"SDC ou regroupement : {CHARLESBOURG}",  # the recap's own label
        f"l'{CHARLESBOURG}",  # the new value alone
        f"le nom du regroupement c'est {CHARLESBOURG}",
    ],
)
def test_the_association_corrected_at_the_recap(text: str) -> None:
    answers = converse(HAPPY)
    for question in ("recap_confirmed", "field_to_correct"):
        turn = take_turn(answers, question, text)
        assert turn.updates["association_name"] == CHARLESBOURG, turn
        assert turn.next_question == "recap_confirmed"
        assert turn.say == [
            ("utter_form_noted", {"label": "SDC ou regroupement", "value": CHARLESBOURG})
        ]


def test_a_field_named_alone_is_asked_again_by_its_longest_name() -> None:
    answers = converse(HAPPY)
    turn = take_turn(answers, "recap_confirmed", "le nom du regroupement")
    assert turn.updates == {"association_name": None, FAILURES: 0}
    assert turn.next_question == "association_name"  # not « Et votre nom? »


def test_several_corrections_in_one_message_are_all_kept() -> None:
    answers = converse(HAPPY)
    text = "mon nom c'est juste Ginette Tremblay pis mon rôle c'est gérante"
    turn = take_turn(answers, "recap_confirmed", text)
    assert turn.updates == {
        "contact_name": "Ginette Tremblay",
        "contact_role": "Gérante",
        FAILURES: 0,
    }
    assert turn.say == [
        ("utter_form_noted", {"label": "Votre nom", "value": "Ginette Tremblay"}),
        ("utter_form_noted", {"label": "Votre rôle", "value": "Gérante"}),
    ]
    same = take_turn(answers | turn.updates, "recap_confirmed", "mon rôle c'est gérante")
    assert same.say == [("utter_form_unchanged", {"label": "Votre rôle", "value": "Gérante"})]


@pytest.mark.parametrize(
    ("text", "updates"),
    [
        ("581 555-7777", {"phone": "+15815557777"}),
        ("propriétaire", {"contact_role": "Propriétaire"}),
        ("je suis la gérante", {"contact_role": "Gérante"}),
        ("5 employés", {"employees": 5}),
        ("3 heures", {"hours_per_week": 3.0}),
        ("Restauration", {"sector": "restauration", "sector_detail": None,
                          "sector_detail_given": None}),
        ("D'ici quelques mois", {"readiness": "d'ici quelques mois"}),
        ("456, rue Saint-Vallier Ouest, Québec G1K 1K2",
         {"address": "456, rue Saint-Vallier Ouest, Québec G1K 1K2", "postal_code": "G1K 1K2",
          "municipality": "la Ville de Québec"}),
    ],
)  # fmt: skip
def test_a_new_value_alone_corrects_the_one_answer_it_can_be(
    text: str, updates: dict[str, Any]
) -> None:
    answers = converse(HAPPY)
    turn = take_turn(answers, "recap_confirmed", text)
    assert {k: v for k, v in turn.updates.items() if k != FAILURES} == updates
    assert turn.next_question == "recap_confirmed" and turn.say


@pytest.mark.parametrize("text", ["Ginette Tremblay", "oui", "3", "Je ne sais pas"])
def test_a_value_that_could_be_several_answers_is_not_guessed(text: str) -> None:
    turn = take_turn(converse(HAPPY), "field_to_correct", text)
    assert set(turn.updates) <= {FAILURES, "recap_confirmed"}


def test_saying_no_to_the_sdc_at_the_recap_drops_its_name() -> None:
    turn = take_turn(converse(HAPPY), "recap_confirmed", "la SDC c'est non")
    assert turn.updates == {"sdc_member": "non", "association_name": None, FAILURES: 0}
    assert "• SDC ou regroupement :" not in recap(converse(HAPPY) | turn.updates)


def test_the_limit_applies_to_what_is_kept_not_to_the_sentence_around_it() -> None:
    chatty = (
        "Moi c'est Nathalie Girard, enchantée! Ma belle-sœur m'a parlé de votre programme la "
        "semaine passée, elle dit que ça l'a beaucoup aidée."
    )
    assert len(chatty) > 120
    assert take_turn({}, "contact_name", chatty).updates["contact_name"] == "Nathalie Girard"
    too_long = take_turn({}, "business_name", "Boutique " + "x" * 120)
    assert too_long.say[0][1]["expected"] == "une réponse plus courte (120 caractères au maximum)"
