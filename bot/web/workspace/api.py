"""The JSON API for a CRM: every lead, a page at a time, behind a bearer token
(`WORKSPACE_API_TOKEN`; empty, the API is off and answers 404). The token is the only key: no
session cookie opens the API and the token opens no page. Each reading is audited. Described
in OpenAPI 3 (`openapi()`, served at /conseillers/api/openapi.json; docs/API.md)."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.eligibility import Outcome
from bot.pack import identity
from bot.storage.exports import export_rows, record_api_access
from bot.web.workspace.site import HEADERS, PREFIX, Site
from bot.workspace import STATUSES

log = logging.getLogger(__name__)

API = f"{PREFIX}/api"
PER_PAGE, PER_PAGE_MAX = 50, 200
UNAUTHORISED = (
    "Jeton d'accès manquant ou invalide : envoyez l'en-tête « Authorization: Bearer <jeton> »."
)


def _error(message: str, status: int, **headers: str) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers={**HEADERS, **headers})


def bearer_matches(expected: str, header: str | None) -> bool:
    """Whether `header` is `Bearer <expected>`, compared in constant time."""
    scheme, _, given = (header or "").strip().partition(" ")
    return (
        bool(expected)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(expected.encode(), given.strip().encode())
    )


def _number(raw: str | None, default: int, highest: int) -> int | None:
    """A whole number from 1 to `highest` (the default when absent), None if it is not one."""
    if raw is None or raw == "":
        return default
    return int(raw) if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= highest else None


def register(workspace: Blueprint, site: Site) -> None:
    def refused(request: Request) -> HTTPResponse | None:
        """404 while the API is off, 401 without the right token, else None."""
        token = site.settings.workspace_api_token
        if not token:
            return _error("Page introuvable.", 404)
        if not bearer_matches(token, request.headers.get("authorization")):
            log.warning("CRM API: missing or wrong token from %s", request.ip)
            return _error(UNAUTHORISED, 401, **{"WWW-Authenticate": 'Bearer realm="conseillers"'})
        return None

    @workspace.get("/api/leads")
    async def api_leads(request: Request) -> HTTPResponse:
        if (refusal := refused(request)) is not None:
            return refusal
        page = _number(request.args.get("page"), 1, 1_000_000)
        per_page = _number(request.args.get("per_page"), PER_PAGE, PER_PAGE_MAX)
        if page is None or per_page is None:
            message = f"« page » est un entier dès 1, « per_page » un entier de 1 à {PER_PAGE_MAX}."
            return _error(message, 400)
        rows = await site.blocking(export_rows, site.database, None)
        total, shown = len(rows), rows[(page - 1) * per_page : page * per_page]
        pages = max(1, -(-total // per_page))
        detail = f"API CRM depuis {request.ip} : page {page} ({len(shown)} sur {total} pistes)"
        await site.blocking(record_api_access, site.database, detail)
        following = f"{API}/leads?page={page + 1}&per_page={per_page}" if page < pages else None
        body = {
            "leads": shown,
            "page": page,
            "per_page": per_page,
            "total": total,
            "pages": pages,
            "next": following,
        }
        return response.json(body, headers=HEADERS)

    @workspace.get("/api/openapi.json")
    async def api_description(request: Request) -> HTTPResponse:
        if (refusal := refused(request)) is not None:
            return refusal
        return response.json(openapi(), headers=HEADERS)


def _nullable(kind: str, **more: Any) -> dict[str, Any]:
    return {"type": kind, "nullable": True, **more}


def lead_properties() -> dict[str, dict[str, Any]]:
    """A lead's fields in the OpenAPI description (the reference's example: the pack's prefix)."""
    return {
        "lead_id": {"type": "integer", "description": "Numéro de la piste (stable)."},
        "business": {"type": "string", "description": "Nom du commerce."},
        "postal_code": _nullable("string"),
        "municipality": _nullable("string"),
        "sector": {"type": "string"},
        "contact": {"type": "string", "description": "Nom de la personne-ressource."},
        "role": _nullable("string"),
        "email": {"type": "string"},
        "phone": {"type": "string", "description": "Format E.164, p. ex. +14185551234."},
        "outcome": _nullable(
            "string",
            enum=[*(outcome.value for outcome in Outcome), None],
            description="Dernière décision d'admissibilité.",
        ),
        "reasons": {"type": "array", "items": {"type": "string"}},
        "score": _nullable("integer", description="Priorité de 0 à 100."),
        "factors": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": True},
            "description": "Facteurs de la priorité (libellé, points, maximum).",
        },
        "review_requested": {
            "type": "boolean",
            "description": "Révision par une personne demandée.",
        },
        "consent_version": _nullable("string"),
        "consent_given_at": _nullable("string", format="date-time"),
        "answers": {"type": "object", "additionalProperties": {"type": "string"}},
        "diagnostic": _nullable(
            "object",
            additionalProperties=True,
            description="Diagnostic numérique : completed, levels, focus, brief, answers.",
        ),
        "session": _nullable(
            "object",
            properties={
                "reference": {"type": "string", "example": f"{identity().reference_prefix}ABC234"},
                "starts_at": {"type": "string", "format": "date-time"},
                "advisor": {"type": "string"},
            },
            description="Prochaine rencontre prévue (heure de Québec, avec décalage).",
        ),
        "callback_requested": {"type": "boolean"},
        "submissions": {"type": "integer"},
        "updated_at": {"type": "string", "format": "date-time"},
        "status": {"type": "string", "enum": list(STATUSES), "description": "Statut du suivi."},
        "advisor": _nullable("string", description="Conseiller responsable (identifiant)."),
    }


def openapi() -> dict[str, Any]:
    """The API's OpenAPI 3 description."""
    properties = lead_properties()
    error = {"$ref": "#/components/schemas/Error"}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{identity().brand} — API des pistes",
            "version": "1.0.0",
            "description": "Les pistes (commerces qui ont fait la vérification d'admissibilité), "
            "pour un CRM. Chaque lecture est inscrite au journal des accès.",
        },
        "servers": [{"url": API}],
        "security": [{"jeton": []}],
        "paths": {
            "/leads": {
                "get": {
                    "summary": "Les pistes, la plus prioritaire en premier, une page à la fois.",
                    "operationId": "listLeads",
                    "parameters": [
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "default": 1},
                        },
                        {
                            "name": "per_page",
                            "in": "query",
                            "required": False,
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": PER_PAGE_MAX,
                                "default": PER_PAGE,
                            },
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "Une page de pistes.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/LeadPage"}
                                }
                            },
                        },
                        "400": {
                            "description": "Paramètre invalide.",
                            "content": {"application/json": {"schema": error}},
                        },
                        "401": {
                            "description": "Jeton manquant ou invalide.",
                            "content": {"application/json": {"schema": error}},
                        },
                        "404": {
                            "description": "API désactivée (WORKSPACE_API_TOKEN vide).",
                            "content": {"application/json": {"schema": error}},
                        },
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {"jeton": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Lead": {
                    "type": "object",
                    "required": list(properties),
                    "properties": properties,
                },
                "LeadPage": {
                    "type": "object",
                    "required": ["leads", "page", "per_page", "total", "pages", "next"],
                    "properties": {
                        "leads": {"type": "array", "items": {"$ref": "#/components/schemas/Lead"}},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "total": {"type": "integer", "description": "Nombre total de pistes."},
                        "pages": {"type": "integer"},
                        "next": _nullable("string", description="Adresse de la page suivante."),
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {"type": "string", "description": "Message en français."}
                    },
                },
            },
        },
    }
