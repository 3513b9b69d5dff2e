"""Logs without personal data, on the real processes: a merchant types an e-mail, a phone number
and a postal code; none of them reaches the log of any of the four processes, run at DEBUG
level (where Rasa and rasa-sdk log every message and slot)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Responses, running_stack
from tests.e2e.test_intake_conversation import ANSWERS, Chat, start

PROCESSES = ("actions", "rasa", "web", "jobs")


def test_no_personal_data_in_any_process_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, responses: Responses
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    with running_stack(tmp_path) as stack:
        assert stack.log_level == "DEBUG"
        chat = Chat(stack, responses)
        said = chat.answer_until("utter_ask_storefront", ANSWERS, start(chat))
        assert said[-1] == "utter_ask_storefront"
    logs = {
        name: (tmp_path / "logs" / f"{name}.log").read_text(errors="replace") for name in PROCESSES
    }
    everything = "\n".join(logs.values())

    # Typed as such, and as stored (E.164) or cleaned by the form.
    for value in ("marie@exemple.com", "418 555-1234", "4185551234", "G1L 2W5", "G1L2W5"):
        assert value not in everything, [name for name, text in logs.items() if value in text]
    # The messages and slots were logged, masked: the test does not pass on empty logs.
    assert "processor.message.parse" in logs["rasa"]
    for masked in ("m***@exemple.com", "[téléphone]", "G1L ***"):
        assert masked in logs["rasa"], masked
    assert '"parse_data_text": "m***@exemple.com"' in logs["rasa"]
    assert "SlotSet(key: email, value: m***@exemple.com)" in logs["rasa"]
    assert "rasa_sdk.executor  - Received request to run 'validate_intake_form'" in logs["actions"]
