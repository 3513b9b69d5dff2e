"""Latency of each kind of message on the embedded product (SQLite, one Rasa instance), as a
merchant starting the eligibility check sends them: a greeting, a FAQ question, the request,
the consent's « oui » (`/affirm`, which starts the intake form through the action server), the
first answer. Each message's median and 95th percentile over `--visits` new conversations.

Usage: `.venv/app/bin/python -m bench.turn_latency [--visits N]`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from bot.learning.chat import post
from tests.conftest import FROZEN_NOW, running_stack

MESSAGES = (
    "bonjour",
    "c'est combien?",
    "je veux vérifier mon admissibilité",
    "/affirm",
    "Boutique Chez Marie",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=60)
    visits = parser.parse_args().visits
    timings: dict[str, list[float]] = {message: [] for message in MESSAGES}
    with (
        tempfile.TemporaryDirectory() as folder,
        running_stack(Path(folder), frozen_clock=FROZEN_NOW) as stack,
    ):
        url = f"{stack.rasa_url}/webhooks/rest/webhook"
        for _ in range(visits):
            sender = f"bench-{uuid.uuid4().hex[:8]}"
            for message in MESSAGES:
                began = time.perf_counter()
                post(url, {"sender": sender, "message": message})
                timings[message].append((time.perf_counter() - began) * 1000)
    print("| message | p50 (ms) | p95 (ms) |\n| --- | --- | --- |")
    for message, spent in timings.items():
        spent.sort()
        p95 = spent[int(len(spent) * 0.95)]
        print(f"| {message} | {statistics.median(spent):.0f} | {p95:.0f} |")


if __name__ == "__main__":
    main()
