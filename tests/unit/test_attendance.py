"""A session's mark, plain rules: once started only, undone the same day (Québec time, across
midnight UTC), the states and history lines as the pages read them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.attendance import (
    BOOKED,
    CANCELLED,
    HELD,
    NO_SHOW,
    check_mark,
    check_undo,
    history_line,
    may_mark,
    may_undo,
    state,
)
from bot.scheduling import TIMEZONE
from bot.workspace import NotAllowed

START = datetime(2026, 11, 23, 9, tzinfo=TIMEZONE)


def test_states_as_the_pages_read_them() -> None:
    assert state(BOOKED, START, START - timedelta(minutes=1)) == "prévue"
    assert state(BOOKED, START, START) == "à marquer"
    assert state(HELD, START, START) == "tenue"
    assert state(NO_SHOW, START, START) == "absence du commerçant"
    assert state(CANCELLED, START, START) == "annulée"


def test_marked_once_started_only() -> None:
    assert not may_mark(BOOKED, START, START - timedelta(seconds=1))
    assert may_mark(BOOKED, START, START) and not may_mark(HELD, START, START + timedelta(days=1))
    with pytest.raises(NotAllowed, match="pas encore commencé"):
        check_mark(BOOKED, START, START - timedelta(hours=1))
    with pytest.raises(NotAllowed, match="annulée"):
        check_mark(CANCELLED, START, START)
    check_mark(BOOKED, START, START + timedelta(days=20))


def test_undone_the_same_day_in_quebec() -> None:
    marked = datetime(2026, 11, 23, 22, tzinfo=TIMEZONE)  # 3 h UTC the next day
    assert may_undo(HELD, marked, datetime(2026, 11, 23, 23, 59, tzinfo=TIMEZONE))
    assert not may_undo(HELD, marked, datetime(2026, 11, 24, 0, 1, tzinfo=TIMEZONE))
    assert marked.astimezone(timezone.utc).day == 24
    assert not may_undo(BOOKED, marked, marked) and not may_undo(HELD, None, marked)
    with pytest.raises(NotAllowed, match="rien à défaire"):
        check_undo(BOOKED, None, marked)


def test_history_lines() -> None:
    assert history_line("NQ-ABCDEFGH", START, BOOKED, NO_SHOW) == (
        "Rencontre NQ-ABCDEFGH (le lundi 23 novembre à 9 h) marquée : absence du commerçant."
    )
    assert history_line("NQ-ABCDEFGH", START, HELD, BOOKED) == (
        "Rencontre NQ-ABCDEFGH (le lundi 23 novembre à 9 h) : marquage « tenue » défait."
    )
