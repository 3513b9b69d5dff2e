"""Finding, exporting, correcting and erasing a person, on SQLite and PostgreSQL (the tracker
store's `events` table in the same database): after the erasure, no row of any table and no
tracker event holds the person's name, e-mail or phone, and the analytics are unchanged."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.analytics import Figures, compute
from bot.booking import Scheduler
from bot.clock import system_now
from bot.mail import MailSettings, message, send
from bot.parsing import NotUnderstood
from bot.privacy.erasure import erase_lead
from bot.privacy.person import as_csv, as_json, correct, find_people, person_file
from bot.privacy.tracker import erase_idle
from bot.storage import analytics
from bot.storage.accounts import create_account
from bot.storage.contact import save_contact_request
from bot.storage.followup import add_note
from bot.storage.leads import ContactInfo, request_callback, save_diagnostic, save_submission
from bot.storage.models import Account, AuditEntry, Booking, CallbackRequest, Consent, Lead
from bot.workspace import MANAGER, Viewer
from tests.storage.test_analytics import NOW
from tests.storage.test_booking_form import RULES
from tests.storage.test_leads import submission
from tests.tracker_events import EVENTS
from tests.tracker_events import drop as drop_tracker
from tests.unit.test_diagnostic import BOUTIQUE_FACEBOOK_ONLY as ANSWERS

NAME, EMAIL, PHONE = "Marie Tremblay", "marie@exemple.com", "+14185551234"
NEEDLES = (NAME, EMAIL, PHONE)
OTHER = ("Jean Roy", "jean@exemple.com", "+14185559876")


def manager(sessions: sessionmaker[Session]) -> Viewer:
    with sessions() as session:
        existing = session.scalar(select(Account.id).where(Account.email == "g@x.ca"))
    account = existing or create_account(sessions, "g@x.ca", "Gestion", MANAGER, "un mot de passe")
    return Viewer(account, "Gestion", "g@x.ca", MANAGER, None)


def _text(value: Any) -> str:
    """A cell as a person would read it (JSON decoded, so that "\\u00e9" reads "é")."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return str(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str, ensure_ascii=False)


def occurrences(url: str, needles: tuple[str, ...]) -> list[str]:
    """Every "table.column" of the whole database (every table, every column, every row) whose
    value contains one of `needles`, in any case; a phone is also looked for by its digits."""
    words = [n.casefold() for n in needles]
    digits = [d[-10:] for n in needles if len(d := re.sub(r"\D", "", n)) >= 10]
    found = []
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            for table in inspect(engine).get_table_names():
                for row in connection.execute(text(f'SELECT * FROM "{table}"')).mappings():
                    for column, value in row.items():
                        cell = _text(value) if value is not None else ""
                        if any(w in cell.casefold() for w in words) or any(
                            d in re.sub(r"\D", "", cell) for d in digits
                        ):
                            found.append(f"{table}.{column}")
    finally:
        engine.dispose()
    return found


@pytest.fixture
def tracker(database_url: str) -> Iterator[str]:
    """Rasa's events table, in the application database."""
    drop_tracker(database_url)
    engine = create_engine(database_url)
    EVENTS.create(engine)
    engine.dispose()
    yield database_url
    drop_tracker(database_url)


def tracker_events(url: str, sender: str, texts: list[str], slots: dict[str, Any]) -> None:
    rows = []
    start = (NOW - timedelta(days=3)).timestamp()
    for i, said in enumerate(texts):
        for kind, body in (("user", {"text": said}), ("bot", {"text": f"Merci, {said}"})):
            stamp = start + 2 * i + (kind == "bot")
            data = {"event": kind, "timestamp": stamp, **body}
            rows.append({"sender_id": sender, "type_name": kind, "timestamp": stamp,
                         "data": json.dumps(data)})  # fmt: skip
    for name, value in slots.items():
        data = {"event": "slot", "timestamp": start, "name": name, "value": value}
        rows.append({"sender_id": sender, "type_name": "slot", "timestamp": start,
                     "data": json.dumps(data)})  # fmt: skip
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(EVENTS.insert(), rows)
    engine.dispose()


