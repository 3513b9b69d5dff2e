"""The booking conversation's turns against a real database and outbox (no Rasa): propose,
understand wishes, confirm, book, reschedule, cancel, callback, and 50 merchants at once."""

from __future__ import annotations

import email
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from threading import Barrier
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.booking import Scheduler
from bot.booking_form import CALLBACK, CANCEL, CONFIRM, DAY, LOOKUP, WHEN, take_turn
from bot.clock import system_now
from bot.conversation import Turn
from bot.mail import MailSettings, retry_outbox
from bot.scheduling import TIMEZONE
from bot.scheduling.config import Advisor, Availability
from bot.storage import lead_conversations, mail_queue
from bot.storage.leads import save_submission
from bot.storage.models import Booking, CallbackRequest, as_utc
from tests.conftest import FROZEN_NOW, free_port
from tests.storage.test_leads import INTAKE, submission
from tests.unit.test_mail import Inbox

NOW = FROZEN_NOW  # the tests' clock: why it is fixed, in tests/conftest.py
MORNINGS = {d: [(time(9), time(12))] for d in range(5)}
ANNE = Advisor(
    "anne", "Anne Roy", "anne@example.org", "en personne", "Bureau de Québec", MORNINGS,
    address="10, rue Saint-Jean, Québec",
)  # fmt: skip
BOB = Advisor(
    "bob", "Bob Côté", "bob@example.org", "vidéo", "Lien envoyé par courriel",
    {1: [(time(13), time(17))], 3: [(time(13), time(17))]},
)  # fmt: skip
RULES = Availability([ANNE, BOB], session_minutes=60, buffer_minutes=15, horizon_weeks=3)


def local(day: int, hour: int, month: int = 11, minute: int = 0) -> datetime:
    return datetime.combine(date(2026, month, day), time(hour, minute), TIMEZONE)


class Conversation:
    """One merchant's booking conversation: the slots Rasa would keep between turns."""

    def __init__(
        self,
        scheduler: Scheduler,
        lead: tuple[Any, Any],
        conversation: str = "conv-rdv",
        client: str = "",
    ) -> None:
        self.scheduler, self.lead = scheduler, lead
        self.conversation, self.client = conversation, client
        self.state: dict[str, Any] = {}
        self.question: str | None = None
        self.said: list[str] = []

    def send(self, text: str, intent: str | None = None) -> Turn:
        failures = int(self.state.get("form_failures") or 0)
        turn = take_turn(
            self.scheduler, self.state, self.lead, self.question, text, intent, failures=failures,
            conversation=self.conversation, client=self.client,
        )  # fmt: skip
        self.state.update(turn.updates)
        self.question = turn.next_question
        self.said = [response for response, _ in turn.say]
        return turn

    def outcome(self) -> tuple[list[str], str | None]:
        """What the bot said to the last message, and the question it asks next."""
        return self.said, self.question

    @property
    def options(self) -> list[datetime]:
        return [datetime.fromisoformat(t) for t in self.state["booking_options"]]


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    return tmp_path / "outbox"


@pytest.fixture
def scheduler(sessions: sessionmaker[Session], outbox: Path) -> Scheduler:
    mail = MailSettings("100 % NumériQC <noreply@example.org>", outbox=outbox)
    return Scheduler(sessions, RULES, mail, "https://100numeriqc.qcnum.com", clock=lambda: NOW)


@pytest.fixture
def lead(sessions: sessionmaker[Session]) -> tuple[int, str]:
    return save_submission(sessions, submission()), "admissible"


def mails(outbox: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(outbox.glob("*.eml"))]


def calendar_of(mail: email.message.Message) -> Any:
    [part] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


def body_of(mail: email.message.Message) -> str:
    [part] = [p for p in mail.walk() if p.get_content_type() == "text/plain"]
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def booked(
    scheduler: Scheduler, lead: tuple[int, str], wish: str = "mardi 24 novembre à 9 h"
) -> str:
    chat = Conversation(scheduler, lead)
    chat.send("je veux prendre rendez-vous", "request_booking")
    chat.send(wish)
    chat.send("oui")
    assert chat.said == ["utter_booking_done"], chat.said
    return str(chat.state["booking_reference"])


