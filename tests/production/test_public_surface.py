"""What the production profile publishes: nginx's TLS entry in front of the web apps only, and
the abuse limits shared by every web app through Redis."""

from __future__ import annotations

import socket
import urllib.request
import uuid

import pytest

from bot.stack import Stack
from bot.web.api import TOO_MANY_CONTACTS
from tests.production.conftest import UNVERIFIED, post_json


def test_only_the_web_app_is_published_over_tls(production: Stack) -> None:
    settings = production.settings
    with urllib.request.urlopen(f"{settings.site_url}/health", context=UNVERIFIED) as reply:
        assert reply.status == 200
        assert reply.headers["Strict-Transport-Security"] == "max-age=31536000"
    status, _ = post_json(
        f"{settings.site_url}/webhooks/rest/webhook", {"sender": "x", "message": "a"}
    )
    assert status == 404, "Rasa's channel is not behind the public entry"
    with pytest.raises(OSError):  # plain HTTP is not spoken on the TLS entry
        urllib.request.urlopen(f"http://127.0.0.1:{settings.public_port}/health", timeout=5)
    for port in [
        settings.rasa_port, settings.action_port,
        *settings.instance_ports(settings.rasa_port), *settings.instance_ports(settings.action_port),
    ]:  # fmt: skip
        with socket.socket() as probe:  # loopback only: no other address answers
            probe.settimeout(1)
            assert probe.connect_ex((_outside_address(), port)) != 0, port


def _outside_address() -> str:
    """This machine's address on its network (not loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("192.0.2.1", 9))  # no packet is sent: only the route is looked up
        return str(s.getsockname()[0])


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
        status, reply = post_json(web[i % 2], body, client)
        statuses.append(status)
    assert statuses == [201] * 20 + [429]
    assert reply == {"error": TOO_MANY_CONTACTS}
    other = {"X-Forwarded-For": "203.0.113.8"}
    assert post_json(web[0], body | {"sender": uuid.uuid4().hex * 2}, other)[0] == 201
