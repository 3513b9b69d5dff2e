"""The leads list (by priority, with filters, « Mes pistes », saved filters and a search that
also reads the conversations) and a lead's file with its follow-up: status, notes and advisor,
its sessions to mark, its follow-up reminder and the form to write to the merchant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot import attendance
from bot.eligibility import Outcome
from bot.merchant_mail import BODY_MAX, SUBJECT_MAX, starting_body, starting_subject
from bot.pack.eligibility import current_eligibility
from bot.scheduling import TIMEZONE
from bot.storage import followup, lead_reminders, saved_filters, transcript_search
from bot.storage.transcripts import as_seen, transcript
from bot.web.workspace.site import HEADERS, NOT_FOUND, PREFIX, Site, page_number, viewer_of
from bot.workspace import NEXT, REMINDER_NOTE_MAX, STATUSES, NotAllowed

OUTCOMES = tuple(outcome.value for outcome in Outcome)
MINE = "mes_pistes"  # ?mes_pistes=oui: « Mes pistes »
# What the lead's page confirms after a change (?fait=…).
DONE = {
    "courriel": "Courriel envoyé au commerçant : il est noté dans l'historique.",
    "relance": "Relance enregistrée.",
    "relance-faite": "Relance marquée comme faite.",
    "tenue": "Rencontre marquée tenue.",
    "absence": "Rencontre marquée : absence du commerçant.",
    "defaite": "Marquage défait : la rencontre est de nouveau à marquer.",
}


def _choice(value: str | None, allowed: Iterable[str]) -> str:
    return value if value is not None and value in allowed else ""


def day_from(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return None


def sectors() -> tuple[str, ...]:
    """The program's sectors as stored, for the list's filter (`program/eligibility.yml`)."""
    return tuple(s.label for s in current_eligibility().every_sector)


def filters_from(args: Mapping[str, Any], advisors: Iterable[str]) -> followup.Filters:
    """The filters a query string asks for, each kept only if it is one the list knows."""

    def arg(name: str) -> str | None:
        value = args.get(name)
        return value[0] if isinstance(value, list) else value

    return followup.Filters(
        status=_choice(arg("statut"), STATUSES),
        outcome=_choice(arg("decision"), OUTCOMES),
        sector=_choice(arg("secteur"), sectors()),
        advisor=_choice(arg("conseiller"), (*advisors, "-")),
        search=(arg("recherche") or "")[:100],
        territory=(arg("territoire") or "")[:60],
        since=day_from(arg("depuis")),
        with_session=arg("rencontre") == "oui",
        mine=arg(MINE) == "oui",
        page=page_number(arg("page")),
    )


def query_of(filters: followup.Filters) -> str:
    """The query string of `filters` (without the page): what a saved filter keeps."""
    values = {
        MINE: "oui" if filters.mine else "",
        "recherche": filters.search.strip(),
        "statut": filters.status,
        "decision": filters.outcome,
        "secteur": filters.sector,
        "conseiller": filters.advisor,
        "territoire": filters.territory.strip(),
        "depuis": filters.since.isoformat() if filters.since else "",
        "rencontre": "oui" if filters.with_session else "",
    }
    return urlencode({name: value for name, value in values.items() if value})


def today_of(site: Site) -> date:
    """Today in Québec, on the product's clock."""
    return site.settings.clock().astimezone(TIMEZONE).date()


