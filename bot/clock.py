"""The one clock: what time it is for the product and for its tests (standard library only).

Code below the entry points never reads the system time itself: it takes a `Clock` (or a `now`)
from its caller. The product's clock is `clock_of(settings.frozen_clock)`: the system time, or
the fixed moment of FROZEN_CLOCK that the end-to-end tests use to make scheduling reproducible.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

Clock = Callable[[], datetime]


def system_now() -> datetime:
    """The system's time, in UTC: the clock of the product in service."""
    return datetime.now(timezone.utc)


def fixed(moment: datetime) -> Clock:
    """A clock that always says `moment` (aware)."""
    if moment.tzinfo is None:
        raise ValueError("a fixed clock needs an aware moment")
    return lambda: moment


def clock_of(frozen: datetime | None) -> Clock:
    """The product's clock: `frozen` when set (FROZEN_CLOCK), else the system's."""
    return fixed(frozen) if frozen else system_now
