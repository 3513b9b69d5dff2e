"""The live chat's rules (`bot/live.py`): opening hours in Québec time with the program's
closures, the hours said in French, how a team member is shown, the chat's notices; and the
fallback's offer of a person during those hours (`bot/fallback.py`)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import live
from bot.fallback import LIVE_OPTIONS, OPTIONS, live_offer
from bot.scheduling.closures import Closures, YearlyClosure
from bot.settings import ROOT, load_settings
from tests.conftest import FROZEN_NOW

QUEBEC = ZoneInfo("America/Toronto")
CONFIG = live.load_config(ROOT / "config" / "live_chat.yml")
CLOSURES = Closures((YearlyClosure("Congé des Fêtes", (12, 24), (1, 2)),), frozenset())


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=QUEBEC)


MONDAY = FROZEN_NOW.date()  # Monday 23 November 2026


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(MONDAY, 10), True),
        (at(MONDAY, 8, 59), False),
        (at(MONDAY, 12), False),  # lunch: 12 h to 13 h
        (at(MONDAY, 16, 29), True),
        (at(MONDAY, 16, 30), False),
        (at(MONDAY + timedelta(days=4), 11), True),  # Friday morning
        (at(MONDAY + timedelta(days=4), 14), False),  # Friday afternoon
        (at(MONDAY + timedelta(days=5), 10), False),  # Saturday
        (at(date(2026, 12, 28), 10), False),  # the holiday break (a Monday)
        (at(date(2027, 9, 6), 10), False),  # Labour Day 2027, computed
        (at(date(2027, 9, 7), 10), True),
        (datetime(2026, 11, 23, 15, 30, tzinfo=ZoneInfo("UTC")), True),  # 10 h 30 in Québec
    ],
)
def test_opening_hours_in_quebec_time_with_the_closures(moment: datetime, expected: bool) -> None:
    assert live.is_open(CONFIG, CLOSURES, moment) is expected


def test_closures_can_be_ignored_and_a_day_can_end_at_midnight() -> None:
    config = live.parse_config(
        {"hours": {d: ["00:00-24:00"] for d in ("lundi", "samedi")}, "closures": False}
    )
    christmas = date(2028, 12, 25)  # a Monday
    assert live.is_open(config, CLOSURES, at(christmas, 23, 59))
    assert live.is_open(config, CLOSURES, at(christmas, 0, 0))
    assert not live.is_open(config, CLOSURES, at(christmas + timedelta(days=1), 10))
    assert live.hours_words(config) == "le lundi et le samedi, de 0 h à minuit"


def test_the_hours_as_people_say_them() -> None:
    assert live.hours_words(CONFIG) == (
        "du lundi au jeudi, de 9 h à midi et de 13 h à 16 h 30; le vendredi, de 9 h à midi"
    )
    assert live.hours_words(live.LiveConfig()) == ""
    assert live.closed_intro(CONFIG).startswith(
        "L'équipe n'est pas en ligne en ce moment (du lundi au jeudi, de 9 h à midi"
    )
    assert "(" not in live.closed_intro(live.LiveConfig())


def test_mistakes_in_the_file_are_named() -> None:
    for bad, message in [
        ({"hours": {"lunid": ["09:00-12:00"]}}, "unknown weekday 'lunid'"),
        ({"hours": {"lundi": ["12:00-09:00"]}}, "ends before it starts"),
        ({"wait_seconds": 0}, "must be positive"),
        ([], "must be a mapping"),
    ]:
        with pytest.raises(ValueError, match=message):
            live.parse_config(bad)


def test_no_file_means_never_open(tmp_path: Path) -> None:
    config = live.load_config(tmp_path / "absent.yml")
    assert config.hours == {} and not live.is_open(config, CLOSURES, at(MONDAY, 10))
    settings = dataclasses.replace(
        load_settings(), live_chat_file=tmp_path / "absent.yml", rasa_api_token="x" * 32
    )
    assert not live.available(settings, at(MONDAY, 10))


def test_available_needs_the_hours_and_rasas_api(tmp_path: Path) -> None:
    settings = dataclasses.replace(
        load_settings(), live_chat_file=ROOT / "config" / "live_chat.yml", rasa_api_token=""
    )
    assert not live.available(settings, at(MONDAY, 10))  # the assistant could not be paused
    settings = dataclasses.replace(settings, rasa_api_token="x" * 32)
    assert live.available(settings, at(MONDAY, 10))
    assert not live.available(settings, at(MONDAY, 20))


def test_the_file_is_read_again_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "live.yml"
    path.write_text("hours:\n  lundi: ['09:00-10:00']\n", encoding="utf-8")
    assert live.load_config(path).hours[0] == ((live._clock("09:00"), live._clock("10:00")),)
    path.write_text("hours: {}\nwait_seconds: 30\n", encoding="utf-8")
    import os

    os.utime(path, (1, 1))  # a different modification time, whatever the clock
    assert live.load_config(path).hours == {} and live.load_config(path).wait.seconds == 30


def test_a_team_member_is_shown_by_first_name_and_role() -> None:
    assert live.shown_as(CONFIG, "Sophie Gagnon", "s@x.ca", "advisor", "sophie") == (
        "Sophie, conseillère"
    )
    assert live.shown_as(CONFIG, "Marc Lévesque", "m@x.ca", "advisor", "marc") == (
        "Marc, conseiller"
    )
    assert live.shown_as(CONFIG, "Marie-Ève Roy", "me@x.ca", "advisor", None) == (
        "Marie-Ève, conseiller"
    )
    assert live.shown_as(CONFIG, "Geneviève Gestion", "g@x.ca", "manager", None) == (
        "Geneviève, gestionnaire"
    )
    titled = live.parse_config({"titles": {"G@X.ca": "directrice"}})
    assert live.shown_as(titled, "Geneviève Gestion", "g@x.ca", "manager", None) == (
        "Geneviève, directrice"
    )


def test_what_the_chat_says() -> None:
    assert live.waiting_notice(CONFIG) == (
        "C'est transmis : une personne de l'équipe va se joindre à la conversation d'ici "
        "2 minutes. Vous pouvez déjà lui écrire ici."
    )
    assert live.joined_notice("Sophie, conseillère") == (
        "Sophie, conseillère, se joint à la conversation."
    )
    unanswered = live.ended_notice(live.UNANSWERED, CONFIG, "", "par téléphone", 2)
    assert "l'équipe vous répondra par téléphone d'ici 2 jours" in unanswered
    assert live.ended_notice(live.SILENCE, CONFIG, "", "", 2).startswith(
        "Sans nouvelles depuis 10 minutes, l'assistant virtuel reprend la conversation."
    )
    assert live.ended_notice(live.HANDED_BACK, CONFIG, "Sophie", "", 2, pending=True) == (
        "Sophie a terminé : l'assistant virtuel reprend là où vous en étiez :"
    )
    assert live.minutes_words(timedelta(seconds=61)) == "2 minutes"
    assert live.minutes_words(timedelta(seconds=5)) == "1 minute"


def test_the_fallback_offers_a_person_first_during_the_hours() -> None:
    assert live_offer(True) == LIVE_OPTIONS
    assert live_offer(False) == OPTIONS
