"""Load on the production profile: 1 vs 2 instances behind nginx, and a stock `rasa init` bot,
measured in one run on this machine.

Simulated merchants go through the public entry as the widget does (HTTPS to nginx, the web
app's `/api/messages`, Rasa behind the private balancer, PostgreSQL and Redis): FAQ visits
(10 questions), and form visits (consent, the 14 intake answers, the recap, a booking wish, the
first time proposed, its confirmation; a merchant who loses a time to another tries the next).
Every form merchant's lead is checked at the end: one per merchant, with its own business, e-mail
and session (zero lost or mixed up). The stock bot is served by `rasa run` and measured through
its REST channel at the same concurrency (`bench.run.bench_default_bot`).

Usage: `.venv/app/bin/python -m bench.instances [--merchants N] [--concurrent C] [--skip-default]`
(PostgreSQL and Redis on 127.0.0.1, Debian's nginx). Prints a Markdown table for
docs/BENCHMARKS.md and writes bench/results/instances.json.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp
import redis
from sqlalchemy import create_engine, text

from bench.run import FORM_MESSAGES, OUR_MESSAGES, RESULTS, bench_default_bot, machine, percentile
from bot.settings import load_settings
from bot.stack import Stack
from bot.storage.database import sessions_for
from bot.storage.leads import lead_rows

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
REDIS_BENCH_URL = "redis://127.0.0.1:6379/13"
INTAKE = FORM_MESSAGES[: FORM_MESSAGES.index("/request_booking") + 1]
BOOKED = "C'est réservé : "


@dataclasses.dataclass
class Merchant:
    """One simulated merchant's conversation through the widget's API."""

    url: str
    kind: str  # "faq" or "form"
    number: int
    sender: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex * 2)
    latencies: list[float] = dataclasses.field(default_factory=list)
    errors: int = 0
    booked: bool = False

    @property
    def business(self) -> str:
        return f"Boutique Banc {self.number}"

    @property
    def email(self) -> str:
        return f"banc{self.number}@exemple.com"

    async def say(self, session: aiohttp.ClientSession, message: str) -> list[dict[str, Any]]:
        began = time.perf_counter()
        async with session.post(
            self.url, json={"sender": self.sender, "message": message}, ssl=False
        ) as reply:
            body = await reply.read()
        self.latencies.append((time.perf_counter() - began) * 1000)
        if reply.status != 200:
            self.errors += 1
            return []
        return list(json.loads(body)["messages"])

    async def visit(self, session: aiohttp.ClientSession) -> None:
        if self.kind == "faq":
            for message in OUR_MESSAGES:
                await self.say(session, message)
            return
        for message in INTAKE:
            message = {
                "Boutique {visit}": self.business,
                "marie.{visit}@exemple.com": self.email,
            }.get(message, message)
            await self.say(session, message)
        replies = await self.say(session, "jeudi pm")
        for _ in range(3):  # a time taken by another merchant meanwhile: the next one
            times = [
                b["payload"] for m in replies for b in m["buttons"] if b["payload"][:2] == "20"
            ]
            if not times:
                return
            await self.say(session, times[0])
            replies = await self.say(session, "oui")
            if any(m["text"].startswith(BOOKED) for m in replies):
                self.booked = True
                return


async def load(url: str, merchants: list[Merchant], concurrent: int) -> float:
    """Run every merchant's visit, `concurrent` at a time; the seconds it took."""
    queue = list(merchants)
    connector = aiohttp.TCPConnector(limit=concurrent)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(60)) as s:
        warm = Merchant(url, "faq", -1)
        await warm.visit(s)
        began = time.perf_counter()

        async def worker() -> None:
            while queue:
                await queue.pop(0).visit(s)

        await asyncio.gather(*(worker() for _ in range(concurrent)))
        return time.perf_counter() - began


def figures(merchants: list[Merchant], seconds: float) -> dict[str, Any]:
    latencies = [ms for m in merchants for ms in m.latencies]
    return {
        "messages": len(latencies),
        "throughput_msg_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "errors": sum(m.errors for m in merchants),
    }


