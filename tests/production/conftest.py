"""The production profile on this machine's real servers: two web apps, two Rasa servers and two
action servers behind nginx (TLS, a self-signed certificate), PostgreSQL for our data and Rasa's
tracker store, Redis for the abuse limits and Rasa's lock store."""

from __future__ import annotations

import json
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from bot.stack import Stack
from tests.conftest import FROZEN_NOW, Responses, free_port, new_postgres_database, started_stack

REDIS_PRODUCTION_URL = "redis://127.0.0.1:6379/14"  # a database of its own on the real server
UNVERIFIED = ssl._create_unverified_context()  # the tests' self-signed certificate


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The production profile, its clock frozen like the other conversation tests'."""
    subprocess.run(["scripts/ensure-nginx"], check=True)
    client = redis.Redis.from_url(REDIS_PRODUCTION_URL)
    client.flushdb()
    with (
        new_postgres_database("numeriqc_prod") as database_url,
        new_postgres_database("numeriqc_prod_tracker") as tracker_url,
        started_stack(
            tmp_path_factory.mktemp("var-production"),
            database_url,
            FROZEN_NOW,
            instances=2,
            public_host="127.0.0.1",
            public_port=free_port(),
            tracker_store_url=tracker_url.replace("+psycopg", ""),
            redis_url=REDIS_PRODUCTION_URL,
        ) as stack,
    ):
        yield stack
    client.flushdb()
    client.close()


def post_json(
    url: str, body: dict[str, Any], headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    """POST JSON (over HTTPS: the self-signed certificate accepted); status and JSON reply."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60, context=UNVERIFIED) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class PublicChat:
    """A merchant in the widget: each message through nginx's public entry and a web app."""

    def __init__(self, stack: Stack, responses: Responses, sender: str) -> None:
        self.url = f"{stack.settings.site_url}/api/messages"
        self.sender = sender
        self.responses = responses
        self.last: list[dict[str, Any]] = []

    def send(self, text: str) -> tuple[int, Any]:
        return post_json(self.url, {"sender": self.sender, "message": text})

    def say(self, text: str) -> list[str]:
        status, reply = self.send(text)
        assert status == 200, reply
        self.last = reply["messages"]
        return [
            "<recap>"
            if m["text"].startswith("Voici ce que j'ai noté")
            else self.responses.name_of(m["text"])
            for m in self.last
        ]


def restart_redis() -> None:
    """Stop the machine's Redis (it keeps nothing on disk) and start it again, as it was
    started before the session (docs of this machine kind)."""
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], check=False)
    for folder in ("/var/lib/redis", "/var/log/redis"):
        Path(folder).mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
         "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
         "--logfile", "/var/log/redis/ci.log"],
        check=True,
    )  # fmt: skip
    for _ in range(50):
        if subprocess.run(["redis-cli", "ping"], capture_output=True).stdout.strip() == b"PONG":
            return
        time.sleep(0.1)
    raise RuntimeError("Redis did not come back")


def restart_postgresql() -> None:
    """Restart the machine's PostgreSQL cluster (every open connection is dropped)."""
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )
