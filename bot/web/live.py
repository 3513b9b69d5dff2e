"""The live chat in the web app: what the widget's API adds under /api/live (is a person
available, ask for one, the conversation's live lines as server-sent events or, as the
fallback, by polling, the merchant typing), and what the workspace's streams share
(`LiveContext`: the handoff, the wake-ups; `sse`, `stream`).

A stream follows a conversation by the tracker store's event ids: it sends what was added after
the client's last one (`Last-Event-ID`, or `?apres=`), wakes up on a signal (`bot.live_signals`)
or every `POLL_SECONDS`, and on each look also ends a wait or a silence that ran out (one
instance wins: `bot.storage.live`). Nothing is kept in the process but its listeners."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot import live as rules
from bot import throttle
from bot.contact import InvalidRequest, parse_contact_request
from bot.handoff import Handoff
from bot.live_signals import (
    ADVISOR_TYPING,
    MERCHANT_TYPING,
    QUEUE,
    Signals,
    conversation_channel,
    next_signals,
)
from bot.rasa_api import RasaUnavailable
from bot.settings import Settings
from bot.storage import live
from bot.storage.live import LiveView
from bot.storage.transcripts import Line, lines_after

STREAM_SECONDS = 300.0  # a stream ends after this; the browser reconnects where it left off
HEARTBEAT_SECONDS = 15.0  # a comment now and then: proxies keep the connection open
SSE_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
NOT_NOW = "Une personne de l'équipe ne peut pas répondre en direct pour le moment."
UNAVAILABLE = (
    "Un problème technique empêche de joindre l'équipe en direct. Réessayez dans un instant."
)


@dataclass(frozen=True)
class LiveContext:
    """The web app's live chat: the handoff and this process's wake-ups."""

    settings: Settings
    handoff: Handoff
    signals: Signals

    async def blocking(self, function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(partial(function, *args))

    async def changed(self, chat: LiveView | None) -> None:
        """Wake the streams of the chat's conversation and the live queue's."""
        if chat is not None:
            await self.signals.publish(conversation_channel(chat.conversation_id))
        await self.signals.publish(QUEUE)

    async def on_time(self, chat: LiveView | None) -> LiveView | None:
        """`chat`, ended first if its wait or silence ran out, or given back to the assistant
        if that was left undone (one instance does it; the others find it done)."""
        if chat is None:
            return None
        now = self.settings.clock()
        config = self.handoff.config()
        deadline = chat.deadline(config.wait, config.silence)
        late = deadline is not None and now >= deadline
        if late or (not chat.open and chat.resumed_at is None):
            ended = await self.blocking(self.handoff.expire, chat, now)
            if ended is not None:
                await self.changed(ended)
            found: LiveView | None = await self.blocking(live.get, self.handoff.sessions, chat.id)
            return found
        return chat


@cache
def live_context(settings: Settings) -> LiveContext:
    """One per configuration and process: the widget's API and the workspace share it."""
    return LiveContext(settings, Handoff.of(settings), Signals(settings.redis_url))


def sse(event: str, data: Any, event_id: int | None = None) -> str:
    """One server-sent event."""
    head = f"event: {event}\n" + (f"id: {event_id}\n" if event_id is not None else "")
    return f"{head}data: {json.dumps(data, ensure_ascii=False)}\n\n"


def cursor_of(request: Request) -> int:
    """Where a stream resumes: the browser's Last-Event-ID, else `?apres=`."""
    raw = request.headers.get("last-event-id") or request.args.get("apres") or "0"
    try:
        return max(0, int(raw))
    except ValueError:
        return 0


Look = Callable[[list[str]], Awaitable[tuple[list[str], bool]]]


async def stream(request: Request, ctx: LiveContext, channels: tuple[str, ...], look: Look) -> None:
    """Answer `request` with server-sent events: `look(signals)` gives the events to send since
    its last call and whether to go on; it runs at once, on each signal of `channels`, and at
    least every `POLL_SECONDS`."""
    reply = await request.respond(
        headers=SSE_HEADERS, content_type="text/event-stream; charset=utf-8"
    )
    await reply.send("retry: 2000\n\n")
    began = last = time.monotonic()
    async with ctx.signals.listening(*channels) as queue:
        signals: list[str] = []
        while time.monotonic() - began < STREAM_SECONDS:
            events, going_on = await look(signals)
            if events:
                await reply.send("".join(events))
                last = time.monotonic()
            elif time.monotonic() - last > HEARTBEAT_SECONDS:
                await reply.send(": \n\n")
                last = time.monotonic()
            if not going_on:
                break
            signals = await next_signals(queue)
    await reply.eof()


def chat_state(chat: LiveView | None) -> dict[str, Any] | None:
    """A live chat as the widget reads it."""
    if chat is None:
        return None
    return {"state": chat.status, "who": chat.held_as, "outcome": chat.outcome}


def shown_line(line: Line) -> dict[str, Any]:
    """A line as the chat widget shows it: who said it ("user", "bot", "advisor" with `who`,
    « Sophie, conseillère », or "notice"), what, and its buttons."""
    return {
        "at": line.at.isoformat(),
        "from": {"merchant": "user"}.get(line.speaker, line.speaker),
        "who": line.who,
        "text": line.text,
        "buttons": [
            {"title": t, "payload": p} for t, p in zip(line.buttons, line.payloads, strict=True)
        ],
    }


