"""What a server's operator installs: nginx's site (checked by nginx itself), the systemd unit
that becomes each process of the product, and the launcher command it runs."""

from __future__ import annotations

import configparser
import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot import stack as launcher
from bot.nginx import standalone
from bot.settings import ROOT, Settings, load_settings
from bot.stack import run_one, self_signed

UNIT = ROOT / "deploy" / "systemd" / "numeriqc@.service"


@pytest.fixture
def production(tmp_path: Path) -> Settings:
    return dataclasses.replace(
        load_settings(),
        var_dir=tmp_path,
        instances=2,
        public_port=8443,
        tracker_store_url="postgresql://numeriqc:secret@db.internal:5432/tracker",
        redis_url="redis://:motdepasse@cache.internal:6380/2",
        database_url="postgresql+psycopg://numeriqc:secret@db.internal:5432/numeriqc",
        action_token="t" * 32,
    )


def test_nginx_accepts_the_rendered_configuration(production: Settings, tmp_path: Path) -> None:
    subprocess.run(["scripts/ensure-nginx"], cwd=ROOT, check=True)
    cert, key = self_signed(tmp_path / "tls")
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(standalone(production, tmp_path, cert, key))
    checked = subprocess.run(
        ["/usr/sbin/nginx", "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    text = conf.read_text()
    assert "server 127.0.0.1:5006" in text and "server 127.0.0.1:5007" in text
    assert "listen 127.0.0.1:5005;" in text and "listen 0.0.0.0:8443 ssl;" in text


def test_the_cli_prints_the_site_only_with_a_certificate(tmp_path: Path) -> None:
    env = {**os.environ, "PUBLIC_PORT": "8443", "INSTANCES": "1", "VAR_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "bot.cli", "nginx"]
    refused = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert refused.returncode == 2 and "TLS_CERT" in refused.stderr
    tls = {"TLS_CERT": "/etc/ssl/numeriqc.crt", "TLS_KEY": "/etc/ssl/numeriqc.key"}
    printed = subprocess.run(command, cwd=ROOT, env=env | tls, capture_output=True, text=True)
    assert printed.returncode == 0, printed.stderr
    assert "ssl_certificate /etc/ssl/numeriqc.crt;" in printed.stdout
    assert "worker_processes" not in printed.stdout, "a site, not a whole nginx.conf"


def test_the_unit_becomes_each_process_with_its_command_and_environment(
    production: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(UNIT)
    assert unit["Service"]["ExecStart"] == "/opt/numeriqc/.venv/app/bin/python -m bot.stack one %i"
    became: list[tuple[list[str], dict[str, str]]] = []

    def execve(_path: str, command: list[str], env: dict[str, str]) -> Any:
        became.append((command, env))

    monkeypatch.setattr(os, "execve", execve)
    monkeypatch.setattr(os, "chdir", lambda _path: None)
    names = [n for n in launcher.processes(production) if n != "nginx"]
    assert names == ["actions-1", "actions-2", "rasa-1", "rasa-2", "web-1", "web-2", "jobs"]
    for name in names:
        became.clear()
        run_one(production, name)
        [(command, env)] = became
        if name == "rasa-2":
            assert command[-2:] == ["--port", "5007"] and "endpoints.production.yml" in command
            assert (
                env["TRACKER_STORE_URL"] == "postgresql://numeriqc:secret@db.internal:5432/tracker"
            )
            assert (env["LOCK_STORE_HOST"], env["LOCK_STORE_PORT"], env["LOCK_STORE_DB"]) == (
                "cache.internal", "6380", "2",
            )  # fmt: skip
            assert env["LOCK_STORE_PASSWORD"] == "motdepasse"
            assert env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5055/webhook"  # the balancer
        if name == "web-2":
            assert env["WEB_PORT"] == "8002" and env["BEHIND_PROXY"] == "true"
        assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert run_one(production, "nginx") == 2, "Debian's nginx service runs it"
    assert run_one(dataclasses.replace(production, action_token=""), "rasa-1") == 2
