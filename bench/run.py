"""Benchmark of the running product against a default `rasa init` bot, on this machine.

Measures, for both bots in the same run: full training time, time from start to ready,
p50/p95 latency per message through the REST channel at 1 and 20 concurrent conversations,
throughput at 20 conversations, and the resident memory of each process. For NumériQC, the
same for a visit through the forms (intake, then booking proposals).
Prints a Markdown table for docs/BENCHMARKS.md and writes bench/results/latest.json.

Usage: `make bench` (or `.venv/app/bin/python -m bench.run [--conversations N] [--skip-default]`).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp

from bot.pack.training import compose
from bot.settings import ROOT, Settings, load_settings
from bot.stack import RASA_BIN, Stack, is_up, rasa_env

# One visit: ten messages, as a merchant would type them.
OUR_MESSAGES = [
    "bonjour",
    "c'tu gratis?",
    "qui est admissible au programme",
    "mon commerce est a limoilou c'est correct?",
    "vous faites des sites web?",
    "pis pour facebook?",
    "c'est quoi une SDC",
    "comment je m'inscris",
    "merci beaucoup",
    "bonne journée",
]
# A second visit, through the forms: the eligibility intake (consent, 14 answers, recap), then
# the booking's proposals for a wish, then stopping before booking. "{visit}" makes each visit
# a new business.
FORM_MESSAGES = [
    "je veux vérifier mon admissibilité",
    "/affirm",
    "Boutique {visit}",
    "Marie Tremblay",
    "Propriétaire",
    "marie.{visit}@exemple.com",
    "418 555-1234",
    "123, 3e Avenue, Québec G1L 2W5",
    "ouais",
    "Commerce de détail",
    "oui",
    "SDC 3e Avenue",
    "3",
    "1 à 2 heures",
    "Prêt à commencer maintenant",
    "Vendre en ligne et attirer la clientèle du quartier",
    "oui",
    "/request_booking",
    "jeudi pm",
    "on arrête",
]
DEFAULT_BOT_MESSAGES = [
    "hello", "I am sad", "no", "I feel bad", "yes", "great", "are you a bot?",
    "hi again", "very good", "goodbye",
]  # fmt: skip
RESULTS = ROOT / "bench" / "results"


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def conversation(
    session: aiohttp.ClientSession, url: str, sender: str, messages: list[str], count: int
) -> list[float]:
    latencies = []
    for i in range(count):
        began = time.perf_counter()
        text = messages[i % len(messages)].replace("{visit}", sender.rsplit("-", 1)[-1])
        async with session.post(url, json={"sender": sender, "message": text}) as r:
            assert r.status == 200, await r.text()
            await r.read()
        latencies.append((time.perf_counter() - began) * 1000)
    return latencies


async def load(url: str, messages: list[str], concurrent: int, total: int) -> dict[str, float]:
    """Keep `concurrent` conversations of `len(messages)` messages going until `total` are done.

    Conversations have a realistic length (a merchant's visit), each under a new sender id.
    """
    async with aiohttp.ClientSession() as session:
        await conversation(session, url, f"warm-up-{time.time_ns()}", messages, len(messages))
        began = time.perf_counter()
        started = 0

        async def worker() -> list[float]:
            nonlocal started
            latencies: list[float] = []
            while started < total:
                started += 1
                sender = f"bench-{concurrent}-{started}-{time.time_ns()}"
                latencies += await conversation(session, url, sender, messages, len(messages))
            return latencies

        batches = await asyncio.gather(*(worker() for _ in range(concurrent)))
        elapsed = time.perf_counter() - began
    latencies = [ms for batch in batches for ms in batch]
    return {
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "throughput_msg_s": round(len(latencies) / elapsed, 1),
        "messages": len(latencies),
    }


def measure(url: str, messages: list[str], conversations: int) -> dict[str, Any]:
    return {
        "1_conversation": asyncio.run(load(url, messages, 1, conversations // 2)),
        "20_conversations": asyncio.run(load(url, messages, 20, conversations)),
    }


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return round(time.perf_counter() - began, 1)


def bench_ours(settings: Settings, conversations: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as out:
        domain = compose(settings.program_dir, Path(out) / "domain")
        train_s = timed(
            [str(RASA_BIN), "train", "--force", "--config", "config.yml", "--domain", str(domain),
             "--data", "data", "--out", out],
            ROOT, rasa_env(settings),
        )  # fmt: skip
    stack = Stack(settings, log_dir=settings.var_dir / "logs")
    ready_s = round(stack.start(timeout=300), 1)
    try:
        url = f"{settings.rasa_url}/webhooks/rest/webhook"
        result = measure(url, OUR_MESSAGES, conversations)
        result["forms"] = measure(url, FORM_MESSAGES, conversations // 2)
        result["memory_mb"] = {name: rss_mb(p.pid) for name, p in stack.processes.items()}
    finally:
        stack.stop()
    return {"training_s": train_s, "ready_s": ready_s, **result}


def bench_default_bot(port: int, conversations: int) -> dict[str, Any]:
    """A `rasa init` bot (DIET, TED, UnexpecTED, ...), trained and served the same way."""
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    }
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        train_s = timed(
            [str(RASA_BIN), "init", "--no-prompt", "--init-dir", str(project)], project, env
        )
        began = time.perf_counter()
        server = subprocess.Popen(
            [str(RASA_BIN), "run", "--interface", "127.0.0.1", "--port", str(port)],
            cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            while not is_up(f"http://127.0.0.1:{port}/webhooks/rest/"):
                if server.poll() is not None or time.perf_counter() - began > 600:
                    raise RuntimeError("the default bot did not start")
                time.sleep(0.2)
            ready_s = round(time.perf_counter() - began, 1)
            result = measure(
                f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                DEFAULT_BOT_MESSAGES,
                conversations,
            )
            result["memory_mb"] = {"rasa": rss_mb(server.pid)}
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {"training_s": train_s, "ready_s": ready_s, **result}


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} cores ({cpu}), {memory_kb // 1024 // 1024} GiB RAM, {platform.platform()}"


def _forms(result: dict[str, Any], conversations: str, measure: str) -> Any:
    """A figure of the form visit (NumériQC only: the default bot has no forms)."""
    forms = result.get("forms")
    return (
        forms[f"{conversations}_conversation{'s' if conversations != '1' else ''}"][measure]
        if forms
        else "—"
    )


def markdown(report: dict[str, Any]) -> str:
    rows: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
        ("Full training (s)", lambda r: r["training_s"]),
        ("Start to ready (s)", lambda r: r["ready_s"]),
        ("p50 latency, 1 conversation (ms)", lambda r: r["1_conversation"]["p50_ms"]),
        ("p95 latency, 1 conversation (ms)", lambda r: r["1_conversation"]["p95_ms"]),
        ("p50 latency, 20 conversations (ms)", lambda r: r["20_conversations"]["p50_ms"]),
        ("p95 latency, 20 conversations (ms)", lambda r: r["20_conversations"]["p95_ms"]),
        (
            "Throughput, 20 conversations (msg/s)",
            lambda r: r["20_conversations"]["throughput_msg_s"],
        ),
        ("Form visit: p50 latency, 1 conversation (ms)", lambda r: _forms(r, "1", "p50_ms")),
        ("Form visit: p95 latency, 1 conversation (ms)", lambda r: _forms(r, "1", "p95_ms")),
        ("Form visit: p95 latency, 20 conversations (ms)", lambda r: _forms(r, "20", "p95_ms")),
        (
            "Form visit: throughput, 20 conversations (msg/s)",
            lambda r: _forms(r, "20", "throughput_msg_s"),
        ),
        (
            "Resident memory (MB)",
            lambda r: ", ".join(f"{k} {v}" for k, v in r["memory_mb"].items()),
        ),
    ]
    default = report.get("default_bot")
    lines = ["| measure | NumériQC | default `rasa init` bot |", "| --- | --- | --- |"]
    for label, get in rows:
        lines.append(
            f"| {label} | {get(report['numeriqc'])} | {get(default) if default else 'not run'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--conversations", type=int, default=60, help="conversations at 20 at once (half at 1)"
    )
    parser.add_argument(
        "--skip-default", action="store_true", help="do not train and measure a rasa init bot"
    )
    args = parser.parse_args()
    base = load_settings()
    var_dir = Path(tempfile.mkdtemp(prefix="numeriqc-bench-"))
    settings = dataclasses.replace(
        base,
        rasa_port=15005,
        action_port=15055,
        web_port=18000,
        var_dir=var_dir,
        tracker_db=var_dir / "tracker.db",
        database_url=f"sqlite:///{var_dir / 'numeriqc.db'}",
    )
    report: dict[str, Any] = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "numeriqc": bench_ours(settings, args.conversations),
    }
    if not args.skip_default:
        report["default_bot"] = bench_default_bot(15105, args.conversations)
    shutil.rmtree(var_dir, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))
    print(f"Date: {report['date']}\nMachine: {report['machine']}\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
