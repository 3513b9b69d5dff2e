"""The live handoff's delay from an advisor's message to the merchant's screen: an advisor takes
a merchant's conversation in the workspace and sends messages one at a time; each is timed from
the moment the advisor's browser posts it until the merchant's server-sent-events stream
delivers it (the work between: the holder checked in the database, the line appended to the
conversation through Rasa's HTTP API, the wake-up, the stream reading the tracker store).

Three set-ups, each a fresh product on this machine: the embedded default (one web app,
SQLite, wake-ups in the process); the production profile with 2 instances, the advisor on web
app 1 and the merchant's stream on web app 2 (PostgreSQL, Redis pub/sub between them); and the
same through nginx's public TLS entry, as browsers reach it.

Usage: `.venv/app/bin/python -m bench.live_handoff [--messages N]` (PostgreSQL and Redis on
127.0.0.1, Debian's nginx). Prints a Markdown table for docs/BENCHMARKS.md and writes
bench/results/live_handoff.json.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import re
import ssl
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp
import redis
from sqlalchemy import create_engine, text

from bench.run import RESULTS, machine, percentile
from bot.settings import Settings, load_settings
from bot.stack import Stack
from bot.storage.accounts import create_account
from bot.storage.database import sessions_for

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
REDIS_BENCH_URL = "redis://127.0.0.1:6379/12"
PASSWORD = "une phrase de passe assez longue"
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
EVERY_HOUR = ", ".join(f"{day}: ['00:00-24:00']" for day in DAYS)
ALWAYS = f"closures: false\nhours: {{{EVERY_HOUR}}}\n"
INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE  # the profile's self-signed certificate


async def signed_in(session: aiohttp.ClientSession, base: str, email: str) -> str:
    """Sign the advisor in; the workspace's CSRF token."""
    async with session.get(f"{base}/conseillers/connexion", ssl=INSECURE) as reply:
        page = await reply.text()
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token, "no sign-in form"
    form = {"csrf": token.group(1), "courriel": email, "mot_de_passe": PASSWORD}
    async with session.post(
        f"{base}/conseillers/connexion", data=form, allow_redirects=False, ssl=INSECURE
    ) as reply:
        assert reply.status == 302, f"sign-in refused ({reply.status})"
    async with session.get(f"{base}/conseillers/direct", ssl=INSECURE) as reply:
        found = re.search(r'name="csrf" value="([^"]+)"', await reply.text())
    assert found, "no workspace form"
    return found.group(1)


async def measure(advisor_base: str, merchant_base: str, email: str, count: int) -> list[float]:
    """The delay (ms) of each of `count` advisor messages to the merchant's stream."""
    sender = str(uuid.uuid4())
    arrived: dict[str, float] = {}
    jar = aiohttp.CookieJar(unsafe=True)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=60)
    async with (
        aiohttp.ClientSession(timeout=timeout) as merchant,
        aiohttp.ClientSession(cookie_jar=jar, timeout=timeout) as advisor,
    ):
        asked = {"sender": sender, "name": "Banc Essai", "email": "banc@exemple.com",
                 "message": "Une question pour une personne", "consent": True}  # fmt: skip
        async with merchant.post(f"{merchant_base}/api/live", json=asked, ssl=INSECURE) as reply:
            assert reply.status == 201, f"live chat refused ({reply.status}: {await reply.text()})"
            chat = await reply.json()
        csrf = await signed_in(advisor, advisor_base, email)
        async with advisor.get(f"{advisor_base}/conseillers/direct/file.json", ssl=INSECURE) as r:
            [waiting] = (await r.json())["waiting"]
        async with advisor.post(
            f"{advisor_base}/conseillers/direct/{waiting['id']}/prendre",
            data={"csrf": csrf}, allow_redirects=False, ssl=INSECURE,
        ) as reply:  # fmt: skip
            assert reply.status == 303, f"not taken ({reply.status})"
        assert chat["chat"]["state"] == "waiting"

        async def listen() -> None:
            async with merchant.get(
                f"{merchant_base}/api/live/{sender}/flux", ssl=INSECURE
            ) as stream:
                async for raw in stream.content:
                    line = raw.decode()
                    if line.startswith("data: ") and '"advisor"' in line:
                        said = json.loads(line[6:])["text"]
                        arrived.setdefault(said, time.perf_counter())

        listener = asyncio.create_task(listen())
        await asyncio.sleep(1)  # the stream is open
        delays = []
        for n in range(count):
            said = f"Message {n} de la conseillère"
            began = time.perf_counter()
            async with advisor.post(
                f"{advisor_base}/conseillers/direct/{waiting['id']}/messages",
                data={"csrf": csrf, "texte": said}, headers={"Accept": "application/json"},
                ssl=INSECURE,
            ) as reply:  # fmt: skip
                assert reply.status == 204, f"not sent ({reply.status})"
            for _ in range(500):
                if said in arrived:
                    break
                await asyncio.sleep(0.002)
            delays.append((arrived.get(said, time.perf_counter() + 60) - began) * 1000)
            await asyncio.sleep(0.1)
        listener.cancel()
    return delays


