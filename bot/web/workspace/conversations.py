"""« Conversations » (managers only: conversations hold personal data, and those of merchants who
are nobody's lead too): every conversation of the tracker store with what happened in it
(`bot.learning.outcomes`), newest first, filtered by outcome, period, tag and review; a
conversation's transcript (each reading audited), its free tags and « revue »."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot.learning.outcomes import LABELS, Facts, describe
from bot.learning.review_tags import TAG_MAX, BadTag
from bot.scheduling import TIMEZONE
from bot.storage import conversation_reviews as reviews
from bot.storage.conversation_outcomes import asked_for_person, conversation_facts
from bot.storage.conversation_reviews import Review
from bot.storage.transcripts import ANONYMOUS, as_seen, transcript
from bot.web.workspace.analytics import MANAGERS_ONLY
from bot.web.workspace.site import HEADERS, PREFIX, Site, page_number, viewer_of

PAGE_SIZE = 25
ID_MAX = 255
NOT_FOUND = "Cette conversation n'existe pas ou a été effacée."
BAD_DAY = "Date invalide : choisissez un jour (AAAA-MM-JJ)."
READING = "lecture de conversation"


@dataclass(frozen=True)
class Filters:
    outcome: str = ""
    since: date | None = None
    until: date | None = None
    tag: str = ""
    reviewed: str = ""  # "oui", "non" or "" (all)
    page: int = 1

    def query(self) -> str:
        values = {
            "resultat": self.outcome,
            "depuis": self.since.isoformat() if self.since else "",
            "jusqu": self.until.isoformat() if self.until else "",
            "etiquette": self.tag,
            "revue": self.reviewed,
        }
        return urlencode({name: value for name, value in values.items() if value})


@dataclass(frozen=True)
class Row:
    facts: Facts
    main: str
    outcomes: list[str]
    review: Review


@dataclass(frozen=True)
class Listing:
    rows: list[Row]
    total: int
    page: int
    pages: int


def _arg(args: Mapping[str, Any], name: str) -> str:
    value = args.get(name)
    return str((value[0] if isinstance(value, list) else value) or "").strip()


def filters_from(args: Mapping[str, Any]) -> Filters:
    """The filters of a query string; ValueError (`BAD_DAY`) for a date that is not one."""
    days = []
    for name in ("depuis", "jusqu"):
        raw = _arg(args, name)
        try:
            days.append(date.fromisoformat(raw) if raw else None)
        except ValueError:
            raise ValueError(BAD_DAY) from None
    outcome = _arg(args, "resultat")
    reviewed = _arg(args, "revue")
    return Filters(
        outcome=outcome if outcome in LABELS else "",
        since=days[0],
        until=days[1],
        tag=_arg(args, "etiquette")[:TAG_MAX].lower(),
        reviewed=reviewed if reviewed in ("oui", "non") else "",
        page=page_number(_arg(args, "page")),
    )


def day_of(moment: datetime) -> date:
    return moment.astimezone(TIMEZONE).date()


def listing(
    facts: list[Facts],
    marks: dict[str, Review],
    asked: dict[str, str],
    filters: Filters,
    now: datetime,
) -> Listing:
    """The conversations that pass `filters`, newest first, one page of them."""
    rows = []
    for one in sorted(facts, key=lambda f: (f.started_at, f.conversation_id), reverse=True):
        review = marks.get(one.conversation_id, Review())
        person = asked.get(one.conversation_id)
        codes = one.outcomes(now, person)
        started = day_of(one.started_at)
        if (
            (filters.outcome and filters.outcome not in codes)
            or (filters.since and started < filters.since)
            or (filters.until and started > filters.until)
            or (filters.tag and filters.tag not in review.tags)
            or (filters.reviewed == "oui" and review.reviewed_at is None)
            or (filters.reviewed == "non" and review.reviewed_at is not None)
        ):
            continue
        main = LABELS[codes[0]] if codes else "Formulaire en cours"
        rows.append(Row(one, main, describe(one, now, person), review))
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    page = min(max(filters.page, 1), pages)
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return Listing(shown, len(rows), page, pages)


def conversation_link(conversation_id: str) -> str:
    return f"{PREFIX}/conversations/{quote(conversation_id, safe='')}"


def register(workspace: Blueprint, site: Site) -> None:
    def everything() -> tuple[list[Facts], dict[str, Review], dict[str, str], list[str]]:
        return (
            conversation_facts(site.settings.tracker_url),
            reviews.reviews(site.database),
            asked_for_person(site.database),
            reviews.known_tags(site.database),
        )

    @workspace.get("/conversations")
    async def conversations(request: Request) -> HTTPResponse:
        if not viewer_of(request).is_manager:
            return site.refused(request, 403, MANAGERS_ONLY)
        try:
            filters = filters_from(request.args)
        except ValueError as bad:
            return site.refused(request, 400, str(bad))
        facts, marks, asked, tags = await site.blocking(everything)
        found = listing(facts, marks, asked, filters, site.settings.clock())
        query = filters.query()
        return site.page(
            request, "conversations.html", found=found, filters=filters, labels=LABELS,
            tags=tags, query=query, link=conversation_link,
            back=f"{PREFIX}/conversations?{query}{'&' if query else ''}page={found.page}",
            page_link=lambda n: f"{PREFIX}/conversations?{query}{'&' if query else ''}page={n}",
        )  # fmt: skip

    async def conversation_page(
        request: Request, conversation_id: str, error: str = "", status: int = 200
    ) -> HTTPResponse:
        viewer = viewer_of(request)
        if not viewer.is_manager:
            return site.refused(request, 403, MANAGERS_ONLY)
        if len(conversation_id) > ID_MAX or conversation_id.startswith(ANONYMOUS):
            return site.refused(request, 404, NOT_FOUND)
        lines = await site.blocking(transcript, site.settings.tracker_url, conversation_id)
        if not lines:
            return site.refused(request, 404, NOT_FOUND)
        await site.blocking(
            reviews.record_reading, site.database, viewer.account_id, conversation_id, READING
        )
        review = await site.blocking(reviews.review_of, site.database, conversation_id)
        tags = await site.blocking(reviews.known_tags, site.database)
        back = request.args.get("retour", "")
        return site.page(
            request, "conversation.html", status, conversation_id=conversation_id,
            lines=as_seen(lines), review=review, tags=tags, error=error, tag_max=TAG_MAX,
            link=conversation_link(conversation_id),
            back=back if back.startswith(f"{PREFIX}/conversations") else "",
        )  # fmt: skip

    @workspace.get("/conversations/<conversation_id:str>")
    async def conversation(request: Request, conversation_id: str) -> HTTPResponse:
        return await conversation_page(request, conversation_id)

    async def exists(conversation_id: str) -> bool:
        """A conversation of the tracker store, not erased."""
        if len(conversation_id) > ID_MAX or conversation_id.startswith(ANONYMOUS):
            return False
        return bool(await site.blocking(transcript, site.settings.tracker_url, conversation_id))

    async def refusal(request: Request, conversation_id: str) -> HTTPResponse | None:
        """The refusal of a change to a conversation: managers only, on one that exists."""
        if not viewer_of(request).is_manager:
            return site.refused(request, 403, MANAGERS_ONLY)
        if not await exists(conversation_id):
            return site.refused(request, 404, NOT_FOUND)
        return None

    def done(request: Request, conversation_id: str) -> HTTPResponse:
        back = str(request.form.get("retour") or "")
        if not back.startswith(f"{PREFIX}/conversations"):
            back = conversation_link(conversation_id)
        return response.redirect(back, status=303, headers=HEADERS)

    @workspace.post("/conversations/<conversation_id:str>/etiquettes")
    async def tag(request: Request, conversation_id: str) -> HTTPResponse:
        if no := await refusal(request, conversation_id):
            return no
        try:
            await site.blocking(
                reviews.add_tag, site.database, conversation_id,
                request.form.get("etiquette", ""), viewer_of(request).account_id,
            )  # fmt: skip
        except BadTag as refused:
            return await conversation_page(request, conversation_id, str(refused), 400)
        return done(request, conversation_id)

    @workspace.post("/conversations/<conversation_id:str>/etiquettes/retirer")
    async def untag(request: Request, conversation_id: str) -> HTTPResponse:
        if not viewer_of(request).is_manager:
            return site.refused(request, 403, MANAGERS_ONLY)
        removed = str(request.form.get("etiquette") or "")
        await site.blocking(reviews.remove_tag, site.database, conversation_id, removed)
        return done(request, conversation_id)

    @workspace.post("/conversations/<conversation_id:str>/revue")
    async def reviewed(request: Request, conversation_id: str) -> HTTPResponse:
        if no := await refusal(request, conversation_id):
            return no
        wanted = request.form.get("revue") != "non"
        reviewer = viewer_of(request).account_id
        await site.blocking(reviews.mark_reviewed, site.database, conversation_id, reviewer, wanted)
        return done(request, conversation_id)
