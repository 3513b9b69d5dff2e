"""What learning from conversations costs as conversations pile up: the missed-messages scan
(`bot.storage.missed.scan`: the first read of a whole tracker store, then an incremental run after
1 % more conversations) and the outcomes of every conversation for « Conversations » and
« Qualité » (`OutcomeCache.facts`: the first load, then a reload when 1 % moved).

The tracker store is filled with realistic conversations (`tests/tracker_events.py`: FAQ
questions, a message not understood, intakes with their forms) on SQLite, and on PostgreSQL when
`--postgres` is given (the tests' server, `TEST_POSTGRES_URL`). Prints a Markdown table for docs/BENCHMARKS.md.

Usage: `.venv/app/bin/python -m bench.learning [--conversations N] [--postgres]`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.storage.conversation_outcomes import OutcomeCache
from bot.storage.database import sessions_for, upgrade
from bot.storage.missed import scan
from tests.conftest import new_postgres_database
from tests.tracker_events import Conversation, write

START = datetime(2026, 11, 1, 9, tzinfo=timezone.utc)


def conversations(first: int, count: int) -> list[Conversation]:
    """`count` conversations: one in three an intake, one in four with a message not understood
    (an e-mail and a phone in it, to mask), every one with FAQ questions."""
    made = []
    for n in range(first, first + count):
        talk = Conversation(f"bench-{n}", START + timedelta(minutes=n)).faq()
        if n % 4 == 0:
            talk.not_understood(f"ecrivez a client{n}@exemple.com ou au 418 555-{n % 10000:04d}")
        if n % 3 == 0:
            talk.intake()
        made.append(talk.faq("c'est quoi les criteres?"))
    return made


def timed(work: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    result = work()
    return time.perf_counter() - began, result


def measure(name: str, database: str, tracker: str, count: int) -> list[str]:
    upgrade(database)
    sessions = sessions_for(database)
    write(tracker, conversations(0, count))
    cache = OutcomeCache()
    first_scan, stored = timed(lambda: scan(sessions, tracker))
    first_facts, facts = timed(lambda: cache.facts(tracker))
    write(tracker, conversations(count, max(1, count // 100)))
    next_scan, _ = timed(lambda: scan(sessions, tracker))
    next_facts, _ = timed(lambda: cache.facts(tracker))
    events = sum(len(c.events) for c in conversations(0, count))
    return [
        f"| {name} | {count} ({events} events) | scan, first read | {first_scan:.2f} s "
        f"({stored} missed messages stored) |",
        f"| {name} | + 1 % | scan, incremental | {next_scan:.2f} s |",
        f"| {name} | {count} | outcomes, first load | {first_facts:.2f} s "
        f"({len(facts)} conversations) |",  # type: ignore[arg-type]
        f"| {name} | + 1 % | outcomes, reload | {next_facts:.2f} s |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=5000)
    parser.add_argument(
        "--postgres", action="store_true", help="also on PostgreSQL (tests' server)"
    )
    args = parser.parse_args()
    rows = ["| store | conversations | step | time |", "| --- | --- | --- | --- |"]
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        rows += measure(
            "SQLite",
            f"sqlite:///{here / 'numeriqc.db'}",
            f"sqlite:///{here / 'tracker.db'}",
            args.conversations,
        )
    if args.postgres:
        with (
            new_postgres_database("bench_learning") as database,
            new_postgres_database("bench_tracker") as tracker,
        ):
            rows += measure("PostgreSQL", database, tracker, args.conversations)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