def person(
    sessions: sessionmaker[Session],
    url: str,
    who: tuple[str, str, str],
    conversation: str,
    future_session: bool,
    business: str = "",
) -> int:
    """A lead with everything: answers, diagnostic, past (and future) session, callback, note,
    audit entry, a request from the chat widget and a conversation in the tracker store."""
    name, email, phone = who
    business = business or f"Boutique de {name}"
    sub = submission(email=email, conversation_id=conversation)
    sub = replace(
        sub,
        intake=replace(sub.intake, business_name=business),
        contact=ContactInfo(name, "proprio", email, phone),
        answers={"contact_name": name, "email": email, "phone": phone, "business_name": business},
    )
    lead_id = save_submission(sessions, sub)
    save_diagnostic(sessions, lead_id, ANSWERS, completed=True)
    request_callback(sessions, lead_id, f"rappelez {name} au {phone}")
    save_contact_request(  # « Parler à une personne » in the chat widget, another conversation
        sessions, f"widget-{conversation}", name, email, phone, f"Rappelez {name} svp", NOW
    )
    add_note(sessions, manager(sessions), lead_id, f"Parlé à {name}, courriel {email}")
    add_note(sessions, manager(sessions), lead_id, "Très motivée")
    with sessions.begin() as session:
        session.add(AuditEntry(action="lecture", lead_id=lead_id, detail=f"dossier de {name}"))
        past = NOW - timedelta(days=2, hours=lead_id)
        session.add(Booking(reference=f"NQ-P{lead_id}PAST", lead_id=lead_id, advisor_id="anne",
                            starts_at=past, ends_at=past + timedelta(hours=1)))  # fmt: skip
        session.get_one(Lead, lead_id).created_at = NOW - timedelta(days=3)
    if future_session:
        with sessions.begin() as session:
            soon = NOW + timedelta(days=2, hours=lead_id)
            session.get_one(Booking, _booking_id(session, lead_id)).status = "cancelled"
            session.add(Booking(reference=f"NQ-F{lead_id}NEXT", lead_id=lead_id, advisor_id="anne",
                                starts_at=soon, ends_at=soon + timedelta(hours=1)))  # fmt: skip
    tracker_events(
        url, conversation,
        [f"je m'appelle {name}", f"mon courriel {email}", f"418 {phone[5:8]}-{phone[8:]}"],
        {"consent_given": True, "contact_name": name, "email": email, "phone": phone},
    )  # fmt: skip
    return lead_id


def _booking_id(session: Session, lead_id: int) -> int:
    return session.scalars(select(Booking.id).where(Booking.lead_id == lead_id)).one()


def figures(sessions: sessionmaker[Session], url: str) -> Figures:
    return compute(
        analytics.conversations(url), analytics.leads(sessions), analytics.bookings(sessions),
        NOW, goal=100,
    )  # fmt: skip


@pytest.fixture
def scheduler(sessions: sessionmaker[Session], tmp_path: Path) -> Scheduler:
    mail = MailSettings("100 % NumériQC <noreply@example.org>", outbox=tmp_path / "outbox")
    return Scheduler(sessions, RULES, mail, "https://100numeriqc.qcnum.com", clock=lambda: NOW)


def outbox_texts(outbox: Path) -> list[str]:
    return [p.read_bytes().decode(errors="replace") for p in sorted(outbox.glob("*.eml"))]


def test_a_name_is_found_whatever_its_case_and_accents(
    sessions: sessionmaker[Session], tracker: str
) -> None:
    lead_id = person(sessions, tracker, ("Hélène Côté", "hcote@exemple.com", "418 555-9999"),
                     "conv-helene", False)  # fmt: skip
    for query in ("helene", "HÉLÈNE CÔTÉ", "cote"):
        assert [m.lead_id for m in find_people(sessions, query)] == [lead_id], query


def test_a_person_is_found_by_email_phone_or_name_and_exported(
    sessions: sessionmaker[Session], tracker: str
) -> None:
    lead_id = person(sessions, tracker, (NAME, EMAIL, PHONE), "conv-marie", False)
    person(sessions, tracker, OTHER, "conv-jean", False)
    for query in ("MARIE@exemple.com", "418 555-1234", "tremblay"):
        assert [m.lead_id for m in find_people(sessions, query)] == [lead_id], query
    record = person_file(sessions, lead_id, tracker)
    assert record["contacts"] == [{"name": NAME, "role": "proprio", "email": EMAIL, "phone": PHONE}]
    assert record["answers"]["email"] == EMAIL
    assert record["diagnostic"]["completed"] is True
    assert [b["status"] for b in record["bookings"]] == ["booked"]
    assert record["consents"][0]["wording_version"] == "2026-11-v1"
    given = record["consents"][0]["given_at"]  # Québec time, with its offset
    assert given.endswith(("-05:00", "-04:00")) and datetime.fromisoformat(given).tzinfo
    assert record["callbacks"][0]["wish"].startswith("rappelez Marie")
    assert [line["text"] for line in record["conversation"]][:2] == [
        f"je m'appelle {NAME}", f"Merci, je m'appelle {NAME}",
    ]  # fmt: skip
    assert json.loads(as_json(record)) == json.loads(json.dumps(record))
    rows = list(csv.reader(io.StringIO(as_csv(record))))
    assert rows[0] == ["section", "champ", "valeur"]
    assert ["contacts", "contacts.1.email", EMAIL] in rows


def test_a_correction_changes_the_contact_and_its_answer(
    sessions: sessionmaker[Session], tracker: str
) -> None:
    lead_id = person(sessions, tracker, (NAME, EMAIL, PHONE), "conv-marie", False)
    assert correct(sessions, lead_id, "email", "en fait c'est Marie.T@Exemple.com") == (
        "Marie.T@exemple.com"
    )
    assert correct(sessions, lead_id, "phone", "(581) 555-0000") == "+15815550000"
    with pytest.raises(NotUnderstood):
        correct(sessions, lead_id, "email", "pas une adresse")
    record = person_file(sessions, lead_id)
    assert record["contacts"][0]["email"] == "Marie.T@exemple.com"
    assert (record["answers"]["email"], record["answers"]["phone"]) == (
        "Marie.T@exemple.com", "+15815550000",
    )  # fmt: skip