def test_the_next_free_times_are_proposed_then_booked_with_invitations(
    scheduler: Scheduler, lead: tuple[int, str], outbox: Path
) -> None:
    chat = Conversation(scheduler, lead)
    chat.send("je veux prendre rendez-vous", "request_booking")
    assert chat.outcome() == (["utter_booking_next_free"], WHEN)
    # From the next full hour, at most two a day: Anne's 11:00 today is too close to noon.
    quarter = 15
    assert chat.options == [
        local(24, 9),
        local(24, 10, minute=quarter),
        local(25, 9),
        local(25, 10, minute=quarter),
    ]
    chat.send(chat.options[0].isoformat())  # a button
    assert chat.question == CONFIRM
    assert chat.state["booking_summary"] == (
        "le mardi 24 novembre à 9 h avec Anne Roy, en personne (Bureau de Québec, 10, rue Saint-Jean, Québec)"
    )
    turn = chat.send("oui")
    assert chat.said == ["utter_booking_done"] and chat.question is None
    reference = chat.state["booking_reference"]
    assert turn.say[0][1]["reference"] == reference
    merchant, advisor = sorted(mails(outbox), key=lambda m: m["To"] != "marie@exemple.com")
    assert merchant["To"] == "marie@exemple.com" and advisor["To"] == "anne@example.org"
    assert reference in body_of(merchant) and "le mardi 24 novembre à 9 h" in body_of(merchant)
    assert "Téléphone : 418 555-1234" in body_of(advisor) and "Boutique Chez Marie" in body_of(
        advisor
    )
    [event] = calendar_of(merchant).walk("VEVENT")
    assert event.decoded("DTSTART") == as_utc(local(24, 9))
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (f"{reference}@numeriqc", 0)


def test_a_free_exact_time_goes_straight_to_confirmation(
    scheduler: Scheduler, lead: tuple[int, str]
) -> None:
    chat = Conversation(scheduler, lead)
    chat.send("rdv", "request_booking")
    chat.send("jeudi le 26 à 13h")
    assert chat.question == CONFIRM
    assert chat.state["booking_summary"].startswith("le jeudi 26 novembre à 13 h avec Bob Côté")


def test_a_taken_exact_time_offers_the_closest_ones(
    scheduler: Scheduler, lead: tuple[int, str]
) -> None:
    chat = Conversation(scheduler, lead)
    chat.send("rdv", "request_booking")
    chat.send("le 26 novembre à 12 h")  # Anne stops at noon, Bob starts at 13 h
    assert chat.outcome() == (["utter_booking_closest"], WHEN)
    assert chat.options == [local(26, 10, minute=15), local(26, 13)]


def test_an_ambiguous_tuesday_is_echoed_for_the_merchant_to_choose(
    scheduler: Scheduler, lead: tuple[int, str]
) -> None:
    chat = Conversation(scheduler, lead)
    chat.send("rdv", "request_booking")
    chat.send("mardi prochain pm")  # said on a Monday: tomorrow, or next week's?
    assert chat.question == DAY
    assert chat.state["booking_days"] == ["2026-11-24", "2026-12-01"]
    chat.send("le 1er décembre")
    assert chat.outcome() == (["utter_booking_matching"], WHEN)
    assert chat.options == [local(1, 13, 12), local(1, 14, 12, minute=15)]


def test_a_past_date_is_said_and_the_next_times_offered(
    scheduler: Scheduler, lead: tuple[int, str]
) -> None:
    chat = Conversation(scheduler, lead)
    chat.send("rdv", "request_booking")
    chat.send("hier à 14 h")
    assert chat.outcome() == (["utter_booking_past"], WHEN)
    assert chat.options[0] == local(24, 9)


def test_not_understood_then_another_wish_then_other_times(
    scheduler: Scheduler, lead: tuple[int, str]
) -> None:
    chat = Conversation(scheduler, lead)
    chat.send("rdv", "request_booking")
    chat.send("<script>alert(1)</script> 🙂")
    assert chat.outcome() == (["utter_form_retry"], WHEN)
    chat.send("pas le lundi, en après-midi")
    assert chat.said == ["utter_booking_matching"]
    assert all(o.hour >= 13 and o.weekday() != 0 for o in chat.options)
    first = chat.options
    chat.send("autres moments")
    assert min(chat.options) > max(first)
    chat.send(chat.options[0].isoformat())
    chat.send("plutôt le 3 décembre à 10 h 15")  # a new wish instead of yes or no
    assert chat.question == CONFIRM
    assert chat.state["booking_summary"].startswith("le jeudi 3 décembre à 10 h 15 avec Anne")


