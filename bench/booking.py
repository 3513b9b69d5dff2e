"""Benchmark of the booking turns (bot/booking_form.py) on the embedded default: SQLite, the
real advisors file, mail to an outbox folder. Measures each kind of turn's time, with an
empty calendar and with the coming weeks nearly full, plus Duckling's one-time start.

Usage: `.venv/app/bin/python -m bench.booking [--repeat N]`; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bot.booking import Scheduler
from bot.booking_form import take_turn
from bot.clock import fixed
from bot.mail import MailSettings
from bot.scheduling import TIMEZONE
from bot.scheduling.config import load_availability
from bot.scheduling.dates import understand
from bot.storage.bookings import book
from bot.storage.database import make_engine, make_sessions, upgrade
from bot.storage.leads import save_submission
from tests.storage.test_leads import INTAKE, submission

OTHER = replace(INTAKE, business_name="Café du bench")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TIMEZONE)


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and maximum, in milliseconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    repeat = parser.parse_args().repeat
    began = time.perf_counter()
    understand("demain", NOW)
    print(
        f"Duckling start (first wish of a process): {(time.perf_counter() - began) * 1000:.0f} ms"
    )
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        sessions = make_sessions(make_engine(url), fixed(NOW))
        mail = MailSettings("noreply@example.org", outbox=Path(folder) / "outbox")
        scheduler = Scheduler(sessions, load_availability(), mail, "https://site", lambda: NOW)
        lead = (save_submission(sessions, submission()), "admissible")
        # Each confirmation books for another merchant (one active session per merchant).
        others = [
            (
                save_submission(
                    sessions, submission(intake=replace(OTHER, business_name=f"Café {n}"))
                ),
                "",
            )
            for n in range(2 * min(repeat, 8))
        ]
        print("| calendar | turn | median (ms) | max (ms) |\n| --- | --- | --- | --- |")
        for calendar in ("empty", "nearly full"):
            if calendar == "nearly full":
                for slot in scheduler.open_slots()[:-12]:
                    book(sessions, slot, None)
            turns = {
                "start: next free times": (None, "rdv"),
                "wish: « mardi pm »": ("booking_when", "mardi pm"),
                "wish: « le 3 décembre vers 10 h »": ("booking_when", "le 3 décembre vers 10 h"),
            }
            for name, (question, text) in turns.items():

                def turn(question: str | None = question, text: str = text) -> None:
                    take_turn(scheduler, {}, lead, question, text)

                median, worst = timed(turn, repeat)
                print(f"| {calendar} | {name} | {median:.1f} | {worst:.1f} |")

            def confirm() -> None:
                times = scheduler.next_free(1)
                state = {"booking_mode": "book", "booking_choice": times[0].isoformat()}
                turn = take_turn(scheduler, state, others.pop(), "booking_confirm", "oui")
                assert turn.say[0][0] == "utter_booking_done", turn.say

            median, worst = timed(confirm, min(repeat, 8))
            print(
                f"| {calendar} | confirm: book + 2 e-mails with ICS | {median:.1f} | {worst:.1f} |"
            )


if __name__ == "__main__":
    main()
