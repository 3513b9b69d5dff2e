"""« Messages manqués » (managers, and the advisors given it): what merchants asked that the
assistant missed, masked and grouped, most frequent first; each group or message labelled
(the suggested intent confirmed, another intent, « Nouveau sujet » with a draft answer, or
« Bruit ») by one person and approved or refused by another (four eyes); the conversation of a
message read like a lead's transcript (journaled)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.learning.intents import intent_labels, label_of
from bot.learning.missed import REASONS
from bot.storage import lead_conversations
from bot.storage import missed as inbox
from bot.storage.models import Lead
from bot.storage.transcripts import as_seen, transcript
from bot.web.workspace.site import HEADERS, PREFIX, Site, page_number, viewer_of
from bot.workspace import NotAllowed, Viewer

PAGE = f"{PREFIX}/manques"
NOT_YOURS = "Réservé aux gestionnaires et aux personnes à qui l'on a confié les messages manqués."
GONE = "Ce message manqué n'existe plus (étiqueté ailleurs, ou effacé)."
OTHERS_LEAD = "Cette conversation est celle d'un dossier qui ne vous est pas confié."
DONE = {
    "propose": "Étiquette proposée : une autre personne doit maintenant l'approuver.",
    "approuve": "Étiquette approuvée.",
    "refuse": "Étiquette refusée : les messages sont de nouveau à étiqueter.",
}
KINDS = {"intention": inbox.INTENT, "sujet": inbox.TOPIC, "bruit": inbox.NOISE}
PER_PAGE = 25  # groups a page
WORDS_MAX = 100  # the search's words


@dataclass(frozen=True)
class Pages:
    page: int
    pages: int


def _filters(args: dict[str, list[str]] | object) -> dict[str, str]:
    """The filters of the query string the page understands (others are dropped)."""
    get = getattr(args, "get", lambda _key, _default=None: None)
    reason = str(get("raison", "") or "")
    status = str(get("statut", "") or "")
    return {
        "raison": reason if reason in REASONS else "",
        "statut": status if status in inbox.STATUSES else "",
        "mots": " ".join(str(get("mots", "") or "").split())[:WORDS_MAX],
    }


def _back(filters: dict[str, str], done: str = "", anchor: str = "") -> str:
    query = urlencode({k: v for k, v in {**filters, "fait": done}.items() if v})
    return f"{PAGE}{'?' + query if query else ''}{'#' + anchor if anchor else ''}"


def register(workspace: Blueprint, site: Site) -> None:
    async def page(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
        filters = _filters(request.args)
        groups = await site.blocking(
            inbox.inbox,
            site.database,
            filters["raison"] or None,
            filters["statut"] or None,
            filters["mots"],
        )
        pages = max(1, -(-len(groups) // PER_PAGE))
        number = min(max(1, page_number(request.args.get("page"))), pages)
        query = urlencode({k: v for k, v in filters.items() if v})
        return site.page(
            request, "manques.html", status, groups=groups, filters=filters, error=error,
            shown=groups[(number - 1) * PER_PAGE : number * PER_PAGE],
            found=Pages(number, pages),
            page_link=lambda n: f"{PAGE}?{query + '&' if query else ''}page={n}",
            reasons=REASONS, statuses=inbox.STATUSES, intents=intent_labels(),
            label_of=label_of, kinds=inbox.KINDS, draft_max=inbox.DRAFT_MAX,
            done="" if error else DONE.get(request.args.get("fait", ""), ""),
        )  # fmt: skip

    def refused(request: Request) -> HTTPResponse | None:
        if viewer_of(request).reads_missed:
            return None
        return site.refused(request, 403, NOT_YOURS)

    @workspace.get("/manques")
    async def missed_page(request: Request) -> HTTPResponse:
        return refused(request) or await page(request)

    async def label(request: Request, group_id: int | None, message_id: int | None) -> HTTPResponse:
        if no := refused(request):
            return no
        form = request.form or {}
        kind = KINDS.get(str(form.get("etiquette", "")), "")
        try:
            await site.blocking(
                lambda: inbox.propose(
                    site.database, viewer_of(request).account_id, kind,
                    group_id=group_id, message_id=message_id,
                    intent=str(form.get("intention", "")) or None,
                    draft=str(form.get("reponse", ""))[: inbox.DRAFT_MAX * 2],
                )
            )  # fmt: skip
        except LookupError:
            return site.refused(request, 404, GONE)
        except NotAllowed as why:
            return await page(request, str(why), 400)
        filters = _filters(form)
        anchor = f"groupe-{group_id}" if group_id is not None else ""
        return response.redirect(_back(filters, "propose", anchor), status=303, headers=HEADERS)

    async def decide(
        request: Request, group_id: int | None, message_id: int | None
    ) -> HTTPResponse:
        if no := refused(request):
            return no
        form = request.form or {}
        choice = str(form.get("decision", ""))
        if choice not in ("approuver", "refuser"):
            return await page(request, "Choisissez d'approuver ou de refuser l'étiquette.", 400)
        viewer: Viewer = viewer_of(request)
        try:
            await site.blocking(
                lambda: inbox.review(
                    site.database, viewer.account_id, choice == "approuver",
                    group_id=group_id, message_id=message_id,
                )
            )  # fmt: skip
        except LookupError:
            return site.refused(request, 404, GONE)
        except NotAllowed as why:
            return await page(request, str(why), 403 if str(why) == inbox.OWN_PROPOSAL else 400)
        done = "approuve" if choice == "approuver" else "refuse"
        anchor = f"groupe-{group_id}" if group_id is not None else ""
        return response.redirect(_back(_filters(form), done, anchor), status=303, headers=HEADERS)

    @workspace.post("/manques/groupes/<group_id:int>/etiquette")
    async def label_group(request: Request, group_id: int) -> HTTPResponse:
        return await label(request, group_id, None)

    @workspace.post("/manques/messages/<message_id:int>/etiquette")
    async def label_message(request: Request, message_id: int) -> HTTPResponse:
        return await label(request, None, message_id)

    @workspace.post("/manques/groupes/<group_id:int>/approbation")
    async def review_group(request: Request, group_id: int) -> HTTPResponse:
        return await decide(request, group_id, None)

    @workspace.post("/manques/messages/<message_id:int>/approbation")
    async def review_message(request: Request, message_id: int) -> HTTPResponse:
        return await decide(request, None, message_id)

    def lead_of(conversation_id: str) -> tuple[int, str | None] | None:
        """The lead whose conversation it is (its id and advisor), if any."""
        with site.database() as session:
            lead_id = lead_conversations.owner(session, conversation_id)
            lead = session.get(Lead, lead_id) if lead_id else None
            return None if lead is None else (lead.id, lead.advisor_id)

    @workspace.get("/manques/messages/<message_id:int>/conversation")
    async def conversation(request: Request, message_id: int) -> HTTPResponse:
        if no := refused(request):
            return no
        viewer = viewer_of(request)
        found = await site.blocking(inbox.message, site.database, message_id)
        if found is None or not found.sender_id:
            return site.refused(request, 404, GONE)
        lead = await site.blocking(lead_of, found.sender_id)
        if lead is not None and not viewer.sees(lead[1]):
            return site.refused(request, 403, OTHERS_LEAD)
        await site.blocking(inbox.audit_reading, site.database, viewer.account_id, message_id)
        lines = as_seen(await site.blocking(transcript, site.settings.tracker_url, found.sender_id))
        return site.page(
            request, "manques-conversation.html", found=found, lines=lines,
            lead_id=lead[0] if lead else None, reasons=REASONS,
        )  # fmt: skip
