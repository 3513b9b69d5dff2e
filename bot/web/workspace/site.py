"""What every workspace page shares: the database, the advisors, blocking calls off the event
loop, work after the reply, the abuse limits, page rendering with the security headers, cookies
and token checks."""

from __future__ import annotations

import asyncio
import hmac
import secrets
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request, response
from sanic.response import HTTPResponse

from bot import throttle
from bot.scheduling.config import load_availability
from bot.scheduling.invitation import french_date, french_datetime
from bot.settings import Settings
from bot.storage.database import sessions_of
from bot.text import french_count, phone_for_people, plain_links
from bot.workspace import Viewer

PREFIX = "/conseillers"
COOKIE = "nq_session"
LOGIN_COOKIE = "nq_login"
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; form-action 'self'; frame-ancestors 'none'",
}
NOT_FOUND = "Ce dossier n'existe pas ou ne vous est pas confié."
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent.parent / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.filters["quand"] = lambda moment: french_datetime(moment) if moment else ""
_templates.filters["jour"] = lambda day: french_date(day) if day else ""
_templates.filters["telephone"] = phone_for_people
_templates.filters["compte"] = french_count
_templates.filters["lisible"] = plain_links


def page_number(raw: str | None) -> int:
    """A page number from the query string: 1 when missing or not a number (the storage keeps
    it within the pages there are)."""
    try:
        return int(raw or "1")
    except ValueError:
        return 1


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected and given and hmac.compare_digest(expected, given))


def client_of(request: Request) -> str:
    """The caller's address (behind nginx: the one it saw, BEHIND_PROXY)."""
    return str(request.remote_addr or request.ip)


def viewer_of(request: Request) -> Viewer:
    """The signed-in team member (set by `auth`'s middleware on every page but sign-in)."""
    viewer: Viewer = request.ctx.viewer
    return viewer


class Site:
    """The workspace's shared services for one configuration."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.database = sessions_of(settings)
        # Shared by every instance with REDIS_URL, like the chat API's (`bot.throttle`).
        self.limits = throttle.Throttle(throttle.open_store(settings.redis_url), settings.clock)
        self._later = ThreadPoolExecutor(max_workers=2, thread_name_prefix="workspace-later")

    def advisors(self) -> dict[str, str]:
        """Advisor ids and names (config/advisors.yml, re-read so edits show at once)."""
        return {a.id: a.name for a in load_availability(self.settings.advisors_file).advisors}

    async def blocking(self, function: Any, *args: Any) -> Any:
        """Run blocking work (the database) off the event loop."""
        return await asyncio.to_thread(partial(function, *args))

    def after_reply(self, function: Any, *args: Any) -> None:
        """Run blocking work in the background, the reply not waiting for it (`function` must
        never raise: nobody reads what it returns)."""
        self._later.submit(function, *args)

    def page(
        self, request: Request, template: str, status: int = 200, **values: Any
    ) -> HTTPResponse:
        html = _templates.get_template(f"conseillers/{template}").render(
            viewer=getattr(request.ctx, "viewer", None),
            csrf=getattr(request.ctx, "csrf", ""),
            prefix=PREFIX,
            **values,
        )
        return response.html(html, status=status, headers=HEADERS)

    def public_form(
        self, request: Request, template: str, status: int = 200, **values: Any
    ) -> HTTPResponse:
        """A page whose form is posted without a session (sign-in, password reset): a fresh
        token in a cookie and in the form (double submit, `same_token`)."""
        token = secrets.token_urlsafe(24)
        reply = self.page(request, template, status, login_csrf=token, **values)
        self.cookie(reply, LOGIN_COOKIE, token, 3600)
        return reply

    def refused(self, request: Request, status: int, message: str) -> HTTPResponse:
        return self.page(request, "erreur.html", status, message=message)

    def cookie(self, reply: HTTPResponse, name: str, value: str, max_age: int) -> None:
        """An HttpOnly cookie for the workspace's paths (Secure behind HTTPS)."""
        reply.cookies[name] = value
        morsel = reply.cookies[name]
        morsel["httponly"] = True
        morsel["samesite"] = "Strict" if name == LOGIN_COOKIE else "Lax"
        morsel["path"] = PREFIX
        morsel["max-age"] = max_age
        if self.settings.secure_cookies:
            morsel["secure"] = True
