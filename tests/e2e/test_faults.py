"""Faults on the real processes: a crash is not an outage, and nothing a merchant said is lost.

The launcher (`bot/stack.py`) restarts a process that dies, with back-off, while the others keep
serving; the action server down in the middle of a form gets the merchant a French apology and
the form carries on when it is back; the Rasa server killed mid-form comes back to the same
question with the earlier answers (its SQLite tracker store keeps every saved turn).
See docs/FAULTS.md.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import stack as launcher
from bot.settings import ROOT, Settings, load_settings
from bot.stack import APP_PYTHON, Process, Restart, Stack, restart_delay
from tests.conftest import Responses, free_port, post, started_stack
from tests.e2e.test_intake_conversation import ANSWERS, RECAP, Chat, lead_of, start

# --- The launcher's supervision, on small stand-in processes (no Rasa) -----------------------


def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.05)


@pytest.fixture
def stand_ins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    """A `Stack` whose processes are a steady one and one that exits with code 3 after 0.3 s,
    with the back-off shortened tenfold."""
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    settings = dataclasses.replace(
        load_settings(),
        var_dir=tmp_path,
        model_path=model,
        tracker_db=tmp_path / "tracker.db",
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
    )
    python = sys.executable
    stand_in_processes = {
        "steady": Process([python, "-c", "import time; time.sleep(120)"]),
        "flaky": Process([python, "-c", "import sys, time; print('up', flush=True); time.sleep(0.3); sys.exit(3)"]),
    }  # fmt: skip
    monkeypatch.setattr(launcher, "processes", lambda _settings: stand_in_processes)
    monkeypatch.setattr(launcher, "FIRST_DELAY", 0.1)
    stack = Stack(settings, log_dir=tmp_path / "logs")
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


def test_restart_delays_double_up_to_thirty_seconds() -> None:
    assert [restart_delay(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 30, 30, 30]


def test_a_crashing_process_is_restarted_with_back_off_and_logged(
    stand_ins: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.stack")
    steady = stand_ins.processes["steady"].pid
    until(lambda: len(stand_ins.restarts) >= 4, 10, "four restarts")
    assert stand_ins.restarts[:4] == [
        Restart("flaky", 3, attempt, 0.1 * 2 ** (attempt - 1)) for attempt in (1, 2, 3, 4)
    ]
    assert stand_ins.processes["steady"].pid == steady  # the others keep running
    assert stand_ins.processes["steady"].poll() is None
    assert "flaky exited unexpectedly (code 3); restart attempt 2 in 0.2 s" in caplog.text
    assert "flaky restarted (pid " in caplog.text
    # The log file is appended to: one "up" line per run.
    assert (stand_ins.log_dir or Path()).joinpath("flaky.log").read_text().count("up") >= 4


def test_the_back_off_starts_again_after_a_process_stayed_up(
    stand_ins: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(launcher, "STABLE_AFTER", 0.2)  # "a while" is shorter than its 0.3 s
    until(lambda: len(stand_ins.restarts) >= 3, 10, "three restarts")
    assert {r.attempt for r in stand_ins.restarts} == {1}


def test_a_held_process_stays_down_until_released(stand_ins: Stack) -> None:
    with stand_ins.held("steady") as process:
        process.kill()
        time.sleep(0.5)
        assert process.poll() is not None and stand_ins.processes["steady"] is process
    assert stand_ins.processes["steady"].poll() is None  # started again on release
    assert all(r.name == "flaky" for r in stand_ins.restarts)  # a hold is not a crash


def test_stop_ends_everything_even_during_a_back_off(stand_ins: Stack) -> None:
    until(lambda: bool(stand_ins.restarts), 10, "a restart")
    processes = list(stand_ins.processes.values())
    stand_ins.stop()
    restarts = len(stand_ins.restarts)
    time.sleep(0.5)
    assert all(p.poll() is not None for p in processes)
    assert not stand_ins.processes and len(stand_ins.restarts) == restarts


# --- `make run`'s launcher, for real ----------------------------------------------------------


def children(pid: int) -> dict[int, str]:
    """The processes whose parent is `pid`, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, IndexError, ValueError):
            continue
    return {child: cmdline.decode(errors="replace") for child, cmdline in found.items()}


def test_the_launcher_restarts_a_killed_action_server_and_stops_cleanly_on_sigterm(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "RASA_PORT": str(free_port()),
        "ACTION_PORT": str(free_port()),
        "WEB_PORT": str(free_port()),
        "VAR_DIR": str(tmp_path),
        "RASA_TRACKER_DB": str(tmp_path / "tracker.db"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'numeriqc.db'}",
        "LOG_LEVEL": "INFO",
    }
    output = tmp_path / "launcher.log"
    with output.open("wb") as sink:
        launcher_process = subprocess.Popen(
            [str(APP_PYTHON), "-m", "bot.stack"], cwd=ROOT, env=env, stdout=sink, stderr=sink
        )
    try:
        until(lambda: "ready in" in output.read_text(), 180, "the launcher ready")
        [actions] = [p for p, cmd in children(launcher_process.pid).items() if "-m actions" in cmd]
        os.kill(actions, signal.SIGKILL)
        until(lambda: "actions restarted" in output.read_text(), 30, "a restart")
        log = output.read_text()
        assert "actions exited unexpectedly (signal SIGKILL); restart attempt 1 in 1 s" in log
        running = children(launcher_process.pid)
        assert len(running) == 4 and actions not in running
        launcher_process.send_signal(signal.SIGTERM)
        assert launcher_process.wait(timeout=30) == 0
        for pid in running:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    finally:
        if launcher_process.poll() is None:
            launcher_process.kill()