def test_only_eligible_or_reviewed_leads_book(scheduler: Scheduler, sessions: Any) -> None:
    nobody = Conversation(scheduler, (None, None))
    nobody.send("rdv", "request_booking")
    assert nobody.outcome() == (["utter_booking_needs_intake"], None)
    refused = Conversation(scheduler, (save_submission(sessions, submission()), "non admissible"))
    refused.send("rdv", "request_booking")
    assert refused.outcome() == (["utter_booking_not_eligible"], None)
    review = Conversation(scheduler, (1, "à examiner"))
    review.send("rdv", "request_booking")
    assert review.question == WHEN


def test_reschedule_by_reference_keeps_the_uid_and_bumps_the_sequence(
    scheduler: Scheduler, lead: tuple[int, str], outbox: Path, sessions: Any
) -> None:
    reference = booked(scheduler, lead)
    for path in outbox.glob("*.eml"):
        path.unlink()
    chat = Conversation(scheduler, (None, None))  # another visit, another conversation
    chat.send(f"je dois deplacer mon rdv {reference.lower()}", "reschedule_booking")
    assert chat.outcome() == (
        ["utter_booking_current", "utter_booking_next_free"],
        WHEN,
    )
    assert local(24, 9) not in chat.options
    chat.send("mercredi 25 novembre à 10 h 15")
    chat.send("oui")
    assert chat.said == ["utter_booking_moved"] and chat.state["booking_reference"] == reference
    moved = as_utc(local(25, 10, minute=15))
    with sessions() as session:
        row = session.scalar(select(Booking).where(Booking.reference == reference))
        assert row is not None
        assert (as_utc(row.starts_at), row.sequence, row.advisor_id) == (moved, 1, "anne")
    assert sorted(m["To"] for m in mails(outbox)) == ["anne@example.org", "marie@exemple.com"]
    for mail in mails(outbox):
        [event] = calendar_of(mail).walk("VEVENT")
        assert (str(event["UID"]), int(event["SEQUENCE"])) == (f"{reference}@numeriqc", 1)
        assert (event.decoded("DTSTART"), calendar_of(mail)["METHOD"]) == (moved, "REQUEST")
    assert scheduler.is_free(local(24, 9))  # the first time is free again


def test_cancel_asks_the_reference_then_confirmation(
    scheduler: Scheduler, lead: tuple[int, str], outbox: Path
) -> None:
    reference = booked(scheduler, lead)
    chat = Conversation(scheduler, (None, None))
    chat.send("annuler mon rendez-vous", "cancel_booking")
    assert chat.question == LOOKUP
    chat.send("NQ-ZZZZZZ")
    assert chat.outcome() == (["utter_booking_unknown_reference"], LOOKUP)
    chat.send(f"c'est {reference}")
    assert chat.question == CANCEL and "avec Anne Roy" in chat.state["booking_summary"]
    with scheduler.sessions() as session:  # the conversation knew the reference: hers
        assert lead_conversations.of_lead(session, lead[0])["conv-rdv"] == "booking"
    chat.send("oui")
    assert chat.outcome() == (["utter_booking_cancelled"], None)
    cancels = [m for m in mails(outbox) if calendar_of(m)["METHOD"] == "CANCEL"]
    assert sorted(m["To"] for m in cancels) == ["anne@example.org", "marie@exemple.com"]
    assert scheduler.is_free(local(24, 9))


def test_no_free_time_offers_a_callback_stored_for_the_team(
    sessions: sessionmaker[Session], outbox: Path, lead: tuple[int, str]
) -> None:
    closed = Availability([], horizon_weeks=3)
    mail = MailSettings("noreply@example.org", outbox=outbox)
    scheduler = Scheduler(sessions, closed, mail, "https://site", clock=lambda: NOW)
    chat = Conversation(scheduler, lead)
    chat.send("rdv", "request_booking")
    assert chat.outcome() == (["utter_booking_none_free"], CALLBACK)
    chat.send("oui svp")
    assert chat.said == ["utter_booking_callback_recorded"] and chat.question is None
    with sessions() as session:
        [request] = session.scalars(select(CallbackRequest)).all()
        assert (request.lead_id, request.status) == (lead[0], "open")


