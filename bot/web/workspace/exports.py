"""The CSV export of the leads the signed-in viewer may see, for a spreadsheet (every cell made
safe by `bot.storage.leads.export_csv`), written in the audit log."""

from __future__ import annotations

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.pack import current_pack
from bot.scheduling import TIMEZONE
from bot.spreadsheet import export_csv
from bot.storage import followup
from bot.storage.exports import export_rows
from bot.web.workspace.site import HEADERS, Site, viewer_of

BOM = "\ufeff"  # Excel reads the file as UTF-8 (accents) only with it


def register(workspace: Blueprint, site: Site) -> None:
    @workspace.get("/export.csv")
    async def csv_export(request: Request) -> HTTPResponse:
        viewer = viewer_of(request)
        rows = await site.blocking(export_rows, site.database, viewer)
        detail = f"CSV, {len(rows)} piste{'s' if len(rows) != 1 else ''}"
        await site.blocking(followup.record_access, site.database, viewer, "export", detail)
        name = f"pistes-{current_pack().identity.slug}-{site.settings.clock().astimezone(TIMEZONE).date().isoformat()}.csv"
        return response.text(
            BOM + export_csv(rows),
            content_type="text/csv; charset=utf-8",
            headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
        )
