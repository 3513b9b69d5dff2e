"""The scheduled jobs run in one place across instances: two real runners share Redis, one
holds the lease and runs the jobs, the other waits; the holder killed, the other takes over."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.lease import Lease
from bot.settings import ROOT
from bot.stack import APP_PYTHON
from bot.storage.database import upgrade


def test_one_runner_holds_the_lease_until_it_stops_renewing(redis_url: str) -> None:
    first, second = Lease(redis_url, 1, "a"), Lease(redis_url, 1, "b")
    assert first.held() and not second.held()
    assert first.held(), "renewed"
    time.sleep(1.2)  # the first runner died: its lease expires
    assert second.held() and not first.held()
    second.release()
    assert first.held(), "a clean stop hands over at once"


@contextmanager
def runner(tmp_path: Path, redis_url: str, name: str) -> Iterator[subprocess.Popen[bytes]]:
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115
    env = {
        **os.environ, "REDIS_URL": redis_url, "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "VAR_DIR": str(tmp_path / name), "LOG_LEVEL": "DEBUG",
    }  # fmt: skip
    process = subprocess.Popen(
        [str(APP_PYTHON), "-m", "bot.cli", "jobs", "--every", "1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(10)
        log.close()


def runs(tmp_path: Path, name: str) -> int:
    return (tmp_path / f"{name}.log").read_text().count("scheduled jobs: jobs run")


def until(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "not in time"
        time.sleep(0.2)


def test_two_runners_run_the_jobs_in_one_place_and_the_other_takes_over(
    tmp_path: Path, redis_url: str
) -> None:
    upgrade(f"sqlite:///{tmp_path / 'app.db'}")
    with runner(tmp_path, redis_url, "a") as a, runner(tmp_path, redis_url, "b") as b:
        until(lambda: runs(tmp_path, "a") + runs(tmp_path, "b") >= 4, 60)
        ran = {name: runs(tmp_path, name) for name in "ab"}
        assert sorted(ran.values())[0] == 0, ran  # one runner only
        holder, other = (a, "b") if ran["a"] else (b, "a")
        holder.send_signal(signal.SIGKILL)  # no clean stop: its lease must expire
        holder.wait()
        until(lambda: runs(tmp_path, other) >= 2, 30)
