"""« En direct »: the merchants waiting for a person in the chat, taken by one team member
(« Prendre »: the database decides who, `bot.storage.live.claim`), who reads the whole
conversation and the lead if there is one, writes, sees the merchant typing, and hands the
conversation back to the assistant. Every workspace page is told of a new wait
(`static/direct.js`: a banner, and the browser's notification when allowed) by a stream of
the queue; each page works without JavaScript too (forms and links)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot import live as rules
from bot.live_signals import ADVISOR_TYPING, MERCHANT_TYPING, QUEUE, conversation_channel
from bot.messages import MAX_MESSAGE_CHARS
from bot.rasa_api import RasaUnavailable
from bot.storage import followup, live
from bot.storage.live import LiveView, Taken
from bot.storage.transcripts import as_seen, lines_after
from bot.text import multi_line
from bot.web.live import LiveContext, cursor_of, live_context, shown_line, sse, stream
from bot.web.workspace.site import HEADERS, PREFIX, Site, viewer_of
from bot.workspace import NotAllowed, Viewer

DIRECT = f"{PREFIX}/direct"
GONE = "Cette conversation n'est pas ou plus la vôtre."
NOT_SENT = "Le message n'a pas pu être envoyé : réessayez dans un instant."
SWEEP_SECONDS = 5.0  # how often a page's queue stream ends the waits and silences run out


def waited(chat: LiveView, now: datetime) -> str:
    """« depuis 1 min », « depuis 35 s »."""
    seconds = max(0, int((now - chat.requested_at).total_seconds()))
    return f"depuis {seconds // 60} min" if seconds >= 60 else f"depuis {seconds} s"


def queue_summary(chats: list[LiveView], viewer: Viewer) -> dict[str, Any]:
    """What every page of the team member learns of the live queue."""
    waiting = [c for c in chats if c.status == rules.WAITING]
    return {
        "waiting": [
            {"id": c.id, "name": c.name, "business": c.business or "", "wish": c.wish,
             "at": c.requested_at.isoformat()}
            for c in waiting
        ],
        "mine": [c.id for c in chats if c.held_by == viewer.account_id],
    }  # fmt: skip


def register(workspace: Blueprint, site: Site) -> None:
    ctx: LiveContext = live_context(site.settings)

    def wants_json(request: Request) -> bool:
        return "application/json" in request.headers.get("accept", "")

    def gone(request: Request) -> HTTPResponse:
        return site.page(
            request, "erreur.html", 404, message=GONE, back=(DIRECT, "Retour à « En direct »")
        )

    async def overview(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
        viewer, now = viewer_of(request), site.settings.clock()
        chats = await site.blocking(live.queue, site.database, viewer)
        is_open = await site.blocking(ctx.handoff.is_open, now)
        config = ctx.handoff.config()
        return site.page(
            request, "direct.html", status, chats=chats, now=now, waited=waited, error=error,
            is_open=is_open, hours=rules.hours_words(config),
            wait=rules.minutes_words(config.wait), notice=request.args.get("rendue") == "oui",
        )  # fmt: skip

    @workspace.get("/direct")
    async def queue_page(request: Request) -> HTTPResponse:
        return await overview(request)

    @workspace.post("/direct/<chat_id:int>/prendre")
    async def take(request: Request, chat_id: int) -> HTTPResponse:
        try:
            chat = await site.blocking(
                ctx.handoff.take, viewer_of(request), chat_id, site.settings.clock()
            )
        except Taken as taken:
            return await overview(request, str(taken), 409)
        except LookupError:
            return await overview(request, "Cette demande n'existe pas.", 404)
        await ctx.changed(chat)
        return response.redirect(f"{DIRECT}/{chat_id}", status=303, headers=HEADERS)

    async def held(request: Request, chat_id: int) -> LiveView | HTTPResponse:
        """The chat if the team member holds it, else the page that says it is not theirs."""
        try:
            chat: LiveView = await site.blocking(
                live.held_by, site.database, viewer_of(request), chat_id
            )
        except (NotAllowed, LookupError):
            return gone(request)
        return chat

    @workspace.get("/direct/<chat_id:int>")
    async def conversation(request: Request, chat_id: int) -> HTTPResponse:
        chat = await held(request, chat_id)
        if isinstance(chat, HTTPResponse):
            return chat
        viewer = viewer_of(request)
        lead = None
        if chat.lead_id is not None and viewer.sees(chat.lead_advisor_id):
            lead = await site.blocking(followup.lead_file, site.database, viewer, chat.lead_id)
        lines, cursor = await site.blocking(
            lines_after, site.settings.tracker_url, chat.conversation_id
        )
        return site.page(
            request, "direct-conversation.html", chat=chat, lead=lead, lines=as_seen(lines),
            cursor=cursor, advisors=site.advisors(), message_max=MAX_MESSAGE_CHARS,
            silence=rules.minutes_words(ctx.handoff.config().silence),
            error=request.args.get("erreur") == "oui" and NOT_SENT,
        )  # fmt: skip

    @workspace.post("/direct/<chat_id:int>/messages")
    async def write(request: Request, chat_id: int) -> HTTPResponse:
        text = multi_line(str((request.form or {}).get("texte", ""))).strip()
        if not text or len(text) > MAX_MESSAGE_CHARS:
            problem = f"Écrivez un message (au plus {MAX_MESSAGE_CHARS} caractères)."
            if wants_json(request):
                return response.json({"error": problem}, status=400, headers=HEADERS)
            return response.redirect(f"{DIRECT}/{chat_id}?erreur=oui", status=303, headers=HEADERS)
        try:
            chat = await site.blocking(
                ctx.handoff.write, viewer_of(request), chat_id, text, site.settings.clock()
            )
        except (NotAllowed, LookupError):
            if wants_json(request):
                return response.json({"error": GONE}, status=409, headers=HEADERS)
            return gone(request)
        except RasaUnavailable:
            if wants_json(request):
                return response.json({"error": NOT_SENT}, status=503, headers=HEADERS)
            return response.redirect(f"{DIRECT}/{chat_id}?erreur=oui", status=303, headers=HEADERS)
        await ctx.changed(chat)
        if wants_json(request):
            return response.empty(headers=HEADERS)
        return response.redirect(f"{DIRECT}/{chat_id}#message", status=303, headers=HEADERS)

    @workspace.post("/direct/<chat_id:int>/rendre")
    async def hand_back(request: Request, chat_id: int) -> HTTPResponse:
        try:
            chat = await site.blocking(
                ctx.handoff.hand_back, viewer_of(request), chat_id, site.settings.clock()
            )
        except NotAllowed:
            return gone(request)
        await ctx.changed(chat)
        return response.redirect(f"{DIRECT}?rendue=oui", status=303, headers=HEADERS)

    @workspace.post("/direct/<chat_id:int>/ecrit")
    async def typing(request: Request, chat_id: int) -> HTTPResponse:
        chat = await held(request, chat_id)
        if isinstance(chat, HTTPResponse):
            return response.empty(status=404, headers=HEADERS)
        await ctx.signals.publish(conversation_channel(chat.conversation_id), ADVISOR_TYPING)
        return response.empty(headers=HEADERS)

    async def chat_lines(chat_id: int, after: int) -> tuple[LiveView | None, list[Any], int]:
        chat = await ctx.on_time(await site.blocking(live.get, site.database, chat_id))
        if chat is None:
            return None, [], after
        lines, cursor = await site.blocking(
            lines_after, site.settings.tracker_url, chat.conversation_id, after
        )
        return chat, [shown_line(line) for line in lines], cursor

    def state_of(chat: LiveView | None, viewer: Viewer) -> dict[str, Any]:
        mine = chat is not None and chat.held_by == viewer.account_id
        return {
            "state": chat.status if chat and mine else "ended",
            "outcome": chat and chat.outcome,
        }

    @workspace.get("/direct/<chat_id:int>/flux")
    async def conversation_stream(request: Request, chat_id: int) -> HTTPResponse | None:
        """The conversation's lines as they come, its state, the merchant typing."""
        chat = await held(request, chat_id)
        if isinstance(chat, HTTPResponse):
            return response.empty(status=204, headers=HEADERS)  # the browser stops asking
        viewer, after = viewer_of(request), cursor_of(request)
        shown: dict[str, Any] = {"state": None}

        async def look(signals: list[str]) -> tuple[list[str], bool]:
            nonlocal after
            found, lines, after_now = await chat_lines(chat_id, after)
            events = [sse("ligne", line, after_now) for line in lines]
            after = after_now
            state = state_of(found, viewer)
            if state != shown["state"]:
                events.append(sse("etat", state, after))
                shown["state"] = state
            if MERCHANT_TYPING in signals:
                events.append(sse("ecrit", {}))
            return events, state["state"] != rules.ENDED

        await stream(request, ctx, (conversation_channel(chat.conversation_id),), look)
        return None

    @workspace.get("/direct/<chat_id:int>/lignes")
    async def conversation_poll(request: Request, chat_id: int) -> HTTPResponse:
        """The same, read now: the fallback of a browser without server-sent events."""
        found, lines, cursor = await chat_lines(chat_id, cursor_of(request))
        viewer = viewer_of(request)
        if found is None or found.held_by != viewer.account_id:
            return response.json({"error": GONE}, status=404, headers=HEADERS)
        return response.json(
            {"lines": lines, "cursor": cursor, "chat": state_of(found, viewer)}, headers=HEADERS
        )

    async def summary(request: Request) -> dict[str, Any]:
        """The queue the team member sees, each wait that ran out ended first."""
        viewer = viewer_of(request)
        chats = [
            found
            for chat in await site.blocking(live.queue, site.database, viewer)
            if (found := await ctx.on_time(chat)) is not None and found.open
        ]
        return queue_summary(chats, viewer)

    @workspace.get("/direct/flux")
    async def queue_stream(request: Request) -> HTTPResponse | None:
        """Every page's stream of the live queue: the chats waiting, as they come and go."""
        shown: dict[str, Any] = {"summary": None}
        swept = {"at": 0.0}

        async def look(_signals: list[str]) -> tuple[list[str], bool]:
            if time.monotonic() - swept["at"] >= SWEEP_SECONDS:  # the ones nobody watches
                swept["at"] = time.monotonic()
                for ended in await site.blocking(ctx.handoff.sweep, site.settings.clock()):
                    await ctx.changed(ended)
            found = await summary(request)
            if found == shown["summary"]:
                return [], True
            shown["summary"] = found
            return [sse("file", found)], True

        await stream(request, ctx, (QUEUE,), look)
        return None

    @workspace.get("/direct/file.json")
    async def queue_poll(request: Request) -> HTTPResponse:
        """The same, read now: the fallback of a browser without server-sent events."""
        return response.json(await summary(request), headers=HEADERS)
