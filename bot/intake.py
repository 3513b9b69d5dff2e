"""The eligibility intake conversation as a plain state machine, tested without Rasa.

`take_turn` receives what the merchant just wrote, the answers so far and the question that
was asked; it returns the answers to store, what to say, and the next question (or None when
the intake is finished or paused). The Rasa form only maps the tracker to this and back.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from bot.conversation import Turn, field_named, first_unanswered, interruption
from bot.eligibility import Intake, Readiness
from bot.limits import INTAKE as LIMITS
from bot.limits import SHORTEST_NAME
from bot.parsing import (
    NotUnderstood,
    Sector,
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
from bot.text import fold, one_line
from bot.vocabulary import Answer

QUESTIONS = (
    "business_name", "contact_name", "contact_role", "email", "phone", "address",
    "municipality", "storefront", "sector", "sector_detail", "sdc_member", "association_name",
    "employees", "hours_per_week", "readiness", "impact", "recap_confirmed",
)  # fmt: skip

LABELS = {
    "business_name": "Entreprise",
    "contact_name": "Votre nom",
    "contact_role": "Votre rôle",
    "email": "Courriel",
    "phone": "Téléphone",
    "address": "Adresse",
    "municipality": "Municipalité",
    "storefront": "Local ouvert à la clientèle",
    "sector": "Secteur",
    "sector_detail": "Précision sur le secteur",
    "sdc_member": "Artère avec SDC ou regroupement d'affaires",
    "association_name": "SDC ou regroupement",
    "employees": "Nombre d'employés",
    "hours_per_week": "Temps par semaine",
    "readiness": "Prêt à passer à l'action",
    "impact": "Impact attendu",
}
# What a merchant may type to name a field to correct at the recap.
_FIELD_WORDS = {
    "business_name": ("entreprise", "commerce", "nom de l entreprise", "nom du commerce"),
    "contact_name": ("mon nom", "votre nom", "nom"),
    "contact_role": ("role", "poste", "titre"),
    "email": ("courriel", "email", "mail", "adresse courriel"),
    "phone": ("telephone", "tel", "numero", "cell"),
    "address": ("adresse", "code postal"),
    "municipality": ("municipalite", "ville"),
    "storefront": ("local", "pignon"),
    "sector": ("secteur",),
    "sdc_member": ("sdc", "regroupement", "association"),
    "employees": ("employes", "employe"),
    "hours_per_week": ("temps", "heures"),
    "readiness": ("pret", "action"),
    "impact": ("impact",),
}


def questions_for(answers: dict[str, Any]) -> list[str]:
    """The questions this merchant has to answer, given what they already said."""
    skip = set()
    territory = check_territory(answers.get("postal_code"), answers.get("municipality"))
    if (
        answers.get("address")
        and not territory.ask_municipality
        and not answers.get("municipality")
    ):
        skip.add("municipality")
    if answers.get("sector") != Sector.OTHER.value or answers.get("sector_detail_given"):
        skip.add("sector_detail")
    if answers.get("sdc_member") != Answer.YES.value:
        skip.add("association_name")
    return [q for q in QUESTIONS if q not in skip]


def next_question(answers: dict[str, Any]) -> str | None:
    return first_unanswered(questions_for(answers), answers)


def _clean(question: str, text: str) -> str:
    """The answer on one line, within the question's limit (`bot.limits`)."""
    text = one_line(text)
    if not text:
        raise NotUnderstood("une réponse (même « je ne sais pas »)")
    longest = LIMITS.get(question, max(LIMITS.values()))
    if len(text) > longest:
        raise NotUnderstood(f"une réponse plus courte ({longest} caractères au maximum)")
    return text


def _readiness(text: str) -> Readiness:
    folded = fold(text)
    if any(w in folded for w in ("informe", "sais pas", "pas sur", "curieux", "regarde")):
        return Readiness.EXPLORING
    if any(w in folded for w in ("mois", "bientot", "plus tard", "automne", "printemps", "annee")):
        return Readiness.SOON
    if any(w in folded for w in ("maintenant", "pret", "tout de suite", "asap", "oui", "go")):
        return Readiness.NOW
    raise NotUnderstood("« prêt à commencer », « d'ici quelques mois » ou « je m'informe »")