def test_after_erasure_nothing_of_the_person_is_left_and_the_figures_are_unchanged(
    sessions: sessionmaker[Session], tracker: str, tmp_path: Path, scheduler: Scheduler
) -> None:
    lead_id = person(sessions, tracker, (NAME, EMAIL, PHONE), "conv-marie", False)
    other = person(sessions, tracker, OTHER, "conv-jean", False)
    outbox = tmp_path / "outbox"
    settings = MailSettings("noreply@example.org", outbox=outbox)
    send(settings, message(settings, EMAIL, "Votre rencontre", f"Bonjour {NAME}"))
    send(settings, message(settings, "sophie@example.org", "Rencontre", f"Tél. : {PHONE}"))
    send(settings, message(settings, OTHER[1], "Votre rencontre", f"Bonjour {OTHER[0]}"))
    assert occurrences(tracker, NEEDLES)  # the search finds her before
    before = figures(sessions, tracker)

    report = erase_lead(sessions, lead_id, tracker_url=tracker, outbox=outbox, now=NOW,
                        scheduler=scheduler)  # fmt: skip
    assert report.conversations == {"conv-marie": "intake", "widget-conv-marie": "widget"}
    assert erase_idle(sessions, tracker, now=system_now() + timedelta(hours=1)) == []  # Rasa's
    assert occurrences(tracker, NEEDLES) == []
    assert figures(sessions, tracker) == before
    assert occurrences(tracker, OTHER)  # the other person is untouched
    assert person_file(sessions, other)["contacts"][0]["email"] == OTHER[1]
    assert [t for t in outbox_texts(outbox) if OTHER[0] not in t] == []
    with sessions() as session:  # the consent's proof stays
        assert session.scalars(select(Consent.lead_id)).all().count(lead_id) == 1
    again = erase_lead(sessions, lead_id, tracker_url=tracker, outbox=outbox, now=NOW)
    assert again.already
    assert find_people(sessions, "Tremblay") == []


def test_erasure_cancels_a_future_session_and_tells_the_advisor(
    sessions: sessionmaker[Session], tracker: str, tmp_path: Path, scheduler: Scheduler
) -> None:
    lead_id = person(sessions, tracker, (NAME, EMAIL, PHONE), "conv-marie", True)
    report = erase_lead(sessions, lead_id, tracker_url=tracker, outbox=tmp_path / "outbox",
                        now=NOW, scheduler=scheduler)  # fmt: skip
    assert report.cancelled == [f"NQ-F{lead_id}NEXT"]
    with sessions() as session:
        statuses = session.scalars(select(Booking.status).where(Booking.lead_id == lead_id))
        assert sorted(statuses) == ["cancelled", "cancelled"]
    [advisor] = outbox_texts(tmp_path / "outbox")
    assert "To: anne@example.org" in advisor and f"NQ-F{lead_id}NEXT" in advisor
    assert 'method="CANCEL"' in advisor
    assert occurrences(tracker, NEEDLES) == []


def test_a_conversation_going_on_is_erased_once_idle(
    sessions: sessionmaker[Session], tracker: str, tmp_path: Path
) -> None:
    lead_id = person(sessions, tracker, (NAME, EMAIL, PHONE), "conv-marie", False)
    tracker_events(tracker, "conv-marie", ["supprimez mes données"], {})
    engine = create_engine(tracker)
    with engine.begin() as connection:  # the turn that asked for it has just been stored, on
        connection.execute(text("UPDATE events SET timestamp = :t WHERE sender_id = 'conv-marie'"),
                           {"t": system_now().timestamp()})  # fmt: skip # Rasa's clock
    engine.dispose()
    report = erase_lead(sessions, lead_id, tracker_url=tracker, outbox=tmp_path, now=NOW)
    assert (len(report.conversations), report.conversations_erased) == (2, 1)  # the widget's
    assert set(occurrences(tracker, NEEDLES)) == {"events.data"}
    assert erase_idle(sessions, tracker) == []  # still within a minute
    later = system_now() + timedelta(minutes=2)
    assert erase_idle(sessions, tracker, now=later) == ["conv-marie"]
    assert occurrences(tracker, NEEDLES) == []


def test_a_request_from_the_widget_in_a_leads_conversation_is_on_that_lead(
    sessions: sessionmaker[Session], tracker: str
) -> None:
    lead_id = person(sessions, tracker, (NAME, EMAIL, PHONE), "conv-marie", False)
    on_lead = save_contact_request(sessions, "conv-marie", NAME, EMAIL, None, "Rappelez-moi", NOW)
    alone = save_contact_request(sessions, "conv-inconnue", "Luc", "luc@x.ca", None, "Allo", NOW)
    with sessions() as session:
        owners = {r.id: r.lead_id for r in session.scalars(select(CallbackRequest))}
    assert (owners[on_lead], owners[alone]) == (lead_id, None)
