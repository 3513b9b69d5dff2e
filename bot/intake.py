"""The eligibility intake as data for the form engine (`bot.forms`): its questions, how each
answer is read, the recap, and the intake the eligibility rules decide on.

Each answer is stored as meant, not word for word (`bot.extraction`): « Ginette Tremblay, la
propriétaire » is a name and a role (not asked again), « comme j'ai dit, la propriétaire » a
role, « oui, les gens d'affaires de Charlesbourg » a yes with the association's name (not asked
again); what was typed stays in the conversation's transcript. Answers found in any message
(an e-mail, a phone number) are taken as corrections of earlier ones. The Rasa form only maps
the tracker to `take_turn` and back. The form's labels, examples, buttons and the words that
name its fields are the pack's (`program/intake.yml`, the sectors `program/eligibility.yml`),
read at call time (`intake_form()`).
"""

from __future__ import annotations

import re
from contextlib import suppress
from functools import cache
from typing import Any

from bot import extraction, forms
from bot.eligibility import Intake, Readiness
from bot.forms import Form, Question, Reader
from bot.limits import INTAKE as LIMITS
from bot.limits import SHORTEST_NAME
from bot.pack.eligibility import Eligibility, current_eligibility
from bot.pack.intake import QUESTIONS as PACK_QUESTIONS
from bot.pack.intake import YES_NO_QUESTIONS, IntakeTexts, current_intake
from bot.parsing import (
    NotUnderstood,
    find_email,
    find_postal_code,
    parse_count,
    parse_email,
    parse_hours_per_week,
    parse_phone,
    parse_sector,
    parse_yes_no,
)
from bot.territory import check_territory, find_place
from bot.text import fold, one_line, phone_for_people
from bot.vocabulary import Answer, yes_no_phrase


def _clean(question: str, text: str) -> str:
    """The answer on one line, within the question's limit (`bot.limits`)."""
    text = one_line(text)
    if not text:
        raise NotUnderstood("une réponse (même « je ne sais pas »)")
    longest = LIMITS.get(question, max(LIMITS.values()))
    if len(text) > longest:
        raise NotUnderstood(f"une réponse plus courte ({longest} caractères au maximum)")
    return text


def _short_enough(question: str, value: str) -> str:
    if len(value) < SHORTEST_NAME:
        raise NotUnderstood(f"un nom de {SHORTEST_NAME} à {LIMITS[question]} caractères")
    return value


def _said(text: str) -> str:
    """The message on one line; the limit applies to the value kept from it (`_clean`)."""
    said = one_line(text)
    if not said:
        raise NotUnderstood("une réponse (même « je ne sais pas »)")
    return said


def _business_name(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The shop's name, without « ça s'appelle » and the remarks after it."""
    name = _clean("business_name", extraction.business(_said(text)))
    return {"business_name": _short_enough("business_name", name)}


def _contact_name(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The person's name; a role said with it is the role's answer (« Ginette Tremblay, la
    propriétaire »)."""
    name, role = extraction.person(_said(text))
    if not name:
        raise NotUnderstood("votre prénom et votre nom")
    found = {"contact_name": _short_enough("contact_name", _clean("contact_name", name))}
    if role and len(role) <= LIMITS["contact_role"]:
        found["contact_role"] = role
    return found


def _association_name(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The association's name as meant; « je sais pas le nom exact » is « je ne sais pas »."""
    said = yes_no_phrase(text)
    if said and said[0] is Answer.UNSURE and len(said[1].split()) <= 4:
        return {"association_name": Answer.UNSURE.value}
    name = extraction.association(_said(text))
    return {"association_name": _clean("association_name", name)}


def _text(question: str) -> Reader:
    """The answer as typed; « je sais pas le nom exact » is « je ne sais pas »."""

    def read(text: str, answers: dict[str, Any]) -> dict[str, Any]:
        said = yes_no_phrase(text)
        if said and said[0] is Answer.UNSURE and len(said[1].split()) <= 4:
            return {question: Answer.UNSURE.value}
        return {question: _clean(question, text)}

    return read


def _role(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The role as meant (« comme j'ai dit, la propriétaire » is « Propriétaire »); in an answer
    too long to keep, the role it names."""
    said = _said(text)
    role = extraction.role(said)
    if len(role) > LIMITS["contact_role"]:
        folded = f" {fold(said)} "
        named = next((r for w, r in extraction.ROLES.items() if f" {w} " in folded), None)
        if named:
            return {"contact_role": named}
    return {"contact_role": _clean("contact_role", role)}


def _role_alone(text: str, answers: dict[str, Any]) -> dict[str, Any] | None:
    """A role said alone at the recap (« propriétaire », « je suis la gérante »)."""
    name, role = extraction.person(text)
    return {"contact_role": role} if role and not name else None


def _email(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    return {"email": parse_email(_clean("email", text))}


def _phone(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    return {"phone": parse_phone(_clean("phone", text))}


def _address(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    text = _clean("address", text)
    code = find_postal_code(text)
    place = find_place(text)
    if code is None and place is None:
        raise NotUnderstood("l'adresse avec le code postal")
    found: dict[str, Any] = {"address": text, "postal_code": code}
    if place is not None:
        found["municipality"] = place.name
    return found


def _municipality(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    place = find_place(_clean("municipality", text))
    return {"municipality": place.name if place else one_line(text)}


def _signs(question: str) -> tuple[str, ...]:
    """The words that say yes to a yes/no question, beyond « oui » (the pack's `signs`)."""
    return current_intake().question(question).signs


def _storefront(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    answer = parse_yes_no(_clean("storefront", text), _signs("storefront"))
    return {"storefront": answer.value}


def _sdc_member(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Yes, no or « je ne sais pas »; a yes that names the association answers its name too
    (« oui, on fait partie du regroupement des gens d'affaires de Charlesbourg »)."""
    answer = parse_yes_no(_clean("sdc_member", text), _signs("sdc_member"))
    found: dict[str, Any] = {"sdc_member": answer.value}
    if found["sdc_member"] == Answer.YES.value and (name := extraction.association_named(text)):
        found["association_name"] = name[: LIMITS["association_name"]]
    return found


def _association_alone(text: str, answers: dict[str, Any]) -> dict[str, Any] | None:
    """An association named alone at the recap (« l'Association des gens d'affaires de
    Charlesbourg »): the merchant is a member of it."""
    name = extraction.association_named(text)
    if name is None or len(fold(name).split()) + 3 < len(fold(text).split()):
        return None
    return {"sdc_member": Answer.YES.value, "association_name": name[: LIMITS["association_name"]]}


def _address_alone(text: str, answers: dict[str, Any]) -> dict[str, Any] | None:
    """An address with a street number and a postal code, typed alone at the recap."""
    if find_postal_code(text) and re.match(r"\s*\d", text):
        return _address(text, answers)
    return None


_HOURS = re.compile(r"\b(?:h|hr|hrs|heure|heures|minute|minutes|min|mins)\b")
_PEOPLE = re.compile(r"\b(?:employe|employes|employee|employees|personnes|travailleurs)\b")


def _hours_alone(text: str, answers: dict[str, Any]) -> dict[str, Any] | None:
    return _hours(text, answers) if _HOURS.search(fold(text)) else None


def _employees_alone(text: str, answers: dict[str, Any]) -> dict[str, Any] | None:
    return _employees(text, answers) if _PEOPLE.search(fold(text)) else None


def _sector(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    text = _clean("sector", text)
    sector = parse_sector(text)
    value: dict[str, Any] = {"sector": sector.label}
    if sector.is_other and fold(text) not in sector.names:  # not « autre » alone: its detail
        value |= {"sector_detail": text, "sector_detail_given": True}
    return value


def _sector_detail(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    return {"sector_detail": _clean("sector_detail", text), "sector_detail_given": True}


def _employees(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    return {"employees": parse_count(_clean("employees", text))}


def _hours(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    return {"hours_per_week": parse_hours_per_week(_clean("hours_per_week", text))}


def _hours_shown(value: Any) -> Any:
    """Hours as written in French: « 1,5 h »."""
    return f"{value:g} h".replace(".", ",") if isinstance(value, int | float) else value


def _readiness(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    folded = fold(_clean("readiness", text))
    exploring = ("inform", "sais pas", "pas sur", "curieux", "curieuse", "regarde", "magasin", "renseign", "info",
                 "voir ce que", "avant de m engager")  # fmt: skip
    if any(w in folded for w in exploring):
        return {"readiness": Readiness.EXPLORING.value}
    soon = ("mois", "bientot", "plus tard", "automne", "printemps", "annee", "fetes", "apres",
            "pas encore", "semaines", "rentree", "janvier", "l hiver", "l ete")  # fmt: skip
    if any(w in folded for w in soon):
        return {"readiness": Readiness.SOON.value}
    now = ("maintenant", "pret", "tout de suite", "asap", "oui", "go", "ready", "down", "commencer",
           "vite", "drette")  # fmt: skip
    if any(w in folded for w in now):
        return {"readiness": Readiness.NOW.value}
    raise NotUnderstood("quand vous aimeriez commencer")


def _readiness_shown(value: Any) -> Any:
    """The stored readiness as the merchant reads it (the pack's words, without gender as the
    buttons')."""
    shown = dict(current_intake().readiness_shown)
    return next((shown[r.name.lower()] for r in Readiness if r.value == value), value)


def _extra_answers(text: str, question: str | None, answers: dict[str, Any]) -> dict[str, Any]:
    """Answers to other questions found in the same message: an e-mail address, a phone number."""
    extra: dict[str, Any] = {}
    if question != "email" and (email := find_email(text)):
        with suppress(NotUnderstood):
            extra["email"] = parse_email(email)
    if question not in {"phone", "address"} and not find_postal_code(text):
        with suppress(NotUnderstood):
            extra["phone"] = parse_phone(text)
    return extra


def _municipality_needed(answers: dict[str, Any]) -> bool:
    territory = check_territory(answers.get("postal_code"), answers.get("municipality"))
    return (
        not answers.get("address")
        or territory.ask_municipality
        or bool(answers.get("municipality"))
    )


def _detail_needed(answers: dict[str, Any]) -> bool:
    other = current_eligibility().other.label
    return answers.get("sector") == other and not answers.get("sector_detail_given")


# How each question's answer is read and what goes with it; its wording is the pack's
# (`program/intake.yml`, the sectors' buttons `program/eligibility.yml`).
_READ: dict[str, dict[str, Any]] = {
    "business_name": {"read": _business_name},
    "contact_name": {"read": _contact_name},
    "contact_role": {"read": _role, "alone": _role_alone},
    "email": {"read": _email},
    "phone": {"read": _phone, "shown": phone_for_people},
    "address": {"read": _address, "alone": _address_alone,
                "clears": ("postal_code", "municipality")},
    "municipality": {"read": _municipality, "asked": _municipality_needed},
    "storefront": {"read": _storefront},
    "sector": {"read": _sector, "clears": ("sector_detail", "sector_detail_given")},
    "sector_detail": {"read": _sector_detail, "asked": _detail_needed},
    "sdc_member": {"read": _sdc_member, "clears": ("association_name",)},
    "association_name": {"read": _association_name, "optional": True,
                         "asked": lambda a: a.get("sdc_member") == Answer.YES.value,
                         "alone": _association_alone},
    "employees": {"read": _employees, "optional": True, "alone": _employees_alone},
    "hours_per_week": {"read": _hours, "optional": True, "hears": ("pas le temps",),
                       "alone": _hours_alone, "shown": _hours_shown},
    "readiness": {"read": _readiness, "hears": ("plus tard",), "shown": _readiness_shown},
    "impact": {"read": _text("impact"), "optional": True},
}  # fmt: skip
RECAP, CORRECT = "recap_confirmed", "field_to_correct"
QUESTIONS = (*PACK_QUESTIONS, RECAP)  # the form's slots


@cache
def _form(texts: IntakeTexts, eligibility: Eligibility) -> Form:
    """The form: the code's readers (`_READ`) with the pack's wording."""
    buttons = {name: texts.yes_no for name in YES_NO_QUESTIONS}
    buttons["sector"] = tuple((s.button, s.button) for s in eligibility.every_sector)
    questions = []
    for text in texts.questions:
        questions.append(
            Question(
                text.name,
                example=text.example,
                buttons=buttons.get(text.name, text.buttons),
                choices=text.choices,
                label=text.label,
                words=text.words,
                **_READ[text.name],
            )
        )
    return Form(
        questions=tuple(questions),
        recap=RECAP,
        correct=CORRECT,
        correct_example=texts.correct_example,
        paused="utter_intake_paused",
        resumed="utter_intake_resumed",
        extra=_extra_answers,
    )


def intake_form() -> Form:
    """The intake form in the current pack's words (read at call time)."""
    return _form(current_intake(), current_eligibility())


def labels() -> dict[str, str]:
    """Each question's recap label, as the lead's file shows the answers."""
    return {q.name: q.label for q in intake_form().questions}


# Handle one message of the form (`bot.forms.take_turn` on the current pack's form).
take_turn = forms.FormTurns(intake_form)


def recap(answers: dict[str, Any]) -> str:
    """The summary the merchant confirms before anything is submitted."""
    form, texts = intake_form(), current_intake()
    lines = [texts.opening]
    for question in form.questions:
        if question.asked(answers) and answers.get(question.name) not in (None, ""):
            lines.append(f"• {question.label} : {question.shown(answers[question.name])}")
    lines.append(texts.closing)
    return "\n".join(lines)


def _number(value: Any) -> Any:
    """A count or a time as answered, or None for « je ne sais pas »."""
    return value if isinstance(value, int | float) else None


def to_intake(answers: dict[str, Any]) -> Intake:
    """The parsed intake the eligibility rules decide on."""
    return Intake(
        business_name=answers["business_name"],
        postal_code=answers.get("postal_code"),
        municipality=answers.get("municipality"),
        storefront=Answer(answers["storefront"]),
        sector=current_eligibility().stored(answers["sector"]),
        sdc_or_association=Answer(answers["sdc_member"]),
        employees=_number(answers.get("employees")),
        hours_per_week=_number(answers.get("hours_per_week")),
        readiness=Readiness(answers["readiness"]) if answers.get("readiness") else None,
        impact=answers.get("impact") or "",
    )
