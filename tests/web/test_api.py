"""The CRM's JSON API through Sanic's test client, on SQLite and PostgreSQL: the token (missing,
wrong, right, API off), no cookie in its place and no page opened with it, pagination, the
audit row, and the OpenAPI description matching what the API returns."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Any

import pytest
from sanic import Sanic
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, load_settings
from bot.storage.models import AuditEntry
from bot.web.app import create_app
from bot.web.workspace.api import bearer_matches
from tests.web.test_workspace import app, lead, signed_in

__all__ = ["app"]

TOKEN = "crm-" + "k" * 40
LEADS = "/conseillers/api/leads"
SPEC = "/conseillers/api/openapi.json"
_names = itertools.count()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path,
        tracker_db=tmp_path / "t.db", workspace_api_token=TOKEN,
    )  # fmt: skip


def call(app: Sanic, url: str, authorization: str | bytes | None = None, **kw: Any) -> Any:
    headers = {"Authorization": authorization} if authorization is not None else {}
    _, reply = app.test_client.get(url, headers=headers, allow_redirects=False, **kw)
    return reply


def test_the_token_is_required_and_must_be_right(app: Sanic) -> None:
    for authorization in (None, "", "Bearer", "Bearer mauvais", f"Basic {TOKEN}",
                          f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer é".encode()):  # fmt: skip
        for url in (LEADS, SPEC):
            reply = call(app, url, authorization)
            assert reply.status == 401, (authorization, url)
            assert "Jeton d'accès manquant ou invalide" in reply.json["error"]
            assert reply.headers["www-authenticate"].startswith("Bearer")
    assert call(app, LEADS, f"Bearer {TOKEN}").status == 200
    assert call(app, LEADS, f"bearer {TOKEN}").status == 200  # the scheme is case-insensitive


def test_a_signed_in_cookie_does_not_replace_the_token(app: Sanic) -> None:
    manager = signed_in(app, "gestion@qcnum.example")
    assert manager.get("/conseillers/").status == 200
    assert manager.get(LEADS).status == 401


def test_the_token_opens_no_page(app: Sanic, sessions: sessionmaker[Session]) -> None:
    lead_id = lead(sessions, "Boutique")
    for url in ("/conseillers/", f"/conseillers/pistes/{lead_id}", "/conseillers/export.csv",
                "/conseillers/rencontres", "/conseillers/journal"):  # fmt: skip
        reply = call(app, url, f"Bearer {TOKEN}")
        assert reply.status == 302 and "/conseillers/connexion" in reply.headers["location"]
    # nor a page reached through the API's path
    for url in ("/conseillers/api/../", f"/conseillers/api/%2e%2e/pistes/{lead_id}"):
        assert call(app, url, f"Bearer {TOKEN}").status in {302, 404}, url


def test_no_token_set_means_no_api(settings: Settings, sessions: sessionmaker[Session]) -> None:
    off = create_app(
        dataclasses.replace(settings, workspace_api_token=""), name=f"api_off_{next(_names)}"
    )
    for url in (LEADS, SPEC):
        for authorization in (None, "Bearer", f"Bearer {TOKEN}"):
            reply = call(off, url, authorization)
            assert reply.status == 404 and reply.json == {"error": "Page introuvable."}


def test_leads_by_page_highest_priority_first(app: Sanic, sessions: sessionmaker[Session]) -> None:
    for name in ("Un", "Deux", "Trois"):
        lead(sessions, name, "marc" if name == "Deux" else None)
    first = call(app, f"{LEADS}?per_page=2", f"Bearer {TOKEN}").json
    assert (first["page"], first["per_page"], first["total"], first["pages"]) == (1, 2, 3, 2)
    assert first["next"] == f"{LEADS}?page=2&per_page=2"
    second = call(app, first["next"], f"Bearer {TOKEN}").json
    assert second["next"] is None and len(second["leads"]) == 1
    names = [row["business"] for row in first["leads"] + second["leads"]]
    assert sorted(names) == ["Deux", "Trois", "Un"]  # every lead, whoever it is assigned to
    deux = next(row for row in first["leads"] + second["leads"] if row["business"] == "Deux")
    assert (deux["advisor"], deux["status"], deux["email"].endswith("@x.ca")) == (
        "marc", "nouveau", True)  # fmt: skip
    beyond = call(app, f"{LEADS}?page=9", f"Bearer {TOKEN}").json
    assert beyond["leads"] == [] and beyond["total"] == 3
    for bad in ("page=0", "page=-1", "page=x", "per_page=0", "per_page=201", "page=²"):
        reply = call(app, f"{LEADS}?{bad}", f"Bearer {TOKEN}")
        assert reply.status == 400 and "per_page" in reply.json["error"], bad


def test_each_reading_is_audited(app: Sanic, sessions: sessionmaker[Session]) -> None:
    lead(sessions, "Boutique")
    call(app, LEADS, "Bearer mauvais")  # refused: nothing was read
    call(app, LEADS, f"Bearer {TOKEN}")
    with sessions() as session:
        [entry] = session.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.account_id) == ("api", None)
    assert entry.detail is not None and entry.detail.startswith("API CRM depuis ")
    assert entry.detail.endswith(": page 1 (1 sur 1 pistes)")
    journal = signed_in(app, "gestion@qcnum.example").get("/conseillers/journal").text
    assert "api (API CRM depuis" in journal


KINDS = {"integer": int, "string": str, "boolean": bool, "array": list, "object": dict}


def matches(value: Any, schema: dict[str, Any]) -> bool:
    if value is None:
        return bool(schema.get("nullable"))
    if "enum" in schema and value not in schema["enum"]:
        return False
    return isinstance(value, KINDS[schema["type"]])


def test_the_openapi_description_matches_the_answers(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead(sessions, "Boutique", "sophie")
    spec = call(app, SPEC, f"Bearer {TOKEN}").json
    assert spec["openapi"].startswith("3.") and spec["servers"] == [{"url": "/conseillers/api"}]
    assert spec["components"]["securitySchemes"]["jeton"] == {"type": "http", "scheme": "bearer"}
    operation = spec["paths"]["/leads"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"page", "per_page"}
    assert set(operation["responses"]) == {"200", "400", "401", "404"}
    page = call(app, LEADS, f"Bearer {TOKEN}").json
    schemas = spec["components"]["schemas"]
    assert set(page) == set(schemas["LeadPage"]["required"])
    lead_schema = schemas["Lead"]
    [row] = page["leads"]
    assert set(row) == set(lead_schema["required"]) == set(lead_schema["properties"])
    wrong = [k for k, v in row.items() if not matches(v, lead_schema["properties"][k])]
    assert wrong == []
    assert call(app, SPEC).status == 401  # no description without the token either


def test_bearer_matching() -> None:
    assert bearer_matches("abc", "Bearer abc") and bearer_matches("abc", "BEARER abc")
    assert not bearer_matches("", "Bearer ") and not bearer_matches("abc", None)
    assert not bearer_matches("abc", "Bearer abcd") and not bearer_matches("abc", "Token abc")


def test_a_short_token_is_refused_at_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKSPACE_API_TOKEN", "court")
    with pytest.raises(ValueError, match="at least 32 characters"):
        load_settings(tmp_path / "missing.env")
    monkeypatch.setenv("WORKSPACE_API_TOKEN", "")
    assert load_settings(tmp_path / "missing.env").workspace_api_token == ""
