"""Typed booking turns in context, through a running product: each turn's merchant is brought
to its context (after the diagnostic's offer, a new request, times shown, a time proposed), types
the turn, and the bot's reply is judged by what the merchant meant (`tests/nlu/README.md`).
The figure `booking_turns` of config/quality.yml, measured on a product whose clock is frozen on
the set's reference moment (Monday 23 November 2026, 10 h) and whose calendar is empty: by
`tests/e2e/test_booking_turns.py` on the model in service, by `bot.learning.measure` on a
candidate."""

from __future__ import annotations

import contextlib
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from bot.learning.chat import Chat, diagnose, diagnostic_answers, eligible
from bot.learning.responses import Responses
from bot.pack import current_pack
from bot.scheduling import TIMEZONE
from bot.scheduling.invitation import french_date
from bot.settings import ROOT, Settings
from bot.storage.bookings import cancel
from bot.storage.database import sessions_for

TURNS = ROOT / "tests" / "nlu" / "booking_turns.yml"  # the folded set (never trained on)
PROPOSED = "2026-11-30T13:00:00-05:00"  # « Rencontre proposée : le lundi 30 novembre à 13 h »
ASK_WHEN = "utter_ask_booking_when"
CONFIRM = "utter_ask_booking_confirm"
BOOKING = re.compile(r"^utter_(ask_)?booking_")
NOT_UNDERSTOOD = {
    "utter_form_retry",
    "utter_form_help",
    "utter_ask_rephrase",
    "utter_fallback_options",
}
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre")  # fmt: skip
_PROPOSAL = re.compile(rf"le \w+ (\d+|1er) ({'|'.join(_MONTHS)}) à (\d+) h(?: (\d\d))?")


def load(path: Path = TURNS) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass
class Reply:
    names: list[str]
    texts: list[str]
    offered: list[datetime]  # the times proposed as buttons
    proposed: datetime | None  # the time asked to confirm

    @property
    def text(self) -> str:
        return " ".join(self.texts)


def _moment(match: re.Match[str]) -> datetime:
    day = 1 if match.group(1) == "1er" else int(match.group(1))
    month = _MONTHS.index(match.group(2)) + 1
    year = 2026 if month >= 11 else 2027
    return datetime(
        year, month, day, int(match.group(3)), int(match.group(4) or 0), tzinfo=TIMEZONE
    )


def reply_of(chat: Chat, names: list[str]) -> Reply:
    offered = []
    for message in chat.last:
        for button in message.get("buttons") or []:
            with contextlib.suppress(ValueError):
                offered.append(datetime.fromisoformat(button["payload"]).astimezone(TIMEZONE))
    proposed = None
    if CONFIRM in names:
        found = _PROPOSAL.search(chat.last[names.index(CONFIRM)]["text"])
        proposed = _moment(found) if found else None
    return Reply(names, [m.get("text") or "" for m in chat.last], offered, proposed)


def _hours(turn: dict[str, Any]) -> tuple[time, time] | None:
    if not turn.get("hours"):
        return None
    start, end = (time.fromisoformat(t) for t in str(turn["hours"]).split("-"))
    return start, end


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _in_hours(moment: datetime, hours: tuple[time, time] | None) -> bool:
    return hours is None or hours[0] <= moment.time() < hours[1]


def _names_day(reply: Reply, day: date) -> bool:
    return french_date(day).removeprefix("le ").lower() in reply.text.lower()


