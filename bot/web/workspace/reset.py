"""« Mot de passe oublié? »: an address asked for always gets the same answer; an active account
with that address is e-mailed a link, single use and valid an hour (`bot.password_reset`,
sent after the answer), to choose a new password, which ends the account's sessions. Limited
per address and per client (`bot.throttle`). No session needed (`auth.public`)."""

from __future__ import annotations

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot import throttle
from bot.mail import mail_settings
from bot.password_reset import send_reset_link
from bot.storage import accounts
from bot.text import one_line
from bot.web.workspace.auth import CHANGED, SIGN_IN
from bot.web.workspace.site import COOKIE, HEADERS, LOGIN_COOKIE, Site, client_of, same_token

FORGOT_PAGE, NEW_PAGE = "mot-de-passe-oublie.html", "mot-de-passe-nouveau.html"
EXPIRED_FORM = "Le formulaire a expiré : recommencez."
TOO_MANY = "Trop de demandes : réessayez dans une heure."
# Why a link does not work, as its holder reads it, and the page's status.
LINK_REFUSED = {
    accounts.UNKNOWN: (
        404,
        "Ce lien n'est pas valide. Vérifiez que vous avez copié le lien au complet, ou "
        "demandez-en un nouveau.",
    ),
    accounts.EXPIRED: (
        400,
        "Ce lien a expiré : il était valide une heure. Demandez-en un nouveau.",
    ),
    accounts.USED: (
        400,
        "Ce lien a déjà servi : le mot de passe a été changé depuis. Au besoin, demandez un "
        "nouveau lien.",
    ),
}
TOKEN_MAX = 100  # ours have 43 characters


def password_problem(password: str, again: str) -> str:
    """What is wrong with a new password, in French ("": nothing); the rules of
    `accounts.check_password`."""
    if len(password) < accounts.MIN_PASSWORD:
        return f"Le mot de passe doit compter au moins {accounts.MIN_PASSWORD} caractères."
    if len(password) > accounts.MAX_PASSWORD:
        return f"Le mot de passe ne peut pas dépasser {accounts.MAX_PASSWORD} caractères."
    if password != again:
        return "Les deux mots de passe ne sont pas identiques."
    return ""


def register(workspace: Blueprint, site: Site) -> None:
    @workspace.get("/mot-de-passe-oublie")
    async def forgot_form(request: Request) -> HTTPResponse:
        return site.public_form(request, FORGOT_PAGE)

    @workspace.post("/mot-de-passe-oublie")
    async def forgot(request: Request) -> HTTPResponse:
        form = request.form or {}
        if not same_token(request.cookies.get(LOGIN_COOKIE), form.get("csrf")):
            return site.public_form(request, FORGOT_PAGE, 403, error=EXPIRED_FORM)
        email = one_line(str(form.get("courriel", "")))[: accounts.MAX_EMAIL]
        if "@" not in email:
            return site.public_form(request, FORGOT_PAGE, 400, error="Indiquez votre courriel.")
        limits = site.limits
        if not (
            await site.blocking(limits.hit, throttle.PASSWORD_RESETS_PER_CLIENT, client_of(request))
            and await site.blocking(limits.hit, throttle.PASSWORD_RESETS_PER_ADDRESS, email)
        ):
            return site.public_form(request, FORGOT_PAGE, 429, error=TOO_MANY)
        settings = site.settings
        site.after_reply(send_reset_link, site.database, mail_settings(settings),
                         settings.workspace_base, email, settings.clock())  # fmt: skip
        return site.page(request, FORGOT_PAGE, sent=True)

    def link_refused(request: Request, reason: str) -> HTTPResponse:
        """The link does not work: why, and the form to ask for another."""
        status, message = LINK_REFUSED[reason]
        return site.public_form(request, FORGOT_PAGE, status, link_error=message)

    async def new_password_page(
        request: Request, token: str, error: str = "", status: int = 200
    ) -> HTTPResponse:
        if len(token) > TOKEN_MAX:
            return link_refused(request, accounts.UNKNOWN)
        try:
            email = await site.blocking(
                accounts.check_reset, site.database, token, site.settings.clock()
            )
        except accounts.ResetRefused as refused:
            return link_refused(request, refused.reason)
        return site.public_form(request, NEW_PAGE, status, email=email, token=token, error=error,
                                shortest=accounts.MIN_PASSWORD, longest=accounts.MAX_PASSWORD)  # fmt: skip

    @workspace.get("/mot-de-passe/<token>")
    async def new_password_form(request: Request, token: str) -> HTTPResponse:
        return await new_password_page(request, token)

    @workspace.post("/mot-de-passe/<token>")
    async def new_password(request: Request, token: str) -> HTTPResponse:
        form = request.form or {}
        if not same_token(request.cookies.get(LOGIN_COOKIE), form.get("csrf")):
            return await new_password_page(request, token, EXPIRED_FORM, 403)
        password = str(form.get("mot_de_passe", ""))
        problem = password_problem(password, str(form.get("confirmation", "")))
        if problem or len(token) > TOKEN_MAX:
            return await new_password_page(request, token, problem, 400)
        try:
            await site.blocking(accounts.reset_password, site.database, token, password,
                                site.settings.clock())  # fmt: skip
        except accounts.ResetRefused as refused:
            return link_refused(request, refused.reason)
        reply = response.redirect(f"{SIGN_IN}?mot_de_passe={CHANGED}", status=303, headers=HEADERS)
        site.cookie(reply, COOKIE, "", 0)  # this browser's session, if any, ended with the others
        site.cookie(reply, LOGIN_COOKIE, "", 0)
        return reply
