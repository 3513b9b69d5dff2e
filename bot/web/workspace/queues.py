"""The queues ("files d'attente"): automated refusals whose review was requested (a person
confirms or overturns each one with a reason, and the merchant is e-mailed the outcome: Law 25
s. 12.1), open callback requests (25 a page, all or « Mes rappels ») to assign to a team member,
mark done or set aside as unwanted, and leads waiting for their first contact."""

from __future__ import annotations

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.notifications import tell_merchant
from bot.scheduling import TIMEZONE
from bot.storage import lead_reminders, queues
from bot.web.workspace.site import HEADERS, NOT_FOUND, PREFIX, Site, page_number, viewer_of
from bot.workspace import NotAllowed, Viewer

QUEUES = f"{PREFIX}/files"
REVIEW_GONE = "Cette révision n'existe pas, est déjà faite ou ne vous est pas confiée."
CALLBACK_GONE = "Ce rappel n'existe pas ou ne vous est pas confié."
MINE = "mes_rappels"  # ?mes_rappels=oui: only the callbacks assigned to the viewer


def callbacks_link(mine: bool, page: int = 1) -> str:
    """The queue's callbacks, all or the viewer's, at `page`."""
    query = [f"{MINE}=oui"] if mine else []
    if page > 1:
        query.append(f"rappels={page}")
    return f"{QUEUES}{'?' if query else ''}{'&'.join(query)}#rappels"


def choices(line: queues.CallbackLine, assignees: list[Viewer]) -> list[tuple[int, str]]:
    """Who a manager may give the callback request to: the advisors who see its lead, and
    whoever has it now (a manager who took it, a disabled account) so that it stays chosen."""
    found = [(a.account_id, a.name) for a in assignees if a.sees(line.advisor_id)]
    if line.assignee_id is not None and all(i != line.assignee_id for i, _ in found):
        found.insert(0, (line.assignee_id, line.assignee or ""))
    return found


def register(workspace: Blueprint, site: Site) -> None:
    async def overview(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
        viewer, days = viewer_of(request), site.settings.first_contact_days
        mine = (request.args.get(MINE) or (request.form or {}).get(MINE)) == "oui"
        reviews = await site.blocking(queues.pending_reviews, site.database, viewer)
        callbacks = await site.blocking(
            queues.open_callbacks, site.database, viewer,
            page_number(request.args.get("rappels")), mine,
        )  # fmt: skip
        assignees = await site.blocking(queues.callback_assignees, site.database)
        waiting = await site.blocking(
            queues.waiting_first_contact, site.database, viewer, days, site.settings.clock()
        )
        today = site.settings.clock().astimezone(TIMEZONE).date()
        reminders = await site.blocking(lead_reminders.due_reminders, site.database, viewer, today)
        return site.page(
            request, "files-attente.html", status, reviews=reviews, callbacks=callbacks,
            reminders=reminders, today=today,
            waiting=waiting, days=days, advisors=site.advisors(), error=error, mine=mine,
            assignees=assignees, callbacks_link=callbacks_link, choices=choices,
            callback_page=lambda n: callbacks_link(mine, n),
        )  # fmt: skip

    @workspace.get("/files")
    async def queue_overview(request: Request) -> HTTPResponse:
        return await overview(request)

    async def review_page(
        request: Request, lead_id: int, error: str = "", status: int = 200
    ) -> HTTPResponse:
        case = await site.blocking(
            queues.pending_review, site.database, viewer_of(request), lead_id
        )
        if case is None:
            return site.refused(request, 404, REVIEW_GONE)
        form = (request.form or {}) if request.method == "POST" else {}
        return site.page(
            request, "files-revision.html", status, case=case, error=error,
            verdict=form.get("verdict", ""), reason=form.get("motif", ""),
            reason_max=queues.REASON_MAX,
        )  # fmt: skip

    @workspace.get("/files/revisions/<lead_id:int>")
    async def review_form(request: Request, lead_id: int) -> HTTPResponse:
        return await review_page(request, lead_id)

    @workspace.post("/files/revisions/<lead_id:int>")
    async def review(request: Request, lead_id: int) -> HTTPResponse:
        form = request.form or {}
        try:
            decision_id = int(form.get("decision", ""))
        except ValueError:
            return await review_page(request, lead_id, "Formulaire incomplet : rechargez.", 400)
        try:
            outcome = await site.blocking(
                queues.review, site.database, viewer_of(request), lead_id, decision_id,
                form.get("verdict", ""), form.get("motif", ""), site.settings.clock(),
            )  # fmt: skip
        except NotAllowed as refused:
            return await review_page(request, lead_id, str(refused), 400)
        except LookupError:
            return site.refused(request, 404, NOT_FOUND)
        await site.blocking(tell_merchant, site.settings, outcome)  # after the commit
        return response.redirect(f"{PREFIX}/pistes/{lead_id}", status=303, headers=HEADERS)

    @workspace.post("/files/rappels/<callback_id:int>/<outcome:fait|indesirable>")
    async def callback_handled(request: Request, callback_id: int, outcome: str) -> HTTPResponse:
        try:
            await site.blocking(
                queues.mark_callback_done, site.database, viewer_of(request), callback_id,
                site.settings.clock(), "done" if outcome == "fait" else "spam",
            )  # fmt: skip
        except NotAllowed as refused:
            return await overview(request, str(refused), 400)
        except LookupError:
            return site.refused(request, 404, CALLBACK_GONE)
        mine = (request.form or {}).get(MINE) == "oui"
        return response.redirect(callbacks_link(mine), status=303, headers=HEADERS)

    @workspace.post("/files/rappels/<callback_id:int>/attribution")
    async def callback_assigned(request: Request, callback_id: int) -> HTTPResponse:
        """« Me l'attribuer » (`moi`), or the account chosen in the list ("": nobody)."""
        form, viewer = request.form or {}, viewer_of(request)
        chosen: int | None = viewer.account_id
        if form.get("moi") != "oui":
            try:
                chosen = int(form.get("compte") or 0) or None
            except ValueError:
                return await overview(request, "Choisissez un conseiller dans la liste.", 400)
        try:
            await site.blocking(
                queues.assign_callback, site.database, viewer, callback_id, chosen,
                site.settings.clock(),
            )  # fmt: skip
        except NotAllowed as refused:
            return await overview(request, str(refused), 400)
        except LookupError:
            return site.refused(request, 404, CALLBACK_GONE)
        return response.redirect(
            callbacks_link(form.get(MINE) == "oui"), status=303, headers=HEADERS
        )
