"""The advisor workspace under /conseillers: server-rendered French pages (Jinja2, escaped by
default). Every page needs a signed-in account (`auth`); every form carries the session's CSRF
token; every reading of a lead's personal data is audited.

One module per area, each with `register(workspace, site)`: `auth` (sign-in and out),
`leads` (the list and a lead's file with its follow-up), `journal` (the audit log)."""

from __future__ import annotations

from sanic import Blueprint

from bot.settings import Settings
from bot.web.workspace import auth, journal, leads
from bot.web.workspace.site import PREFIX, Site

AREAS = (auth, leads, journal)


def create_workspace(settings: Settings) -> Blueprint:
    """The workspace's routes for `settings` (its database, advisors and tracker store)."""
    workspace = Blueprint("conseillers", url_prefix=PREFIX)
    site = Site(settings)
    for area in AREAS:
        area.register(workspace, site)
    return workspace
