"""Signing in and out, and the middleware that lets no one without a session see a page or
post a form without the session's CSRF token (but the sign-in and password reset pages)."""

from __future__ import annotations

from urllib.parse import quote

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.storage import accounts
from bot.web.workspace.site import COOKIE, HEADERS, LOGIN_COOKIE, PREFIX, Site, same_token
from bot.workspace import SESSION_LIFETIME

SIGN_IN = f"{PREFIX}/connexion"
API = f"{PREFIX}/api/"  # token-protected JSON (`api`): no cookie opens it, no sign-in page
# « Mot de passe oublié? » (`reset`): for someone who cannot sign in.
FORGOT = f"{PREFIX}/mot-de-passe-oublie"
RESET = f"{PREFIX}/mot-de-passe/"
CHANGED = "change"  # SIGN_IN?mot_de_passe=change: after a reset
# An advisor's calendar feed (`calendar`): read by calendar applications, its token is the key.
CALENDAR_FEED = f"{PREFIX}/calendrier/abonnement/"


def public(path: str) -> bool:
    """Whether `path` answers without a session: signing in, a password reset and a calendar
    feed (one link a path), and the API, which checks its own token, never the session
    cookie."""
    for start in (RESET, CALENDAR_FEED):
        if path.startswith(start):
            return "/" not in path[len(start) :]
    return path in (SIGN_IN, FORGOT) or path.startswith(API)


def register(workspace: Blueprint, site: Site) -> None:
    def login_page(
        request: Request, error: str = "", status: int = 200, target: str = ""
    ) -> HTTPResponse:
        """The sign-in form (with a fresh double-submit token)."""
        return site.public_form(
            request, "connexion.html", status, error=error,
            target=target or request.args.get("suivant", ""),
            changed=request.args.get("mot_de_passe") == CHANGED,
        )  # fmt: skip

    @workspace.middleware("request")
    async def signed_in(request: Request) -> HTTPResponse | None:
        if public(request.path):
            return None
        found = await site.blocking(accounts.session_of, site.database, request.cookies.get(COOKIE))
        if found is None:
            target = quote(request.path, safe="/")
            return response.redirect(f"{SIGN_IN}?suivant={target}", headers=HEADERS)
        request.ctx.viewer, request.ctx.csrf = found
        if request.method == "POST" and not same_token(
            request.ctx.csrf, (request.form or {}).get("csrf")
        ):
            message = "Jeton de sécurité invalide : rechargez la page et recommencez."
            return site.refused(request, 403, message)
        return None

    @workspace.get("/connexion")
    async def login_form(request: Request) -> HTTPResponse:
        return login_page(request)

    @workspace.post("/connexion")
    async def login(request: Request) -> HTTPResponse:
        form = request.form or {}
        target = str(form.get("suivant") or "")
        if not same_token(request.cookies.get(LOGIN_COOKIE), form.get("csrf")):
            return login_page(request, "Le formulaire a expiré : recommencez.", 403, target)
        email, password = str(form.get("courriel", "")), str(form.get("mot_de_passe", ""))
        try:
            signed = await site.blocking(accounts.sign_in, site.database, email, password)
        except accounts.Throttled:
            message = "Trop de tentatives : réessayez dans 15 minutes."
            return login_page(request, message, 429, target)
        if signed is None:
            return login_page(request, "Courriel ou mot de passe incorrect.", 401, target)
        if not target.startswith(f"{PREFIX}/"):  # only our own pages: no open redirect
            target = f"{PREFIX}/"
        reply = response.redirect(target, headers=HEADERS)
        site.cookie(reply, COOKIE, signed[0], int(SESSION_LIFETIME.total_seconds()))
        site.cookie(reply, LOGIN_COOKIE, "", 0)
        return reply

    @workspace.post("/deconnexion")
    async def logout(request: Request) -> HTTPResponse:
        await site.blocking(accounts.sign_out, site.database, request.cookies.get(COOKIE))
        reply = response.redirect(SIGN_IN, headers=HEADERS)
        site.cookie(reply, COOKIE, "", 0)
        return reply
