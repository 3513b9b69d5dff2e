"""« Qualité » (managers only): the quality report's charts and tables for a period
(`bot.learning.quality_report`): messages not understood per week, where forms are abandoned,
form completion, the time to a booking, the top missed topics (`bot.storage.missed`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from bot.learning.quality_report import LONGEST_PERIOD, Report, compute, default_period, duration
from bot.scheduling import TIMEZONE
from bot.scheduling.invitation import french_date
from bot.storage import missed
from bot.storage.conversation_outcomes import conversation_facts
from bot.web.workspace.analytics import MANAGERS_ONLY
from bot.web.workspace.site import Site, viewer_of

TOP_TOPICS = 10
BAD_PERIOD = "Période invalide : choisissez deux jours (AAAA-MM-JJ), le premier avant le second."
LONG_PERIOD = "Période trop longue : deux ans au plus."


def period_from(raw_since: str, raw_until: str, now: datetime) -> tuple[date, date]:
    """The period asked for (the default one for a missing end); ValueError with the French
    reason for a date that is not one, an inverted or too long period."""
    since, until = default_period(now)
    try:
        since = date.fromisoformat(raw_since) if raw_since else since
        until = date.fromisoformat(raw_until) if raw_until else until
    except ValueError:
        raise ValueError(BAD_PERIOD) from None
    if since > until:
        raise ValueError(BAD_PERIOD)
    if until - since > LONGEST_PERIOD:
        raise ValueError(LONG_PERIOD)
    return since, until


def day_label(day: date) -> str:
    """« mardi 1er septembre 2026 »."""
    return f"{french_date(day).removeprefix('le ')} {day.year}"


def register(workspace: Blueprint, site: Site) -> None:
    def report(since: date, until: date) -> Report:
        start = datetime.combine(since, time(), TIMEZONE)
        end = datetime.combine(until + timedelta(days=1), time(), TIMEZONE)
        topics = missed.top_topics(site.database, start, end, TOP_TOPICS)
        facts = conversation_facts(site.settings.tracker_url)
        return compute(facts, site.settings.clock(), since, until, topics)

    @workspace.get("/qualite")
    async def quality(request: Request) -> HTTPResponse:
        if not viewer_of(request).is_manager:
            return site.refused(request, 403, MANAGERS_ONLY)
        raw_since = str(request.args.get("depuis") or "").strip()
        raw_until = str(request.args.get("jusqu") or "").strip()
        try:
            since, until = period_from(raw_since, raw_until, site.settings.clock())
        except ValueError as bad:
            return site.refused(request, 400, str(bad))
        found: Report = await site.blocking(report, since, until)
        charts = [figure.as_json() for figure in found.figures]
        return site.page(
            request, "qualite.html", report=found, charts=charts,
            median=duration(found.median_to_booking), since=day_label(found.since),
            until=day_label(found.until),
        )  # fmt: skip
