"""The audit log of who read or exported which lead's personal data (managers only)."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from bot.storage import followup
from bot.web.workspace.site import Site, viewer_of


def register(workspace: Blueprint, site: Site) -> None:
    @workspace.get("/journal")
    async def journal(request: Request) -> HTTPResponse:
        if not viewer_of(request).is_manager:
            return site.refused(request, 403, "Réservé aux gestionnaires.")
        entries = await site.blocking(followup.audit_log, site.database)
        return site.page(request, "journal.html", entries=entries)
