"""« Modèle » (managers only): the model in service and the candidates side by side, each figure
marked against its threshold (config/quality.yml), each model with the program pack it was
trained from; « Entraîner un modèle candidat » records a request the scheduled jobs train and
measure; « Mettre en service » refused, with the figure named, when a figure falls short
(checked here, on the server); « Revenir au modèle précédent »."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.learning import candidate
from bot.learning.quality import decimal, load_quality
from bot.pack.training import pack_of_model
from bot.storage import candidates
from bot.web.workspace.site import HEADERS, PREFIX, Site, viewer_of

PAGE = f"{PREFIX}/modele"
MANAGERS_ONLY = "Réservé aux gestionnaires."
SHOWN = 6  # candidates side by side with the model in service
STATUS = {
    candidates.REQUESTED: "en cours (en attente)",
    candidates.TRAINING: "en cours (entraînement)",
    candidates.MEASURING: "en cours (mesure)",
    candidates.MEASURED: "mesuré",
    candidates.FAILED: "échec",
    candidates.FOUND: "pas encore mesuré (il le sera avec le prochain candidat)",
}


def _overview(site: Site) -> dict[str, Any]:
    sessions = site.database
    serving = candidate.serving(site.settings, sessions)
    quality = load_quality(site.settings.quality_file)
    others = [m for m in candidates.all_models(sessions) if m.id != serving.id][:SHOWN]
    columns = [serving, *others]
    rows = []
    for figure in quality.values():
        cells: list[dict[str, Any]] = []
        for model in columns:
            value = model.figures.get(figure.key)
            if value is None:
                if not figure.candidate:
                    text = "vérifié par les tests" if model.id == serving.id else "—"
                else:
                    text = "en cours" if model.under_way else "non mesuré"
                cells.append({"text": text, "ok": None})
            else:
                cells.append({"text": decimal(value), "ok": figure.passes(value)})
        rows.append({"figure": figure, "cells": cells})
    return {
        "serving": serving,
        "columns": columns,
        "rows": rows,
        "states": STATUS,
        "busy": any(m.under_way for m in others),
        "packs": {m.id: pack_of_model(m.file) for m in columns if m.file},
        "previous": serving.replaced_id,
    }


def register(workspace: Blueprint, site: Site) -> None:
    async def page(request: Request, status: int = 200, **values: Any) -> HTTPResponse:
        overview = await site.blocking(_overview, site)
        return site.page(request, "modele.html", status, **overview, **values)

    @workspace.get("/modele")
    async def model_page(request: Request) -> HTTPResponse:
        if not viewer_of(request).is_manager:
            return site.refused(request, 403, MANAGERS_ONLY)
        return await page(request, notice=request.args.get("fait", ""))

    @workspace.post("/modele/entrainer")
    async def train(request: Request) -> HTTPResponse:
        viewer = viewer_of(request)
        if not viewer.is_manager:
            return site.refused(request, 403, MANAGERS_ONLY)
        try:
            await site.blocking(candidates.request_candidate, site.database, viewer.account_id)
        except candidates.AlreadyUnderWay:
            return await page(
                request, 409, error="Un modèle candidat est déjà en cours : attendez sa fin."
            )
        return response.redirect(f"{PAGE}?fait=demande", status=303, headers=HEADERS)

    @workspace.post("/modele/<model_id:int>/mettre-en-service")
    async def promote(request: Request, model_id: int) -> HTTPResponse:
        viewer = viewer_of(request)
        if not viewer.is_manager:
            return site.refused(request, 403, MANAGERS_ONLY)
        try:
            await site.blocking(
                candidate.promote, site.settings, site.database, model_id, viewer.account_id
            )
        except candidate.Refused as refused:
            return await page(request, 400, refused=refused.reasons, refused_id=model_id)
        return response.redirect(f"{PAGE}?fait=service", status=303, headers=HEADERS)

    @workspace.post("/modele/revenir")
    async def roll_back(request: Request) -> HTTPResponse:
        viewer = viewer_of(request)
        if not viewer.is_manager:
            return site.refused(request, 403, MANAGERS_ONLY)
        try:
            await site.blocking(
                candidate.roll_back, site.settings, site.database, viewer.account_id
            )
        except candidate.Refused as refused:
            return await page(request, 400, refused=refused.reasons)
        return response.redirect(f"{PAGE}?fait=retour", status=303, headers=HEADERS)
