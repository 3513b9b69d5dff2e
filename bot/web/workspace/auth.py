"""Signing in and out, and the middleware that lets no one without a session see a page or
post a form without the session's CSRF token."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.storage import accounts
from bot.web.workspace.site import COOKIE, HEADERS, LOGIN_COOKIE, PREFIX, Site, same_token
from bot.workspace import SESSION_LIFETIME

SIGN_IN = f"{PREFIX}/connexion"
API = f"{PREFIX}/api/"  # token-protected JSON (`api`): no cookie opens it, no sign-in page


def register(workspace: Blueprint, site: Site) -> None:
    def login_page(
        request: Request, error: str = "", status: int = 200, target: str = ""
    ) -> HTTPResponse:
        """The sign-in form, with a fresh token in a cookie and in the form (double submit)."""
        token = secrets.token_urlsafe(24)
        reply = site.page(request, "connexion.html", status, error=error, login_csrf=token,
                          target=target or request.args.get("suivant", ""))  # fmt: skip
        site.cookie(reply, LOGIN_COOKIE, token, 3600)
        return reply

    @workspace.middleware("request")
    async def signed_in(request: Request) -> HTTPResponse | None:
        if request.path == SIGN_IN or request.path.startswith(API):
            return None  # the API checks its own token, never the session cookie
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
