"""The advisor workspace under /conseillers: server-rendered French pages (Jinja2, escaped by
default). Every page but signing in and a forgotten password's needs a signed-in account
(`auth`); every form carries the session's CSRF token (those two, a token of their own); every
reading of a lead's personal data is audited.

One module per area, each with `register(workspace, site)`: `auth` (sign-in and out),
`reset` (« Mot de passe oublié? »: a new password through an e-mailed link), `leads` (the list
and a lead's file with its follow-up), `journal` (the audit log), `analytics` (the program's
figures and charts, managers only), `sessions` (the advisors' coming sessions, moved or
cancelled with the chat's invitations), `exports` (the CSV export), `api` (the JSON API for a
CRM, behind its own bearer token), `queues` (reviews of automated refusals, callback requests,
assigned to a team member, leads waiting for their first contact), `privacy` (the privacy
officer's tools: a person's file, rights requests, the incident register)."""

from __future__ import annotations

from sanic import Blueprint

from bot.settings import Settings
from bot.web.workspace import (
    analytics,
    api,
    auth,
    exports,
    journal,
    leads,
    privacy,
    queues,
    reset,
    sessions,
)
from bot.web.workspace.site import PREFIX, Site

AREAS = (auth, reset, leads, journal, analytics, sessions, exports, api, queues, privacy)


def create_workspace(settings: Settings) -> Blueprint:
    """The workspace's routes for `settings` (its database, advisors and tracker store)."""
    workspace = Blueprint("conseillers", url_prefix=PREFIX)
    site = Site(settings)
    for area in AREAS:
        area.register(workspace, site)
    return workspace
