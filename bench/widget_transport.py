"""The chat widget's transport: our web app's JSON API (REST, relayed to Rasa's validated REST
channel) against Rasa's socket.io channel, on the running product.

For each transport: the time to open a conversation (socket.io: connect + session request;
REST: nothing to open), then per FAQ message the time until the whole reply has arrived (p50,
p95), one conversation at a time. Also the size of what the browser downloads for the widget.

Usage: `.venv/app/bin/python -m bench.widget_transport [--messages N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gzip
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import socketio

from bot.settings import ROOT, Settings, load_settings
from bot.stack import Stack

QUESTIONS = [
    "c'tu gratis?",
    "qui est admissible",
    "vous faites des sites web?",
    "c'est quoi une SDC",
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def over_rest(settings: Settings, count: int) -> dict[str, Any]:
    sender, times = str(uuid.uuid4()), []
    async with aiohttp.ClientSession() as http:
        for i in range(count):
            began = time.perf_counter()
            async with http.post(
                f"{settings.web_url}/api/messages",
                json={"sender": sender, "message": QUESTIONS[i % len(QUESTIONS)]},
            ) as reply:
                assert reply.status == 200 and (await reply.json())["messages"]
            times.append((time.perf_counter() - began) * 1000)
    return {"open_ms": 0.0, "message_ms": percentiles(times)}


async def over_socketio(settings: Settings, count: int) -> dict[str, Any]:
    client = socketio.AsyncClient(reconnection=False)
    confirmed, replies = asyncio.Event(), asyncio.Queue[dict[str, Any]]()
    client.on("session_confirm", lambda *_: confirmed.set())

    async def on_reply(data: dict[str, Any]) -> None:
        await replies.put(data)

    client.on("bot_uttered", on_reply)
    session, times = uuid.uuid4().hex, []
    began = time.perf_counter()
    await client.connect(settings.rasa_url, socketio_path="/socket.io", transports=["websocket"])
    await client.emit("session_request", {"session_id": session})
    await asyncio.wait_for(confirmed.wait(), timeout=10)
    opened = (time.perf_counter() - began) * 1000
    try:
        for i in range(count):
            began = time.perf_counter()
            message = {"message": QUESTIONS[i % len(QUESTIONS)], "session_id": session}
            await client.emit("user_uttered", message)
            await asyncio.wait_for(replies.get(), timeout=15)  # each FAQ answer: one message
            times.append((time.perf_counter() - began) * 1000)
    finally:
        await client.disconnect()
    return {"open_ms": opened, "message_ms": percentiles(times)}


def downloads() -> dict[str, int]:
    static = ROOT / "bot" / "web" / "static"
    files = [static / "widget.js", static / "widget.css"]
    raw = b"".join(f.read_bytes() for f in files)
    return {"bytes": len(raw), "gzip_bytes": len(gzip.compress(raw))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="numeriqc-widget-bench-"))
    settings = dataclasses.replace(
        load_settings(), rasa_port=15205, action_port=15255, web_port=18200, var_dir=var_dir,
        tracker_db=var_dir / "tracker.db", database_url=f"sqlite:///{var_dir / 'numeriqc.db'}",
    )  # fmt: skip
    stack = Stack(settings, log_dir=var_dir / "logs")
    stack.start(timeout=180)
    try:
        asyncio.run(over_rest(settings, 10))  # warm-up
        rest = asyncio.run(over_rest(settings, args.messages))
        sio = asyncio.run(over_socketio(settings, args.messages))
    finally:
        stack.stop()
        shutil.rmtree(var_dir, ignore_errors=True)
    print("| transport | open (ms) | p50 per message (ms) | p95 per message (ms) |")
    print("| --- | --- | --- | --- |")
    for name, figures in (("REST via the web app", rest), ("socket.io to Rasa", sio)):
        p50, p95 = figures["message_ms"]
        print(f"| {name} | {figures['open_ms']:.1f} | {p50:.1f} | {p95:.1f} |")
    print(f"\nwidget.js + widget.css: {downloads()}")


if __name__ == "__main__":
    main()
