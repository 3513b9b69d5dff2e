"""The production profile on this machine's real servers: two web apps, two Rasa servers and two
action servers behind nginx (TLS, a self-signed certificate), PostgreSQL for our data and Rasa's
tracker store, Redis for the abuse limits and Rasa's lock store."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from bot.stack import Stack
from tests.conftest import (
    FROZEN_NOW,
    Responses,
    free_port,
    new_postgres_database,
    post,
    started_stack,
)
from tests.e2e.test_intake_conversation import names_of

REDIS_PRODUCTION_URL = "redis://127.0.0.1:6379/14"  # a database of its own on the real server


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


class PublicChat:
    """A merchant in the widget: each message through nginx's public entry and a web app."""

    def __init__(self, stack: Stack, responses: Responses, sender: str) -> None:
        self.url = f"{stack.settings.site_url}/api/messages"
        self.sender = sender
        self.responses = responses
        self.last: list[dict[str, Any]] = []

    def send(self, text: str) -> tuple[int, Any]:
        return post(self.url, {"sender": self.sender, "message": text})

    def say(self, text: str) -> list[str]:
        status, reply = self.send(text)
        assert status == 200, reply
        self.last = reply["messages"]
        return names_of(self.responses, self.last)


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