def read_answer(question: str, text: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The slot values a reply to `question` gives; raise NotUnderstood if it cannot be read."""
    text = _clean(question, text)
    if question in {"business_name", "contact_name"}:
        if len(text) < SHORTEST_NAME:
            raise NotUnderstood(f"un nom de {SHORTEST_NAME} à {LIMITS[question]} caractères")
        return {question: text}
    if question in {"contact_role", "association_name", "impact", "sector_detail"}:
        value: dict[str, Any] = {question: text}
        if question == "sector_detail":
            value["sector_detail_given"] = True
        return value
    if question == "email":
        return {"email": parse_email(text)}
    if question == "phone":
        return {"phone": parse_phone(text)}
    if question == "address":
        code = find_postal_code(text)
        place = find_place(text)
        if code is None and place is None:
            raise NotUnderstood(
                "l'adresse avec le code postal, par exemple 123, rue Saint-Joseph Est, G1K 3A5"
            )
        found: dict[str, Any] = {"address": text, "postal_code": code}
        if place is not None:
            found["municipality"] = place.name
        return found
    if question == "municipality":
        place = find_place(text)
        return {"municipality": place.name if place else text}
    if question in {"storefront", "sdc_member"}:
        return {question: parse_yes_no(text).value}
    if question == "sector":
        sector = parse_sector(text)
        value = {"sector": sector.value}
        if sector is Sector.OTHER and fold(text) not in {"autre", "autres"}:
            value |= {"sector_detail": text, "sector_detail_given": True}
        return value
    if question == "employees":
        return {"employees": parse_count(text)}
    if question == "hours_per_week":
        folded = fold(text)
        hours = 0.5 if "moins d une heure" in folded else parse_hours_per_week(text)
        return {"hours_per_week": hours}
    if question == "readiness":
        return {"readiness": _readiness(text).value}
    raise ValueError(f"unknown question {question}")


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


def take_turn(
    answers: dict[str, Any],
    question: str | None,
    text: str,
    intent: str | None = None,
    confidence: float = 0.0,
    failures: int = 0,
) -> Turn:
    """Handle one message of the intake: answer, digression, correction, stop or recap."""
    turn = Turn()
    if question is None:  # the form starts (or resumes)
        turn.next_question = next_question(answers)
        if turn.next_question != "recap_confirmed" and any(answers.get(q) for q in QUESTIONS):
            turn.say.append(("utter_intake_resumed", {}))  # the recap speaks for itself
        return turn
    interrupted = interruption(text, question, intent, confidence, "utter_intake_paused")
    if interrupted:
        return interrupted

    if question in {"recap_confirmed", "field_to_correct"}:
        return _recap_turn(answers, question, text, turn)

    extra = _extra_answers(text, question, answers)
    corrections = {k: v for k, v in extra.items() if answers.get(k) not in (None, "", v)}
    if corrections:  # "en fait mon courriel c'est ...": an earlier answer changes
        turn.updates = corrections
        for name, value in corrections.items():
            turn.say.append(("utter_intake_noted", {"label": LABELS[name], "value": value}))
    else:
        try:
            turn.updates = read_answer(question, text, answers) | extra | {"intake_failures": 0}
        except NotUnderstood as expected:
            again = "utter_intake_help" if failures >= 1 else "utter_intake_not_understood"
            turn.say.append((again, {"expected": str(expected)}))
            turn.updates = extra | {"intake_failures": failures + 1}
    turn.next_question = next_question({**answers, **turn.updates})
    return turn


def _recap_turn(answers: dict[str, Any], question: str, text: str, turn: Turn) -> Turn:
    """At the recap: confirm, or say what to correct (a field's name, or the right value)."""
    extra = _extra_answers(text, None, answers)
    if extra:  # "mon courriel c'est plutôt ..."
        turn.updates = extra
        turn.next_question = "recap_confirmed"
        return turn
    named = field_named(text, _FIELD_WORDS)
    if named is not None:
        turn.updates = {named: None}
        if named == "address":
            turn.updates |= {"postal_code": None, "municipality": None}
        if named == "sector":
            turn.updates |= {"sector_detail": None, "sector_detail_given": None}
        turn.next_question = named
        return turn
    if question == "field_to_correct":
        expected = "le nom de ce qui est à corriger, par exemple « courriel » ou « adresse »"
        turn.say.append(("utter_intake_not_understood", {"expected": expected}))
        turn.next_question = "field_to_correct"
        return turn
    try:
        confirmed = parse_yes_no(text) is Answer.YES
    except NotUnderstood:
        confirmed = False
    if confirmed:
        turn.updates = {"recap_confirmed": True}
        turn.next_question = None
    else:
        turn.next_question = "field_to_correct"
    return turn


def recap(answers: dict[str, Any]) -> str:
    """The summary the merchant confirms before anything is submitted."""
    lines = ["Voici ce que j'ai noté :"]
    for name in questions_for(answers):
        if name in LABELS and answers.get(name) not in (None, ""):
            value = answers[name]
            if name == "hours_per_week":
                value = f"{value:g} h"
            lines.append(f"• {LABELS[name]} : {value}")
    lines.append("Est-ce exact?")
    return "\n".join(lines)


def to_intake(answers: dict[str, Any]) -> Intake:
    """The parsed intake the eligibility rules decide on."""
    return Intake(
        business_name=answers["business_name"],
        postal_code=answers.get("postal_code"),
        municipality=answers.get("municipality"),
        storefront=Answer(answers["storefront"]),
        sector=Sector(answers["sector"]),
        sdc_or_association=Answer(answers["sdc_member"]),
        employees=answers.get("employees"),
        hours_per_week=answers.get("hours_per_week"),
        readiness=Readiness(answers["readiness"]) if answers.get("readiness") else None,
        impact=answers.get("impact") or "",
    )
