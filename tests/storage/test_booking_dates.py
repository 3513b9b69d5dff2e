"""Issue 11's dates through the booking conversation (no Rasa): a bare weekday, a 12-hour time,
a range of hours and a window of days give times that match; only « jeudi prochain » is asked."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.booking import Scheduler
from bot.booking_form import CONFIRM, DAY, WHEN
from bot.mail import MailSettings
from bot.storage.leads import save_submission
from tests.storage.test_booking_form import NOW, RULES, Conversation
from tests.storage.test_leads import submission


@pytest.fixture
def chat(sessions: sessionmaker[Session], tmp_path: Path) -> Conversation:
    mail = MailSettings("100 % NumériQC <noreply@example.org>", outbox=tmp_path / "outbox")
    scheduler = Scheduler(sessions, RULES, mail, "https://100numeriqc.qcnum.com", clock=lambda: NOW)
    conversation = Conversation(scheduler, (save_submission(sessions, submission()), "admissible"))
    conversation.send("rdv", "request_booking")
    return conversation


@pytest.mark.parametrize(
    ("wish", "first", "last", "hours"),
    [
        ("jeudi", date(2026, 11, 26), date(2026, 11, 26), (time(0), time(23, 59))),
        ("jeudi en matinée", date(2026, 11, 26), date(2026, 11, 26), (time(8), time(12))),
        ("entre 10 h et midi jeudi", date(2026, 11, 26), date(2026, 11, 26), (time(10), time(12))),
        ("jeudi entre 13h et 15h", date(2026, 11, 26), date(2026, 11, 26), (time(13), time(15))),
        ("dans deux semaines", date(2026, 12, 7), date(2026, 12, 13), (time(0), time(23, 59))),
    ],
)
def test_the_times_proposed_match_the_wish(
    chat: Conversation, wish: str, first: date, last: date, hours: tuple[time, time]
) -> None:
    """Said on Monday 23 November, without asking which week."""
    chat.send(wish)
    assert chat.outcome() == (["utter_booking_matching"], WHEN)
    assert chat.options
    for option in chat.options:
        assert first <= option.date() <= last and hours[0] <= option.time() < hours[1], option


def test_a_12_hour_time_is_the_afternoon(chat: Conversation) -> None:
    chat.send("jeudi à 2h15 pm")
    assert chat.question == CONFIRM
    assert chat.state["booking_summary"].startswith("le jeudi 26 novembre à 14 h 15 avec Bob Côté")


def test_only_jeudi_prochain_is_asked_back(chat: Conversation) -> None:
    chat.send("jeudi prochain en après-midi")
    assert chat.question == DAY
    assert chat.state["booking_days"] == ["2026-11-26", "2026-12-03"]
