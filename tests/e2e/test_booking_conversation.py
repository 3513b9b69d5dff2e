"""Booking, moving and cancelling a session through the running product (trained model, REST
channel, action server, SQLite, outbox), with the scheduling clock frozen on Monday 23 November
2026 at 10 h (tests/conftest.py)."""

from __future__ import annotations

import email
import re
import uuid
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from icalendar import Calendar

from bot.booking import scheduler_for
from bot.settings import Settings
from bot.storage.bookings import book, cancel
from bot.storage.database import sessions_for
from tests.conftest import Responses
from tests.e2e.test_diagnostic_conversation import eligible
from tests.e2e.test_intake_conversation import Chat, lead_of

ASK_WHEN = ["utter_booking_next_free", "utter_ask_booking_when"]


def new_merchant(stack: Settings, responses: Responses) -> tuple[Chat, str]:
    chat = Chat(stack, responses)
    address = f"rdv-{uuid.uuid4().hex[:6]}@exemple.com"
    eligible(chat, address)
    return chat, address


def buttons(chat: Chat) -> list[dict[str, str]]:
    return list(chat.last[-1].get("buttons") or [])


def reference_in(chat: Chat) -> str:
    found = re.search(r"NQ-[A-Z2-9]{8}\b", chat.last[-1]["text"])
    assert found, chat.last
    return found.group(0)


def mails_about(stack: Settings, reference: str) -> list[Message]:
    """The e-mails in the outbox that mention `reference`, oldest first."""
    found = []
    for path in sorted((stack.var_dir / "outbox").glob("*.eml"), key=lambda p: p.stat().st_mtime):
        mail = email.message_from_bytes(path.read_bytes())
        parts = [p.get_payload(decode=True) for p in mail.walk() if not p.is_multipart()]
        if any(isinstance(b, bytes) and reference.encode() in b for b in parts):
            found.append(mail)
    return found


def event_of(mail: Message) -> tuple[str, Any]:
    [part] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    calendar = Calendar.from_ical(payload)
    [event] = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def test_book_the_first_proposed_time_after_the_intake(
    stack: Settings, responses: Responses
) -> None:
    chat, address = new_merchant(stack, responses)
    assert chat.say("je voudrais prendre rendez-vous avec un conseiller") == ASK_WHEN
    first = buttons(chat)[0]
    assert re.fullmatch(
        r"(lundi|mardi|mercredi|jeudi|vendredi) \d+ \w+, \d+ h( \d\d)?", first["title"]
    )
    assert buttons(chat)[-1]["title"] == "Autres moments"
    assert chat.say(first["payload"]) == ["utter_ask_booking_confirm"]
    proposal = chat.last[-1]["text"]
    assert proposal.startswith(f"Rencontre proposée : le {first['title'].split(',')[0]} à")
    assert "Sophie Gagnon" in proposal or "Marc Lévesque" in proposal
    assert chat.say("oui") == ["utter_booking_done"]
    reference = reference_in(chat)
    session = lead_of(stack, address)["session"]
    assert (session["reference"], session["starts_at"]) == (reference, first["payload"])
    mails = mails_about(stack, reference)
    assert sorted(m["To"] for m in mails) == sorted(
        [
            address,
            "sophie.gagnon@example.org" if "Sophie" in proposal else "marc.levesque@example.org",
        ]
    )
    method, event = event_of(mails[0])
    assert (method, str(event["UID"]), int(event["SEQUENCE"])) == (
        "REQUEST",
        f"{reference}@numeriqc",
        0,
    )


