"""What the production profile publishes: nginx's TLS entry in front of the web apps only, and
the abuse limits shared by every web app through Redis."""

from __future__ import annotations

import urllib.request
import uuid
from pathlib import Path

import pytest

from bot.stack import Stack
from bot.web.api import TOO_MANY_CONTACTS
from tests.conftest import UNVERIFIED, post


def test_only_the_web_app_is_published_over_tls(production: Stack) -> None:
    settings = production.settings
    with urllib.request.urlopen(f"{settings.site_url}/health", context=UNVERIFIED) as reply:
        assert reply.status == 200
        assert reply.headers["Strict-Transport-Security"] == "max-age=31536000"
    status, _ = post(f"{settings.site_url}/webhooks/rest/webhook", {"sender": "x", "message": "a"})
    assert status == 404, "Rasa's channel is not behind the public entry"
    with pytest.raises(OSError):  # plain HTTP is not spoken on the TLS entry
        urllib.request.urlopen(f"http://127.0.0.1:{settings.public_port}/health", timeout=5)
    private = [
        settings.rasa_port, settings.action_port,
        *settings.instance_ports(settings.rasa_port), *settings.instance_ports(settings.action_port),
    ]  # fmt: skip
    listening = listening_addresses()
    for port in private:  # loopback only: no other address of this machine answers
        assert listening.get(port) == {"127.0.0.1"}, (port, listening.get(port))
    assert listening.get(settings.public_port) == {"127.0.0.1"}  # as the tests configure it


def listening_addresses() -> dict[int, set[str]]:
    """The addresses each TCP port listens on, read from the kernel (/proc/net/tcp, tcp6)."""
    found: dict[int, set[str]] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] != "0A":  # LISTEN
                continue
            address, port = fields[1].split(":")
            if len(address) == 8:  # IPv4, little-endian
                shown = ".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0))
            else:
                shown = "::" if set(address) == {"0"} else f"ipv6:{address}"
            found.setdefault(int(port, 16), set()).add(shown)
    return found


def test_the_twenty_first_callback_request_of_a_client_is_refused_across_two_web_apps(
    production: Stack,
) -> None:
    settings = production.settings
    web = [
        f"http://{settings.web_host}:{p}/api/contact"
        for p in settings.instance_ports(settings.web_port)
    ]
    client = {"X-Forwarded-For": "203.0.113.7"}  # the address nginx saw
    statuses = []
    for i in range(21):
        body = {
            "sender": uuid.uuid4().hex * 2, "name": "Julie Tremblay", "email": f"j{i}@exemple.com",
            "phone": "", "message": "Rappelez-moi", "consent": True,
        }  # fmt: skip
        status, reply = post(web[i % 2], body, client)
        statuses.append(status)
    assert statuses == [201] * 20 + [429]
    assert reply == {"error": TOO_MANY_CONTACTS}
    other = {"X-Forwarded-For": "203.0.113.8"}
    assert post(web[0], body | {"sender": uuid.uuid4().hex * 2}, other)[0] == 201
