"""The chat widget's JSON API under /api: messages relayed to Rasa's validated REST channel, the
conversation read back from the tracker store (history, and the question a form waits for),
« Parler à une personne » and « Recevoir la conversation par courriel ».

Only the web app's own origin and `ALLOWED_ORIGINS` may call it from a browser: another
origin's request (and its CORS preflight) gets a 403, and no CORS header lets it read a reply."""

from __future__ import annotations

import asyncio
import logging
import re
from functools import partial
from typing import Any

import aiohttp
from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot import address_proof, throttle
from bot.contact import (
    InvalidRequest,
    contact_confirmation,
    contact_team_mail,
    parse_contact_request,
    parse_transcript_request,
    transcript_code_mail,
    transcript_mail,
)
from bot.mail import mail_settings, message, send
from bot.messages import InvalidMessage, page_messages, parse_message
from bot.settings import Settings
from bot.storage.contact import conversation_email, save_contact_request
from bot.storage.database import sessions_of
from bot.storage.live import current as current_chat
from bot.storage.transcripts import Line, as_seen, form_in_progress, lines_after, transcript
from bot.web.live import chat_state, live_context, register_widget, shown_line

log = logging.getLogger(__name__)
GREETING = "/greet"
# The widget's conversation ids are random UUIDs: only such ids can read a conversation back.
UNGUESSABLE = re.compile(r"^[A-Za-z0-9-]{32,128}$")
UNAVAILABLE = "L'assistant est momentanément indisponible. Réessayez dans un instant."
TOO_MANY_CONTACTS = (
    "Votre demande a déjà été transmise à l'équipe, qui vous répondra. "
    "Pour en ajouter une autre, réessayez demain."
)
TOO_MANY_TRANSCRIPTS = (
    "Cette conversation a déjà été envoyée plusieurs fois aujourd'hui. Réessayez demain."
)
TOO_MANY_CODES = (
    "Plusieurs codes ont déjà été envoyés aujourd'hui. "
    "Vérifiez vos courriels (et les indésirables) ou réessayez demain."
)
WRONG_CODE = (
    "Ce code ne correspond pas. Vérifiez le dernier courriel reçu, ou demandez un nouveau code."
)
CORS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
}


def _error(text: str, status: int, **extra: Any) -> HTTPResponse:
    return response.json({"error": text, **extra}, status=status)


def _shown(lines: list[Line]) -> list[dict[str, Any]]:
    """Transcript lines as the widget shows them (`as_seen`; who wrote a live chat's lines)."""
    return [shown_line(line) for line in as_seen(lines)]


def pending_turn(lines: list[Line]) -> list[Line]:
    """The bot's messages since the merchant's last one: the question a form waits for."""
    last_user = max((i for i, line in enumerate(lines) if line.speaker == "merchant"), default=-1)
    return lines[last_user + 1 :]


