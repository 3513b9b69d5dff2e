"""« Mon calendrier »: each account's secret calendar subscription. The page makes the feed's
address (shown once: only its token's hash is kept, `bot.storage.calendar_feeds`), replaces it
(« Révoquer et créer un nouveau lien ») or revokes it. The feed itself answers without a session
(calendar applications have none, `auth.public`): the account's advisor's sessions, upcoming
and of the last 30 days (`bot.calendar_feed`); a wrong or revoked token gets a 404."""

from __future__ import annotations

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.attendance import RECENT
from bot.calendar_feed import feed
from bot.pack import current_pack
from bot.scheduling.config import load_availability
from bot.storage import agenda, calendar_feeds
from bot.web.workspace.site import HEADERS, PREFIX, Site, viewer_of

PAGE = f"{PREFIX}/calendrier"
FEED = f"{PAGE}/abonnement/"  # + <token>.ics: no session, the token is the key
UNKNOWN = "Ce lien de calendrier n'existe pas ou a été révoqué."
FEED_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Disposition": f'inline; filename="100-{current_pack().identity.slug}.ics"',
}


def register(workspace: Blueprint, site: Site) -> None:
    async def calendar_page(
        request: Request, token: str = "", revoked: bool = False
    ) -> HTTPResponse:
        viewer = viewer_of(request)
        created = await site.blocking(calendar_feeds.feed_created, site.database, viewer.account_id)
        address = f"{site.settings.workspace_base}/calendrier/abonnement/{token}.ics"
        return site.page(request, "calendrier.html", created=created, revoked=revoked,
                         address=address if token else "",
                         advisor=site.advisors().get(viewer.advisor_id or ""))  # fmt: skip

    @workspace.get("/calendrier")
    async def my_calendar(request: Request) -> HTTPResponse:
        return await calendar_page(request)

    @workspace.post("/calendrier")
    async def new_calendar_link(request: Request) -> HTTPResponse:
        """« Créer mon lien » or « Révoquer et créer un nouveau lien »: the page shows it once."""
        viewer = viewer_of(request)
        token = await site.blocking(calendar_feeds.new_feed, site.database, viewer.account_id)
        return await calendar_page(request, token)

    @workspace.post("/calendrier/revoquer")
    async def revoke_calendar_link(request: Request) -> HTTPResponse:
        await site.blocking(
            calendar_feeds.revoke_feed, site.database, viewer_of(request).account_id
        )
        return await calendar_page(request, revoked=True)

    @workspace.get("/calendrier/abonnement/<token:str>")
    async def calendar_feed(request: Request, token: str) -> HTTPResponse:
        owner = await site.blocking(
            calendar_feeds.feed_owner, site.database, token.removesuffix(".ics")
        )
        if owner is None:
            return response.text(UNKNOWN, status=404, headers=HEADERS)
        now = site.settings.clock()
        advisors = {a.id: a for a in load_availability(site.settings.advisors_file).advisors}
        advisor = advisors.get(owner.advisor_id or "")
        sessions = (
            await site.blocking(agenda.advisor_sessions, site.database, advisor.id, now - RECENT)
            if advisor is not None
            else []
        )
        body = feed(owner.name, sessions, advisor, site.settings.workspace_base, now)
        return response.raw(body, content_type="text/calendar; charset=utf-8",
                            headers=FEED_HEADERS)  # fmt: skip
