"""Abuse limits on the public surface, shared by every instance: fixed-window counters kept in
Redis (`REDIS_URL`, the production profile) or in this process's memory (the embedded default,
where each limit lives in one process). Subjects (a conversation, a client address, an e-mail
address) are hashed before they are stored or logged. Redis unreachable → the request is let
through and the error logged: a limit never stops the service."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """At most `most` events of `name` for one subject in `seconds`."""

    name: str
    most: int
    seconds: int


HOUR, DAY = 3600, 86400
# The widget's « Recevoir la conversation par courriel ».
TRANSCRIPTS_PER_CONVERSATION = Limit("transcripts_per_conversation", 3, DAY)
TRANSCRIPTS_PER_ADDRESS = Limit("transcripts_per_address", 3, DAY)
TRANSCRIPT_CODES_PER_ADDRESS = Limit("transcript_codes_per_address", 3, DAY)
TRANSCRIPT_CODES_PER_CONVERSATION = Limit("transcript_codes_per_conversation", 3, DAY)
TRANSCRIPT_CODE_TRIES = Limit("transcript_code_tries", 5, HOUR)
# « Parler à une personne ».
CONTACTS_PER_CONVERSATION = Limit("contacts_per_conversation", 3, DAY)
# Every request of the widget's API that mails someone, from one client address.
MAILS_PER_CLIENT = Limit("mails_per_client", 20, HOUR)
# Booking references typed that match no session.
WRONG_REFERENCES_PER_CONVERSATION = Limit("wrong_references_per_conversation", 5, DAY)
WRONG_REFERENCES_PER_CLIENT = Limit("wrong_references_per_client", 20, DAY)
# The rights request's codes, whatever the conversations asking for them.
PRIVACY_CODES_PER_ADDRESS = Limit("privacy_codes_per_address", 6, DAY)
# The workspace's « Mot de passe oublié? »: counted for every address asked, with an account or
# not, so that the limit tells nothing about which addresses have one.
PASSWORD_RESETS_PER_ADDRESS = Limit("password_resets_per_address", 3, HOUR)
PASSWORD_RESETS_PER_CLIENT = Limit("password_resets_per_client", 10, HOUR)
# The workspace's mails to merchants (a lead's « Écrire au commerçant »), per team account.
MERCHANT_MAILS_PER_ACCOUNT = Limit("merchant_mails_per_account", 30, HOUR)


class Store(Protocol):
    """Counters and short-lived values that expire on their own."""

    def add(self, key: str, seconds: int) -> int: ...
    def count(self, key: str) -> int: ...
    def put(self, key: str, value: str, seconds: int) -> None: ...
    def get(self, key: str) -> str | None: ...
    def delete(self, key: str) -> None: ...


class MemoryStore:
    """One process's store (the embedded default)."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._values: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._now = now

    def _live(self, key: str) -> str | None:
        value = self._values.get(key)
        if value is None or value[1] <= self._now():
            self._values.pop(key, None)
            return None
        return value[0]

    def add(self, key: str, seconds: int) -> int:
        with self._lock:
            if len(self._values) > 100_000:  # drop what has expired, now and then
                now = self._now()
                self._values = {k: v for k, v in self._values.items() if v[1] > now}
            current = self._live(key)
            expires = self._values[key][1] if current else self._now() + seconds
            total = int(current or 0) + 1
            self._values[key] = (str(total), expires)
            return total

    def count(self, key: str) -> int:
        with self._lock:
            return int(self._live(key) or 0)

    def put(self, key: str, value: str, seconds: int) -> None:
        with self._lock:
            self._values[key] = (value, self._now() + seconds)

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._live(key)

    def delete(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)


class RedisStore:
    """The store every instance shares."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5, decode_responses=True
        )

    def add(self, key: str, seconds: int) -> int:
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, seconds, nx=True)
        return int(pipe.execute()[0])

    def count(self, key: str) -> int:
        return int(self._redis.get(key) or 0)

    def put(self, key: str, value: str, seconds: int) -> None:
        self._redis.set(key, value, ex=seconds)

    def get(self, key: str) -> str | None:
        value = self._redis.get(key)
        return None if value is None else str(value)

    def delete(self, key: str) -> None:
        self._redis.delete(key)


def hashed(subject: str) -> str:
    """A subject as it is stored and logged: never the address or the e-mail itself."""
    return hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:20]


class Throttle:
    """Counts events against limits in `store`; windows follow `clock` (the product's time)."""

    def __init__(self, store: Store, clock: Callable[[], datetime], prefix: str = "nq") -> None:
        self.store = store
        self._clock = clock
        self._prefix = prefix

    def key(self, kind: str, subject: str, seconds: int = 0) -> str:
        window = f":{int(self._clock().timestamp()) // seconds}" if seconds else ""
        return f"{self._prefix}:{kind}:{hashed(subject)}{window}"

    def _safely(self, do: Callable[[], int], default: int = 0) -> int:
        try:
            return do()
        except Exception as error:  # Redis down or restarting: let the request through
            log.error("abuse limits unavailable (%s): request let through", type(error).__name__)
            return default

    def hit(self, limit: Limit, subject: str) -> bool:
        """Count one event; False (and a log line) when it goes over the limit."""
        key = self.key(limit.name, subject, limit.seconds)
        total = self._safely(lambda: self.store.add(key, limit.seconds))
        if total > limit.most:
            log.warning("abuse limit %s reached (subject %s)", limit.name, hashed(subject)[:8])
            return False
        return True

    def reached(self, limit: Limit, subject: str) -> bool:
        """Whether the limit is already used up, without counting an event."""
        key = self.key(limit.name, subject, limit.seconds)
        reached = self._safely(lambda: self.store.count(key)) >= limit.most
        if reached:
            log.warning("abuse limit %s reached (subject %s)", limit.name, hashed(subject)[:8])
        return reached


@cache
def process_store(redis_url: str) -> Store:
    """One store per process and URL (the action server's)."""
    return open_store(redis_url)


def open_store(redis_url: str) -> Store:
    """The shared store at `redis_url`, or a store in this process's memory ("")."""
    return RedisStore(redis_url) if redis_url else MemoryStore()
