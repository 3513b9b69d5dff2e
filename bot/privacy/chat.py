"""The merchant's rights in the chat, a small state machine: see their data (the file is
e-mailed), correct a field, erase everything, withdraw consent (which erases too). Identity is
confirmed first by a one-time code e-mailed to the address on file (`bot.privacy.codes`); the
conversation never says whether an address has a file.

`take_turn` handles one message; Rasa's `privacy_form` (actions/privacy.py) only carries it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.booking import Scheduler
from bot.conversation import Turn, field_named, wants_to_stop
from bot.forms import FAILURES
from bot.mail import MailSettings, message, send
from bot.pack.emails import email, part
from bot.parsing import NotUnderstood, find_email, parse_yes_no
from bot.privacy import codes
from bot.privacy.erasure import erase_lead
from bot.privacy.person import as_csv, as_json, correct, person_file
from bot.storage.models import Consent, Contact, Lead, as_utc
from bot.text import fold
from bot.throttle import PRIVACY_CODES_PER_ADDRESS, Throttle

# The requests, by intent
ACCESS, CORRECT, DELETE, WITHDRAW = "access", "correct", "delete", "withdraw"
REQUESTS = {
    "privacy_access": ACCESS, "privacy_correct": CORRECT,
    "privacy_delete": DELETE, "privacy_withdraw": WITHDRAW,
}  # fmt: skip
# The questions (slots of the form) and the state kept between turns
EMAIL, CODE, WHICH, VALUE, CONFIRM = (
    "privacy_email", "privacy_code", "privacy_which", "privacy_value", "privacy_confirm",
)  # fmt: skip
STATE = ("privacy_request", "privacy_field")
ERASED = "privacy_erased"  # set when the merchant's data was erased: the action resets the rest
FIELDS = {
    "email": ("courriel", "email", "mail", "adresse courriel", "adresse email"),
    "phone": ("telephone", "tel", "numero", "cell", "cellulaire"),
    "business": ("entreprise", "commerce", "nom du commerce", "nom de l entreprise"),
    "role": ("role", "poste", "titre", "fonction"),
    "name": ("nom", "mon nom", "prenom"),
}
FIELD_LABELS = {"email": "courriel", "phone": "téléphone", "business": "nom du commerce",
                "role": "rôle", "name": "nom"}  # fmt: skip
NEW_CODE = ("nouveau code", "autre code", "renvoyer", "renvoie", "renvoyez")


@dataclass(frozen=True)
class Context:
    """What the conversation's requests use: the database, mail, tracker store, outbox, clock."""

    sessions: sessionmaker[Session]
    mail: MailSettings
    tracker_url: str
    outbox: Path
    scheduler: Callable[[], Scheduler]
    clock: Callable[[], datetime]
    conversation_id: str
    # The abuse limits shared by every action server (codes mailed to one address a day);
    # None: only the database's hourly limits of `codes`.
    limits: Throttle | None = None


def _end(*say: tuple[str, dict[str, object]], **updates: object) -> Turn:
    cleared: dict[str, object] = {
        name: None for name in (*STATE, EMAIL, CODE, WHICH, VALUE, CONFIRM)
    }
    return Turn(updates={**cleared, FAILURES: 0, **updates}, say=list(say), next_question=None)


def _ask(question: str, *say: tuple[str, dict[str, object]], **state: object) -> Turn:
    return Turn(
        updates={question: None, FAILURES: 0, **state}, say=list(say), next_question=question
    )


def _not_understood(
    ctx: Context, question: str, said: tuple[str, dict[str, Any]], failures: int
) -> Turn:
    """The form engine's escalation (`bot.forms`): what is expected with the question again,
    then a way out (stop, a person) instead of the question, then a stop; never the same
    words a third time."""
    failures += 1
    if failures >= 3:
        codes.revoke(ctx.sessions, ctx.conversation_id)
        return _end(("utter_form_stuck", {}), ("utter_privacy_stopped", {}))
    again: tuple[str, dict[str, Any]] = (
        "utter_privacy_help" if failures == 2 else f"utter_ask_{question}",
        {},
    )
    turn = _ask(question, said, again)
    turn.updates[FAILURES] = failures
    return turn


