"""A real socket.io client gets the bot's reply (python-socketio >= 5.10 breaks this in Rasa 3.6)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import socketio

from bot.settings import Settings


async def test_socketio_client_receives_the_reply(stack: Settings) -> None:
    client = socketio.AsyncClient(reconnection=False)
    confirmed = asyncio.Event()
    replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    session_id = uuid.uuid4().hex

    @client.on("session_confirm")
    async def on_confirm(*_: Any) -> None:
        confirmed.set()

    @client.on("bot_uttered")
    async def on_reply(data: dict[str, Any]) -> None:
        await replies.put(data)

    await client.connect(stack.rasa_url, socketio_path="/socket.io", transports=["websocket"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), timeout=10)
        await client.emit("user_uttered", {"message": "c'est combien?", "session_id": session_id})
        reply = await asyncio.wait_for(replies.get(), timeout=15)
    finally:
        await client.disconnect()
    assert reply["text"].startswith("Oui, c'est entièrement gratuit!")
    assert [b["payload"] for b in reply["quick_replies"]] == [
        "/request_eligibility",
        "/faq_eligibility",
        "/faq_coaching",
    ]