def judged(turn: dict[str, Any], reply: Reply, shown: list[datetime]) -> bool:
    """Whether the reply does what the merchant meant (see the set's header)."""
    expect, names = turn["expect"], reply.names
    if turn.get("past"):
        return "utter_booking_past" in names and _names_day(
            reply, _day(turn.get("day") or str(turn.get("at"))[:10])
        )
    if turn.get("beyond"):
        return "utter_booking_beyond" in names and _names_day(
            reply, _day(turn.get("day") or str(turn.get("at"))[:10])
        )
    if expect == "exact":
        at = datetime.fromisoformat(str(turn["at"])).replace(tzinfo=TIMEZONE)
        return reply.proposed == at or (
            "utter_booking_closest" in names
            and _names_day(reply, at.date())
            and f"à {at.hour} h" in reply.text
        )
    if expect == "day":
        day, hours = _day(turn["day"]), _hours(turn)
        if reply.proposed is not None:
            return reply.proposed.date() == day and _in_hours(reply.proposed, hours)
        if "utter_booking_nothing_then" in names:
            return _names_day(reply, day)
        return (
            "utter_booking_matching" in names
            and _names_day(reply, day)
            and all(t.date() == day and _in_hours(t, hours) for t in reply.offered)
        )
    if expect == "range":
        start, end, hours = _day(turn["from"]), _day(turn["to"]), _hours(turn)
        excluded = set(turn.get("not") or [])
        if "utter_booking_nothing_then" in names:
            return True
        return (
            "utter_booking_matching" in names
            and bool(reply.offered)
            and all(
                start <= t.date() < end and _in_hours(t, hours) and t.weekday() not in excluded
                for t in reply.offered
            )
        )
    if expect == "ambiguous":
        days = [_day(d) for d in turn["days"]]
        return "utter_ask_booking_day" in names and all(_names_day(reply, d) for d in days)
    if expect == "accept":
        return "utter_booking_done" in names
    if expect in ("refuse", "next_free"):
        return ASK_WHEN in names and "utter_booking_done" not in names and bool(reply.offered)
    if expect == "later":
        return ASK_WHEN in names and bool(reply.offered) and min(reply.offered) > max(shown)
    if expect == "first_shown":
        return reply.proposed is not None and reply.proposed == min(shown)
    if expect == "decline":
        return not (set(names) & NOT_UNDERSTOOD) and ASK_WHEN not in names and CONFIRM not in names
    if expect == "format":
        words = {"in_person": "en personne", "video": "vidéoconférence"}[turn["format"]]
        # times or a time in that format, or a yes to a proposal already in it: booked so
        return bool({ASK_WHEN, CONFIRM, "utter_booking_done"} & set(names)) and words in reply.text
    if expect == "other":
        first = names[0] if names else ""
        return not BOOKING.match(first) and first not in NOT_UNDERSTOOD
    raise ValueError(f"unknown expect {expect!r}")


def play(stack: Settings, responses: Responses, turn: dict[str, Any]) -> tuple[bool, Reply]:
    """Bring a new merchant to the turn's context, type the turn; (judged right, reply)."""
    chat = Chat(stack, responses)
    eligible(chat, f"tour-{uuid.uuid4().hex[:8]}@exemple.com")
    shown: list[datetime] = []
    context = turn["context"]
    if context == "after_diagnostic":
        diagnose(chat, diagnostic_answers())
        assert chat.say("oui") == ["utter_diagnostic_saved"], chat.last
    elif context in ("times_shown", "proposed"):
        assert chat.say("/request_booking")[-1] == ASK_WHEN, chat.last
        shown = reply_of(chat, []).offered
        if context == "proposed":
            assert chat.say(PROPOSED) == [CONFIRM], chat.last
    reply = reply_of(chat, chat.say(turn["text"]))
    found = re.search(
        rf"{re.escape(current_pack().identity.reference_prefix)}[A-Z2-9]{{8}}\b", reply.text
    )
    if found:  # the calendar as it was for the next merchant
        cancel(sessions_for(stack.database_url), found.group(0))
    return judged(turn, reply, shown), reply


Missed = tuple[str, str, list[str], list[str]]  # context, turn, responses got, first text


@dataclass(frozen=True)
class TurnsScore:
    """How many turns were understood as meant, and the misses."""

    total: int
    misses: list[Missed]

    @property
    def accuracy(self) -> float:
        return 1 - len(self.misses) / self.total if self.total else 0.0


def understood(stack: Settings, responses: Responses, turns: list[dict[str, Any]]) -> TurnsScore:
    """Play every turn, one new merchant each, on `stack` (its calendar empty, its clock frozen
    on the reference moment: each booking a turn makes is cancelled after it)."""
    misses = []
    for turn in turns:
        right, reply = play(stack, responses, turn)
        if not right:
            misses.append((turn["context"], turn["text"], reply.names, reply.texts[:1]))
    return TurnsScore(len(turns), misses)