def test_stop_pauses_the_booking(scheduler: Scheduler, lead: tuple[int, str]) -> None:
    chat = Conversation(scheduler, lead)
    chat.send("rdv", "request_booking")
    turn = chat.send("laisse faire")
    assert turn.paused and chat.said == ["utter_booking_paused"]


def test_fifty_merchants_confirming_the_same_time_make_one_booking(
    sessions: sessionmaker[Session], outbox: Path
) -> None:
    """Only Anne works Monday morning: one merchant gets 9 h, 49 get other times to choose."""
    rules = Availability([ANNE], session_minutes=60, buffer_minutes=15)
    mail = MailSettings("noreply@example.org", outbox=outbox)
    scheduler = Scheduler(sessions, rules, mail, "https://site", clock=lambda: NOW)
    chats = [Conversation(scheduler, merchant(sessions, n)) for n in range(50)]
    for chat in chats:  # everybody picked Tuesday 9 h before anybody confirmed
        chat.send("rdv", "request_booking")
        chat.send(local(24, 9).isoformat())

    said = confirm_at_once(chats)
    assert sum(s == ["utter_booking_done"] for s in said) == 1
    losers = [c for c in chats if c.said == ["utter_booking_slot_taken"]]
    assert len(losers) == 49
    assert all(c.question == WHEN and local(24, 9) not in c.options for c in losers)


def merchant(sessions: sessionmaker[Session], number: int) -> tuple[int, str]:
    """The lead of another business (number `number`), found eligible."""
    intake = replace(INTAKE, business_name=f"Boutique numéro {number}")
    return save_submission(sessions, submission(intake)), "admissible"


def confirm_at_once(chats: list[Conversation]) -> list[list[str]]:
    """Every conversation answers « oui » to its confirmation at the same moment."""
    barrier = Barrier(len(chats))

    def confirm(chat: Conversation) -> list[str]:
        barrier.wait()
        chat.send("oui")
        return chat.said

    with ThreadPoolExecutor(max_workers=len(chats)) as pool:
        return list(pool.map(confirm, chats))


def active_bookings(sessions: sessionmaker[Session]) -> list[Booking]:
    with sessions() as session:
        return list(session.scalars(select(Booking).where(Booking.status == "booked")))


def test_one_merchant_in_two_conversations_books_one_session(
    scheduler: Scheduler, sessions: sessionmaker[Session], lead: tuple[int, str]
) -> None:
    """The same merchant confirms two different times from two tabs at the same moment."""
    tabs = [Conversation(scheduler, lead) for _ in range(2)]
    for tab, moment in zip(tabs, (local(24, 9), local(24, 10, minute=15)), strict=True):
        tab.send("rdv", "request_booking")
        tab.send(moment.isoformat())
        assert tab.question == CONFIRM
    said = confirm_at_once(tabs)
    assert sorted(said) == [["utter_booking_already"], ["utter_booking_done"]]
    assert len(active_bookings(sessions)) == 1


def test_the_daily_maximum_holds_when_merchants_confirm_at_once(
    sessions: sessionmaker[Session], outbox: Path
) -> None:
    """Anne takes at most two sessions a day: three merchants confirm three of her Tuesday
    times at once, and Tuesday ends with two."""
    rules = Availability([ANNE], session_minutes=60, buffer_minutes=0, max_sessions_per_day=2)
    mail = MailSettings("noreply@example.org", outbox=outbox)
    scheduler = Scheduler(sessions, rules, mail, "https://site", clock=lambda: NOW)
    chats = [Conversation(scheduler, merchant(sessions, n)) for n in range(3)]
    for chat, hour in zip(chats, (9, 10, 11), strict=True):
        chat.send("rdv", "request_booking")
        chat.send(local(24, hour).isoformat())
        assert chat.question == CONFIRM, chat.said
    said = confirm_at_once(chats)
    assert sorted(said) == [["utter_booking_done"]] * 2 + [["utter_booking_slot_taken"]]
    tuesday = [
        b for b in active_bookings(sessions) if as_utc(b.starts_at).date() == date(2026, 11, 24)
    ]
    assert len(tuesday) == 2