def register_widget(
    api: Blueprint,
    settings: Settings,
    valid: Callable[[str], bool],
    body_and_sender: Callable[[Request], tuple[Any, str | None]],
    limits: throttle.Throttle,
) -> None:
    """The widget's live routes, on the chat API's blueprint (its origin checks and CORS)."""
    ctx = live_context(settings)
    tracker = settings.tracker_url

    def refused(text: str, status: int, **extra: Any) -> HTTPResponse:
        return response.json({"error": text, **extra}, status=status)

    @api.route("/live/<sender:str>", methods=["GET", "OPTIONS"])
    async def availability(request: Request, sender: str) -> HTTPResponse:
        """Is a person available now, and this conversation's live chat, if any."""
        if not valid(sender):
            return refused("Identifiant de conversation invalide.", 400)
        now = settings.clock()
        is_open = await ctx.blocking(ctx.handoff.is_open, now)
        chat = await ctx.on_time(await ctx.blocking(live.current, ctx.handoff.sessions, sender))
        config = ctx.handoff.config()
        return response.json(
            {
                "open": is_open,
                "intro": (
                    "Une personne de l'équipe peut vous répondre ici même, en direct. Si "
                    f"personne n'est libre d'ici {rules.minutes_words(config.wait)}, l'équipe "
                    "vous rappellera : laissez votre nom, un courriel ou un numéro de téléphone "
                    "et votre question."
                    if is_open
                    else rules.closed_intro(config)
                ),
                "chat": chat_state(chat),
            }
        )

    @api.route("/live", methods=["POST", "OPTIONS"])
    async def ask_for_a_person(request: Request) -> HTTPResponse:
        """During the opening hours: the conversation joins the live queue (409 when closed:
        the widget files the callback request of `/api/contact` instead)."""
        body, sender = body_and_sender(request)
        if sender is None:
            return refused("Identifiant de conversation invalide.", 400)
        try:
            asked = parse_contact_request(body)
        except InvalidRequest as invalid:
            return refused("Vérifiez le formulaire.", 400, fields=invalid.errors)
        now = settings.clock()
        if not await ctx.blocking(ctx.handoff.is_open, now):
            return refused(NOT_NOW, 409, open=False)
        if not await ctx.blocking(limits.hit, throttle.CONTACTS_PER_CONVERSATION, sender):
            return refused(
                "Votre demande a déjà été transmise à l'équipe plusieurs fois aujourd'hui. "
                "Réessayez demain.",
                429,
            )
        try:
            chat = await ctx.blocking(ctx.handoff.start, sender, asked, now)
        except live.AlreadyOpen as already:
            chat = await ctx.blocking(live.get, ctx.handoff.sessions, already.chat_id)
        except RasaUnavailable:
            return refused(UNAVAILABLE, 503)
        await ctx.changed(chat)
        return response.json({"chat": chat_state(chat)}, status=201)

    async def live_lines(sender: str, after: int) -> tuple[LiveView | None, list[Line], int]:
        chat = await ctx.on_time(await ctx.blocking(live.current, ctx.handoff.sessions, sender))
        lines, cursor = await ctx.blocking(lines_after, tracker, sender, after, True)
        return chat, lines, cursor

    @api.route("/live/<sender:str>/flux", methods=["GET", "OPTIONS"])
    async def merchant_stream(request: Request, sender: str) -> HTTPResponse | None:
        """The conversation's live lines, state and the team member typing, as they come."""
        if not valid(sender):
            return refused("Identifiant de conversation invalide.", 400)
        after = cursor_of(request)
        chat, lines, _ = await live_lines(sender, after)
        if not lines and (chat is None or (not chat.open and chat.resumed_at is not None)):
            return response.empty(status=204)  # nothing live: the browser stops asking
        shown: dict[str, Any] = {"state": None}

        async def look(signals: list[str]) -> tuple[list[str], bool]:
            nonlocal after
            chat, lines, after_now = await live_lines(sender, after)
            events = [sse("ligne", shown_line(line), after_now) for line in lines]
            after = after_now
            state = chat_state(chat)
            if state != shown["state"]:
                events.append(sse("etat", state, after))
                shown["state"] = state
            if ADVISOR_TYPING in signals:
                events.append(sse("ecrit", {}))
            return events, True

        await stream(request, ctx, (conversation_channel(sender),), look)
        return None

    @api.route("/live/<sender:str>/lignes", methods=["GET", "OPTIONS"])
    async def merchant_poll(request: Request, sender: str) -> HTTPResponse:
        """The same as the stream, read now: the fallback of a browser without it."""
        if not valid(sender):
            return refused("Identifiant de conversation invalide.", 400)
        chat, lines, cursor = await live_lines(sender, cursor_of(request))
        return response.json(
            {
                "lines": [shown_line(line) for line in lines],
                "cursor": cursor,
                "chat": chat_state(chat),
            }
        )

    @api.route("/live/<sender:str>/ecrit", methods=["POST", "OPTIONS"])
    async def merchant_typing(request: Request, sender: str) -> HTTPResponse:
        """The merchant is typing: the team member's page shows it."""
        if not valid(sender):
            return refused("Identifiant de conversation invalide.", 400)
        await ctx.signals.publish(conversation_channel(sender), MERCHANT_TYPING)
        return response.empty()

    @api.route("/live/<sender:str>/fin", methods=["POST", "OPTIONS"])
    async def merchant_left(request: Request, sender: str) -> HTTPResponse:
        """The merchant started a new conversation: this one waits for nobody any more."""
        if not valid(sender):
            return refused("Identifiant de conversation invalide.", 400)
        now = settings.clock()
        chat = await ctx.blocking(live.open_chat, ctx.handoff.sessions, sender)
        if chat is not None:
            ended = await ctx.blocking(live.end_left, ctx.handoff.sessions, chat.id, now)
            if ended is not None:
                await ctx.blocking(ctx.handoff.give_back, ended.id, now)
                await ctx.changed(ended)
        return response.empty()
