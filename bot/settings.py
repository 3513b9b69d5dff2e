"""The one place that reads configuration: `.env` (python-dotenv) and the environment."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dotenv import load_dotenv

from bot.clock import Clock, clock_of
from bot.pack.check import validated

ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from error


def _str(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def _flag(name: str) -> bool:
    return _str(name, "false").lower() in {"1", "true", "yes"}


def _moment(name: str) -> datetime | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be an ISO 8601 date and time, got {raw!r}") from error
    if moment.tzinfo is None:
        raise ValueError(f"{name} needs a UTC offset, e.g. 2026-11-23T10:00-05:00")
    return moment


API_TOKEN_MIN = 32


def _api_token(name: str) -> str:
    token = os.environ.get(name, "").strip()
    if token and len(token) < API_TOKEN_MIN:
        raise ValueError(
            f"{name} must be at least {API_TOKEN_MIN} characters "
            '(e.g. python -c "import secrets; print(secrets.token_urlsafe(32))")'
        )
    return token


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; every field has a safe embedded default."""

    # One bind address per service: only the web app is ever meant to be published (behind
    # nginx in production); Rasa and the action server stay on loopback or a private network.
    web_host: str
    rasa_host: str
    action_host: str
    rasa_port: int
    action_port: int
    web_port: int
    var_dir: Path
    model_path: Path
    tracker_db: Path
    database_url: str
    privacy_officer_email: str
    mail_sender: str
    smtp_host: str
    smtp_port: int
    advisors_file: Path
    program_website: str
    log_level: str
    # The advisor workspace's cookies get the Secure flag (set it when served over HTTPS).
    secure_cookies: bool = False
    # The program's goal in coached merchants ("une centaine"), shown in the analytics.
    coaching_goal: int = 100
    # Where the program team is told of new leads, review and callback requests ("" = nobody).
    team_email: str = ""
    # The workspace's address in those e-mails' links ("" = the web app's own, `web_url`).
    workspace_url: str = ""
    # A lead still "nouveau" after this many days waits for its first contact (workspace queue).
    first_contact_days: int = 2
    # Tests and demos only: a fake, fixed "now" for the whole product (the dates proposed, the
    # rows' stamps, queues, retention); see bot/clock.py.
    frozen_clock: datetime | None = None
    # The workspace's JSON API for a CRM (`Authorization: Bearer …`); empty: the API is off.
    workspace_api_token: str = ""
    # Leads and conversations inactive this many days are erased by the retention job.
    retention_days: int = 365
    # Other sites (scheme://host[:port]) allowed to host the chat widget; the web app's own
    # address is always allowed, every other origin is refused a conversation.
    allowed_origins: tuple[str, ...] = ()
    # The shared secret Rasa sends the action server (`Authorization: Bearer …`); empty: the
    # launcher makes one for its processes.
    action_token: str = ""
    # Redis shared by every instance: abuse limits, the scheduled jobs' lease ("" = this
    # process's memory, the embedded default).
    redis_url: str = ""
    # Behind a reverse proxy (nginx): the client's address is the last X-Forwarded-For entry.
    behind_proxy: bool = False
    # The production profile (docs/DEPLOY.md): how many web apps, Rasa servers and action
    # servers run side by side behind nginx; nginx's public TLS entry (PUBLIC_PORT 0 = no nginx,
    # the embedded default); Rasa's tracker store on a database server ("" = the SQLite file).
    instances: int = 1
    # Messages each web app passes to Rasa at once (the others wait, first come first served).
    rasa_in_flight: int = 4
    public_host: str = "0.0.0.0"
    public_port: int = 0
    tls_cert: Path | None = None
    tls_key: Path | None = None
    public_url: str = ""
    tracker_store_url: str = ""
    # The live chat (`bot/live.py`): its opening hours and timeouts, and the token of Rasa's
    # HTTP API, which pauses a conversation a person holds (empty: the launcher makes one).
    live_chat_file: Path = ROOT / "config" / "live_chat.yml"
    rasa_api_token: str = ""
    # Candidate models (`bot/learning/candidate.py`): where they are trained and where a promotion
    # keeps the model it replaced (None: VAR_DIR/models); the figures they must reach.
    candidates_dir: Path | None = None
    quality_file: Path = ROOT / "config" / "quality.yml"
    program_dir: Path = ROOT / "program"  # the program pack (docs/PROGRAM_PACK.md)

    @property
    def proxied(self) -> bool:
        """nginx in front: the ports in the settings are its balancers, instances sit after."""
        return self.public_port > 0

    def instance_ports(self, base: int) -> list[int]:
        """The ports of a service's instances: `base` alone, or base+1 … base+N behind nginx."""
        return [base + i for i in range(1, self.instances + 1)] if self.proxied else [base]

    @property
    def candidates(self) -> Path:
        """The folder of candidate models and of the models promotions replaced."""
        return self.candidates_dir or self.var_dir / "models"

    @property
    def clock(self) -> Clock:
        """The product's clock: the system's, or FROZEN_CLOCK's moment."""
        return clock_of(self.frozen_clock)

    @property
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.action_host}:{self.action_port}/webhook"

    @property
    def tracker_url(self) -> str:
        """Rasa's tracker store, where the workspace reads conversation transcripts."""
        if self.tracker_store_url:
            return _postgresql(self.tracker_store_url, "postgresql+psycopg")
        return f"sqlite:///{self.tracker_db}"

    @property
    def rasa_tracker_url(self) -> str:
        """TRACKER_STORE_URL as Rasa's SQLAlchemy 1.4 reads it (psycopg2, its default driver)."""
        return _postgresql(self.tracker_store_url, "postgresql")

    @property
    def web_url(self) -> str:
        return f"http://{self.web_host}:{self.web_port}"

    @property
    def site_url(self) -> str:
        """The address people reach: PUBLIC_URL, nginx's TLS entry, or the web app itself."""
        if self.public_url:
            return self.public_url
        if self.proxied:
            host = "127.0.0.1" if self.public_host in {"0.0.0.0", "::"} else self.public_host
            return f"https://{host}:{self.public_port}"
        return self.web_url

    @property
    def workspace_base(self) -> str:
        """The advisor workspace's address for links in e-mails (WORKSPACE_URL or the site)."""
        return f"{self.workspace_url or self.site_url}/conseillers"