def create_api(settings: Settings) -> Blueprint:
    api = Blueprint("chat_api", url_prefix="/api")
    allowed = {settings.web_url, settings.site_url, *settings.allowed_origins}
    tracker = settings.tracker_url
    limits = throttle.Throttle(throttle.open_store(settings.redis_url), settings.clock)
    live = live_context(settings)

    def client(request: Request) -> str:
        """The caller's address (behind nginx: the one it saw, BEHIND_PROXY)."""
        return str(request.remote_addr or request.ip)

    def refused(text: str) -> HTTPResponse:
        return _error(text, 429)

    async def blocking(function: Any, *args: Any) -> Any:
        return await asyncio.to_thread(partial(function, *args))

    def allowed_origin(request: Request) -> str | None:
        """The request's Origin if it may call the API ("" when a non-browser client sent
        none), None when it may not."""
        origin = request.headers.get("origin", "")
        own = f"{request.scheme}://{request.host}"
        return origin if not origin or origin in allowed or origin == own else None

    @api.middleware("request")
    async def check_origin(request: Request) -> HTTPResponse | None:
        origin = allowed_origin(request)
        if origin is None:
            log.warning("chat API refused to origin %s", request.headers.get("origin", "")[:100])
            return _error("Ce site n'est pas autorisé à ouvrir une conversation.", 403)
        if request.method == "OPTIONS":
            return response.empty(status=204)
        return None

    @api.middleware("response")
    async def cors_headers(request: Request, reply: HTTPResponse) -> None:
        origin = allowed_origin(request)
        reply.headers["Vary"] = "Origin"
        if origin:
            reply.headers.update({"Access-Control-Allow-Origin": origin, **CORS})

    async def ask_rasa(request: Request, sender: str, text: str) -> HTTPResponse:
        url = f"{settings.rasa_url}/webhooks/rest/webhook"
        # The client's address, hashed, for the limits applied in the conversation (tries of
        # booking references): never the address itself in the tracker store.
        metadata = {"client": throttle.hashed(client(request))}
        try:
            async with (
                request.app.ctx.rasa_turns,
                request.app.ctx.rasa.post(
                    url, json={"sender": sender, "message": text, "metadata": metadata}
                ) as reply,
            ):
                if reply.status != 200:
                    return _error(
                        "L'assistant n'a pas pu répondre. Réessayez dans un instant.", 502
                    )
                messages = page_messages(await reply.json(content_type=None))
        except (aiohttp.ClientError, TimeoutError, ValueError):
            return _error(UNAVAILABLE, 503)
        return response.json({"messages": messages})

    @api.route("/messages", methods=["POST", "OPTIONS"])
    async def send_message(request: Request) -> HTTPResponse:
        try:
            incoming = parse_message(request.body)
        except InvalidMessage as invalid:
            return _error(str(invalid), invalid.status)
        if incoming.text == GREETING and await blocking(form_in_progress, tracker, incoming.sender):
            # Never greet into a form: the greeting would be read as the answer. Ask again.
            pending = pending_turn(await blocking(transcript, tracker, incoming.sender))
            shown = [{"text": m["text"], "buttons": m["buttons"]} for m in _shown(pending)]
            return response.json({"messages": shown})
        reply = await ask_rasa(request, incoming.sender, incoming.text)
        # In a live chat (the assistant paused, `bot.handoff`): the silence starts again and
        # the team member's page shows the message.
        chat = await blocking(live.handoff.merchant_wrote, incoming.sender, settings.clock())
        if chat is not None:
            await live.changed(chat)
        return reply

    @api.route("/conversations/<sender:str>", methods=["GET", "OPTIONS"])
    async def conversation(request: Request, sender: str) -> HTTPResponse:
        if not UNGUESSABLE.match(sender):
            return _error("Identifiant de conversation invalide.", 400)
        lines, cursor = await blocking(lines_after, tracker, sender)
        form = await blocking(form_in_progress, tracker, sender)
        chat = await live.on_time(await blocking(current_chat, live.handoff.sessions, sender))
        return response.json(
            {
                "messages": _shown(lines),
                "form_in_progress": form is not None,
                # The live chat (`bot/web/live.py`): its state, and where its stream starts.
                "live": chat_state(chat),
                "cursor": cursor,
            }
        )

    def body_and_sender(request: Request) -> tuple[Any, str | None]:
        """The request's JSON (None when broken) and its conversation id, if unguessable."""
        try:
            body = request.json
        except Exception:  # Sanic raises its own InvalidUsage on broken JSON
            body = None
        sender = body.get("sender") if isinstance(body, dict) else None
        valid = isinstance(sender, str) and UNGUESSABLE.match(sender)
        return body, sender if valid else None

    register_widget(api, settings, lambda s: bool(UNGUESSABLE.match(s)), body_and_sender, limits)

    @api.route("/contact", methods=["POST", "OPTIONS"])
    async def contact(request: Request) -> HTTPResponse:
        body, sender = body_and_sender(request)
        if sender is None:
            return _error("Identifiant de conversation invalide.", 400)
        try:
            asked = parse_contact_request(body)
        except InvalidRequest as invalid:
            return _error("Vérifiez le formulaire.", 400, fields=invalid.errors)
        if not (
            await blocking(limits.hit, throttle.CONTACTS_PER_CONVERSATION, sender)
            and await blocking(limits.hit, throttle.MAILS_PER_CLIENT, client(request))
        ):
            return refused(TOO_MANY_CONTACTS)
        database = sessions_of(settings)
        moment = settings.clock()
        await blocking(
            save_contact_request, database, sender, asked.name, asked.email, asked.phone,
            asked.message, moment,
        )  # fmt: skip
        if settings.team_email:  # after the commit; a failed mail never fails the request
            mail = mail_settings(settings)
            team = message(mail, settings.team_email, *contact_team_mail(settings.workspace_base))
            try:
                await blocking(send, mail, team)
            except Exception as error:
                log.error("team e-mail (contact request) not sent: %s", type(error).__name__)
        text = contact_confirmation(asked, settings.first_contact_days)
        return response.json({"message": text}, status=201)

    @api.route("/transcript", methods=["POST", "OPTIONS"])
    async def send_transcript(request: Request) -> HTTPResponse:
        body, sender = body_and_sender(request)
        if sender is None:
            return _error("Identifiant de conversation invalide.", 400)
        try:
            email, code = parse_transcript_request(body)
        except InvalidRequest as invalid:
            return _error("Vérifiez l'adresse courriel.", 400, fields=invalid.errors)
        lines = await blocking(transcript, tracker, sender)
        if not lines:
            return _error("Cette conversation est vide : rien à envoyer.", 404)
        mail = mail_settings(settings)
        try:
            own = await blocking(conversation_email, sessions_of(settings), sender)
            proven = (own or "").lower() == email.lower() or await blocking(
                address_proof.is_proven, limits, sender, email
            )
            if not proven and code is not None:
                if not await blocking(address_proof.check_code, limits, sender, email, code):
                    return _error(WRONG_CODE, 400, fields={"code": WRONG_CODE})
                proven = True
            if not await blocking(limits.hit, throttle.MAILS_PER_CLIENT, client(request)):
                return refused(TOO_MANY_TRANSCRIPTS)
            if not proven:  # prove the address first: a code, and nothing else, is sent there
                if not (
                    await blocking(limits.hit, throttle.TRANSCRIPT_CODES_PER_CONVERSATION, sender)
                    and await blocking(limits.hit, throttle.TRANSCRIPT_CODES_PER_ADDRESS, email)
                ):
                    return refused(TOO_MANY_CODES)
                sent = await blocking(address_proof.issue_code, limits, sender, email)
                await blocking(send, mail, message(mail, email, *transcript_code_mail(sent)))
                return response.json(
                    {
                        "message": f"Pour protéger cette adresse, un code vient d'être envoyé à "
                        f"{email}. Écrivez-le ci-dessous pour recevoir la conversation.",
                        "code_required": True,
                    },
                    status=202,
                )
            if not (
                await blocking(limits.hit, throttle.TRANSCRIPTS_PER_CONVERSATION, sender)
                and await blocking(limits.hit, throttle.TRANSCRIPTS_PER_ADDRESS, email)
            ):
                return refused(TOO_MANY_TRANSCRIPTS)
            composed = transcript_mail(lines, settings.program_website, settings.site_url)
            await blocking(send, mail, message(mail, email, *composed))
        except Exception as error:
            log.error("transcript e-mail not sent: %s", type(error).__name__)
            return _error("Le courriel n'a pas pu être envoyé. Réessayez dans un instant.", 503)
        return response.json({"message": f"C'est envoyé à {email}."})

    return api
