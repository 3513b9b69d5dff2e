"""Benchmark of the quantity readers (bot/quantities.py): Duckling's one-time start, then each
reader's time per answer over typical answers and over answers at the length limit.

Usage: `.venv/app/bin/python -m bench.quantities [--repeat N]`; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bot.quantities import MAX_CHARS, headcount, hours, money

TYPICAL = {
    headcount: ("vingt-cinq", "moi pis ma blonde", "3 employés depuis 2019", "une quinzaine"),
    hours: ("1h30", "une heure et demie", "entre 2 et 3 heures", "une couple d'heures"),
    money: ("peut-être 2000$", "entre 1000 et 3000 dollars", "pas plus de 5000", "rien"),
}
LONG = ("vingt-cinq employés et trois heures pour 2 000 $ " * 20)[:MAX_CHARS]


def per_call(read: Callable[[str], object], texts: tuple[str, ...], repeat: int) -> list[float]:
    """Milliseconds per call, one figure per call."""
    times = []
    for _ in range(repeat):
        for text in texts:
            began = time.perf_counter()
            read(text)
            times.append((time.perf_counter() - began) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    repeat = parser.parse_args().repeat
    began = time.perf_counter()
    headcount("cinq")
    print(
        f"Duckling start (first reading of a process): {(time.perf_counter() - began) * 1000:.0f} ms"
    )
    print("\n| reader | answers | median ms | p95 ms | max ms |\n| --- | --- | --- | --- | --- |")
    for read, texts in TYPICAL.items():
        for kind, answers in (("typical", texts), (f"{MAX_CHARS} characters", (LONG,))):
            times = sorted(per_call(read, answers, repeat))
            p95 = times[int(len(times) * 0.95)]
            print(
                f"| {read.__name__} | {kind} | {statistics.median(times):.2f} | {p95:.2f} "
                f"| {times[-1]:.2f} |"
            )


if __name__ == "__main__":
    main()
