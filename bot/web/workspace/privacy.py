"""The privacy officer's tools (managers only, under /conseillers/confidentialite): find a
person, read, export (JSON, CSV), correct or erase their file (`bot.privacy`: the same
completeness as the chat), the rights requests received by the privacy page with their due
date, and the confidentiality-incident register. Every reading, export, correction and erasure
is written to the audit log."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.booking import scheduler_for
from bot.parsing import NotUnderstood
from bot.privacy import register as registers
from bot.privacy.chat import FIELD_LABELS
from bot.privacy.erasure import REASONS, erase_lead
from bot.privacy.person import CORRECTABLE, as_csv, as_json, correct, find_people, person_file
from bot.storage.followup import record_access
from bot.web.workspace.site import HEADERS, PREFIX, Site, viewer_of
from bot.workspace import NotAllowed

HOME = f"{PREFIX}/confidentialite"
MANAGERS_ONLY = "Réservé aux gestionnaires (responsable de la protection des renseignements)."
UNKNOWN = "Cette personne n'a pas (ou plus) de dossier."


def register(workspace: Blueprint, site: Site) -> None:
    def managers(request: Request) -> HTTPResponse | None:
        return None if viewer_of(request).is_manager else site.refused(request, 403, MANAGERS_ONLY)

    async def audit(request: Request, action: str, lead_id: int | None = None) -> None:
        detail = f"piste n° {lead_id}" if lead_id is not None else None
        await site.blocking(record_access, site.database, viewer_of(request), action, detail)

    @workspace.get("/confidentialite")
    async def home(request: Request) -> HTTPResponse:
        if refused := managers(request):
            return refused
        query = (request.args.get("q") or "").strip()[:200]
        found = await site.blocking(find_people, site.database, query) if query else []
        if query:
            await audit(request, "recherche de personne")
        asked = await site.blocking(registers.requests, site.database)
        return site.page(request, "confidentialite.html", query=query, found=found,
                         asked=asked, today=site.settings.clock().date())  # fmt: skip

    async def person_page(
        request: Request, lead_id: int, error: str = "", notice: str = "", status: int = 200
    ) -> HTTPResponse:
        try:
            record = await site.blocking(person_file, site.database, lead_id,
                                         site.settings.tracker_url)  # fmt: skip
        except LookupError:
            return site.refused(request, 404, UNKNOWN)
        await site.blocking(record_access, site.database, viewer_of(request),
                            "lecture (confidentialité)", f"piste n° {lead_id}")  # fmt: skip
        return site.page(request, "confidentialite-personne.html", status, lead_id=lead_id,
                         record=record, fields=[(f, FIELD_LABELS[f]) for f in CORRECTABLE],
                         error=error, notice=notice)  # fmt: skip

    @workspace.get("/confidentialite/personnes/<lead_id:int>")
    async def person(request: Request, lead_id: int) -> HTTPResponse:
        return (managers(request)) or await person_page(request, lead_id)

    @workspace.get("/confidentialite/personnes/<lead_id:int>/dossier.json")
    async def export_json(request: Request, lead_id: int) -> HTTPResponse:
        return await export(request, lead_id, "json")

    @workspace.get("/confidentialite/personnes/<lead_id:int>/dossier.csv")
    async def export_csv(request: Request, lead_id: int) -> HTTPResponse:
        return await export(request, lead_id, "csv")

    async def export(request: Request, lead_id: int, kind: str) -> HTTPResponse:
        if refused := managers(request):
            return refused
        try:
            record = await site.blocking(person_file, site.database, lead_id,
                                         site.settings.tracker_url)  # fmt: skip
        except LookupError:
            return site.refused(request, 404, UNKNOWN)
        await audit(request, f"export du dossier ({kind.upper()})", lead_id)
        body, mime = (as_json(record), "application/json") if kind == "json" else (
            as_csv(record), "text/csv")  # fmt: skip
        headers = {**HEADERS, "Content-Disposition":
                   f'attachment; filename="dossier-{lead_id}.{kind}"'}  # fmt: skip
        return response.text(body, content_type=f"{mime}; charset=utf-8", headers=headers)

    @workspace.post("/confidentialite/personnes/<lead_id:int>/corriger")
    async def fix(request: Request, lead_id: int) -> HTTPResponse:
        if refused := managers(request):
            return refused
        form = request.form or {}
        field = form.get("champ", "")
        if field not in CORRECTABLE:
            return await person_page(request, lead_id, "Choisissez le renseignement.", status=400)
        try:
            value = await site.blocking(correct, site.database, lead_id, field,
                                        form.get("valeur", ""))  # fmt: skip
        except NotUnderstood as error:
            return await person_page(request, lead_id, f"Valeur attendue : {error}.", status=400)
        except LookupError:
            return site.refused(request, 404, UNKNOWN)
        await audit(request, f"correction ({FIELD_LABELS[field]})", lead_id)
        return await person_page(request, lead_id, notice=f"{FIELD_LABELS[field]} : {value}")

    @workspace.post("/confidentialite/personnes/<lead_id:int>/effacer")
    async def erase(request: Request, lead_id: int) -> HTTPResponse:
        if refused := managers(request):
            return refused
        if (request.form or {}).get("confirmer") != "oui":
            return await person_page(request, lead_id, "Cochez la confirmation.", status=400)
        try:
            report = await site.blocking(lambda: erase_lead(
                site.database, lead_id, tracker_url=site.settings.tracker_url,
                outbox=site.settings.var_dir / "outbox", now=site.settings.clock(),
                scheduler=scheduler_for(site.settings), by=viewer_of(request).account_id,
            ))  # fmt: skip
        except LookupError:
            return site.refused(request, 404, UNKNOWN)
        return site.page(request, "confidentialite-efface.html", lead_id=lead_id, report=report,
                         reasons=REASONS)  # fmt: skip

    @workspace.post("/confidentialite/demandes/<request_id:int>/repondue")
    async def answered(request: Request, request_id: int) -> HTTPResponse:
        if refused := managers(request):
            return refused
        try:
            await site.blocking(registers.mark_answered, site.database, viewer_of(request),
                                request_id, site.settings.clock())  # fmt: skip
        except LookupError:
            return site.refused(request, 404, "Cette demande n'existe pas.")
        return response.redirect(f"{HOME}#demandes", status=303, headers=HEADERS)

    async def incidents_page(
        request: Request, error: str = "", values: dict[str, Any] | None = None, status: int = 200
    ) -> HTTPResponse:
        found = await site.blocking(registers.incidents, site.database)
        return site.page(request, "incidents.html", status, incidents=found, error=error,
                         values=values or {}, risks=registers.RISKS)  # fmt: skip

    @workspace.get("/confidentialite/incidents")
    async def incident_list(request: Request) -> HTTPResponse:
        return managers(request) or await incidents_page(request)

    @workspace.post("/confidentialite/incidents")
    async def incident_new(request: Request) -> HTTPResponse:
        if refused := managers(request):
            return refused
        form = {name: (request.form or {}).get(name, "") for name in registers.INCIDENT_FIELDS}
        try:
            number = await site.blocking(registers.save_incident, site.database,
                                         viewer_of(request), registers.read_incident(form))  # fmt: skip
        except NotAllowed as error:
            return await incidents_page(request, str(error), form, 400)
        return response.redirect(f"{HOME}/incidents/{number}", status=303, headers=HEADERS)

    async def incident_page(
        request: Request, number: int, error: str = "", values: dict[str, Any] | None = None,
        status: int = 200,
    ) -> HTTPResponse:  # fmt: skip
        found = await site.blocking(registers.incident, site.database, number)
        if found is None:
            return site.refused(request, 404, "Cet incident n'existe pas.")
        shown = values or {k: ("" if v is None else str(v)) for k, v in found.items()}
        return site.page(request, "incident.html", status, incident=found, values=shown,
                         error=error, risks=registers.RISKS)  # fmt: skip

    @workspace.get("/confidentialite/incidents/<number:int>")
    async def incident_view(request: Request, number: int) -> HTTPResponse:
        return managers(request) or await incident_page(request, number)

    @workspace.post("/confidentialite/incidents/<number:int>")
    async def incident_update(request: Request, number: int) -> HTTPResponse:
        if refused := managers(request):
            return refused
        form = {name: (request.form or {}).get(name, "") for name in registers.INCIDENT_FIELDS}
        try:
            await site.blocking(registers.save_incident, site.database, viewer_of(request),
                                registers.read_incident(form), number)  # fmt: skip
        except NotAllowed as error:
            return await incident_page(request, number, str(error), form, 400)
        except LookupError:
            return site.refused(request, 404, "Cet incident n'existe pas.")
        return response.redirect(f"{HOME}/incidents/{number}", status=303, headers=HEADERS)