def check_leads(database_url: str, merchants: list[Merchant]) -> dict[str, int]:
    """Each form merchant's lead: found once, its own business and e-mail, its session."""
    rows = lead_rows(sessions_for(database_url))
    by_email = {row["email"]: row for row in rows}
    forms = [m for m in merchants if m.kind == "form"]
    lost = [m for m in forms if m.email not in by_email]
    mixed = [
        m for m in forms if m.email in by_email and by_email[m.email]["business"] != m.business
    ]
    sessions = [m for m in forms if m.email in by_email and by_email[m.email]["session"]]
    unbooked = [m for m in forms if m.booked and not by_email.get(m.email, {}).get("session")]
    return {
        "form_merchants": len(forms),
        "leads": len(rows),
        "lost": len(lost),
        "mixed_up": len(mixed),
        "booked_said": sum(m.booked for m in forms),
        "sessions_stored": len(sessions),
        "said_booked_but_not_stored": len(unbooked),
    }


def run_profile(instances: int, merchants_count: int, concurrent: int) -> dict[str, Any]:
    """The production profile with `instances`, fresh databases; FAQ then form merchants."""
    name = f"numeriqc_bench_{uuid.uuid4().hex[:6]}"
    admin = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    var_dir = Path(tempfile.mkdtemp(prefix="numeriqc-instances-"))
    redis.Redis.from_url(REDIS_BENCH_URL).flushdb()
    settings = dataclasses.replace(
        load_settings(),
        var_dir=var_dir,
        tracker_db=var_dir / "tracker.db",
        database_url=f"{POSTGRES}/{name}",
        tracker_store_url=f"postgresql://postgres@127.0.0.1:5432/{name}_tracker",
        redis_url=REDIS_BENCH_URL,
        instances=instances,
        public_host="127.0.0.1",
        public_port=18443,
        rasa_port=15005,
        action_port=15055,
        web_port=18000,
    )
    stack = Stack(settings, log_dir=var_dir / "logs")
    stack.start(timeout=300)
    try:
        url = f"{settings.site_url}/api/messages"
        faq = [Merchant(url, "faq", n) for n in range(merchants_count)]
        faq_s = asyncio.run(load(url, faq, concurrent))
        forms = [Merchant(url, "form", n) for n in range(merchants_count // 2)]
        forms_s = asyncio.run(load(url, forms, concurrent))
        result = {
            "faq": figures(faq, faq_s),
            "forms": figures(forms, forms_s),
            "leads": check_leads(settings.database_url, forms),
        }
    finally:
        stack.stop()
        with admin.connect() as connection:
            for database in (name, f"{name}_tracker"):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
    return result


def markdown(report: dict[str, Any]) -> str:
    one, two = report["1_instance"], report["2_instances"]
    stock = report.get("stock_bot")
    lines = [
        "| measure | 1 instance | 2 instances | stock `rasa init` bot (REST) |",
        "| --- | --- | --- | --- |",
    ]
    for visit in ("faq", "forms"):
        for key, label in (
            ("throughput_msg_s", "throughput (msg/s)"),
            ("p50_ms", "p50 (ms)"),
            ("p95_ms", "p95 (ms)"),
            ("p99_ms", "p99 (ms)"),
            ("errors", "errors"),
        ):
            other = "—"
            if stock and visit == "faq":
                other = stock["20_conversations"].get(key, "—")
            lines.append(f"| {visit}: {label} | {one[visit][key]} | {two[visit][key]} | {other} |")
    for key in ("form_merchants", "lost", "mixed_up", "booked_said", "sessions_stored"):
        lines.append(f"| leads: {key} | {one['leads'][key]} | {two['leads'][key]} | — |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--merchants", type=int, default=60, help="FAQ merchants (half as many fill the forms)"
    )
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument("--skip-default", action="store_true", help="no stock rasa init bot")
    args = parser.parse_args()
    report: dict[str, Any] = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "concurrent": args.concurrent,
        "1_instance": run_profile(1, args.merchants, args.concurrent),
        "2_instances": run_profile(2, args.merchants, args.concurrent),
    }
    if not args.skip_default:
        report["stock_bot"] = bench_default_bot(15105, args.merchants)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "instances.json").write_text(json.dumps(report, indent=2))
    print(f"Date: {report['date']}\nMachine: {report['machine']}\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
