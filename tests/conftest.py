"""Shared test helpers: the domain's responses, HTTP calls, and the running product."""

from __future__ import annotations

import dataclasses
import json
import re
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import ROOT, Settings, load_settings
from bot.stack import Stack

# Figures measured by the tests, printed at the end of the run (see pytest_terminal_summary).
FIGURES: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("measured figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(url: str, body: bytes | str | dict[str, Any]) -> tuple[int, Any]:
    """POST `body` (JSON-encoded when not already bytes or text); return status and JSON reply."""
    data = (
        body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body))
    )
    raw = data.encode() if isinstance(data, str) else data
    request = urllib.request.Request(url, data=raw, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, text.decode(errors="replace")


class Responses:
    """The domain's responses, to tell which response a bot message is."""

    def __init__(self, domain_dir: Path = ROOT / "domain") -> None:
        self.patterns: dict[str, list[re.Pattern[str]]] = {}
        for path in sorted(domain_dir.glob("*.yml")):
            for name, variants in (yaml.safe_load(path.read_text()).get("responses") or {}).items():
                self.patterns[name] = [self._pattern(v["text"]) for v in variants]

    @staticmethod
    def _pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"\{\w+\}", template)
        return re.compile(".+".join(re.escape(part) for part in parts) + r"\Z", re.DOTALL)

    def name_of(self, text: str) -> str:
        """The response `text` comes from, or "<unknown: text>"."""
        for name, patterns in self.patterns.items():
            if any(p.match(text) for p in patterns):
                return name
        return f"<unknown: {text}>"


@pytest.fixture(scope="session")
def responses() -> Responses:
    return Responses()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The whole product (actions, Rasa, web app) on free ports with its own SQLite files."""
    var_dir = tmp_path_factory.mktemp("var")
    settings = dataclasses.replace(
        load_settings(),
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        var_dir=var_dir,
        tracker_db=var_dir / "tracker.db",
        database_url=f"sqlite:///{var_dir / 'numeriqc.db'}",
    )
    running = Stack(settings, log_dir=var_dir / "logs")
    try:
        running.start(timeout=180)
    except RuntimeError:
        for log in sorted((var_dir / "logs").glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    yield settings
    running.stop()
