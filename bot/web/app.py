"""Sanic app factory: the program's landing page hosting the chat widget (`static/widget.js`),
the privacy policy, health check, the widget's API (`bot/web/api.py`, under /api), and the
advisor workspace (`bot/web/workspace/`, under /conseillers)."""

from __future__ import annotations

import asyncio
import logging
from html import escape
from pathlib import Path
from string import Template
from urllib.parse import unquote

import aiohttp
from sanic import Request, Sanic, response
from sanic.exceptions import NotFound, SanicException
from sanic.response import HTTPResponse

from bot.privacy.register import record_request
from bot.scheduling.invitation import french_date
from bot.settings import Settings
from bot.storage.database import sessions_of
from bot.web.api import create_api
from bot.web.workspace import create_workspace
from bot.workspace import NotAllowed

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
RASA_TIMEOUT = aiohttp.ClientTimeout(total=30)
NAME_MAX = 255  # bytes in a file name (Linux)


def _error(message: str, status: int) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def create_app(settings: Settings, name: str = "numeriqc_web") -> Sanic:
    """Build the web app for `settings` (one app per process; `name` must be unique)."""
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    if settings.behind_proxy:  # nginx appends the client's address to X-Forwarded-For
        app.config.PROXIES_COUNT = 1
    privacy_page = Template(
        Template((STATIC / "confidentialite.html").read_text("utf-8")).safe_substitute(
            officer_contact=settings.privacy_officer_email or settings.program_website,
            website=settings.program_website,
            retention_days=settings.retention_days,
        )
    )

    async def open_client(app: Sanic, _loop: object) -> None:
        app.ctx.rasa = aiohttp.ClientSession(timeout=RASA_TIMEOUT)
        # Messages passed to Rasa at once; the others wait their turn here, first come first
        # served (docs/BENCHMARKS.md: Rasa's one event loop serves many at once unfairly).
        app.ctx.rasa_turns = asyncio.Semaphore(settings.rasa_in_flight)

    async def close_client(app: Sanic, _loop: object) -> None:
        await app.ctx.rasa.close()

    app.register_listener(open_client, "before_server_start")
    app.register_listener(close_client, "after_server_stop")

    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/")
    async def landing_page(_request: Request) -> HTTPResponse:
        return await response.file(STATIC / "index.html", mime_type="text/html; charset=utf-8")

    @app.get("/confidentialite")
    async def privacy(_request: Request) -> HTTPResponse:
        return response.html(privacy_page.substitute(notice=""))

    @app.post("/confidentialite")
    async def rights_request(request: Request) -> HTTPResponse:
        """A rights request for the privacy officer (listed in the workspace with its due date)."""
        form = request.form or {}
        moment = settings.clock()
        try:
            due = await asyncio.to_thread(
                record_request, sessions_of(settings), form.get("nom", ""),
                form.get("courriel", ""), form.get("type", ""), form.get("message", ""), moment,
            )  # fmt: skip
        except NotAllowed as error:
            notice = f'<p role="alert"><strong>{escape(str(error))}</strong></p>'
            return response.html(privacy_page.substitute(notice=notice), status=400)
        notice = (
            '<p role="status"><strong>Merci, votre demande est reçue.</strong> Nous vous '
            f"répondrons par courriel au plus tard {french_date(due)}.</p>"
        )
        return response.html(privacy_page.substitute(notice=notice))

    async def no_impossible_path(request: Request) -> HTTPResponse | None:
        """A path holding a NUL byte, or a part longer than a file name may be (255 bytes),
        names no page (Sanic's static handler raises on both)."""
        path = unquote(request.path)
        too_long = any(len(part.encode()) > NAME_MAX for part in path.split("/"))
        return _error("Page introuvable.", 404) if "\x00" in path or too_long else None

    app.register_middleware(no_impossible_path, "request")
    app.static("/static", str(STATIC), name="static")
    app.blueprint(create_workspace(settings))
    app.blueprint(create_api(settings))

    async def not_found(_request: Request, _error_: Exception) -> HTTPResponse:
        return _error("Page introuvable.", 404)

    async def http_error(_request: Request, error: SanicException) -> HTTPResponse:
        return _error("Requête refusée.", error.status_code)

    app.error_handler.add(NotFound, not_found)
    # Sanic 21.12's static handler opens `/static/` itself as a file (a 500): nothing there.
    app.error_handler.add(IsADirectoryError, not_found)

    async def unexpected(request: Request, error: Exception) -> HTTPResponse:
        log.error(
            "unexpected error on %s %s: %s",
            request.method,
            request.path,
            type(error).__name__,
            exc_info=error,
        )
        return _error("Une erreur inattendue est survenue. Réessayez dans un instant.", 500)

    app.error_handler.add(SanicException, http_error)
    app.error_handler.add(Exception, unexpected)  # never Sanic's HTML page with a traceback

    return app