def _lead_of_conversation(ctx: Context) -> tuple[int, str] | None:
    with ctx.sessions() as session:
        row = session.execute(
            select(Lead.id, Contact.email)
            .join(Contact, Lead.contact_id == Contact.id)
            .where(Lead.conversation_id == ctx.conversation_id, Lead.anonymised_at.is_(None))
        ).first()
    return (row[0], row[1]) if row else None


def _lead_by_email(ctx: Context, email: str) -> tuple[int, str] | None:
    with ctx.sessions() as session:
        row = session.execute(
            select(Lead.id, Contact.email)
            .join(Contact, Lead.contact_id == Contact.id)
            .where(func.lower(Contact.email) == email.lower(), Lead.anonymised_at.is_(None))
            .order_by(Lead.id.desc())
        ).first()
    return (row[0], row[1]) if row else None


def _send(ctx: Context, mail: EmailMessage) -> None:
    send(ctx.mail, mail, ctx.clock())


def _send_code(ctx: Context, lead: tuple[int, str] | None) -> Turn:
    """Send a code to the lead's address (none when no file: the reply is the same)."""
    if lead is not None:
        if ctx.limits is not None and not ctx.limits.hit(PRIVACY_CODES_PER_ADDRESS, lead[1]):
            return _end(("utter_privacy_too_many_codes", {}))
        try:
            code = codes.issue(ctx.sessions, ctx.conversation_id, lead[0], ctx.clock())
        except codes.TooManyCodes:
            return _end(("utter_privacy_too_many_codes", {}))
        minutes = int(codes.LIFETIME.total_seconds() // 60)
        subject, body = email("privacy_code", code=code, minutes=minutes)
        _send(ctx, message(ctx.mail, lead[1], subject, body))
    return _ask(CODE, ("utter_privacy_code_sent", {}))


def _start(ctx: Context, intent: str | None, text: str) -> Turn:
    request = REQUESTS.get(intent or "", ACCESS)
    field = field_named(text, FIELDS) if request == CORRECT else None
    state = {"privacy_request": request, "privacy_field": field}
    lead = _lead_of_conversation(ctx)
    if lead is None:
        return _ask(EMAIL, ("utter_privacy_intro", {}), **state)
    turn = _send_code(ctx, lead)
    if turn.next_question is not None:
        turn.updates.update(state)
    turn.say.insert(0, ("utter_privacy_intro", {}))
    return turn


def _after_code(ctx: Context, request: str, field: str | None, lead_id: int) -> Turn:
    if request == ACCESS:
        lead = _lead_by_id(ctx, lead_id)
        if lead is None:
            return _end(("utter_privacy_code_none", {}))
        record = person_file(ctx.sessions, lead_id, ctx.tracker_url)
        mail = message(ctx.mail, lead[1], *email("privacy_access"))
        mail.add_attachment(as_json(record).encode(), maintype="application", subtype="json",
                            filename="mes-renseignements.json")  # fmt: skip
        mail.add_attachment(as_csv(record).encode(), maintype="text", subtype="csv",
                            filename="mes-renseignements.csv")  # fmt: skip
        _send(ctx, mail)
        codes.revoke(ctx.sessions, ctx.conversation_id)
        return _end(("utter_privacy_access_sent", {}))
    if request == CORRECT:
        if field is None:
            return _ask(WHICH, ("utter_privacy_verified", {}))
        return _ask(VALUE, ("utter_privacy_verified", {}), privacy_field=field)
    return _ask(CONFIRM, ("utter_privacy_verified", {}))


def _code(ctx: Context, text: str, request: str, field: str | None, failures: int) -> Turn:
    if any(words in fold(text) for words in NEW_CODE):
        last = codes.last_lead(ctx.sessions, ctx.conversation_id)
        return _send_code(ctx, None if last is None else _lead_by_id(ctx, last))
    if not re.search(r"\d", text):
        return _not_understood(ctx, CODE, ("utter_privacy_code_expected", {}), failures)
    result = codes.check(ctx.sessions, ctx.conversation_id, text, ctx.clock())
    if result.check is codes.Check.OK and result.lead_id is not None:
        return _after_code(ctx, request, field, result.lead_id)
    if result.check is codes.Check.WRONG:
        wrong = ("utter_privacy_code_wrong", {"tries": result.tries_left})
        return _not_understood(ctx, CODE, wrong, failures)
    if result.check is codes.Check.EXPIRED:
        return _ask(CODE, ("utter_privacy_code_expired", {}))
    if result.check is codes.Check.LOCKED:
        return _end(("utter_privacy_code_locked", {}))
    return _end(("utter_privacy_code_none", {}))


def _lead_by_id(ctx: Context, lead_id: int) -> tuple[int, str] | None:
    with ctx.sessions() as session:
        lead = session.get(Lead, lead_id)
        if lead is None or lead.anonymised_at is not None:
            return None
        return lead.id, lead.contact.email


def _erase(ctx: Context, lead_id: int, withdraw: bool) -> Turn:
    now = ctx.clock()
    lead = _lead_by_id(ctx, lead_id)
    if lead is None:
        return _end(("utter_privacy_code_none", {}))
    if withdraw:
        with ctx.sessions.begin() as session:
            for consent in session.scalars(select(Consent).where(Consent.lead_id == lead_id)):
                consent.withdrawn_at = consent.withdrawn_at or as_utc(now)
    report = erase_lead(ctx.sessions, lead_id, tracker_url=ctx.tracker_url, outbox=ctx.outbox,
                        now=now, scheduler=ctx.scheduler())  # fmt: skip
    cancelled = (
        part("erasure_cancelled_session", references=", ".join(report.cancelled)) + "\n\n"
        if report.cancelled
        else ""
    )
    erased = email("privacy_withdrawn" if withdraw else "privacy_erased", cancelled=cancelled)
    _send(ctx, message(ctx.mail, lead[1], *erased))
    codes.revoke(ctx.sessions, ctx.conversation_id)
    response = "utter_privacy_withdrawn" if withdraw else "utter_privacy_erased"
    return _end((response, {}), **{ERASED: True})


def take_turn(
    ctx: Context,
    state: dict[str, object],
    question: str | None,
    text: str,
    intent: str | None = None,
    failures: int = 0,
) -> Turn:
    """Handle one message of the rights request (`question`: what was asked, None to start;
    `failures`: the answers to it not understood so far)."""
    if question is None:
        return _start(ctx, intent, text)
    if wants_to_stop(text):
        codes.revoke(ctx.sessions, ctx.conversation_id)
        return _end(("utter_privacy_stopped", {}))
    if text.startswith("/faq_") and intent and intent.startswith("faq_"):  # a button
        return Turn(updates={FAILURES: 0}, faq=intent, next_question=question)
    request = str(state.get("privacy_request") or ACCESS)
    field = state.get("privacy_field")
    field = str(field) if field else None
    if question == EMAIL:
        address = find_email(text)
        if address is None:
            return _not_understood(ctx, EMAIL, ("utter_privacy_email_expected", {}), failures)
        return _send_code(ctx, _lead_by_email(ctx, address))
    if question == CODE:
        return _code(ctx, text, request, field, failures)
    lead_id = codes.authorised_lead(ctx.sessions, ctx.conversation_id, ctx.clock())
    if lead_id is None:  # the confirmation ran out: start again
        return _end(("utter_privacy_code_none", {}))
    if question == WHICH:
        chosen = field_named(text, FIELDS) or (text if text in FIELDS else None)
        if chosen is None:
            return _not_understood(ctx, WHICH, ("utter_privacy_which_expected", {}), failures)
        return _ask(VALUE, privacy_field=chosen)
    if question == VALUE:
        if field is None:
            return _ask(WHICH)
        try:
            value = correct(ctx.sessions, lead_id, field, text)
        except NotUnderstood as error:
            said = ("utter_privacy_value_expected", {"expected": str(error)})
            return _not_understood(ctx, VALUE, said, failures)
        codes.revoke(ctx.sessions, ctx.conversation_id)
        return _end(("utter_privacy_corrected", {"field": FIELD_LABELS[field], "value": value}))
    try:
        yes = parse_yes_no(text).value == "oui"
    except NotUnderstood:
        return _not_understood(ctx, CONFIRM, ("utter_privacy_yes_no", {}), failures)
    if not yes:
        codes.revoke(ctx.sessions, ctx.conversation_id)
        return _end(("utter_privacy_kept", {}))
    return _erase(ctx, lead_id, withdraw=request == WITHDRAW)
