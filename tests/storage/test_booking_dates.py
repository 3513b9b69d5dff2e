"""Issue 11's dates through the booking conversation (no Rasa): a bare weekday, a 12-hour time,
a range of hours and a window of days give times that match; only « jeudi prochain » is asked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.booking import Scheduler
from bot.booking_form import CONFIRM, DAY, WHEN
from bot.mail import MailSettings
from bot.scheduling import TIMEZONE
from bot.scheduling.closures import statutory_holidays
from bot.scheduling.config import load_availability
from bot.storage.database import make_sessions
from bot.storage.leads import save_submission
from tests.storage.test_booking_form import NOW, RULES, Conversation
from tests.storage.test_leads import INTAKE, submission


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


def test_a_merchant_booking_on_the_eve_of_each_holiday_of_2027_and_2028_never_gets_it(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    """With the shipped availability and a clock on the eve of each weekday holiday (18 h), no
    slot of the next three weeks is a closed day and the session booked is not the holiday."""
    moment = [NOW]
    stamped = make_sessions(sessions.kw["bind"], lambda: moment[0])  # rows on the same clock
    mail = MailSettings("100 % NumériQC <noreply@example.org>", outbox=tmp_path / "outbox")
    shipped = load_availability()
    scheduler = Scheduler(stamped, shipped, mail, "https://site", clock=lambda: moment[0])
    named = ("Vendredi saint", "Lundi de Pâques", "Journée nationale des patriotes",
             "Fête nationale du Québec", "Fête du Canada", "Fête du Travail", "Action de grâce",
             "Jour de Noël")  # fmt: skip
    checked = []
    for year in (2027, 2028):
        for holiday, name in statutory_holidays(year).items():
            if holiday.weekday() >= 5:
                continue
            moment[0] = datetime.combine(holiday - timedelta(days=1), time(18), TIMEZONE)
            opened = {s.starts_at.astimezone(TIMEZONE).date() for s in scheduler.open_slots()}
            assert opened and not any(shipped.closures.closed(day) for day in opened), holiday
            shop = replace(INTAKE, business_name=f"Boutique {holiday}")  # a merchant each
            lead = save_submission(stamped, submission(shop, f"m{holiday:%Y%m%d}@exemple.com"))
            first = scheduler.next_free()[0]
            booked = scheduler.book(first, lead)
            assert booked.starts_at.astimezone(TIMEZONE).date() > holiday, (name, booked)
            checked.append(name)
    assert set(named) <= set(checked)
