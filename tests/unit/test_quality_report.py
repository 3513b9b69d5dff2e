"""The quality report's figures from conversations whose every figure is known."""

from __future__ import annotations

from datetime import date, timedelta

from bot.learning.outcomes import Facts, read
from bot.learning.quality_report import compute, default_period, duration
from tests.conftest import FROZEN_NOW
from tests.tracker_events import Conversation

NOW = FROZEN_NOW  # Monday 23 November 2026, 10 h in Québec (2026-S48)


def facts(*conversations: Conversation) -> list[Facts]:
    found = [read(c.sender, c.events) for c in conversations]
    return [f for f in found if f is not None]


def seeded() -> list[Facts]:
    week_ago = NOW - timedelta(weeks=1)
    booked = Conversation("booked", NOW - timedelta(hours=2)).intake()
    booked.form("booking_form", [("booking_when", "mardi"), ("booking_confirm", "oui")])
    booked.said("utter_booking_done")
    slow = Conversation("slow", week_ago).intake().wait(timedelta(days=2))
    slow.user("Je veux réserver", "book_session")
    slow.form("booking_form", [("booking_when", "jeudi"), ("booking_confirm", "oui")])
    slow.said("utter_booking_done")
    left = Conversation("left", week_ago).user("Je veux m'inscrire", "request_eligibility")
    left.form("intake_form", [("business_name", "Café"), ("contact_name", "Julie"), ("email", "")])
    left2 = Conversation("left2", NOW - timedelta(hours=5)).user(
        "inscription", "request_eligibility"
    )
    left2.form("intake_form", [("business_name", "Bar"), ("contact_name", "Luc"), ("email", "")])
    missed = Conversation("missed", NOW - timedelta(hours=1)).not_understood().not_understood()
    missed.faq()
    old = Conversation("old", NOW - timedelta(weeks=30)).faq().not_understood()
    return facts(booked, slow, left, left2, missed, old)


def test_the_report_counts_conversations_of_the_period_and_messages_of_each_week() -> None:
    since, until = default_period(NOW)
    assert (since, until) == (date(2026, 9, 1), date(2026, 11, 23))
    report = compute(seeded(), NOW, since, until, [("Coût du programme", 4)])
    assert report.conversations == 5  # « old » began before the period
    weekly = dict(report.figure("incompris").rows)
    assert len(weekly) == 13  # every week of the period, even empty ones
    # This week: booked (7 messages), left2 (3), missed (3, two not understood).
    assert weekly["2026-S48"] == (15.4, 13, 2)
    assert weekly["2026-S47"] == (0.0, 11, 0)  # slow (8) and left (3)
    assert weekly["2026-S40"] == (0.0, 0, 0)
    assert report.figure("incompris").as_json()["columns"] == ["Incompris (%)"]


def test_abandoned_questions_form_completion_and_time_to_booking() -> None:
    report = compute(seeded(), NOW, *default_period(NOW), topics=[("Coût du programme", 4)])
    assert report.figure("abandons").rows == (("Admissibilité, question 4 : Courriel", (2,)),)
    assert dict(report.figure("formulaires").rows) == {
        "Admissibilité": (4, 2, 2, 50.0),
        "Diagnostic": (0, 0, 0, 0.0),
        "Prise de rendez-vous": (2, 2, 0, 100.0),
    }
    assert len(report.figure("formulaires").as_json()["series"]) == 3  # not the rate
    assert dict(report.figure("reservation").rows)["Moins de 10 min"] == (1,)
    assert dict(report.figure("reservation").rows)["1 à 7 jours"] == (1,)
    assert report.booked == 2
    assert report.median_to_booking is not None
    assert timedelta(days=1) < report.median_to_booking < timedelta(days=1, hours=2)
    assert report.figure("sujets").rows == (("Coût du programme", (4,)),)


def test_a_period_without_conversations_and_delays_in_french() -> None:
    report = compute(seeded(), NOW, date(2025, 1, 6), date(2025, 1, 12), [])
    assert report.conversations == 0 and report.median_to_booking is None
    assert report.figure("abandons").rows == ()
    assert [duration(d) for d in (None, timedelta(minutes=12), timedelta(hours=3, minutes=5),
                                  timedelta(days=2, hours=4))] == ["—", "12 min", "3 h 05",
                                                                   "2 j 4 h"]  # fmt: skip