def test_an_ambiguous_tuesday_is_echoed_then_a_time_that_day(
    stack: Settings, responses: Responses
) -> None:
    chat, _ = new_merchant(stack, responses)
    assert chat.say("/request_booking") == ASK_WHEN
    assert chat.say("mardi prochain en après-midi") == ["utter_ask_booking_day"]
    assert chat.last[-1]["text"] == (
        "Vous voulez dire le mardi 24 novembre ou le mardi 1er décembre?"
    )
    assert [b["title"] for b in buttons(chat)] == ["Mardi 24 novembre", "Mardi 1er décembre"]
    assert chat.say(buttons(chat)[1]["payload"]) == [
        "utter_booking_matching",
        "utter_ask_booking_when",
    ]
    times = [b["title"] for b in buttons(chat)[:-1]]
    assert times and all(
        t.startswith("mardi 1 décembre") or t.startswith("mardi 1er décembre") for t in times
    )
    assert all(int(t.split(", ")[1].split(" h")[0]) >= 12 for t in times)


def test_a_past_date_is_refused_gently(stack: Settings, responses: Responses) -> None:
    chat, _ = new_merchant(stack, responses)
    chat.say("/request_booking")
    assert chat.say("hier à 14 h") == ["utter_booking_past", "utter_ask_booking_when"]
    assert chat.say("blablabla") == ["utter_form_retry"]  # in other words, with the times
    assert chat.last[-1]["buttons"][-1]["title"] == "Autres moments"


def test_reschedule_from_another_visit_then_cancel(stack: Settings, responses: Responses) -> None:
    chat, address = new_merchant(stack, responses)
    chat.say("/request_booking")
    assert chat.say("jeudi 26 novembre à 13 h") == ["utter_ask_booking_confirm"]
    chat.say("oui")
    reference = reference_in(chat)

    later = Chat(stack, responses)  # another day, another conversation
    assert later.say("bonjour, je dois déplacer mon rendez-vous") == ["utter_ask_booking_lookup"]
    assert later.say(f"c'est le {reference.lower()}") == [
        "utter_booking_current",
        *ASK_WHEN,
    ]
    assert later.say("vendredi 27 novembre à 9 h") == ["utter_ask_booking_confirm"]
    assert later.last[-1]["text"].startswith("Nouveau moment : le vendredi 27 novembre à 9 h")
    assert later.say("oui") == ["utter_booking_moved"]
    assert lead_of(stack, address)["session"]["starts_at"].startswith("2026-11-27T09:00")
    method, event = event_of(mails_about(stack, reference)[-1])
    assert (method, int(event["SEQUENCE"])) == ("REQUEST", 1)

    assert later.say("finalement je veux annuler ma rencontre") == ["utter_ask_booking_cancel"]
    assert later.say("oui") == ["utter_booking_cancelled"]
    assert lead_of(stack, address)["session"] is None
    method, event = event_of(mails_about(stack, reference)[-1])
    assert (method, int(event["SEQUENCE"])) == ("CANCEL", 2)


def test_booking_needs_an_eligible_intake_first(stack: Settings, responses: Responses) -> None:
    chat = Chat(stack, responses)
    assert chat.say("je veux un rendez-vous") == ["utter_booking_needs_intake"]
    assert buttons(chat)[0]["payload"] == "/request_eligibility"


@pytest.fixture
def fully_booked(stack: Settings) -> Iterator[None]:
    """Every advisor's time taken for the coming weeks (by other merchants), then freed."""
    scheduler = scheduler_for(stack)
    sessions = sessions_for(stack.database_url)
    taken = []
    while slots := scheduler.open_slots():
        taken += [book(sessions, slot, None).reference for slot in slots]
    yield
    for reference in taken:
        cancel(sessions, reference)


def test_no_free_time_offers_a_callback(
    stack: Settings, responses: Responses, fully_booked: None
) -> None:
    chat, address = new_merchant(stack, responses)
    assert chat.say("/request_booking") == ["utter_booking_none_free", "utter_ask_booking_callback"]
    assert "3 prochaines semaines" in chat.last[0]["text"]
    assert chat.say("oui") == ["utter_booking_callback_recorded"]
    assert lead_of(stack, address)["callback_requested"] is True
