"""Marking a session held or no-show, or undoing the mark the same day, from the sessions page or
the lead's page (`bot.attendance`'s rules, `bot.storage.attendance`): only once the session has
started, by its advisor or a manager; another advisor gets a page that says whose it is."""

from __future__ import annotations

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.attendance import MARKS, UNDO
from bot.storage import attendance
from bot.web.workspace.leads import lead_page
from bot.web.workspace.site import HEADERS, PREFIX, Site, viewer_of
from bot.workspace import NotAllowed, NotYours

GONE = "Cette rencontre n'existe pas ou est annulée."
DONE = {**{value: value for value in MARKS}, UNDO: "defaite"}  # ?fait=… on the page after


def not_yours(site: Site, request: Request, advisor_id: str) -> HTTPResponse:
    """The clear 403 page for a session that is another advisor's."""
    name = site.advisors().get(advisor_id, "un autre conseiller")
    message = (
        f"Cette rencontre est confiée à {name}. Seuls son conseiller et les gestionnaires "
        "peuvent la déplacer, l'annuler ou la marquer : au besoin, écrivez-leur."
    )
    return site.page(request, "erreur.html", 403, message=message,
                     heading="Cette rencontre ne vous est pas confiée",
                     back=(f"{PREFIX}/rencontres", "Retour à vos rencontres"))  # fmt: skip


def register(workspace: Blueprint, site: Site) -> None:
    @workspace.post("/rencontres/<reference:str>/presence")
    async def session_attendance(request: Request, reference: str) -> HTTPResponse:
        """`presence`: « tenue », « absence » or « defaire »; `piste`: the lead whose page the
        form is on (else back to the sessions)."""
        form, viewer = request.form or {}, viewer_of(request)
        chosen = str(form.get("presence", ""))
        lead = str(form.get("piste", ""))
        now = site.settings.clock()
        try:
            if chosen == UNDO:
                await site.blocking(attendance.undo, site.database, viewer, reference, now)
            else:
                status = MARKS.get(chosen, "")
                await site.blocking(attendance.mark, site.database, viewer, reference, status, now)
        except NotYours as other:
            return not_yours(site, request, other.advisor_id)
        except LookupError:
            return site.refused(request, 404, GONE)
        except NotAllowed as refused:
            if lead.isdigit():
                return await lead_page(site, request, int(lead), str(refused), 400)
            return site.refused(request, 400, str(refused))
        made = DONE.get(chosen, "")
        if lead.isdigit():
            target = f"{PREFIX}/pistes/{lead}?fait={made}#rencontres"
        else:
            target = f"{PREFIX}/rencontres?fait={made}#passees"
        return response.redirect(target, status=303, headers=HEADERS)
