"""Wake-ups of the live chat's streams: « something changed in conversation X » (a line, its
state, someone typing) or « the live queue changed ». A signal carries no content: whoever
wakes up reads the database and the tracker store, which hold the truth. So a lost signal
only delays a stream until its next look (every `POLL_SECONDS`), and a signal twice is harmless.

With REDIS_URL (several instances) signals go through Redis pub/sub, so that the advisor
writing on one web app wakes the merchant's stream on another; without it they stay in the
process (the embedded default: one web app). Redis down: the streams fall back to their
periodic look, and the log says so once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

log = logging.getLogger(__name__)

PREFIX = "nq:live:"
QUEUE = "file"  # the channel of the live queue (any chat waiting, taken or ended)
POLL_SECONDS = 2.0  # how long a stream waits for a signal before it looks anyway
# What a signal says happened (the streams only care about typing; the rest means « look »).
CHANGED, MERCHANT_TYPING, ADVISOR_TYPING = "change", "merchant-typing", "advisor-typing"


def conversation_channel(conversation_id: str) -> str:
    return f"c:{conversation_id}"


class Signals:
    """This process's listeners, fed by its own signals and, with Redis, every instance's."""

    def __init__(self, redis_url: str = "") -> None:
        self.redis_url = redis_url
        self.origin = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._listeners: dict[str, set[asyncio.Queue[str]]] = {}
        self._redis: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._failing = False

    def _deliver(self, channel: str, kind: str) -> None:
        for queue in self._listeners.get(channel, ()):
            queue.put_nowait(kind)

    async def publish(self, channel: str, kind: str = CHANGED) -> None:
        """Tell every listener of `channel`, here and (with Redis) on every instance."""
        self._deliver(channel, kind)
        if not self.redis_url:
            return
        try:
            await self._client().publish(f"{PREFIX}{channel}", f"{self.origin}|{kind}")
            self._failing = False
        except Exception as error:
            self._warn(error)

    def _client(self) -> Any:
        if self._redis is None:
            import redis.asyncio

            self._redis = redis.asyncio.Redis.from_url(
                self.redis_url, socket_timeout=1, socket_connect_timeout=1
            )
        return self._redis

    def _warn(self, error: Exception) -> None:
        if not self._failing:
            log.error(
                "live chat signals through Redis unavailable (%s): streams poll every %.0f s",
                type(error).__name__,
                POLL_SECONDS,
            )
        self._failing = True

    async def _read(self) -> None:
        """Feed this process's listeners with the other instances' signals, for ever."""
        while True:
            try:
                pubsub = self._client().pubsub()
                await pubsub.psubscribe(f"{PREFIX}*")
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    channel = message["channel"].decode()[len(PREFIX) :]
                    origin, _, kind = message["data"].decode().partition("|")
                    if origin != self.origin:
                        self._deliver(channel, kind)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self._warn(error)
                await asyncio.sleep(POLL_SECONDS)

    @contextlib.asynccontextmanager
    async def listening(self, *channels: str) -> AsyncIterator[asyncio.Queue[str]]:
        """A queue receiving the signals of `channels` while inside."""
        if self.redis_url and self._reader is None:
            self._reader = asyncio.get_running_loop().create_task(self._read())
        queue: asyncio.Queue[str] = asyncio.Queue()
        for channel in channels:
            self._listeners.setdefault(channel, set()).add(queue)
        try:
            yield queue
        finally:
            for channel in channels:
                listeners = self._listeners.get(channel, set())
                listeners.discard(queue)
                if not listeners:
                    self._listeners.pop(channel, None)


async def next_signals(queue: asyncio.Queue[str], timeout: float = POLL_SECONDS) -> list[str]:
    """The signals received within `timeout` (waiting for the first, then taking all queued);
    empty when none came."""
    try:
        first = await asyncio.wait_for(queue.get(), timeout)
    except asyncio.TimeoutError:
        return []
    found = [first]
    while not queue.empty():
        found.append(queue.get_nowait())
    return found


def publish_now(redis_url: str, channel: str, kind: str = CHANGED) -> None:
    """A signal from a process without an event loop (the scheduled job); nothing without
    Redis (the web app's streams see the change at their next look)."""
    if not redis_url:
        return
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
        client.publish(f"{PREFIX}{channel}", f"jobs|{kind}")
        client.close()
    except Exception as error:
        log.error("live chat signal not sent (%s)", type(error).__name__)