def figures(delays: list[float]) -> dict[str, Any]:
    return {
        "messages": len(delays),
        "p50_ms": round(percentile(delays, 0.5), 1),
        "p95_ms": round(percentile(delays, 0.95), 1),
        "max_ms": round(max(delays), 1),
        "lost": sum(1 for d in delays if d > 30_000),
    }


def started(settings: Settings, var_dir: Path) -> tuple[Stack, str]:
    (var_dir / "live_chat.yml").write_text(ALWAYS, encoding="utf-8")
    settings = dataclasses.replace(settings, live_chat_file=var_dir / "live_chat.yml")
    stack = Stack(settings, log_dir=var_dir / "logs")
    stack.start(timeout=300)
    email = f"banc-{uuid.uuid4().hex[:6]}@qcnum.example"
    create_account(
        sessions_for(settings.database_url), email, "Sophie Banc", "advisor", PASSWORD, "sophie"
    )
    return stack, email


def embedded(count: int) -> dict[str, Any]:
    var_dir = Path(tempfile.mkdtemp(prefix="numeriqc-live-"))
    settings = dataclasses.replace(
        load_settings(), var_dir=var_dir, tracker_db=var_dir / "tracker.db",
        database_url=f"sqlite:///{var_dir / 'numeriqc.db'}", redis_url="",
        rasa_port=16005, action_port=16055, web_port=16000, frozen_clock=None,
    )  # fmt: skip
    stack, email = started(settings, var_dir)
    try:
        return figures(asyncio.run(measure(settings.web_url, settings.web_url, email, count)))
    finally:
        stack.stop()


def production(count: int) -> dict[str, Any]:
    name = f"numeriqc_live_{uuid.uuid4().hex[:6]}"
    var_dir = Path(tempfile.mkdtemp(prefix="numeriqc-live-prod-"))
    redis.Redis.from_url(REDIS_BENCH_URL).flushdb()
    settings = dataclasses.replace(
        load_settings(), var_dir=var_dir, tracker_db=var_dir / "tracker.db",
        database_url=f"{POSTGRES}/{name}",
        tracker_store_url=f"postgresql://postgres@127.0.0.1:5432/{name}_tracker",
        redis_url=REDIS_BENCH_URL, instances=2, public_host="127.0.0.1", public_port=18643,
        rasa_port=17005, action_port=17055, web_port=17000, frozen_clock=None,
    )  # fmt: skip
    stack, email = started(settings, var_dir)
    admin = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    try:
        one, two = (f"http://{settings.web_host}:{port}" for port in (17001, 17002))
        across = figures(asyncio.run(measure(one, two, email, count)))
        public = figures(asyncio.run(measure(settings.site_url, settings.site_url, email, count)))
        return {"across_instances": across, "through_nginx": public}
    finally:
        stack.stop()
        with admin.connect() as connection:
            for database in (name, f"{name}_tracker"):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def markdown(report: dict[str, Any]) -> str:
    rows = [
        ("embedded: one web app, SQLite", report["embedded"]),
        ("2 instances: advisor on web app 1, stream on web app 2 (PostgreSQL, Redis)",
         report["production"]["across_instances"]),
        ("2 instances through nginx's TLS entry", report["production"]["through_nginx"]),
    ]  # fmt: skip
    lines = [
        "| set-up | messages | p50 (ms) | p95 (ms) | max (ms) | lost |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, found in rows:
        lines.append(
            f"| {label} | {found['messages']} | {found['p50_ms']} | {found['p95_ms']} | "
            f"{found['max_ms']} | {found['lost']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=100)
    args = parser.parse_args()
    report = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "embedded": embedded(args.messages),
        "production": production(args.messages),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "live_handoff.json").write_text(json.dumps(report, indent=2))
    print(f"Date: {report['date']}\nMachine: {report['machine']}\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
