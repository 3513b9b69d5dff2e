"""The diagnostic conversation: full run, skipping, "je sais pas", stop, FAQ, summary correction."""

from __future__ import annotations

from typing import Any

from bot.diagnostic import profile
from bot.diagnostic_form import DIAGNOSTIC, take_turn, to_answers
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
        "WordPress je pense",
        "Facebook, Instagram",
    )
    assert result.google_profile == "je ne sais pas" and result.newsletter == "non"
    assert [f.title for f in profile(result).focus][:2] == [
        "Site Web",
        "Contenu des réseaux sociaux",
    ]
    assert DIAGNOSTIC.next_question(answers) == "diag_summary_confirmed"


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
