"""The leads list's saved filters: « Enregistrer ces filtres » under a name (the list's query
string, kept only as far as the list understands it), applied with one click from the list,
deleted by their owner."""

from __future__ import annotations

from urllib.parse import parse_qs

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.storage import saved_filters
from bot.web.workspace.leads import filters_from, query_of
from bot.web.workspace.site import HEADERS, PREFIX, Site, viewer_of
from bot.workspace import NotAllowed

GONE = "Ce filtre n'existe pas ou n'est pas à vous."


def register(workspace: Blueprint, site: Site) -> None:
    @workspace.post("/filtres")
    async def save_filter(request: Request) -> HTTPResponse:
        form = request.form or {}
        raw = str(form.get("requete", ""))[: saved_filters.QUERY_MAX * 2]
        query = query_of(filters_from(parse_qs(raw), site.advisors()))
        try:
            await site.blocking(saved_filters.save_filter, site.database,
                                viewer_of(request).account_id, str(form.get("nom", "")), query)  # fmt: skip
        except NotAllowed as refused:
            return site.page(request, "erreur.html", 400, message=str(refused),
                             heading="Filtre non enregistré",
                             back=(f"{PREFIX}/?{query}", "Retour aux pistes"))  # fmt: skip
        return response.redirect(f"{PREFIX}/?{query}", status=303, headers=HEADERS)

    @workspace.post("/filtres/<filter_id:int>/supprimer")
    async def delete_filter(request: Request, filter_id: int) -> HTTPResponse:
        try:
            await site.blocking(saved_filters.delete_filter, site.database,
                                viewer_of(request).account_id, filter_id)  # fmt: skip
        except LookupError:
            return site.refused(request, 404, GONE)
        return response.redirect(f"{PREFIX}/#filtres", status=303, headers=HEADERS)
