"""Fair assignment: the least-loaded advisor over the coming weeks; ties by round robin."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.scheduling.config import Advisor
from bot.scheduling.slots import Busy, Slot


def choose_slot(
    candidates: Sequence[Slot],
    advisors: Sequence[Advisor],
    busy: Sequence[Busy],
    last_assigned: dict[str, datetime] | None = None,
    sector: str | None = None,
) -> Slot | None:
    """Among slots at the same time, the one whose advisor is least loaded.

    A sector preference in the configuration wins first; then fewer upcoming sessions; then
    the advisor assigned least recently (round robin), then the configuration order.
    """
    if not candidates:
        return None
    load = {a.id: 0 for a in advisors}
    for booking in busy:
        load[booking.advisor_id] = load.get(booking.advisor_id, 0) + 1
    order = {a.id: i for i, a in enumerate(advisors)}
    preferred = {a.id for a in advisors if sector and sector in a.sectors}
    recent = last_assigned or {}
    oldest = datetime.min.replace(tzinfo=candidates[0].starts_at.tzinfo)

    def rank(slot: Slot) -> tuple[int, int, datetime, int]:
        return (
            0 if slot.advisor_id in preferred else 1,
            load.get(slot.advisor_id, 0),
            recent.get(slot.advisor_id, oldest),
            order.get(slot.advisor_id, len(order)),
        )

    return min(candidates, key=rank)
