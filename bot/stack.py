"""Starts and stops the whole product: action server, Rasa server, web app, reminder job.

`python -m bot.stack` runs it in the foreground (Ctrl-C stops everything); tests and benchmarks
use `Stack` as a context manager with their own settings.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from bot.settings import ROOT, Settings, load_settings
from bot.storage.database import upgrade

log = logging.getLogger(__name__)

RASA_BIN = ROOT / ".venv" / "rasa" / "bin" / "rasa"
APP_PYTHON = ROOT / ".venv" / "app" / "bin" / "python"
REMINDER_EVERY = 300  # seconds between two runs of the reminder job


def rasa_env(settings: Settings) -> dict[str, str]:
    """Environment for Rasa commands: the values `endpoints.yml` substitutes."""
    return {
        **os.environ,
        "ACTION_ENDPOINT_URL": settings.action_url,
        "RASA_TRACKER_DB": str(settings.tracker_db),
        # Quieter logs: TensorFlow is imported by Rasa but no TensorFlow model runs.
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    }


def _commands(settings: Settings) -> dict[str, list[str]]:
    return {
        "actions": [
            str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "actions",
            "--port", str(settings.action_port),
        ],
        "rasa": [
            str(RASA_BIN), "run", "--model", str(settings.model_path),
            "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
            "--interface", settings.host, "--port", str(settings.rasa_port),
        ],
        "web": [str(APP_PYTHON), "-m", "bot.web"],
        "reminders": [
            str(APP_PYTHON), "-m", "bot.cli", "reminders", "--every", str(REMINDER_EVERY),
        ],
    }  # fmt: skip


def _ready_urls(settings: Settings) -> dict[str, str]:
    return {
        "actions": f"http://{settings.host}:{settings.action_port}/health",
        "rasa": f"{settings.rasa_url}/webhooks/rest/",
        "web": f"{settings.web_url}/health",
    }


def _is_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class Stack:
    """The processes of the product, started together and stopped together."""

    settings: Settings
    log_dir: Path | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, timeout: float = 120.0) -> float:
        """Start every process and wait until all answer; return the seconds it took."""
        if not self.settings.model_path.exists():
            raise RuntimeError(f"no trained model at {self.settings.model_path}: run `make train`")
        self.settings.var_dir.mkdir(parents=True, exist_ok=True)
        self.settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        upgrade(self.settings.database_url)
        env = {
            **rasa_env(self.settings),
            "SANIC_HOST": self.settings.host,
            "HOST": self.settings.host,
            "RASA_PORT": str(self.settings.rasa_port),
            "ACTION_PORT": str(self.settings.action_port),
            "WEB_PORT": str(self.settings.web_port),
            "VAR_DIR": str(self.settings.var_dir),
            "DATABASE_URL": self.settings.database_url,
            "ADVISORS_FILE": str(self.settings.advisors_file),
            "SMTP_HOST": self.settings.smtp_host,
            "SMTP_PORT": str(self.settings.smtp_port),
            "FROZEN_CLOCK": (
                self.settings.frozen_clock.isoformat() if self.settings.frozen_clock else ""
            ),
        }
        began = time.monotonic()
        for name, command in _commands(self.settings).items():
            output = None
            if self.log_dir is not None:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                output = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115
            self.processes[name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
            )
        pending = _ready_urls(self.settings)
        while pending:
            for name in list(pending):
                if self.processes[name].poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{name} exited during start-up (see its log)")
                if _is_up(pending[name]):
                    log.info("%s is ready", name)
                    del pending[name]
            if time.monotonic() - began > timeout:
                self.stop()
                raise RuntimeError(f"not ready after {timeout:.0f} s: {', '.join(pending)}")
            time.sleep(0.2)
        return time.monotonic() - began

    def stop(self) -> None:
        """Ask every process to stop, then kill those that do not within 10 s."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def wait(self) -> None:
        """Block until one process exits (or Ctrl-C), then stop the others."""
        try:
            while all(p.poll() is None for p in self.processes.values()):
                time.sleep(0.5)
        finally:
            self.stop()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def main() -> int:
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(message)s")
    stack = Stack(settings)
    # Ctrl-C and SIGTERM stop everything, even when started from a shell that ignores SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        seconds = stack.start()
        print(
            f"\nNumériQC assistant ready in {seconds:.1f} s:\n"
            f"  chat page     : {settings.web_url}/\n"
            f"  Rasa (REST)   : {settings.rasa_url}/webhooks/rest/webhook\n"
            f"  action server : http://{settings.host}:{settings.action_port}\n"
            "Press Ctrl-C to stop everything.",
            flush=True,
        )
        stack.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
