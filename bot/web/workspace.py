"""The advisor workspace under /conseillers: sign-in, the leads list, a lead's file (answers,
decision, brief, transcript, sessions, follow-up) and the manager's audit log.

Server-rendered French pages (Jinja2, escaped by default). Every page needs a signed-in account;
every form carries the session's CSRF token; every reading of a lead is audited."""

from __future__ import annotations

import asyncio
import hmac
import secrets
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.scheduling.config import load_availability
from bot.scheduling.invitation import french_datetime
from bot.settings import Settings
from bot.storage import accounts, followup
from bot.storage.database import sessions_for
from bot.storage.transcripts import transcript
from bot.workspace import NEXT, SESSION_LIFETIME, STATUSES, NotAllowed, Viewer

PREFIX = "/conseillers"
COOKIE = "nq_session"
LOGIN_COOKIE = "nq_login"
OUTCOMES = ("admissible", "à réviser", "non admissible")
SECTORS = ("commerce de détail", "restauration", "hébergement", "services", "autre")
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; form-action 'self'; frame-ancestors 'none'",
}
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.filters["quand"] = lambda moment: french_datetime(moment) if moment else ""


def create_workspace(settings: Settings) -> Blueprint:
    """The workspace's routes for `settings` (its database, advisors and tracker store)."""
    workspace = Blueprint("conseillers", url_prefix=PREFIX)
    database = sessions_for(settings.database_url)

    def advisors() -> dict[str, str]:
        return {a.id: a.name for a in load_availability(settings.advisors_file).advisors}

    async def blocking(function: Any, *args: Any) -> Any:
        return await asyncio.to_thread(partial(function, *args))

    def page(request: Request, template: str, status: int = 200, **values: Any) -> HTTPResponse:
        html = _templates.get_template(f"conseillers/{template}").render(
            viewer=getattr(request.ctx, "viewer", None),
            csrf=getattr(request.ctx, "csrf", ""),
            prefix=PREFIX,
            **values,
        )
        return response.html(html, status=status, headers=HEADERS)

    def cookie(reply: HTTPResponse, name: str, value: str, max_age: int) -> None:
        reply.cookies[name] = value
        morsel = reply.cookies[name]
        morsel["httponly"] = True
        morsel["samesite"] = "Strict" if name == LOGIN_COOKIE else "Lax"
        morsel["path"] = PREFIX
        morsel["max-age"] = max_age
        if settings.secure_cookies:
            morsel["secure"] = True

    def login_page(
        request: Request, error: str = "", status: int = 200, target: str = ""
    ) -> HTTPResponse:
        """The sign-in form, with a fresh token in a cookie and the form (double submit)."""
        token = secrets.token_urlsafe(24)
        reply = page(request, "connexion.html", status, error=error, login_csrf=token,
                     target=target or request.args.get("suivant", ""))  # fmt: skip
        cookie(reply, LOGIN_COOKIE, token, 3600)
        return reply

    def same_token(expected: str | None, given: str | None) -> bool:
        return bool(expected and given and hmac.compare_digest(expected, given))

    @workspace.middleware("request")
    async def signed_in(request: Request) -> HTTPResponse | None:
        if request.path in {f"{PREFIX}/connexion"}:
            return None
        found = await blocking(accounts.session_of, database, request.cookies.get(COOKIE))
        if found is None:
            target = quote(request.path, safe="/")
            return response.redirect(f"{PREFIX}/connexion?suivant={target}", headers=HEADERS)
        request.ctx.viewer, request.ctx.csrf = found
        if request.method == "POST" and not same_token(
            request.ctx.csrf, (request.form or {}).get("csrf")
        ):
            return page(request, "erreur.html", 403, message="Jeton de sécurité invalide : "
                        "rechargez la page et recommencez.")  # fmt: skip
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
            signed = await blocking(accounts.sign_in, database, email, password)
        except accounts.Throttled:
            message = "Trop de tentatives : réessayez dans 15 minutes."
            return login_page(request, message, 429, target)
        if signed is None:
            return login_page(request, "Courriel ou mot de passe incorrect.", 401, target)
        token, _viewer = signed
        if not target.startswith(f"{PREFIX}/"):  # only our own pages: no open redirect
            target = f"{PREFIX}/"
        reply = response.redirect(target, headers=HEADERS)
        cookie(reply, COOKIE, token, int(SESSION_LIFETIME.total_seconds()))
        cookie(reply, LOGIN_COOKIE, "", 0)
        return reply

    @workspace.post("/deconnexion")
    async def logout(request: Request) -> HTTPResponse:
        await blocking(accounts.sign_out, database, request.cookies.get(COOKIE))
        reply = response.redirect(f"{PREFIX}/connexion", headers=HEADERS)
        cookie(reply, COOKIE, "", 0)
        return reply

    @workspace.get("/")
    async def leads(request: Request) -> HTTPResponse:
        viewer: Viewer = request.ctx.viewer
        args = request.args
        try:
            number = int(args.get("page", "1"))
        except ValueError:
            number = 1
        filters = followup.Filters(
            status=_choice(args.get("statut"), STATUSES),
            outcome=_choice(args.get("decision"), OUTCOMES),
            sector=_choice(args.get("secteur"), SECTORS),
            advisor=_choice(args.get("conseiller"), (*advisors(), "-")),
            search=(args.get("recherche") or "")[:100],
            with_session=args.get("rencontre") == "oui",
            page=number,
        )
        found = await blocking(followup.list_leads, database, viewer, filters)
        query = {k: v for k, v in request.args.items() if k != "page"}
        return page(
            request, "pistes.html", leads=found, filters=filters, statuses=STATUSES,
            outcomes=OUTCOMES, sectors=SECTORS, advisors=advisors(),
            link=lambda n: f"{PREFIX}/?" + urlencode({**{k: v[0] for k, v in query.items()}, "page": n}),
        )  # fmt: skip

    async def lead_page(
        request: Request, lead_id: int, error: str = "", status: int = 200
    ) -> HTTPResponse:
        viewer: Viewer = request.ctx.viewer
        found = await blocking(followup.lead_file, database, viewer, lead_id)
        if found is None:
            return page(
                request,
                "erreur.html",
                404,
                message="Ce dossier n'existe pas ou ne vous est pas confié.",
            )
        lines = await blocking(transcript, settings.tracker_url, found.conversation_id)
        return page(
            request, "piste.html", status, lead=found, lines=lines, error=error,
            next_statuses=NEXT.get(found.status, ()), advisors=advisors(),
        )  # fmt: skip

    @workspace.get("/pistes/<lead_id:int>")
    async def lead(request: Request, lead_id: int) -> HTTPResponse:
        return await lead_page(request, lead_id)

    async def change(request: Request, lead_id: int, action: Any, *args: Any) -> HTTPResponse:
        try:
            await blocking(action, database, request.ctx.viewer, lead_id, *args)
        except NotAllowed as refused:
            return await lead_page(request, lead_id, str(refused), 400)
        except LookupError:
            return page(
                request,
                "erreur.html",
                404,
                message="Ce dossier n'existe pas ou ne vous est pas confié.",
            )
        return response.redirect(f"{PREFIX}/pistes/{lead_id}", status=303, headers=HEADERS)

    @workspace.post("/pistes/<lead_id:int>/statut")
    async def status(request: Request, lead_id: int) -> HTTPResponse:
        return await change(
            request, lead_id, followup.change_status, request.form.get("statut", "")
        )

    @workspace.post("/pistes/<lead_id:int>/note")
    async def note(request: Request, lead_id: int) -> HTTPResponse:
        return await change(request, lead_id, followup.add_note, request.form.get("note", ""))

    @workspace.post("/pistes/<lead_id:int>/conseiller")
    async def assign(request: Request, lead_id: int) -> HTTPResponse:
        chosen = request.form.get("conseiller") or None
        if chosen is not None and chosen not in advisors():
            return await lead_page(request, lead_id, "Conseiller inconnu.", 400)
        return await change(request, lead_id, followup.assign, chosen)

    @workspace.get("/journal")
    async def journal(request: Request) -> HTTPResponse:
        if not request.ctx.viewer.is_manager:
            return page(request, "erreur.html", 403, message="Réservé aux gestionnaires.")
        entries = await blocking(followup.audit_log, database)
        return page(request, "journal.html", entries=entries)

    return workspace


def _choice(value: str | None, allowed: Any) -> str:
    return value if value is not None and value in allowed else ""
