"""Starts, supervises and stops the whole product: action server, Rasa server, web app, scheduled jobs.

`python -m bot.stack` runs it in the foreground (Ctrl-C or SIGTERM stops everything); tests and
benchmarks use `Stack` as a context manager with their own settings. In the production profile
(PUBLIC_PORT set, docs/DEPLOY.md) each service runs INSTANCES times behind nginx, which the
launcher runs too; `python -m bot.stack one NAME` becomes one process (`rasa-2`, `jobs`…) for a
service manager (deploy/systemd/). Once every process answers,
a supervisor thread restarts any process that exits unexpectedly, after an exponential back-off
(1 s, 2 s, 4 s ... at most 30 s; reset once the process has stayed up a minute), while the
others keep serving. Each exit and restart is logged.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from bot.nginx import standalone
from bot.pack import PackError
from bot.settings import ROOT, Settings, load_settings
from bot.storage.database import ensure_database, upgrade

log = logging.getLogger(__name__)

RASA_BIN = ROOT / ".venv" / "rasa" / "bin" / "rasa"
APP_PYTHON = ROOT / ".venv" / "app" / "bin" / "python"
NGINX = "/usr/sbin/nginx"  # Debian's package (scripts/ensure-nginx)
JOBS_EVERY = 60  # seconds between two runs of the scheduled work (reminders, outbox)

FIRST_DELAY = 1.0  # seconds before the first restart of a crashed process
MAX_DELAY = 30.0  # the back-off doubles up to this
STABLE_AFTER = 60.0  # a process that ran this long before exiting starts a fresh back-off
SUPERVISE_EVERY = 0.2  # seconds between two checks of the processes


def rasa_env(settings: Settings) -> dict[str, str]:
    """Environment for Rasa commands: the values `endpoints.yml` (or, with a shared tracker
    store, `endpoints.production.yml`) substitutes."""
    env = {
        **os.environ,
        "ACTION_ENDPOINT_URL": settings.action_url,
        "ACTION_TOKEN": settings.action_token,
        "RASA_TRACKER_DB": str(settings.tracker_db),
        "RASA_TELEMETRY_ENABLED": "false",  # no usage data leaves the host
        # Quieter logs: TensorFlow is imported by Rasa but no TensorFlow model runs.
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    }
    if settings.tracker_store_url:
        env["TRACKER_STORE_URL"] = settings.rasa_tracker_url
        redis = urlsplit(settings.redis_url or "redis://127.0.0.1:6379/0")
        env |= {
            "LOCK_STORE_HOST": redis.hostname or "127.0.0.1",
            "LOCK_STORE_PORT": str(redis.port or 6379),
            "LOCK_STORE_DB": redis.path.strip("/") or "0",
            "LOCK_STORE_PASSWORD": redis.password or "",
        }
    return env


def environment(settings: Settings) -> dict[str, str]:
    """The environment of every process: the settings as the processes read them again."""
    return {
        **rasa_env(settings),
        "WEB_HOST": settings.web_host,
        "RASA_HOST": settings.rasa_host,
        "ACTION_HOST": settings.action_host,
        "REDIS_URL": settings.redis_url,
        "BEHIND_PROXY": str(settings.behind_proxy or settings.proxied).lower(),
        "INSTANCES": str(settings.instances),
        "RASA_IN_FLIGHT": str(settings.rasa_in_flight),
        "PUBLIC_HOST": settings.public_host,
        "PUBLIC_PORT": str(settings.public_port),
        "PUBLIC_URL": settings.public_url,
        "TRACKER_STORE_URL": settings.tracker_store_url,
        "RASA_PORT": str(settings.rasa_port),
        "ACTION_PORT": str(settings.action_port),
        "WEB_PORT": str(settings.web_port),
        "VAR_DIR": str(settings.var_dir),
        "DATABASE_URL": settings.database_url,
        "ADVISORS_FILE": str(settings.advisors_file),
        "SMTP_HOST": settings.smtp_host,
        "SMTP_PORT": str(settings.smtp_port),
        "LOG_LEVEL": settings.log_level,
        "ALLOWED_ORIGINS": ",".join(settings.allowed_origins),
        "FROZEN_CLOCK": settings.frozen_clock.isoformat() if settings.frozen_clock else "",
        "LIVE_CHAT_FILE": str(settings.live_chat_file),
        "RASA_API_TOKEN": settings.rasa_api_token,
        "RASA_MODEL": str(settings.model_path),
        "CANDIDATES_DIR": str(settings.candidates),
        "QUALITY_FILE": str(settings.quality_file),
        "PROGRAM_DIR": str(settings.program_dir),
    }


def endpoints_file(settings: Settings) -> str:
    """The endpoints Rasa reads: the embedded default, or the shared stores of production."""
    return "endpoints.production.yml" if settings.tracker_store_url else "endpoints.yml"


@dataclass(frozen=True)
class Process:
    """One process of the product: its command, its own environment, its health URL."""

    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    ready: str = ""
    insecure_ready: bool = False  # the health URL is nginx's TLS entry, maybe self-signed

    def answers(self) -> bool:
        """Whether its health URL answers."""
        return is_up(self.ready, verify=not self.insecure_ready)


def _numbered(name: str, index: int, settings: Settings) -> str:
    return f"{name}-{index}" if settings.proxied else name


def processes(settings: Settings) -> dict[str, Process]:
    """The product's processes, by name: the only list of them. Behind nginx (the production
    profile) each service runs `instances` times on the ports after its balancer's, and nginx
    with the configuration `Stack` writes under VAR_DIR/nginx."""
    # LOG_LEVEL=DEBUG reaches the web app and the jobs through the settings; Rasa and rasa-sdk
    # need their own option.
    debug = ["--debug"] if settings.log_level == "DEBUG" else []
    found: dict[str, Process] = {}
    for i, port in enumerate(settings.instance_ports(settings.action_port), 1):
        found[_numbered("actions", i, settings)] = Process(
            [str(APP_PYTHON), "-m", "actions"],
            {"ACTION_PORT": str(port)},
            f"http://{settings.action_host}:{port}/health",
        )
    # Rasa's HTTP API pauses and resumes a conversation a person holds (the live chat,
    # `bot/rasa_api.py`): on, with its token, only when there is one (no token, no live chat).
    api = (
        ["--enable-api", f"--auth-token={settings.rasa_api_token}"]
        if settings.rasa_api_token
        else []
    )
    for i, port in enumerate(settings.instance_ports(settings.rasa_port), 1):
        found[_numbered("rasa", i, settings)] = Process(
            [
                str(RASA_BIN), "run", "--model", str(settings.model_path),
                "--endpoints", endpoints_file(settings), "--credentials", "credentials.yml",
                "--interface", settings.rasa_host, "--port", str(port), *api, *debug,
            ],
            ready=f"http://{settings.rasa_host}:{port}/webhooks/rest/",
        )  # fmt: skip
    for i, port in enumerate(settings.instance_ports(settings.web_port), 1):
        found[_numbered("web", i, settings)] = Process(
            [str(APP_PYTHON), "-m", "bot.web"],
            {"WEB_PORT": str(port)},
            f"http://{settings.web_host}:{port}/health",
        )
    found["jobs"] = Process([str(APP_PYTHON), "-m", "bot.cli", "jobs", "--every", str(JOBS_EVERY)])
    if settings.proxied:
        prefix = settings.var_dir / "nginx"
        found["nginx"] = Process(
            [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"),
             "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            ready=f"{settings.site_url}/health",
            insecure_ready=True,
        )  # fmt: skip
    return found


def is_up(url: str, verify: bool = True) -> bool:
    """Whether `url` answers 200 (`verify=False`: whatever its TLS certificate)."""
    context = None if verify else ssl._create_unverified_context()
    try:
        with urllib.request.urlopen(url, timeout=1, context=context) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, made once under `folder`: for
    trials and tests of the production profile only (set TLS_CERT and TLS_KEY for real)."""
    cert, key = folder / "self-signed.crt", folder / "self-signed.key"
    if not cert.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        log.warning("TLS_CERT unset: nginx uses a self-signed certificate (%s)", cert)
    return cert, key


