"""A lead's follow-up reminder (« relance »), from its page: set or moved to a day (today or
later, Québec time, from the product's clock) with an optional note, and marked done there or
from the queue (« Relances à faire », `queues`)."""

from __future__ import annotations

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.storage import lead_reminders
from bot.web.workspace.leads import day_from, lead_page, today_of
from bot.web.workspace.site import HEADERS, NOT_FOUND, PREFIX, Site, viewer_of
from bot.workspace import NotAllowed

QUEUE = "file"  # retour=file: back to the queue after « Fait »


def register(workspace: Blueprint, site: Site) -> None:
    async def done(request: Request, lead_id: int, action: object, *args: object) -> HTTPResponse:
        """Run `action`; the lead's page again (with the error), or where the form came from."""
        try:
            await site.blocking(action, site.database, viewer_of(request), lead_id, *args)
        except NotAllowed as refused:
            return await lead_page(site, request, lead_id, str(refused), 400)
        except LookupError:
            return site.refused(request, 404, NOT_FOUND)
        if (request.form or {}).get("retour") == QUEUE:
            target = f"{PREFIX}/files#relances"
        else:
            made = "relance-faite" if action is lead_reminders.finish else "relance"
            target = f"{PREFIX}/pistes/{lead_id}?fait={made}#relance"
        return response.redirect(target, status=303, headers=HEADERS)

    @workspace.post("/pistes/<lead_id:int>/relance")
    async def set_reminder(request: Request, lead_id: int) -> HTTPResponse:
        form = request.form or {}
        due_on = day_from(form.get("date"))
        if due_on is None:
            return await lead_page(site, request, lead_id, "Choisissez la date de la relance.", 400)
        return await done(request, lead_id, lead_reminders.set_reminder, due_on,
                          str(form.get("note", "")), today_of(site))  # fmt: skip

    @workspace.post("/pistes/<lead_id:int>/relance/faite")
    async def finish_reminder(request: Request, lead_id: int) -> HTTPResponse:
        return await done(request, lead_id, lead_reminders.finish, site.settings.clock())
