"""The live handoff across instances of the production profile (two web apps, two Rasa servers,
PostgreSQL, Redis, nginx): a merchant asks for a person through one web app, an advisor takes it
and writes through the other, and the merchant's stream on the first receives the lines — the
queue and the messages go through the shared databases and Redis, never one process's memory;
the Rasa instance that pauses the conversation is not the one that stays silent, nor the one
that resumes it."""

from __future__ import annotations

import json
import queue
import re
import subprocess
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import urlencode

import pytest
import redis

from bot.stack import Stack
from bot.storage.accounts import create_account
from bot.storage.database import sessions_for
from tests.conftest import FROZEN_NOW, free_port, new_postgres_database, post, started_stack
from tests.production.conftest import REDIS_PRODUCTION_URL
from tests.web.test_live_api import ALWAYS

PASSWORD = "une phrase de passe assez longue"


@pytest.fixture(scope="module")
def live_production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    subprocess.run(["scripts/ensure-nginx"], check=True)
    var_dir = tmp_path_factory.mktemp("var-live-production")
    hours = var_dir / "live_chat.yml"
    hours.write_text(ALWAYS, encoding="utf-8")
    client = redis.Redis.from_url(REDIS_PRODUCTION_URL)
    client.flushdb()
    with (
        new_postgres_database("numeriqc_live") as database_url,
        new_postgres_database("numeriqc_live_tracker") as tracker_url,
        started_stack(
            var_dir, database_url, FROZEN_NOW, instances=2, public_host="127.0.0.1",
            public_port=free_port(), tracker_store_url=tracker_url.replace("+psycopg", ""),
            redis_url=REDIS_PRODUCTION_URL, live_chat_file=hours,
        ) as stack,
    ):  # fmt: skip
        yield stack
    client.flushdb()
    client.close()


class Advisor:
    """A signed-in advisor's browser on one web app."""

    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        page = self.read("/conseillers/connexion")
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        self.send("/conseillers/connexion", courriel=email, mot_de_passe=PASSWORD, csrf=token[1])
        found = re.search(r'name="csrf" value="([^"]+)"', self.read("/conseillers/direct"))
        assert found
        self.csrf = found[1]

    def read(self, path: str) -> str:
        with self.opener.open(f"{self.base}{path}", timeout=30) as reply:
            return str(reply.read().decode())

    def send(self, path: str, **form: str) -> Any:
        data = urlencode({"csrf": getattr(self, "csrf", ""), **form}).encode()
        request = urllib.request.Request(
            f"{self.base}{path}", data=data, headers={"Accept": "application/json"}
        )
        with self.opener.open(request, timeout=30) as reply:
            return reply


def stream(url: str, found: queue.Queue[dict[str, Any]]) -> None:
    """Read a server-sent-events stream, putting each line's data in `found`."""
    with urllib.request.urlopen(url, timeout=60) as reply:
        for raw in reply:
            line = raw.decode()
            if line.startswith("data: ") and '"from"' in line:
                found.put(json.loads(line[6:]))


def test_a_live_chat_spans_the_instances(live_production: Stack) -> None:
    settings = live_production.settings
    web_1, web_2 = (
        f"http://{settings.web_host}:{port}"
        for port in (settings.web_port + 1, settings.web_port + 2)
    )
    email = f"sophie-{uuid.uuid4().hex[:6]}@qcnum.example"
    create_account(
        sessions_for(settings.database_url), email, "Sophie Gagnon", "advisor", PASSWORD, "sophie"
    )
    sender = str(uuid.uuid4())
    asked = {"sender": sender, "name": "Julie Tremblay", "email": "julie@exemple.com",
             "message": "Une question", "consent": True}  # fmt: skip
    status, reply = post(f"{web_2}/api/live", asked)
    assert status == 201 and reply["chat"]["state"] == "waiting"

    lines: queue.Queue[dict[str, Any]] = queue.Queue()
    threading.Thread(
        target=stream, args=(f"{web_2}/api/live/{sender}/flux", lines), daemon=True
    ).start()
    assert lines.get(timeout=10)["text"].startswith("C'est transmis")

    sophie = Advisor(web_1, email)
    [waiting] = json.loads(sophie.read("/conseillers/direct/file.json"))["waiting"]
    sophie.send(f"/conseillers/direct/{waiting['id']}/prendre")
    assert lines.get(timeout=10)["text"] == "Sophie, conseillère, se joint à la conversation."
    for n in range(3):  # through nginx: either Rasa instance records it, neither answers
        status, said = post(
            f"{settings.site_url}/api/messages", {"sender": sender, "message": f"Question {n}"}
        )
        assert status == 200 and said == {"messages": []}
        sophie.send(f"/conseillers/direct/{waiting['id']}/messages", texte=f"Réponse {n}")
        got = lines.get(timeout=10)
        assert (got["from"], got["who"], got["text"]) == (
            "advisor",
            "Sophie, conseillère",
            f"Réponse {n}",
        )
    page = sophie.read(f"/conseillers/direct/{waiting['id']}")
    assert all(f"Question {n}" in page for n in range(3))

    sophie.send(f"/conseillers/direct/{waiting['id']}/rendre")
    assert lines.get(timeout=10)["text"].startswith("Sophie a terminé")
    status, answered = post(
        f"{settings.site_url}/api/messages", {"sender": sender, "message": "c'tu gratis?"}
    )
    assert status == 200 and "entièrement gratuit" in answered["messages"][0]["text"]
