"""The three forms' turns never raise, whatever the merchant types and wherever the form is:
intake and diagnostic (pure), booking (against a real SQLite database and outbox)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import booking_form, diagnostic_form, intake
from bot.booking import Scheduler
from bot.clock import fixed
from bot.conversation import Turn
from bot.mail import MailSettings
from bot.messages import parse_message
from bot.storage.database import make_engine, make_sessions, upgrade
from bot.storage.leads import save_submission
from tests.conftest import FIGURES
from tests.fuzz.texts import bodies, encode, fuzz, messages, texts
from tests.storage.test_booking_form import NOW, RULES
from tests.storage.test_leads import submission

INTENTS = st.sampled_from(
    [None, "affirm", "deny", "inform", "stop", "faq_cost", "faq_territory", "request_eligibility",
     "book_session", "cancel_booking", "reschedule_booking", "nlu_fallback"]
)  # fmt: skip
CONFIDENCES = st.floats(0, 1)
FILLED = {
    "business_name": "Boutique Limoilou", "contact_name": "Marie Tremblay",
    "contact_role": "propriétaire", "email": "marie@exemple.com", "phone": "+14185551234",
    "address": "123, 3e Avenue, G1K 3A5", "postal_code": "G1K 3A5", "municipality": "Québec",
    "storefront": "oui", "sector": "commerce de détail", "sdc_member": "oui",
    "association_name": "SDC 3e Avenue", "employees": 3, "hours_per_week": 2.0,
    "readiness": "maintenant", "impact": "Vendre en ligne",
}  # fmt: skip
TURNS: dict[str, int] = {}


def counted(form: str, turn: Turn) -> Turn:
    TURNS[form] = TURNS.get(form, 0) + 1
    assert isinstance(turn, Turn)
    return turn


@fuzz(400)
@given(
    answers=st.sampled_from([{}, FILLED, {**FILLED, "sector": "autre", "sdc_member": "non"}]),
    question=st.sampled_from([None, *intake.QUESTIONS, "field_to_correct"]),
    text=texts,
    intent=INTENTS,
    confidence=CONFIDENCES,
    failures=st.integers(0, 3),
)
def test_intake_turns(
    answers: dict[str, Any],
    question: str | None,
    text: str,
    intent: str | None,
    confidence: float,
    failures: int,
) -> None:
    turn = counted(
        "intake", intake.take_turn(answers, question, text, intent, confidence, failures)
    )
    assert turn.next_question in {None, "field_to_correct", *intake.QUESTIONS}


DIAGNOSED = {
    "diag_website": "ancien", "diag_platform": "Wix", "diag_social_networks": "Facebook",
    "diag_posting": "chaque semaine", "diag_google_profile": "oui",
}  # fmt: skip


@fuzz(400)
@given(
    answers=st.sampled_from([{}, DIAGNOSED]),
    question=st.sampled_from([None, *diagnostic_form.QUESTIONS, diagnostic_form.FIELD_TO_CORRECT]),
    text=texts,
    intent=INTENTS,
    confidence=CONFIDENCES,
)
def test_diagnostic_turns(
    answers: dict[str, Any], question: str | None, text: str, intent: str | None, confidence: float
) -> None:
    turn = counted(
        "diagnostic", diagnostic_form.take_turn(answers, question, text, intent, confidence)
    )
    assert turn.next_question in {
        None,
        diagnostic_form.FIELD_TO_CORRECT,
        *diagnostic_form.QUESTIONS,
    }


@pytest.fixture(scope="module")
def booking(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Scheduler, int]]:
    """A scheduler on a fresh SQLite database, and an eligible lead."""
    folder: Path = tmp_path_factory.mktemp("fuzz-booking")
    url = f"sqlite:///{folder / 'numeriqc.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_sessions(engine, fixed(NOW))
    mail = MailSettings("100 % NumériQC <noreply@example.org>", outbox=folder / "outbox")
    scheduler = Scheduler(sessions, RULES, mail, "https://100numeriqc.qcnum.com", clock=lambda: NOW)
    yield scheduler, save_submission(sessions, submission())
    engine.dispose()


BOOKING_QUESTIONS = (
    booking_form.LOOKUP, booking_form.WHEN, booking_form.DAY, booking_form.CONFIRM,
    booking_form.CANCEL, booking_form.CALLBACK,
)  # fmt: skip
BOOKING_STATES = st.sampled_from(
    [
        {},
        {"booking_mode": "book", "booking_options": ["2026-11-24T09:00:00-05:00"]},
        {"booking_mode": "book", "booking_days": ["2026-11-24", "2026-12-01"],
         "booking_wish": "mardi 10 h"},
        {"booking_mode": "book", "booking_choice": "2026-11-25T09:00:00-05:00",
         "booking_advisor": "anne"},
        {"booking_mode": "reschedule", "booking_reference": "NQ-ABCDEF",
         "booking_choice": "2026-11-25T10:00:00-05:00"},
        {"booking_mode": "cancel", "booking_reference": "NQ-ABCDEF"},
    ]
)  # fmt: skip


@fuzz(300)
@given(
    state=BOOKING_STATES,
    question=st.sampled_from([None, *BOOKING_QUESTIONS]),
    text=texts,
    intent=INTENTS,
    outcome=st.sampled_from(["admissible", "à examiner", "non admissible", None]),
    known_lead=st.booleans(),
)
def test_booking_turns(
    booking: tuple[Scheduler, int],
    state: dict[str, Any],
    question: str | None,
    text: str,
    intent: str | None,
    outcome: str | None,
    known_lead: bool,
) -> None:
    scheduler, lead_id = booking
    lead = (lead_id if known_lead else None, outcome)
    if question == booking_form.CANCEL:  # the form asks to cancel only a session it looked up
        state = {"booking_reference": "NQ-ABCDEF", **state}
    turn = counted(
        "booking", booking_form.take_turn(scheduler, state, lead, question, text, intent, 0.5)
    )
    assert turn.next_question in {None, *BOOKING_QUESTIONS}


MESSAGES = {"accepted": 0, "refused": 0}


@fuzz(800)
@given(body=st.one_of(bodies, messages.map(encode)))
def test_message_bodies(body: bytes) -> None:
    """A request body is a message or an `InvalidMessage` with a French 4xx, never a crash."""
    from bot.messages import MAX_MESSAGE_CHARS, InvalidMessage

    try:
        message = parse_message(body)
    except InvalidMessage as invalid:
        MESSAGES["refused"] += 1
        assert 400 <= invalid.status < 500
        assert str(invalid).strip()
        return
    MESSAGES["accepted"] += 1
    assert 1 <= len(message.text) <= MAX_MESSAGE_CHARS
    assert message.text.encode("utf-8")  # storable and sendable as UTF-8


def test_zz_report() -> None:
    FIGURES["fuzz: form turns"] = ", ".join(f"{form} {n}" for form, n in TURNS.items())
    FIGURES["fuzz: message bodies"] = (
        f"{sum(MESSAGES.values())} ({MESSAGES['accepted']} accepted, "
        f"{MESSAGES['refused']} refused in French)"
    )
