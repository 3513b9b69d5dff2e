"""The advisors' sessions: the coming ones as a list (with those of the last 30 days, to mark
held or no-show: `attendance`) or a week (Monday to Friday), and moving or cancelling one
through the chat's own scheduler (`bot.booking.Scheduler`: the same invitations, same UID,
SEQUENCE + 1, METHOD:CANCEL), with a line in the lead's history written in the change's own
transaction. Another advisor's session gets a page that says whose it is (403)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot import attendance
from bot.booking import Appointment, Scheduler, SlotTaken, Trace, UnknownBooking, scheduler_for
from bot.pack import current_pack
from bot.scheduling import TIMEZONE
from bot.scheduling.config import Advisor
from bot.scheduling.invitation import french_date, french_datetime, french_time
from bot.storage import agenda
from bot.storage.agenda import SessionLine
from bot.text import one_line
from bot.web.workspace.attendance import not_yours
from bot.web.workspace.site import HEADERS, PREFIX, Site, viewer_of
from bot.workspace import Viewer

HOME = f"{PREFIX}/rencontres"
REFERENCE = re.compile(
    re.escape(current_pack().identity.reference_prefix) + r"(?:[A-Z2-9]{8}|[A-Z2-9]{6})"
)
GONE = "Cette rencontre n'existe pas, est déjà annulée ou ne vous est pas confiée."
DONE = {
    "deplacee": "La rencontre est déplacée : le commerçant et le conseiller ont reçu "
    "l'invitation mise à jour.",
    "annulee": "La rencontre est annulée : le commerçant et le conseiller ont reçu "
    "l'annulation pour leur calendrier.",
    "tenue": "La rencontre est marquée tenue.",
    "absence": "La rencontre est marquée : absence du commerçant.",
    "defaite": "Le marquage est défait : la rencontre est de nouveau à marquer.",
}
WORK_DAYS = 5  # the week view shows Monday to Friday (and a weekend day only if it has one)


@dataclass(frozen=True)
class Shown:
    """A session as a page shows it."""

    line: SessionLine
    advisor: Advisor | None
    when: str
    hours: str
    coming: bool  # still to come: it can be moved or cancelled
    state: str = ""  # « prévue », « à marquer », « tenue »… (`bot.attendance.state`)
    markable: bool = False  # the viewer can mark it held or no-show now
    undoable: bool = False  # the viewer can undo its mark now


@dataclass(frozen=True)
class Day:
    label: str
    day: date
    sessions: list[Shown]


def _monday(raw: str | None, today: date) -> date:
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        day = today
    return day - timedelta(days=day.weekday())


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), TIMEZONE)


def _shown(line: SessionLine, advisors: dict[str, Advisor], now: datetime, viewer: Viewer) -> Shown:
    hours = f"{french_time(line.starts_at)} – {french_time(line.ends_at)}"
    handles = viewer.handles_session(line.advisor_id)
    return Shown(
        line, advisors.get(line.advisor_id), french_datetime(line.starts_at), hours,
        coming=line.status == attendance.BOOKED and line.starts_at > now,
        state=attendance.state(line.status, line.starts_at, now),
        markable=handles and attendance.may_mark(line.status, line.starts_at, now),
        undoable=handles and attendance.may_undo(line.status, line.marked_at, now),
    )  # fmt: skip


def _week(lines: list[Shown], monday: date) -> list[Day]:
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        found = [s for s in lines if s.line.starts_at.astimezone(TIMEZONE).date() == day]
        if offset < WORK_DAYS or found:
            days.append(Day(french_date(day).removeprefix("le "), day, found))
    return days


def _choices(scheduler: Scheduler, session: SessionLine) -> list[tuple[str, list[tuple[str, str]]]]:
    """The free times to move `session` to, by day: (ISO value, label naming the advisor)."""
    free: dict[datetime, list[str]] = {}
    for slot in scheduler.open_slots():
        free.setdefault(slot.starts_at, []).append(slot.advisor_id)
    days: dict[str, list[tuple[str, str]]] = {}
    for moment in sorted(free):
        ids = free[moment]
        if session.advisor_id in ids:
            who = scheduler.advisors[session.advisor_id].name
        elif len(ids) == 1:
            who = f"{scheduler.advisors[ids[0]].name} (autre conseiller)"
        else:
            who = "un autre conseiller"
        label = f"{french_datetime(moment)}, avec {who}"  # the day too: a closed list shows one
        days.setdefault(french_date(moment.astimezone(TIMEZONE).date()), []).append(
            (moment.isoformat(), label)
        )
    return list(days.items())


REASON_MAX = 300
NO_REASON = "Indiquez le motif : le commerçant le reçoit dans son courriel."


def _reason(request: Request) -> str:
    """The reason typed in the form, on one line (empty when missing)."""
    return one_line((request.form or {}).get("motif", "")).strip()[:REASON_MAX]


def register(workspace: Blueprint, site: Site) -> None:
    @workspace.get("/rencontres")
    async def sessions_calendar(request: Request) -> HTTPResponse:
        viewer, args = viewer_of(request), request.args
        scheduler: Scheduler = await site.blocking(scheduler_for, site.settings)
        advisors, now = scheduler.advisors, scheduler.now()
        chosen = args.get("conseiller", "") if viewer.is_manager else viewer.advisor_id or ""
        chosen = chosen if chosen in advisors else ""
        week = args.get("vue") == "semaine"
        monday = _monday(args.get("semaine"), now.date())
        start, end = (
            (_midnight(monday), _midnight(monday + timedelta(days=7))) if week else (now, None)
        )
        lines = await site.blocking(
            agenda.booked_sessions, site.database, viewer, start, end, chosen
        )
        shown = [_shown(line, advisors, now, viewer) for line in lines]
        past = [] if week else await site.blocking(
            agenda.booked_sessions, site.database, viewer, now - attendance.RECENT, now, chosen,
            True,
        )  # fmt: skip

        def link(**changes: str) -> str:
            kept = {"vue": "semaine" if week else "liste", "semaine": monday.isoformat(),
                    "conseiller": chosen if viewer.is_manager else ""}  # fmt: skip
            query = {k: v for k, v in {**kept, **changes}.items() if v}
            return f"{HOME}?{urlencode(query)}"

        return site.page(
            request, "rencontres.html", week=week, sessions=shown, chosen=chosen,
            past=[_shown(line, advisors, now, viewer) for line in past],
            days=_week(shown, monday) if week else [], monday=monday, advisors=advisors,
            previous=link(semaine=(monday - timedelta(days=7)).isoformat()),
            following=link(semaine=(monday + timedelta(days=7)).isoformat()),
            link=link, done=DONE.get(args.get("fait", ""), ""),
            week_label=f"Semaine du {french_date(monday).removeprefix('le ')}",
        )  # fmt: skip

    async def found(request: Request, reference: str) -> tuple[Scheduler, Shown] | HTTPResponse:
        """The session the viewer asks to change if it is theirs to change and still to come;
        else the page to answer: 403 (another advisor's) or 404 (unknown, cancelled, past)."""
        viewer = viewer_of(request)
        line = None
        if REFERENCE.fullmatch(reference.upper()):
            line = await site.blocking(agenda.find_session, site.database, reference)
        if line is not None and not viewer.handles_session(line.advisor_id):
            return not_yours(site, request, line.advisor_id)
        scheduler: Scheduler = await site.blocking(scheduler_for, site.settings)
        if line is None or line.advisor_id not in scheduler.advisors:
            return site.refused(request, 404, GONE)
        shown = _shown(line, scheduler.advisors, scheduler.now(), viewer)
        return (scheduler, shown) if shown.coming else site.refused(request, 404, GONE)

    async def move_page(
        request: Request, scheduler: Scheduler, shown: Shown, error: str = "", status: int = 200
    ) -> HTTPResponse:
        choices = await site.blocking(_choices, scheduler, shown.line)
        return site.page(request, "rencontres_deplacer.html", status, session=shown,
                         choices=choices, error=error)  # fmt: skip

    def trace(request: Request, line: SessionLine, what: Callable[[Appointment], str]) -> Trace:
        """The change's line in the lead's history (`what` says it), written in the change's
        transaction: both are kept, or neither."""
        viewer = viewer_of(request)

        def write(session: Session, after: Appointment) -> None:
            if line.lead_id is not None:
                agenda.write_session_change(session, viewer, line.lead_id, what(after))

        return write

    def back(done: str) -> HTTPResponse:
        return response.redirect(f"{HOME}?fait={done}", status=303, headers=HEADERS)

    @workspace.get("/rencontres/<reference:str>/deplacer")
    async def sessions_move_form(request: Request, reference: str) -> HTTPResponse:
        if isinstance(target := await found(request, reference), HTTPResponse):
            return target
        return await move_page(request, *target)

    @workspace.post("/rencontres/<reference:str>/deplacer")
    async def sessions_move(request: Request, reference: str) -> HTTPResponse:
        if isinstance(target := await found(request, reference), HTTPResponse):
            return target
        scheduler, shown = target
        try:
            moment = datetime.fromisoformat(request.form.get("moment", ""))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            return await move_page(
                request, scheduler, shown, "Choisissez un des moments libres.", 400
            )
        if not (reason := _reason(request)):
            return await move_page(request, scheduler, shown, NO_REASON, 400)
        moved = trace(request, shown.line, lambda after: (
            f"Rencontre {after.reference} déplacée : {shown.when} → {after.when}, "
            f"avec {after.advisor.name}. Motif : {reason}"))  # fmt: skip
        try:
            await site.blocking(
                scheduler.reschedule, shown.line.reference, moment, None, reason, moved
            )
        except SlotTaken:
            message = "Ce moment n'est plus libre : choisissez-en un autre."
            return await move_page(request, scheduler, shown, message, 409)
        except UnknownBooking:
            return site.refused(request, 404, GONE)
        return back("deplacee")

    @workspace.get("/rencontres/<reference:str>/annuler")
    async def sessions_cancel_form(request: Request, reference: str) -> HTTPResponse:
        if isinstance(target := await found(request, reference), HTTPResponse):
            return target
        return site.page(request, "rencontres_annuler.html", session=target[1])

    async def cancel_page(request: Request, shown: Shown, error: str) -> HTTPResponse:
        return site.page(request, "rencontres_annuler.html", 400, session=shown, error=error)

    @workspace.post("/rencontres/<reference:str>/annuler")
    async def sessions_cancel(request: Request, reference: str) -> HTTPResponse:
        if isinstance(target := await found(request, reference), HTTPResponse):
            return target
        scheduler, shown = target
        if not (reason := _reason(request)):
            return await cancel_page(request, shown, NO_REASON)
        cancelled = trace(request, shown.line, lambda after: (
            f"Rencontre {after.reference} annulée ({shown.when}). Motif : {reason}"))  # fmt: skip
        try:
            await site.blocking(scheduler.cancel, shown.line.reference, reason, cancelled)
        except UnknownBooking:
            return site.refused(request, 404, GONE)
        return back("annulee")