def _postgresql(url: str, scheme: str) -> str:
    """A PostgreSQL `url` with `scheme` (the driver one SQLAlchemy needs), whatever it named."""
    given, rest = url.split("://", 1)
    return f"{scheme}://{rest}" if given.startswith("postgres") else url


def _path(name: str) -> Path | None:
    raw = os.environ.get(name, "").strip()
    return Path(raw) if raw else None


def _check_profile(settings: Settings) -> Settings:
    """Several instances share their state through servers, never through local files."""
    if settings.instances < 1:
        raise ValueError("INSTANCES must be at least 1")
    if settings.instances > 1:
        missing = [
            name
            for name, value in (
                ("PUBLIC_PORT", settings.public_port),
                ("TRACKER_STORE_URL", settings.tracker_store_url),
                ("REDIS_URL", settings.redis_url),
            )
            if not value
        ]
        if missing or not settings.database_url.startswith("postgresql"):
            raise ValueError(
                "INSTANCES > 1 needs nginx (PUBLIC_PORT), a shared tracker store "
                "(TRACKER_STORE_URL), Redis (REDIS_URL) and PostgreSQL (DATABASE_URL); "
                f"missing: {', '.join(missing) or 'DATABASE_URL on PostgreSQL'}"
            )
    if (settings.tls_cert is None) != (settings.tls_key is None):
        raise ValueError("TLS_CERT and TLS_KEY go together")
    return settings


def _origins(name: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in os.environ.get(name, "").split(",") if o.strip())
    for origin in origins:
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?", origin):
            raise ValueError(f"{name}: {origin!r} is not an origin such as https://www.exemple.org")
    return origins


def load_settings(env_file: Path | None = None) -> Settings:
    """Read `.env` (without overriding real environment variables) and build the settings."""
    load_dotenv(env_file or ROOT / ".env", override=False)
    var_dir = Path(_str("VAR_DIR", str(ROOT / "var")))
    program_dir = Path(_str("PROGRAM_DIR", str(ROOT / "program")))
    identity = validated(program_dir).identity
    return _check_profile(
        Settings(
            web_host=_str("WEB_HOST", "127.0.0.1"),
            rasa_host=_str("RASA_HOST", "127.0.0.1"),
            action_host=_str("ACTION_HOST", "127.0.0.1"),
            rasa_port=_int("RASA_PORT", 5005),
            action_port=_int("ACTION_PORT", 5055),
            web_port=_int("WEB_PORT", 8000),
            var_dir=var_dir,
            model_path=Path(_str("RASA_MODEL", str(ROOT / "models" / "numeriqc.tar.gz"))),
            tracker_db=Path(_str("RASA_TRACKER_DB", str(var_dir / "tracker.db"))),
            database_url=_str("DATABASE_URL", f"sqlite:///{var_dir / 'numeriqc.db'}"),
            privacy_officer_email=_str("PRIVACY_OFFICER_EMAIL", ""),
            mail_sender=_str("MAIL_SENDER", f"{identity.sender_name} <noreply@example.org>"),
            smtp_host=_str("SMTP_HOST", ""),
            smtp_port=_int("SMTP_PORT", 25),
            advisors_file=Path(_str("ADVISORS_FILE", str(ROOT / "config" / "advisors.yml"))),
            program_website=_str("PROGRAM_WEBSITE", identity.website),
            log_level=_str("LOG_LEVEL", "INFO").upper(),
            secure_cookies=_flag("SECURE_COOKIES"),
            coaching_goal=_int("COACHING_GOAL", 100),
            team_email=_str("TEAM_EMAIL", ""),
            workspace_url=_str("WORKSPACE_URL", "").rstrip("/"),
            first_contact_days=_int("FIRST_CONTACT_DAYS", 2),
            frozen_clock=_moment("FROZEN_CLOCK"),
            workspace_api_token=_api_token("WORKSPACE_API_TOKEN"),
            retention_days=_int("RETENTION_DAYS", 365),
            allowed_origins=_origins("ALLOWED_ORIGINS"),
            action_token=_api_token("ACTION_TOKEN"),
            redis_url=_str("REDIS_URL", ""),
            behind_proxy=_flag("BEHIND_PROXY"),
            instances=_int("INSTANCES", 1),
            rasa_in_flight=_int("RASA_IN_FLIGHT", 4),
            public_host=_str("PUBLIC_HOST", "0.0.0.0"),
            public_port=_int("PUBLIC_PORT", 0),
            tls_cert=_path("TLS_CERT"),
            tls_key=_path("TLS_KEY"),
            public_url=_str("PUBLIC_URL", "").rstrip("/"),
            tracker_store_url=_str("TRACKER_STORE_URL", ""),
            live_chat_file=Path(_str("LIVE_CHAT_FILE", str(ROOT / "config" / "live_chat.yml"))),
            rasa_api_token=_api_token("RASA_API_TOKEN"),
            candidates_dir=_path("CANDIDATES_DIR"),
            program_dir=program_dir,
            quality_file=Path(_str("QUALITY_FILE", str(ROOT / "config" / "quality.yml"))),
        )
    )
