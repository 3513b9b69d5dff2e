"""The diagnostic conversation: full run, skipping, "je sais pas", stop, FAQ, summary correction."""

from __future__ import annotations

from typing import Any

import pytest

from bot.diagnostic import profile
from bot.diagnostic_form import form as diagnostic_form
from bot.diagnostic_form import take_turn, to_answers
from bot.forms import FAILURES

REPLIES = {
    "diag_website": "on a un vieux site",
    "diag_platform": "WordPress je pense",
    "diag_social_networks": "fb pis insta",
    "diag_posting": "rarement",
    "diag_google_profile": "je sais pas",
    "diag_online_sales": "non",
    "diag_newsletter": "pantoute",
    "diag_online_booking": "non",
    "diag_tools": "juste la caisse",
    "diag_goals": "plus de visibilité et vendre en ligne",
    "diag_obstacles": "le temps pis le budget",
    "diag_budget": "1 000 à 5 000 $",
    "diag_first_change": "Que les gens nous trouvent sur Google",
}


def run(replies: dict[str, str]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    question = take_turn(answers, None, "").next_question
    while question and question != "diag_summary_confirmed":
        turn = take_turn(answers, question, replies[question])
        answers |= turn.updates
        question = turn.next_question
    return answers


def test_full_diagnostic() -> None:
    answers = run(REPLIES)
    result = to_answers(answers)
    assert (result.website, result.platform, result.social_networks) == (
        "ancien",
        "WordPress",
        "Facebook, Instagram",
    )
    assert result.google_profile == "je ne sais pas" and result.newsletter == "non"
    assert [f.title for f in profile(result).focus][:3] == [
        "Visibilité locale",  # « que les gens nous trouvent sur Google », the first change
        "Site Web",
        "Contenu des réseaux sociaux",
    ]
    assert diagnostic_form().next_question(answers) == "diag_summary_confirmed"


def test_skipping_and_unknowns() -> None:
    answers = run(
        {q: "passer" for q in REPLIES} | {"diag_website": "aucun", "diag_social_networks": "aucun"}
    )
    assert "diag_platform" not in answers and "diag_posting" not in answers
    assert to_answers(answers).budget == "je ne sais pas"


def test_stop_midway_keeps_what_was_answered() -> None:
    turn = take_turn({"diag_website": "aucun"}, "diag_social_networks", "on arrête ça")
    assert turn.paused and turn.updates == {}
    assert to_answers({"diag_website": "aucun"}).website == "aucun"


def test_faq_in_the_middle() -> None:
    turn = take_turn({}, "diag_budget", "c'est tu gratuit?", "faq_cost", 0.8)
    assert (turn.faq, turn.next_question) == ("faq_cost", "diag_budget")


def test_summary_correction() -> None:
    answers = run(REPLIES)
    fix = take_turn(answers, "diag_summary_confirmed", "le budget est pas bon")
    assert fix.updates == {"diag_budget": None, FAILURES: 0} and fix.next_question == "diag_budget"
    ask = take_turn(answers, "diag_summary_confirmed", "non")
    assert (ask.say, ask.next_question) == ([], "diag_field_to_correct")
    which = take_turn(answers, "diag_field_to_correct", "les réseaux")
    assert which.updates == {"diag_social_networks": None, FAILURES: 0}
    done = take_turn(answers, "diag_summary_confirmed", "oui parfait")
    assert done.updates == {"diag_summary_confirmed": True} and done.next_question is None


def test_unreadable_answer_is_asked_again() -> None:
    turn = take_turn({}, "diag_website", "mardi")
    assert turn.say[0][0] == "utter_form_retry" and turn.next_question == "diag_website"


def test_a_platform_said_earlier_is_not_asked_again() -> None:
    """« oui, un site Wix » answers the platform too; so does a platform named later."""
    turn = take_turn({}, "diag_website", "oui, un site fait avec Wix il y a 2 ans")
    assert turn.updates["diag_platform"] == "Wix"
    assert turn.next_question == "diag_social_networks"
    only = take_turn({}, "diag_website", "Wix")  # a site, on Wix
    assert only.updates["diag_website"] == "récent" and only.updates["diag_platform"] == "Wix"
    later = {"diag_website": "ancien"}
    assert take_turn(later, "diag_platform", "c'est sur Shopify je crois").updates[
        "diag_platform"
    ] == ("Shopify")
    kept = take_turn({"diag_platform": "Wix"}, "diag_online_sales", "oui sur notre Shopify")
    assert "diag_platform" not in kept.updates  # an answer already given stays


def test_a_platform_of_a_site_that_is_not_there_is_left_out() -> None:
    answers = {"diag_website": "aucun", "diag_platform": "Wix"}
    assert to_answers(answers).platform == ""


@pytest.mark.parametrize(
    ("question", "text", "definition"),
    [
        ("diag_newsletter", "c'est quoi une infolettre?", "utter_define_newsletter"),
        ("diag_newsletter", "je sais pas c'est quoi une infolettre", "utter_define_newsletter"),
        ("diag_social_networks", "c'est quoi les médias sociaux?", "utter_define_social_media"),
        ("diag_website", "c'est quoi le référencement?", "utter_define_seo"),
        ("diag_online_sales", "ça veut dire quoi transactionnel?", "utter_define_transactional"),
        ("diag_tools", "c'est quoi un point de vente?", "utter_define_point_of_sale"),
        ("diag_summary_confirmed", "le SEO, c'est quoi?", "utter_define_seo"),
    ],
)
def test_a_word_asked_about_is_defined_then_the_question_asked_again(
    question: str, text: str, definition: str
) -> None:
    turn = take_turn({"diag_website": "aucun"}, question, text)
    assert turn.say == [(definition, {})]
    assert turn.next_question == question and turn.updates == {FAILURES: 0}


def test_an_answer_after_the_question_is_taken() -> None:
    turn = take_turn({}, "diag_newsletter", "c'est quoi une infolettre? on envoie rien en tout cas")
    assert turn.updates["diag_newsletter"] == "non" and not turn.say


def test_the_summary_is_corrected_by_a_value_alone_or_by_name() -> None:
    answers = run(REPLIES)
    budget = take_turn(answers, "diag_summary_confirmed", "le budget c'est plus de 5 000 $")
    assert budget.updates == {"diag_budget": "plus de 5 000 $", FAILURES: 0}
    assert budget.say == [("utter_form_noted", {"label": "Budget", "value": "plus de 5 000 $"})]
    often = take_turn(answers, "diag_summary_confirmed", "aux deux semaines")
    assert often.updates["diag_posting"] == "quelques fois par mois"
    networks = take_turn(answers, "diag_field_to_correct", "Facebook et Instagram")
    assert networks.updates["diag_social_networks"] == "Facebook, Instagram"  # as already noted
    assert networks.say == [
        ("utter_form_unchanged", {"label": "Réseaux sociaux", "value": "Facebook, Instagram"})
    ]
