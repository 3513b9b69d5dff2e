"""The advisor workspace under /conseillers: server-rendered French pages (Jinja2, escaped by
default). Every page but signing in and a forgotten password's needs a signed-in account
(`auth`); every form carries the session's CSRF token (those two, a token of their own); every
reading of a lead's personal data is audited.

One module per area, each with `register(workspace, site)`: `auth` (sign-in and out),
`reset` (« Mot de passe oublié? »: a new password through an e-mailed link), `leads` (the list
with « Mes pistes » and a search that reads the conversations too, and a lead's file with its
follow-up), `saved_filters` (the list's filters saved by name), `lead_mail` (« Écrire au
commerçant »), `lead_reminders` (a lead's follow-up reminder), `journal` (the audit log),
`analytics` (the program's figures and charts, managers only), `sessions` (the advisors'
coming sessions, moved or cancelled with the chat's invitations), `attendance` (a session marked
held or no-show), `calendar` (« Mon calendrier »: each account's secret calendar feed),
`exports` (the CSV export), `api` (the JSON API for a CRM, behind its own bearer token),
`queues` (reviews of automated refusals, callback requests, assigned to a team member, follow-up
reminders due, leads waiting for their first contact), `privacy` (the privacy officer's tools:
a person's file, rights requests, the incident register), `live` (« En direct »: merchants
waiting for a person in the chat, taken by one team member, who writes to them and hands the
conversation back to the assistant), `missed` (« Messages manqués »: what merchants asked
that the assistant missed, masked and grouped, labelled under four eyes), `conversations` (« Conversations »: what happened in each
conversation, its tags and review, managers only), `quality` (« Qualité »: the quality report's
charts, managers only), `model` (« Modèle »: the model in service and the candidates,
measured, put in service or back, managers only)."""

from __future__ import annotations

from sanic import Blueprint

from bot.settings import Settings
from bot.web.workspace import (
    analytics,
    api,
    attendance,
    auth,
    calendar,
    conversations,
    exports,
    journal,
    lead_mail,
    lead_reminders,
    leads,
    live,
    missed,
    model,
    privacy,
    quality,
    queues,
    reset,
    saved_filters,
    sessions,
)
from bot.web.workspace.site import PREFIX, Site

AREAS = (
    auth, reset, leads, saved_filters, lead_mail, lead_reminders, journal, analytics, sessions,
    attendance, calendar, exports, api, queues, privacy, live,
    conversations, quality, missed, model,
)  # fmt: skip


def create_workspace(settings: Settings) -> Blueprint:
    """The workspace's routes for `settings` (its database, advisors and tracker store)."""
    workspace = Blueprint("conseillers", url_prefix=PREFIX)
    site = Site(settings)
    for area in AREAS:
        area.register(workspace, site)
    return workspace
