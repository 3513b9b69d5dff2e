"""The chat widget's two requests outside the conversation: « Parler à une personne » (a callback
request with the person's consent, name, e-mail or phone and message) and « Recevoir la
conversation par courriel » (the transcript e-mailed). Validation and wording only: the web app
stores (`bot.storage.contact`) and sends (`bot.mail`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.address_proof import CODE_LIFETIME
from bot.limits import FREE_TEXT, INTAKE, SHORTEST_NAME
from bot.pack import identity
from bot.pack.emails import email, part
from bot.parsing import NotUnderstood, parse_email, parse_phone
from bot.scheduling import TIMEZONE
from bot.storage.transcripts import Line, as_seen
from bot.text import one_line, plain_links


class InvalidRequest(ValueError):
    """Refused; `errors` maps each field to its French explanation."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class ContactRequest:
    name: str
    email: str | None
    phone: str | None
    message: str


def _text(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    return one_line(value) if isinstance(value, str) else ""


def parse_contact_request(body: Any) -> ContactRequest:
    """Check a « Parler à une personne » form; raise `InvalidRequest` naming each bad field."""
    if not isinstance(body, dict):
        raise InvalidRequest({"form": "La demande doit être un objet JSON."})
    errors: dict[str, str] = {}
    if body.get("consent") is not True:
        errors["consent"] = "Cochez la case pour accepter que l'équipe utilise ces coordonnées."
    name, email, phone = _text(body, "name"), _text(body, "email"), _text(body, "phone")
    message = _text(body, "message")
    if len(name) < SHORTEST_NAME:
        errors["name"] = "Indiquez votre nom."
    elif len(name) > INTAKE["contact_name"]:
        errors["name"] = (
            f"Votre nom est trop long ({INTAKE['contact_name']} caractères au maximum)."
        )
    email_ok = phone_ok = None
    try:
        email_ok = parse_email(email) if email and len(email) <= INTAKE["email"] else None
    except NotUnderstood as error:
        errors["email"] = f"Indiquez {error}."
    if email and len(email) > INTAKE["email"]:
        errors["email"] = "Cette adresse courriel est trop longue."
    try:
        phone_ok = parse_phone(phone) if phone else None
    except NotUnderstood as error:
        errors["phone"] = f"Indiquez {error}."
    if not email and not phone:
        errors["email"] = "Indiquez un courriel ou un numéro de téléphone pour qu'on vous réponde."
    if not message:
        errors["message"] = "Écrivez votre message."
    elif len(message) > FREE_TEXT:
        errors["message"] = f"Votre message est trop long ({FREE_TEXT} caractères au maximum)."
    if errors:
        raise InvalidRequest(errors)
    return ContactRequest(name=name, email=email_ok, phone=phone_ok, message=message)


def parse_transcript_request(body: Any) -> tuple[str, str | None]:
    """The e-mail address a transcript is asked for, and the confirmation code typed if any;
    raise `InvalidRequest` if no address is valid."""
    email = _text(body, "email") if isinstance(body, dict) else ""
    code = _text(body, "code")[:20] if isinstance(body, dict) else ""
    try:
        if len(email) > INTAKE["email"]:
            raise NotUnderstood("une adresse courriel plus courte")
        return parse_email(email), code or None
    except NotUnderstood as error:
        raise InvalidRequest({"email": f"Indiquez {error}."}) from None


def transcript_code_mail(code: str) -> tuple[str, str]:
    """The code that proves the merchant holds the address a transcript is asked for."""
    return email("transcript_code", code=code, minutes=CODE_LIFETIME // 60)


def answer_delay(days: int) -> str:
    """When the team answers: the program's own first-contact target (FIRST_CONTACT_DAYS)."""
    return "d'ici demain" if days <= 1 else f"d'ici {days} jours"


def contact_confirmation(request: ContactRequest, days: int) -> str:
    """What the merchant reads once the request is stored."""
    how = "par courriel" if request.email else "par téléphone"
    return (
        f"Merci, {request.name}! Votre demande est transmise à l'équipe de {identity().brand}, "
        f"qui vous répondra {how} {answer_delay(days)}."
    )


def contact_team_mail(workspace: str) -> tuple[str, str]:
    """The team's e-mail about a widget request: no personal data, a link to the queue."""
    return email("contact_team", workspace=workspace)


# Who said a line, in the merchant's copy (a team member of a live chat: « Sophie, conseillère »):
# the pack's part of each speaker.
SPEAKERS = {"merchant": "speaker_merchant", "bot": "speaker_bot", "notice": "speaker_notice"}


def transcript_mail(lines: Sequence[Line], website: str, site: str) -> tuple[str, str]:
    """The merchant's copy of the conversation, oldest message first; the chat's links to our
    own pages written out on `site` (the address people reach)."""
    said = []
    seen = as_seen(list(lines))
    for line in seen:
        speaker = SPEAKERS.get(line.speaker)
        who = part(speaker) if speaker else line.who or part("speaker_team")
        at = line.at.astimezone(TIMEZONE)
        buttons = f"\n  [{' | '.join(line.buttons)}]" if line.buttons else ""
        said.append(f"{at:%Y-%m-%d %H:%M} — {who} : {plain_links(line.text, site)}{buttons}")
    team = any(line.speaker == "advisor" for line in seen)
    talked_with = part("transcript_assistant_and_team" if team else "transcript_assistant")
    return email("transcript", who=talked_with, lines="\n\n".join(said), website=website)