def test_reminders_the_day_before_go_to_the_merchant_once(
    scheduler: Scheduler, lead: tuple[int, str], outbox: Path, sessions: Any
) -> None:
    reference = booked(scheduler, lead)
    with sessions.begin() as session:  # booked a week ago
        session.execute(update(Booking).values(updated_at=as_utc(local(16, 9))))
    for path in outbox.glob("*.eml"):
        path.unlink()
    scheduler.clock = lambda: local(23, 7)
    assert scheduler.send_reminders() == []  # not before 8 h
    scheduler.clock = lambda: local(23, 9)
    assert scheduler.send_reminders() == [reference]
    assert scheduler.send_reminders() == []
    [mail] = mails(outbox)
    assert mail["To"] == "marie@exemple.com" and "demain" in body_of(mail)
    assert "(Bureau de Québec, 10, rue Saint-Jean, Québec)" in body_of(mail)  # where to go


def test_a_session_cancelled_elsewhere_while_moving_it_is_said_not_crashed(
    scheduler: Scheduler, lead: tuple[int, str]
) -> None:
    reference = booked(scheduler, lead)
    chat = Conversation(scheduler, (None, None))
    chat.send(f"déplacer {reference}", "reschedule_booking")
    assert chat.question == WHEN
    scheduler.cancel(reference)  # from another conversation, meanwhile
    chat.send(chat.options[0].isoformat())
    assert chat.outcome() == (["utter_booking_unknown_reference"], None)


def test_one_session_at_a_time_the_next_request_offers_to_move_it(
    scheduler: Scheduler, lead: tuple[int, str]
) -> None:
    reference = booked(scheduler, lead)
    chat = Conversation(scheduler, lead)  # the same merchant, another visit
    chat.send("je veux un rendez-vous", "request_booking")
    assert chat.outcome() == (["utter_booking_already"], None)
    chat.send("/reschedule_booking", "reschedule_booking")  # no reference needed: it is theirs
    assert chat.outcome() == (["utter_booking_current", "utter_booking_next_free"], WHEN)
    assert chat.state["booking_reference"] == reference


def test_smtp_down_and_a_line_break_in_the_name_never_cost_the_booking(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    """The business name holds a line break (stored before answers were cleaned) and the
    mail server is down: the merchant is still told the session is booked, and both
    invitations wait in the retry queue until the job sends them."""
    port = free_port()
    mail = MailSettings("noreply@example.org", "127.0.0.1", port, tmp_path / "outbox", database_url)
    scheduler = Scheduler(sessions, RULES, mail, "https://site", clock=lambda: NOW)
    intake = replace(INTAKE, business_name="Café\nBcc: pirate@example.com")
    chat = Conversation(scheduler, (save_submission(sessions, submission(intake)), "admissible"))
    chat.send("rdv", "request_booking")
    chat.send(local(24, 9).isoformat())
    chat.send("oui")
    assert chat.said == ["utter_booking_done"] and len(active_bookings(sessions)) == 1
    assert len(mail_queue.pending(sessions)) == 2
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        sent = retry_outbox(mail, system_now() + timedelta(minutes=1)).sent  # the queue's clock
    finally:
        controller.stop()
    assert len(sent) == 2
    assert sorted(m["To"] for m in inbox.received) == ["anne@example.org", "marie@exemple.com"]
    assert all(m["Bcc"] is None for m in inbox.received)


def test_unreadable_moments_escalate_like_every_form_then_pause(
    scheduler: Scheduler, lead: tuple[int, str]
) -> None:
    chat = Conversation(scheduler, lead)
    chat.send("rdv", "request_booking")
    retry = chat.send("blablabla")
    assert chat.outcome() == (["utter_form_retry"], WHEN)
    titles = [b["title"] for b in retry.say[0][1]["buttons"]]
    assert titles[-1] == "Autres moments" and len(titles) > 1  # the proposed times, again
    chat.send("blablabla")
    assert chat.outcome() == (["utter_form_help"], WHEN)
    stuck = chat.send("blablabla")
    assert chat.outcome() == (["utter_form_stuck", "utter_booking_paused"], None) and stuck.paused
    assert chat.state["form_failures"] == 0