def restart_delay(attempt: int) -> float:
    """Seconds to wait before the `attempt`-th restart in a row (1, 2, 4 ... at most 30)."""
    return min(MAX_DELAY, FIRST_DELAY * 2.0 ** max(0, attempt - 1))


def describe_exit(code: int) -> str:
    """How a process ended: "code 1", or "signal SIGKILL" when a signal ended it."""
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"code {code}"


@dataclass(frozen=True)
class Restart:
    """One unexpected exit of a process and the restart it led to."""

    name: str
    exit_code: int
    attempt: int
    delay: float


@dataclass
class Stack:
    """The processes of the product, started together, restarted alone, stopped together."""

    settings: Settings
    log_dir: Path | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    restarts: list[Restart] = field(default_factory=list)
    _env: dict[str, str] = field(default_factory=dict, repr=False)
    _processes: dict[str, Process] = field(default_factory=dict, repr=False)
    _attempts: dict[str, int] = field(default_factory=dict, repr=False)
    _started_at: dict[str, float] = field(default_factory=dict, repr=False)
    _restart_at: dict[str, float] = field(default_factory=dict, repr=False)
    _held: set[str] = field(default_factory=set, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _stopping: threading.Event = field(default_factory=threading.Event, repr=False)
    _supervisor: threading.Thread | None = field(default=None, repr=False)

    def start(self, timeout: float = 120.0) -> float:
        """Start every process, wait until all answer, then supervise them in a background
        thread; return the seconds it took. A process that exits during start-up stops all."""
        if not self.settings.model_path.exists():
            raise RuntimeError(f"no trained model at {self.settings.model_path}: run `make train`")
        if not self.settings.action_token:  # one secret for this run's Rasa and action server
            self.settings = replace(self.settings, action_token=secrets.token_urlsafe(32))
        if not self.settings.rasa_api_token:  # and one for Rasa's API, which the web app calls
            self.settings = replace(self.settings, rasa_api_token=secrets.token_urlsafe(32))
        self.settings.var_dir.mkdir(parents=True, exist_ok=True)
        self.settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        ensure_database(self.settings.database_url)
        upgrade(self.settings.database_url)
        if self.settings.tracker_store_url:
            ensure_database(self.settings.tracker_url)
        if self.settings.proxied:
            self._write_nginx_config()
        self._processes = processes(self.settings)
        self._env = environment(self.settings)
        self._stopping.clear()
        began = time.monotonic()
        # nginx last, once the instances answer: it never sees them down at start-up.
        front = [name for name in self._processes if name == "nginx"]
        self._start_and_wait(
            [name for name in self._processes if name not in front], began, timeout
        )
        self._start_and_wait(front, began, timeout)
        self._supervisor = threading.Thread(
            target=self._supervise, name="stack-supervisor", daemon=True
        )
        self._supervisor.start()
        return time.monotonic() - began

    def _start_and_wait(self, names: list[str], began: float, timeout: float) -> None:
        """Start `names` and wait until they answer; a process that exits meanwhile, or the
        `timeout` since `began`, stops everything."""
        for name in names:
            self._spawn(name)
        pending = [name for name in names if self._processes[name].ready]
        while pending:
            for name in list(pending):
                if self.processes[name].poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{name} exited during start-up (see its log)")
                if self._processes[name].answers():
                    log.info("%s is ready", name)
                    pending.remove(name)
            if time.monotonic() - began > timeout:
                self.stop()
                raise RuntimeError(f"not ready after {timeout:.0f} s: {', '.join(pending)}")
            time.sleep(0.2)

    def _write_nginx_config(self) -> None:
        """Write nginx.conf under VAR_DIR/nginx for the production profile."""
        cert, key = (
            (self.settings.tls_cert, self.settings.tls_key)
            if self.settings.tls_cert and self.settings.tls_key
            else self_signed(self.settings.var_dir / "tls")
        )
        prefix = self.settings.var_dir / "nginx"
        (prefix / "tmp").mkdir(parents=True, exist_ok=True)
        (prefix / "nginx.conf").write_text(standalone(self.settings, prefix, cert, key))

    def reload_nginx(self) -> None:
        """Re-read nginx's configuration without dropping a connection (SIGHUP)."""
        self.processes["nginx"].send_signal(signal.SIGHUP)

    def _spawn(self, name: str) -> None:
        output = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            # Appended: a restarted process keeps the log of the one that crashed.
            output = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115
        try:
            process = self._processes[name]
            self.processes[name] = subprocess.Popen(
                process.command,
                cwd=ROOT,
                env={**self._env, **process.env},
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
                # Its own session: Ctrl-C reaches the launcher only, which stops every process
                # in order instead of seeing them all "crash" at once.
                start_new_session=True,
            )
        finally:
            if output is not None:
                output.close()
        self._started_at[name] = time.monotonic()

    def _supervise(self) -> None:
        while not self._stopping.wait(SUPERVISE_EVERY):
            with self._lock:
                if self._stopping.is_set():
                    return
                for name, process in list(self.processes.items()):
                    self._check(name, process)

    def _check(self, name: str, process: subprocess.Popen[bytes]) -> None:
        """One supervision step for one process (called with the lock held)."""
        now = time.monotonic()
        if name in self._held:
            return
        if name in self._restart_at:
            if now >= self._restart_at[name]:
                del self._restart_at[name]
                self._spawn(name)
                log.warning("%s restarted (pid %d)", name, self.processes[name].pid)
            return
        code = process.poll()
        if code is None:
            return
        if now - self._started_at.get(name, now) >= STABLE_AFTER:
            self._attempts[name] = 0
        attempt = self._attempts[name] = self._attempts.get(name, 0) + 1
        delay = restart_delay(attempt)
        self.restarts.append(Restart(name, code, attempt, delay))
        self._restart_at[name] = now + delay
        log.warning(
            "%s exited unexpectedly (%s); restart attempt %d in %.3g s",
            name,
            describe_exit(code),
            attempt,
            delay,
        )

    @contextmanager
    def held(self, name: str) -> Iterator[subprocess.Popen[bytes]]:
        """Keep `name` from being restarted while inside (to take it down on purpose, e.g. for
        maintenance or a fault test); on leaving, it is started again at once if it is down."""
        with self._lock:
            self._held.add(name)
            self._restart_at.pop(name, None)
        log.warning("%s held: not restarted until released", name)
        try:
            yield self.processes[name]
        finally:
            with self._lock:
                self._held.discard(name)
                process = self.processes.get(name)
                if process and process.poll() is not None and not self._stopping.is_set():
                    self._spawn(name)
                    log.warning("%s released and started (pid %d)", name, self.processes[name].pid)

    def wait_ready(self, names: Iterable[str] | None = None, timeout: float = 120.0) -> float:
        """Wait until the named processes (default: all with a health URL) answer; return the
        seconds it took."""
        ready = {name: p for name, p in self._processes.items() if p.ready}
        pending = {name: ready[name] for name in (names or ready) if name in ready}
        began = time.monotonic()
        while pending:
            pending = {name: p for name, p in pending.items() if not p.answers()}
            if pending and time.monotonic() - began > timeout:
                raise RuntimeError(f"not ready after {timeout:.0f} s: {', '.join(pending)}")
            if pending:
                time.sleep(0.2)
        return time.monotonic() - began

    def stop(self) -> None:
        """Stop supervising, ask every process to stop, then kill those that do not within 10 s."""
        with self._lock:
            self._stopping.set()
            self._restart_at.clear()
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None and supervisor is not threading.current_thread():
            supervisor.join()
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
        """Serve until Ctrl-C or SIGTERM (crashed processes are restarted meanwhile), then stop."""
        try:
            while not self._stopping.is_set():
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


def run_one(settings: Settings, name: str) -> int:
    """Become the process `name` of the product (`rasa-2`, `web-1`, `jobs`…), as a service
    manager starts it (deploy/systemd/numeriqc@.service): its command and environment."""
    found = processes(settings)
    if name not in found or name == "nginx":
        print(f"error: no process {name!r}; the processes: {', '.join(found)}", file=sys.stderr)
        return 2
    if not settings.action_token and name.startswith(("rasa", "actions")):
        print(
            "error: ACTION_TOKEN must be set (Rasa and the action servers share it)",
            file=sys.stderr,
        )
        return 2
    process = found[name]
    os.chdir(ROOT)
    os.execve(process.command[0], process.command, {**environment(settings), **process.env})


def main() -> int:
    try:
        settings = load_settings()  # reads and validates the program pack (PROGRAM_DIR)
    except PackError as error:
        print(
            f"error: the program pack is invalid, nothing was started:\n{error}\n"
            "(python -m bot.cli program check; docs/PROGRAM_PACK.md)",
            file=sys.stderr,
        )
        return 2
    if sys.argv[1:2] == ["one"] and len(sys.argv) == 3:
        return run_one(settings, sys.argv[2])
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(message)s")
    stack = Stack(settings)
    # Ctrl-C, SIGTERM and a closed terminal stop everything, even when started from a shell
    # that ignores SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(0))
    try:
        seconds = stack.start()
        print(
            f"\nNumériQC assistant ready in {seconds:.1f} s:\n"
            f"  chat page     : {stack.settings.site_url}/\n"
            f"  advisors      : {stack.settings.site_url}/conseillers/ (first account: README)\n"
            f"  Rasa (REST)   : {settings.rasa_url}/webhooks/rest/webhook\n"
            f"  action server : http://{settings.action_host}:{settings.action_port}\n"
            "A process that stops is restarted. Press Ctrl-C to stop everything.",
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
