"""The live chat's wake-ups (`bot/live_signals.py`): in the process, and between two instances
through the real Redis server's pub/sub; Redis unreachable, a signal stays in its process and
nothing fails (the streams look anyway every few seconds)."""

from __future__ import annotations

import asyncio

from bot.live_signals import (
    ADVISOR_TYPING,
    CHANGED,
    QUEUE,
    Signals,
    conversation_channel,
    next_signals,
    publish_now,
)


async def test_a_signal_reaches_the_listeners_of_its_channel_in_the_process() -> None:
    signals = Signals()
    async with (
        signals.listening(conversation_channel("a"), QUEUE) as queue,
        signals.listening(conversation_channel("b")) as other,
    ):
        await signals.publish(conversation_channel("a"), ADVISOR_TYPING)
        await signals.publish(QUEUE)
        assert await next_signals(queue, 1) == [ADVISOR_TYPING, CHANGED]
        assert await next_signals(other, 0.05) == []
    assert signals._listeners == {}  # nothing kept once the streams are gone


async def test_another_instance_wakes_up_through_redis(redis_url: str) -> None:
    here, there = Signals(redis_url), Signals(redis_url)
    async with there.listening(conversation_channel("c")) as queue:
        await asyncio.sleep(0.3)  # subscribed
        await here.publish(conversation_channel("c"), ADVISOR_TYPING)
        assert await next_signals(queue, 5) == [ADVISOR_TYPING]
        publish_now(redis_url, conversation_channel("c"))  # the scheduled job's
        assert await next_signals(queue, 5) == [CHANGED]
        await there.publish(conversation_channel("c"))  # its own: once, not back from Redis
        assert await next_signals(queue, 1) == [CHANGED]
        assert await next_signals(queue, 0.3) == []
    for signals in (here, there):
        if signals._reader:
            signals._reader.cancel()


async def test_redis_unreachable_the_process_still_hears_itself() -> None:
    signals = Signals("redis://127.0.0.1:1/0")
    async with signals.listening(QUEUE) as queue:
        await signals.publish(QUEUE)
        assert await next_signals(queue, 1) == [CHANGED]
    publish_now("redis://127.0.0.1:1/0", QUEUE)  # logged, never raised
    if signals._reader:
        signals._reader.cancel()
