"""The queues ("files d'attente"): automated refusals whose review was requested (a person
confirms or overturns each one with a reason, and the merchant is e-mailed the outcome: Law 25
s. 12.1), open callback requests to mark done or set aside as unwanted (25 a page), and leads waiting for their first contact."""

from __future__ import annotations

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.notifications import tell_merchant
from bot.storage import queues
from bot.web.workspace.site import HEADERS, NOT_FOUND, PREFIX, Site, page_number, viewer_of
from bot.workspace import NotAllowed

QUEUES = f"{PREFIX}/files"
REVIEW_GONE = "Cette révision n'existe pas, est déjà faite ou ne vous est pas confiée."


def register(workspace: Blueprint, site: Site) -> None:
    async def overview(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
        viewer, days = viewer_of(request), site.settings.first_contact_days
        reviews = await site.blocking(queues.pending_reviews, site.database, viewer)
        callbacks = await site.blocking(
            queues.open_callbacks, site.database, viewer, page_number(request.args.get("rappels"))
        )
        waiting = await site.blocking(
            queues.waiting_first_contact, site.database, viewer, days, site.settings.clock()
        )
        return site.page(
            request, "files-attente.html", status, reviews=reviews, callbacks=callbacks,
            waiting=waiting, days=days, advisors=site.advisors(), error=error,
            callback_page=lambda n: f"{QUEUES}?rappels={n}#rappels",
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
            return site.refused(request, 404, "Ce rappel n'existe pas ou ne vous est pas confié.")
        return response.redirect(f"{QUEUES}#rappels", status=303, headers=HEADERS)