# --- Faults on the running product --------------------------------------------------------------


@pytest.fixture(scope="module")
def product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A product of its own for these tests, which take its processes down."""
    with started_stack(tmp_path_factory.mktemp("faults")) as stack:
        yield stack


def web_reply(settings: Settings, sender: str, text: str) -> tuple[int, Any]:
    """Send `text` through the web app (the chat page's API); its status and JSON reply."""
    return post(f"{settings.web_url}/api/messages", {"sender": sender, "message": text})


def test_killed_action_server_is_restarted_and_the_product_keeps_answering(
    product: Stack, responses: Responses
) -> None:
    chat = Chat(product.settings, responses)
    assert start(chat) == ["utter_ask_business_name"]
    assert chat.say("Boutique Chez Marie") == ["utter_ask_contact_name"]
    killed = product.processes["actions"]
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    # The others keep serving: a question outside any form needs no custom action.
    status, reply = web_reply(product.settings, "faults-faq", "c'est gratuit?")
    assert status == 200
    assert [responses.name_of(m["text"]) for m in reply["messages"]] == ["utter_faq_cost"]
    until(lambda: product.processes["actions"] is not killed, 30, "the action server restarted")
    product.wait_ready(["actions"], timeout=60)
    restart = product.restarts[-1]
    assert (restart.name, restart.exit_code) == ("actions", -signal.SIGKILL)
    assert chat.say("Marie Tremblay") == ["utter_ask_contact_role"]
    log = (product.log_dir or Path()).joinpath("actions.log").read_text()
    assert log.count("Action endpoint is up and running") == 2  # the log goes on


def test_action_server_down_mid_form_apologises_then_the_form_continues(
    product: Stack, responses: Responses
) -> None:
    chat = Chat(product.settings, responses)
    start(chat)
    for question in ("utter_ask_business_name", "utter_ask_contact_name"):
        chat.say(ANSWERS[question])
    assert chat.say(ANSWERS["utter_ask_contact_role"]) == ["utter_ask_email"]
    with product.held("actions") as actions:
        actions.send_signal(signal.SIGKILL)
        actions.wait()
        # Down: the merchant is told, in French, once per message.
        assert chat.say(ANSWERS["utter_ask_email"]) == ["utter_action_failed"]
        assert chat.say("c'est gratuit?") == ["utter_action_failed"]
        status, reply = web_reply(product.settings, chat.sender, ANSWERS["utter_ask_email"])
        assert status == 200
        assert [responses.name_of(m["text"]) for m in reply["messages"]] == ["utter_action_failed"]
    product.wait_ready(["actions"], timeout=60)
    # Back: the message is sent again and the form goes on from the same question.
    assert chat.say(ANSWERS["utter_ask_email"]) == ["utter_ask_phone"]
    said = chat.answer_until(RECAP, ANSWERS, ["utter_ask_phone"])
    recap = chat.last[-1]["text"]
    for kept in ("Boutique Chez Marie", "Marie Tremblay", "Propriétaire", "marie@exemple.com"):
        assert kept in recap, recap
    assert said[-1] == RECAP
    assert chat.say("oui") == ["utter_intake_eligible"]
    assert lead_of(product.settings, "marie@exemple.com")["business"] == "Boutique Chez Marie"


def test_rasa_server_killed_mid_form_continues_where_it_was(
    product: Stack, responses: Responses
) -> None:
    chat = Chat(product.settings, responses)
    start(chat)
    said = ["utter_ask_business_name"]
    while said != ["utter_ask_address"]:
        said = chat.say(ANSWERS[said[-1]].replace("marie@", "rasa-kill@"))
    # The phone number typed just before the kill was answered, hence saved: it must survive.
    killed = product.processes["rasa"]
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    status, reply = web_reply(product.settings, chat.sender, "allo?")
    assert status == 503 and "momentanément indisponible" in str(reply["error"])
    until(lambda: product.processes["rasa"] is not killed, 30, "the Rasa server restarted")
    product.wait_ready(["rasa"], timeout=180)
    status, reply = web_reply(product.settings, "faults-after-rasa", "c'est gratuit?")
    assert status == 200 and reply["messages"]  # the web app reaches the new Rasa server
    # The same question, asked again after a question about the program, then the next ones.
    assert chat.say("est-ce que c'est vraiment gratuit?") == ["utter_faq_cost", "utter_ask_address"]
    chat.answer_until(RECAP, ANSWERS, chat.say(ANSWERS["utter_ask_address"]))
    recap = chat.last[-1]["text"]
    assert "• Téléphone : 418 555-1234" in recap and "rasa-kill@exemple.com" in recap
    assert chat.say("oui") == ["utter_intake_eligible"]
    assert lead_of(product.settings, "rasa-kill@exemple.com")["postal_code"] == "G1L 2W5"
