"""One runner of the scheduled jobs across instances: a lease in Redis (`REDIS_URL`) that the
runner holding it renews at each run and that expires when it stops renewing (its machine
died), so another takes over. Without Redis (one machine) every runner holds it. The lease
keeps the work in one place; what guarantees that nothing is done twice is each job's own
claim in the database (reminders, the mail queue), so Redis unreachable → run anyway."""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

log = logging.getLogger(__name__)

KEY = "nq:jobs:lease"
# Renew or give back only one's own lease, atomically.
_IF_OWNER = "if redis.call('get', KEYS[1]) == ARGV[1] then return {} else return 0 end"
_RENEW = _IF_OWNER.format("redis.call('expire', KEYS[1], ARGV[2])")
_RELEASE = _IF_OWNER.format("redis.call('del', KEYS[1])")


class Lease:
    """The scheduled jobs' lease, for one runner."""

    def __init__(self, redis_url: str, seconds: int, owner: str | None = None) -> None:
        self.seconds = seconds
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}"
        self._redis: Any = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(
                redis_url, socket_timeout=1, socket_connect_timeout=1, decode_responses=True
            )
        self._held: bool | None = None

    def held(self) -> bool:
        """Take or renew the lease; whether this runner holds it now."""
        if self._redis is None:
            return True
        try:
            held = bool(
                self._redis.eval(_RENEW, 1, KEY, self.owner, self.seconds)
                or self._redis.set(KEY, self.owner, nx=True, ex=self.seconds)
            )
        except Exception as error:  # Redis down: the database claims keep the jobs single
            log.error("jobs lease unavailable (%s): this runner runs them", type(error).__name__)
            return True
        if held != self._held:
            log.info(
                "scheduled jobs: %s",
                "this runner holds the lease" if held else "another runner holds the lease",
            )
            self._held = held
        return held

    def release(self) -> None:
        """Give the lease back at a clean stop, so another runner takes over at once."""
        if self._redis is not None:
            try:
                self._redis.eval(_RELEASE, 1, KEY, self.owner)
            except Exception as error:
                log.error("jobs lease not released (%s)", type(error).__name__)
