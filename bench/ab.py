"""Two running products compared turn by turn: an earlier commit (A) and this one (B).

A whole `bench.run` takes minutes, and this shared 2-core machine drifts by ±10 % between runs,
more than most changes. Here both products run side by side (two checkouts, `make run` each on
its own ports) and the same visits go to A and B in turn (ABAB…, then BABA…), so the drift falls
on both: latency of the FAQ and form visits of `bench.run`, one conversation at a time, then
throughput with 20 conversations, three rounds each.

Usage: `.venv/app/bin/python -m bench.ab URL_A URL_B [--visits N]` with each URL the REST
channel (`http://127.0.0.1:5005/webhooks/rest/webhook`).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import aiohttp

from bench.run import FORM_MESSAGES, OUR_MESSAGES, conversation, load, percentile

VISITS = {"FAQ visit": OUR_MESSAGES, "Form visit": FORM_MESSAGES}


async def latencies(urls: list[str], messages: list[str], visits: int) -> dict[str, list[float]]:
    """Per-message latencies (ms) of `visits` visits to each URL, in turn; a first visit each
    warms up and is not counted."""
    found: dict[str, list[float]] = {url: [] for url in urls}
    async with aiohttp.ClientSession() as session:
        for visit in range(visits + 1):
            for url in urls if visit % 2 else urls[::-1]:
                sender = f"ab-{visit}-{time.time_ns()}"
                timed = await conversation(session, url, sender, messages, len(messages))
                if visit:
                    found[url] += timed
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url_a")
    parser.add_argument("url_b")
    parser.add_argument("--visits", type=int, default=20)
    args = parser.parse_args()
    urls = [args.url_a, args.url_b]
    print("| measure | A | B |\n| --- | --- | --- |")
    for name, messages in VISITS.items():
        found = asyncio.run(latencies(urls, messages, args.visits))
        p50 = [f"{statistics.median(found[u]):.1f}" for u in urls]
        p95 = [f"{percentile(found[u], 0.95):.1f}" for u in urls]
        print(f"| {name}: p50 / p95 latency, 1 conversation (ms) | {p50[0]} / {p95[0]} | "
              f"{p50[1]} / {p95[1]} |")  # fmt: skip
        rounds: dict[str, list[float]] = {url: [] for url in urls}
        for round_ in range(3):
            for url in urls if round_ % 2 else urls[::-1]:
                result = asyncio.run(load(url, messages, 20, 3 * 20 * 10 // len(messages)))
                rounds[url].append(result["throughput_msg_s"])
        shown = [" / ".join(f"{x:.1f}" for x in rounds[u]) for u in urls]
        print(
            f"| {name}: throughput, 20 conversations, 3 rounds (msg/s) | {shown[0]} | {shown[1]} |"
        )


if __name__ == "__main__":
    main()
