"""The leads list (by priority, with filters) and a lead's file with its follow-up: status,
notes and advisor."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.eligibility import Outcome
from bot.storage import followup
from bot.storage.transcripts import as_seen, transcript
from bot.web.workspace.site import HEADERS, NOT_FOUND, PREFIX, Site, page_number, viewer_of
from bot.workspace import NEXT, STATUSES, NotAllowed

OUTCOMES = tuple(outcome.value for outcome in Outcome)
SECTORS = ("commerce de détail", "restauration", "hébergement", "services", "autre")


def _choice(value: str | None, allowed: Iterable[str]) -> str:
    return value if value is not None and value in allowed else ""


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return None


def register(workspace: Blueprint, site: Site) -> None:
    @workspace.get("/")
    async def leads(request: Request) -> HTTPResponse:
        args, advisors = request.args, site.advisors()
        filters = followup.Filters(
            status=_choice(args.get("statut"), STATUSES),
            outcome=_choice(args.get("decision"), OUTCOMES),
            sector=_choice(args.get("secteur"), SECTORS),
            advisor=_choice(args.get("conseiller"), (*advisors, "-")),
            search=(args.get("recherche") or "")[:100],
            territory=(args.get("territoire") or "")[:60],
            since=_day(args.get("depuis")),
            with_session=args.get("rencontre") == "oui",
            page=page_number(args.get("page")),
        )
        found = await site.blocking(followup.list_leads, site.database, viewer_of(request), filters)
        kept = {k: v[0] for k, v in args.items() if k != "page"}
        return site.page(
            request, "pistes.html", leads=found, filters=filters, statuses=STATUSES,
            outcomes=OUTCOMES, sectors=SECTORS, advisors=advisors,
            link=lambda n: f"{PREFIX}/?" + urlencode({**kept, "page": n}),
        )  # fmt: skip

    async def lead_page(
        request: Request, lead_id: int, error: str = "", status: int = 200
    ) -> HTTPResponse:
        found = await site.blocking(followup.lead_file, site.database, viewer_of(request), lead_id)
        if found is None:
            return site.refused(request, 404, NOT_FOUND)
        lines = as_seen(
            await site.blocking(transcript, site.settings.tracker_url, found.conversation_id)
        )
        return site.page(
            request, "piste.html", status, lead=found, lines=lines, error=error,
            next_statuses=NEXT.get(found.status, ()), advisors=site.advisors(),
        )  # fmt: skip

    @workspace.get("/pistes/<lead_id:int>")
    async def lead(request: Request, lead_id: int) -> HTTPResponse:
        return await lead_page(request, lead_id)

    async def change(request: Request, lead_id: int, action: Any, *args: Any) -> HTTPResponse:
        try:
            await site.blocking(action, site.database, viewer_of(request), lead_id, *args)
        except NotAllowed as refused:
            return await lead_page(request, lead_id, str(refused), 400)
        except LookupError:
            return site.refused(request, 404, NOT_FOUND)
        return response.redirect(f"{PREFIX}/pistes/{lead_id}", status=303, headers=HEADERS)

    @workspace.post("/pistes/<lead_id:int>/statut")
    async def status(request: Request, lead_id: int) -> HTTPResponse:
        chosen = request.form.get("statut", "")
        return await change(request, lead_id, followup.change_status, chosen)

    @workspace.post("/pistes/<lead_id:int>/note")
    async def note(request: Request, lead_id: int) -> HTTPResponse:
        return await change(request, lead_id, followup.add_note, request.form.get("note", ""))

    @workspace.post("/pistes/<lead_id:int>/conseiller")
    async def assign(request: Request, lead_id: int) -> HTTPResponse:
        chosen = request.form.get("conseiller") or None
        if chosen is not None and chosen not in site.advisors():
            return await lead_page(request, lead_id, "Conseiller inconnu.", 400)
        return await change(request, lead_id, followup.assign, chosen)
