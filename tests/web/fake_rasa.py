"""A stand-in for the Rasa server in the web app's tests: its REST channel (every message
recorded, and answered unless the conversation is paused, as Rasa does) and the one endpoint of
its HTTP API the live chat uses (events appended, only with the token), writing Rasa's `events`
table into the tests' SQLite tracker store. The real server is in the end-to-end tests."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.conftest import free_port

ANSWER = "Oui, c'est entièrement gratuit!"


class FakeRasa:
    """Rasa's REST channel and event API on a free port, over the tracker store `tracker_db`."""

    def __init__(self, tracker_db: Path, token: str) -> None:
        self.tracker_db = tracker_db
        self.token = token
        self.port = free_port()
        self.appended: list[tuple[str, list[dict[str, Any]]]] = []
        self.down = False

    def _write(self, sender: str, events: list[dict[str, Any]]) -> None:
        with sqlite3.connect(self.tracker_db) as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                "type_name TEXT, timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
            )
            for event in events:
                event = {"timestamp": time.time(), **event}
                db.execute(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                    (sender, event["event"], event["timestamp"], json.dumps(event)),
                )

    def paused(self, sender: str) -> bool:
        with sqlite3.connect(self.tracker_db) as db:
            found = db.execute(
                "SELECT type_name FROM events WHERE sender_id = ? AND type_name IN "
                "('pause', 'resume') ORDER BY id DESC LIMIT 1",
                (sender,),
            ).fetchone()
        return bool(found and found[0] == "pause")

    async def _append(self, request: web.Request) -> web.Response:
        if self.down:
            return web.json_response({"error": "down"}, status=500)
        if request.query.get("token") != self.token:
            return web.json_response({"message": "unauthorised"}, status=401)
        events = await request.json()
        sender = request.match_info["sender"]
        self.appended.append((sender, events))
        self._write(sender, events)
        return web.json_response({"sender_id": sender})

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        sender, text = body["sender"], body["message"]
        self._write(sender, [{"event": "user", "text": text}])
        if self.paused(sender):
            return web.json_response([])
        self._write(sender, [{"event": "bot", "text": ANSWER}])
        return web.json_response([{"recipient_id": sender, "text": ANSWER}])

    @contextmanager
    def running(self) -> Iterator[FakeRasa]:
        app = web.Application()
        app.router.add_post("/conversations/{sender}/tracker/events", self._append)
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        loop = asyncio.new_event_loop()
        runner = web.AppRunner(app)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.run_until_complete(runner.cleanup())
            loop.close()
