"""« Écrire au commerçant » on a lead's page: the mail is checked, kept in the lead's history
(who, when, subject, message), then sent through the project's mail path (SMTP with its retry
queue, or the outbox folder) with replies going to the team's address (TEAM_EMAIL, else the
writer's own). Not for an erased lead; at most `MERCHANT_MAILS_PER_ACCOUNT` an hour per
account."""

from __future__ import annotations

import logging

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot import throttle
from bot.mail import mail_settings, send
from bot.merchant_mail import checked, compose
from bot.storage import merchant_mails
from bot.web.workspace.leads import lead_page
from bot.web.workspace.site import HEADERS, NOT_FOUND, PREFIX, Site, viewer_of
from bot.workspace import NotAllowed

log = logging.getLogger(__name__)
TOO_MANY = "Trop de courriels envoyés en une heure : réessayez plus tard."
NOT_SENT = (
    "Le courriel est noté dans l'historique, mais il n'a pas pu partir : réessayez plus tard "
    "ou écrivez au commerçant depuis votre messagerie."
)


def register(workspace: Blueprint, site: Site) -> None:
    @workspace.post("/pistes/<lead_id:int>/courriel")
    async def write_to_merchant(request: Request, lead_id: int) -> HTTPResponse:
        viewer, form = viewer_of(request), request.form or {}
        typed = {"objet": str(form.get("objet", "")), "message": str(form.get("message", ""))}
        try:
            to = await site.blocking(merchant_mails.recipient, site.database, viewer, lead_id)
            subject, body = checked(typed["objet"], typed["message"], to.name, viewer.name)
        except NotAllowed as refused:
            return await lead_page(site, request, lead_id, str(refused), 400, **typed)
        except LookupError:
            return site.refused(request, 404, NOT_FOUND)
        limit = throttle.MERCHANT_MAILS_PER_ACCOUNT
        if not await site.blocking(site.limits.hit, limit, str(viewer.account_id)):
            return await lead_page(site, request, lead_id, TOO_MANY, 429, **typed)
        try:
            to = await site.blocking(
                merchant_mails.record_mail, site.database, viewer, lead_id, subject, body
            )
        except NotAllowed as refused:
            return await lead_page(site, request, lead_id, str(refused), 400, **typed)
        except LookupError:
            return site.refused(request, 404, NOT_FOUND)
        settings = site.settings
        mail = mail_settings(settings)
        composed = compose(mail, to.email, subject, body, settings.team_email or viewer.email)
        try:  # after the history's commit; an SMTP failure waits in the retry queue
            await site.blocking(send, mail, composed, settings.clock())
        except Exception as error:  # the outbox folder cannot be written
            log.error("mail to the merchant of lead %d not sent: %s", lead_id,
                      type(error).__name__)  # fmt: skip
            return await lead_page(site, request, lead_id, NOT_SENT, 503)
        return response.redirect(
            f"{PREFIX}/pistes/{lead_id}?fait=courriel#ecrire", status=303, headers=HEADERS
        )