async def lead_page(
    site: Site,
    request: Request,
    lead_id: int,
    error: str = "",
    status: int = 200,
    **form: str,
) -> HTTPResponse:
    """A lead's file (404 if the viewer may not see it), with `error` above its forms and the
    values `form` put back in the mail form."""
    viewer = viewer_of(request)
    found = await site.blocking(followup.lead_file, site.database, viewer, lead_id)
    if found is None:
        return site.refused(request, 404, NOT_FOUND)
    lines = as_seen(
        await site.blocking(transcript, site.settings.tracker_url, found.conversation_id)
    )
    reminder = await site.blocking(lead_reminders.open_reminder, site.database, lead_id)
    now = site.settings.clock()
    return site.page(
        request, "piste.html", status, lead=found, lines=lines, error=error,
        next_statuses=NEXT.get(found.status, ()), advisors=site.advisors(), reminder=reminder,
        today=today_of(site), reminder_note_max=REMINDER_NOTE_MAX,
        session_state=lambda b: attendance.state(b["status"], b["starts_at"], now),
        may_mark=lambda b: viewer.handles_session(b["advisor_id"])
        and attendance.may_mark(b["status"], b["starts_at"], now),
        may_undo=lambda b: viewer.handles_session(b["advisor_id"])
        and attendance.may_undo(b["status"], b["marked_at"], now),
        mail_subject=form.get("objet", starting_subject()),
        mail_body=form.get("message") or starting_body(found.contact["name"], viewer.name),
        subject_max=SUBJECT_MAX, body_max=BODY_MAX,
        reply_to=site.settings.team_email or viewer.email,
        done="" if error else DONE.get(request.args.get("fait", ""), ""),
    )  # fmt: skip


def register(workspace: Blueprint, site: Site) -> None:
    @workspace.get("/")
    async def leads(request: Request) -> HTTPResponse:
        viewer, advisors = viewer_of(request), site.advisors()
        filters = filters_from(request.args, advisors)
        found_in: dict[str, str] = {}
        if filters.search:
            found_in = await site.blocking(
                transcript_search.search_conversations, site.database,
                site.settings.tracker_url, viewer, filters.search,
            )  # fmt: skip
        found = await site.blocking(followup.list_leads, site.database, viewer, filters, found_in)
        saved = await site.blocking(saved_filters.saved_filters, site.database, viewer.account_id)
        query = query_of(filters)
        return site.page(
            request, "pistes.html", leads=found, filters=filters, statuses=STATUSES,
            outcomes=OUTCOMES, sectors=sectors(), advisors=advisors, saved=saved, query=query,
            mine_link=f"{PREFIX}/?{query_of(replace(filters, mine=True))}",
            all_link=f"{PREFIX}/?{query_of(replace(filters, mine=False))}",
            link=lambda n: f"{PREFIX}/?{query}{'&' if query else ''}page={n}",
            saved_max=saved_filters.MOST, name_max=saved_filters.NAME_MAX,
        )  # fmt: skip

    @workspace.get("/pistes/<lead_id:int>")
    async def lead(request: Request, lead_id: int) -> HTTPResponse:
        return await lead_page(site, request, lead_id)

    async def change(request: Request, lead_id: int, action: Any, *args: Any) -> HTTPResponse:
        try:
            await site.blocking(action, site.database, viewer_of(request), lead_id, *args)
        except NotAllowed as refused:
            return await lead_page(site, request, lead_id, str(refused), 400)
        except LookupError:
            return site.refused(request, 404, NOT_FOUND)
        return response.redirect(f"{PREFIX}/pistes/{lead_id}", status=303, headers=HEADERS)

    @workspace.post("/pistes/<lead_id:int>/statut")
    async def status(request: Request, lead_id: int) -> HTTPResponse:
        chosen = request.form.get("statut", "")
        return await change(request, lead_id, followup.change_status, chosen)

    @workspace.post("/pistes/<lead_id:int>/note")
    async def note(request: Request, lead_id: int) -> HTTPResponse:
        return await change(request, lead_id, followup.add_note, request.form.get("note", ""))

    @workspace.post("/pistes/<lead_id:int>/conseiller")
    async def assign(request: Request, lead_id: int) -> HTTPResponse:
        chosen = request.form.get("conseiller") or None
        if chosen is not None and chosen not in site.advisors():
            return await lead_page(site, request, lead_id, "Conseiller inconnu.", 400)
        return await change(request, lead_id, followup.assign, chosen)
