"""The program analytics (managers only): the page with its charts and tables, and the same
figures as CSV."""

from __future__ import annotations

import csv
import io

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.analytics import Figures, compute
from bot.pack import current_pack
from bot.storage import analytics
from bot.storage.leads import spreadsheet_cell
from bot.web.workspace.site import HEADERS, Site, viewer_of

CSV_HEADER = ("tableau", "ligne", "colonne", "nombre")
MANAGERS_ONLY = "Réservé aux gestionnaires."


def figures_csv(figures: Figures) -> str:
    """One line per figure, every cell made safe for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for cells in figures.cells():
        writer.writerow([spreadsheet_cell(cell) for cell in cells])
    return out.getvalue()


def register(workspace: Blueprint, site: Site) -> None:
    def figures() -> Figures:
        now = site.settings.clock()
        return compute(
            analytics.conversations(site.settings.tracker_url),
            analytics.leads(site.database),
            analytics.bookings(site.database),
            now,
            site.settings.coaching_goal,
        )

    @workspace.get("/statistiques")
    async def statistics(request: Request) -> HTTPResponse:
        if not viewer_of(request).is_manager:
            return site.refused(request, 403, MANAGERS_ONLY)
        found: Figures = await site.blocking(figures)
        charts = [table.as_json() for table in found.tables]
        return site.page(request, "statistiques.html", figures=found, charts=charts)

    @workspace.get("/statistiques.csv")
    async def statistics_csv(request: Request) -> HTTPResponse:
        if not viewer_of(request).is_manager:
            return site.refused(request, 403, MANAGERS_ONLY)
        found: Figures = await site.blocking(figures)
        return response.text(
            figures_csv(found),
            content_type="text/csv; charset=utf-8",
            headers={
                **HEADERS,
                "Content-Disposition": f'attachment; filename="statistiques-{current_pack().identity.slug}.csv"',
            },
        )
