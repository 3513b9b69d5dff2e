"""A mail a team member writes to a merchant from the lead's page: the form's starting subject
and message, their checks, the French e-mail (from the program's sender, replies to the team's
address) and its line in the lead's history. It goes through the project's mail path
(`bot.mail`: SMTP with its retry queue, or the outbox folder), after the history's commit."""

from __future__ import annotations

from email.message import EmailMessage

from bot.mail import MailSettings, message
from bot.pack.emails import email, part
from bot.text import multi_line, one_line
from bot.workspace import NotAllowed

SUBJECT_MAX = 150
BODY_MAX = 5000
MAIL_EVENT = "courriel"  # the lead's history


def _starting(contact: str, writer: str) -> tuple[str, str]:
    return email("merchant_mail", contact=one_line(contact), writer=one_line(writer))


def starting_subject() -> str:
    """The subject the form starts with."""
    return _starting("", "")[0]


def starting_body(contact: str, writer: str) -> str:
    """The message the form starts with: a greeting and the writer's signature."""
    return _starting(contact, writer)[1]


def checked(subject: str, body: str, contact: str, writer: str) -> tuple[str, str]:
    """The subject on one line and the message with its paragraphs; NotAllowed (in French) if
    either is empty, too long, or the message is still the form's starting text."""
    subject, body = one_line(subject), multi_line(body).strip()
    if not subject:
        raise NotAllowed("Indiquez l'objet du courriel.")
    if len(subject) > SUBJECT_MAX:
        raise NotAllowed(f"L'objet dépasse {SUBJECT_MAX} caractères.")
    if not body or " ".join(body.split()) == " ".join(starting_body(contact, writer).split()):
        raise NotAllowed("Écrivez votre message avant de l'envoyer.")
    if len(body) > BODY_MAX:
        raise NotAllowed(f"Le message dépasse {BODY_MAX} caractères.")
    return subject, body


def compose(mail: MailSettings, to: str, subject: str, body: str, reply_to: str) -> EmailMessage:
    """The e-mail to the merchant: the program's sender, replies to `reply_to` (the team)."""
    composed = message(mail, to, subject, f"{body}\n\n{part('merchant_mail_footer')}\n")
    if reply_to:
        composed["Reply-To"] = one_line(reply_to)
    return composed


def history_note(to: str, subject: str, body: str) -> str:
    """The mail as the lead's history keeps it (who and when are the event's)."""
    return f"Courriel envoyé à {one_line(to)}\nObjet : {subject}\n\n{body}"
