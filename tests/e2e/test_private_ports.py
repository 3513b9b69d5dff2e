"""What must stay private is: Rasa's HTTP API answers only with its token (the web app's, to
pause a conversation a person holds: bot/rasa_api.py), the action server answers Rasa's token
only."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import replace

import pytest

from bot.settings import Settings
from bot.stack import processes

ACTION_CALL: dict[str, object] = {
    "next_action": "action_check_eligibility",
    "tracker": {"sender_id": "x"},
}


def status_of(url: str, body: dict[str, object] | None = None, token: str = "") -> int:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/conversations/someone/tracker", None),
        ("/conversations/someone/tracker/events", {"event": "slot", "name": "email"}),
        ("/model/parse", {"text": "allo"}),
        ("/status", None),
    ],
)
def test_rasas_http_api_answers_only_with_its_token(
    stack: Settings, path: str, body: dict[str, object] | None
) -> None:
    assert stack.rasa_api_token  # the launcher made one for this run
    assert status_of(f"{stack.rasa_url}{path}", body) == 401
    assert status_of(f"{stack.rasa_url}{path}?token={'x' * 43}", body) == 401


def test_rasas_http_api_with_the_token_and_off_without_one(stack: Settings) -> None:
    assert status_of(f"{stack.rasa_url}/status?token={stack.rasa_api_token}") == 200
    without = processes(replace(stack, rasa_api_token=""))
    assert all("--enable-api" not in p.command for name, p in without.items() if "rasa" in name)


def test_the_action_server_refuses_calls_without_rasas_token(stack: Settings) -> None:
    webhook = stack.action_url
    assert stack.action_token  # the launcher made one for this run
    assert status_of(webhook, ACTION_CALL) == 401
    assert status_of(webhook, ACTION_CALL, token="x" * 43) == 401
    assert status_of(webhook.replace("/webhook", "/health")) == 200
    # With the token, the same server answers (Rasa sends it: every form in the e2e suites).
    actions = webhook.replace("/webhook", "/actions")
    assert status_of(actions) == 401
    assert status_of(actions, token=stack.action_token) == 200
