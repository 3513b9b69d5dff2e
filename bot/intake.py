"""The eligibility intake as data for the form engine (`bot.forms`): its questions, how each
answer is read, the recap, and the intake the eligibility rules decide on.

Each answer is stored as meant, not word for word (`bot.extraction`): « Ginette Tremblay, la
propriétaire » is a name and a role (not asked again), « comme j'ai dit, la propriétaire » a
role, « oui, les gens d'affaires de Charlesbourg » a yes with the association's name (not asked
again); what was typed stays in the conversation's transcript. Answers found in any message
(an e-mail, a phone number) are taken as corrections of earlier ones. The Rasa form only maps
the tracker to `take_turn` and back.
"""

from __future__ import annotations

import re
from contextlib import suppress
from functools import partial
from typing import Any

from bot import extraction, forms
from bot.eligibility import Intake, Readiness
from bot.forms import Form, Question, Reader, same
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


def _yes_no(question: str, signs: tuple[str, ...]) -> Reader:
    return lambda text, answers: {question: parse_yes_no(_clean(question, text), signs).value}


def _sdc_member(text: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Yes, no or « je ne sais pas »; a yes that names the association answers its name too
    (« oui, on fait partie du regroupement des gens d'affaires de Charlesbourg »)."""
    found: dict[str, Any] = {"sdc_member": parse_yes_no(_clean("sdc_member", text), MEMBER).value}
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
    value: dict[str, Any] = {"sector": sector.value}
    if sector is Sector.OTHER and fold(text) not in {"autre", "autres"}:
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


# How the merchant reads the stored readiness (words without gender, as the buttons').
READINESS_SHOWN = {
    Readiness.NOW.value: "dès maintenant",
    Readiness.SOON.value: "d'ici quelques mois",
    Readiness.EXPLORING.value: "je m'informe",
}


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


YES_NO = (("Oui", "oui"), ("Non", "non"), ("Je ne sais pas", "je ne sais pas"))
# Words that say yes to the yes/no questions, beyond « oui » (`bot.vocabulary.lean_yes_no`).
STOREFRONT = (
    "pignon",
    "local",
    "comptoir",
    "vitrine",
    "succursale",
    "ouvert au public",
    "ouverte au public",
)
MEMBER = ("sdc", "membre", "artere", "regroupement", "association")
INTAKE = Form(
    questions=(
        Question("business_name", _business_name, "Boulangerie du Quartier",
                 label="Entreprise", words=("entreprise", "commerce", "nom de l entreprise", "nom du commerce")),
        Question("contact_name", _contact_name, "Marie Tremblay",
                 label="Votre nom", words=("mon nom", "votre nom", "nom", "nom de famille", "prenom")),
        Question("contact_role", _role, "propriétaire", alone=_role_alone,
                 buttons=same("Propriétaire", "Gestionnaire", "Employé(e)"),
                 label="Votre rôle", words=("role", "mon role", "poste", "titre", "fonction")),
        Question("email", _email, "nom@exemple.com",
                 label="Courriel", words=("courriel", "email", "mail", "adresse courriel")),
        Question("phone", _phone, "418 555-1234", shown=phone_for_people,
                 label="Téléphone", words=("telephone", "tel", "numero", "cell")),
        Question("address", _address, "123, rue Saint-Joseph Est, Québec, G1K 3A5", alone=_address_alone,
                 label="Adresse", words=("adresse", "code postal"),
                 clears=("postal_code", "municipality")),
        Question("municipality", _municipality, "Québec", asked=_municipality_needed,
                 label="Municipalité", words=("municipalite", "ville")),
        Question("storefront", _yes_no("storefront", STOREFRONT), "oui", buttons=YES_NO,
                 label="Local ouvert à la clientèle", words=("local", "pignon")),
        Question("sector", _sector, "commerce de détail",
                 buttons=same("Commerce de détail", "Hébergement", "Restauration", "Services", "Autre"),
                 label="Secteur", words=("secteur",), clears=("sector_detail", "sector_detail_given")),
        Question("sector_detail", _sector_detail, "atelier de couture",
                 asked=lambda a: a.get("sector") == Sector.OTHER.value and not a.get("sector_detail_given"),
                 label="Précision sur le secteur"),
        Question("sdc_member", _sdc_member, "oui", buttons=YES_NO, clears=("association_name",),
                 label="Artère avec SDC ou regroupement d'affaires",
                 words=("sdc", "regroupement", "association", "artere", "membre")),
        Question("association_name", _association_name, "SDC Saint-Roch", optional=True,
                 asked=lambda a: a.get("sdc_member") == Answer.YES.value, alone=_association_alone,
                 label="SDC ou regroupement",
                 words=("nom du regroupement", "nom de la sdc", "nom de l association", "nom de ma sdc",
                        "nom de notre sdc", "nom de mon regroupement", "nom de notre regroupement",
                        "nom de mon association", "nom de notre association", "nom de la sdc ou du regroupement")),
        Question("employees", _employees, "3 (ou « juste moi »)", optional=True, alone=_employees_alone,
                 choices=same("Juste moi", "2 à 5", "6 à 20", "Plus de 20"),
                 label="Nombre d'employés", words=("employes", "employe")),
        Question("hours_per_week", _hours, "2 heures", optional=True, hears=("pas le temps",), alone=_hours_alone,
                 shown=_hours_shown,
                 buttons=same("Moins d'une heure", "1 à 2 heures", "3 heures et plus"),
                 label="Temps par semaine", words=("temps", "heures")),
        Question("readiness", _readiness, "dès maintenant", hears=("plus tard",),
                 shown=lambda value: READINESS_SHOWN.get(value, value),
                 buttons=(("Dès maintenant", "Prêt à commencer maintenant"),
                          ("D'ici quelques mois", "D'ici quelques mois"),
                          ("Je m'informe", "Je m'informe seulement")),
                 label="Passage à l'action", words=("pret", "action")),
        Question("impact", _text("impact"), "attirer plus de clients du quartier", optional=True,
                 label="Impact attendu", words=("impact",)),
    ),
    recap="recap_confirmed",
    correct="field_to_correct",
    correct_example="courriel",
    paused="utter_intake_paused",
    resumed="utter_intake_resumed",
    extra=_extra_answers,
)  # fmt: skip
QUESTIONS = INTAKE.slots
LABELS = {q.name: q.label for q in INTAKE.questions}

# Handle one message of the form (`bot.forms.take_turn` on INTAKE).
take_turn = partial(forms.take_turn, INTAKE)


def recap(answers: dict[str, Any]) -> str:
    """The summary the merchant confirms before anything is submitted."""
    lines = ["Voici ce que j'ai noté :"]
    for name in INTAKE.asked(answers):
        if name in LABELS and answers.get(name) not in (None, ""):
            lines.append(f"• {LABELS[name]} : {INTAKE.question(name).shown(answers[name])}")
    lines.append("Est-ce exact?")
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
        sector=Sector(answers["sector"]),
        sdc_or_association=Answer(answers["sdc_member"]),
        employees=_number(answers.get("employees")),
        hours_per_week=_number(answers.get("hours_per_week")),
        readiness=Readiness(answers["readiness"]) if answers.get("readiness") else None,
        impact=answers.get("impact") or "",
    )
