"""Typed equals clicked, over every response with buttons in the domain and every set of buttons
the forms show (`bot/buttons.py`)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.buttons import typed_choice
from bot.diagnostic_form import form as diagnostic_form
from bot.forms import as_buttons
from bot.intake import intake_form
from bot.pack.responses import responses
from bot.text import fold
from bot.vocabulary import Answer, find_yes_no

YES = ("oui", "Oui!", "ouais", "ok", "OK merci", "oui svp", "d'accord", "ben oui", "parfait")
NO = ("non", "non merci", "Non, merci.", "pas tout de suite", "nope", "pas maintenant", "plus tard")


def responses_with_buttons() -> list[tuple[str, list[dict[str, Any]]]]:
    found = []
    for name, variants in responses().items():
        for variant in variants:
            if variant.get("buttons"):
                found.append((name, variant["buttons"]))
    for form in (intake_form(), diagnostic_form()):
        for question in form.questions:
            if question.buttons:
                found.append((f"utter_ask_{question.name}", as_buttons(question.buttons)))
            if question.escalation():
                found.append((f"{question.name} (choices)", as_buttons(question.escalation())))
    return found


RESPONSES = responses_with_buttons()


def kind(button: dict[str, Any]) -> Answer | None:
    if button["payload"] in {"/affirm", "oui"}:
        return Answer.YES
    if button["payload"] in {"/deny", "non"}:
        return Answer.NO
    return find_yes_no(button["title"])


def test_the_domain_has_buttons_to_walk() -> None:
    assert len(RESPONSES) >= 40


@pytest.mark.parametrize(("response", "buttons"), RESPONSES, ids=[r for r, _ in RESPONSES])
def test_typing_a_button_title_is_clicking_it(response: str, buttons: list[dict[str, Any]]) -> None:
    for button in buttons:
        title = button["title"]
        for typed in (title, title.lower(), fold(title), f"{title}!"):
            assert typed_choice(typed, buttons) == button["payload"], (response, typed)


@pytest.mark.parametrize(("response", "buttons"), RESPONSES, ids=[r for r, _ in RESPONSES])
def test_a_plain_yes_or_no_is_the_yes_or_no_button(
    response: str, buttons: list[dict[str, Any]]
) -> None:
    kinds = [kind(b) for b in buttons]
    for answer, typed_words in ((Answer.YES, YES), (Answer.NO, NO)):
        opposite = Answer.NO if answer is Answer.YES else Answer.YES
        if kinds.count(answer) == 1:
            meant = buttons[kinds.index(answer)]["payload"]
        elif len(buttons) == 2 and answer not in kinds and opposite in kinds:
            meant = buttons[1 - kinds.index(opposite)]["payload"]
        else:
            continue
        for typed in typed_words:
            assert typed_choice(typed, buttons) == meant, (response, typed)


def test_the_issue_s_case_oui_to_choosing_a_moment_books() -> None:
    saved = dict(RESPONSES)["utter_diagnostic_saved"]
    assert typed_choice("oui", saved) == "/request_booking"
    assert typed_choice("pas tout de suite", saved) == "/deny"


@pytest.mark.parametrize(
    "text",
    ["oui mais combien ça coûte?", "non, je suis à Lévis", "c'est quoi le programme", "", "  ",
     "/affirm", "🙂" * 50, "<b>oui</b> et non"],
)  # fmt: skip
def test_anything_else_is_read_as_typed(text: str) -> None:
    buttons = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]
    assert typed_choice(text, buttons) is None


def test_je_ne_sais_pas_in_any_spelling_is_its_button() -> None:
    saved = dict(RESPONSES)["utter_ask_diag_website"]
    for typed in ("je sais pas", "jsais pas", "aucune idée", "chu pas sûr"):
        assert typed_choice(typed, saved) == "je ne sais pas"
