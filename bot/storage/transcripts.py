"""A conversation's transcript, read from Rasa's tracker store (its `events` table: the same
schema for our SQLite store and Rasa's SQLTrackerStore on PostgreSQL), and what the merchant
typed in an event as SQL folds it for a search (`merchant_text`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, bindparam, create_engine, text
from sqlalchemy.event import listen
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.types import String

from bot.rasa_api import ADVISOR, LIVE, NOTICE
from bot.storage.folding import ACCENTED, PLAIN, fold_for_search, register_sqlite

ANONYMOUS = "anonyme-"  # the id prefix of erased conversations' statistics (bot.privacy.tracker)

SQLITE_TYPED = "numeriqc_typed"


@dataclass(frozen=True)
class Line:
    """One message: who said it ("merchant", "bot", "advisor" or "notice"), what, when, and the
    buttons offered."""

    speaker: str
    text: str
    at: datetime
    buttons: tuple[str, ...] = ()
    payloads: tuple[str, ...] = ()  # what each button sends, in the same order
    # In a live chat (`bot.rasa_api`): a team member ("advisor", `who` says « Sophie,
    # conseillère ») or a notice of the chat itself ("notice") may speak too.
    who: str = ""


def typed_text(data: str | None) -> str | None:
    """What the merchant typed in a `user` event's JSON (the typed button title or yes/no when
    there is one, as the transcript shows it), folded for a search; None if nothing."""
    try:
        found = json.loads(data or "")
    except ValueError:
        return None
    if not isinstance(found, dict):
        return None
    typed = (found.get("metadata") or {}).get("typed") or found.get("text")
    return fold_for_search(str(typed)) if typed else None


class merchant_text(GenericFunction[str]):
    """A `user` event's `data` column read as `typed_text` reads it, in SQL."""

    type = String()
    inherit_cache = True


@compiles(merchant_text, "postgresql")
def _postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    data = f"CAST({compiler.process(element.clauses, **kw)} AS json)"
    said = f"coalesce({data} -> 'metadata' ->> 'typed', {data} ->> 'text')"
    return f"translate(lower({said}), '{ACCENTED}', '{PLAIN}')"


@compiles(merchant_text, "sqlite")
def _sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_TYPED}({compiler.process(element.clauses, **kw)})"


def _sqlite_functions(connection: Any, _record: Any) -> None:
    register_sqlite(connection)
    connection.create_function(SQLITE_TYPED, 1, typed_text, deterministic=True)


@lru_cache(maxsize=4)
def tracker_engine(url: str) -> Engine:
    """The tracker store's engine (on SQLite, with the search's functions)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        listen(engine, "connect", _sqlite_functions)
    return engine


def _events(url: str, conversation_id: str, kinds: tuple[str, ...]) -> list[tuple[str, Any]]:
    """The conversation's events of these kinds, oldest first, as (kind, decoded event); empty
    when the tracker store has no such conversation (or no table yet)."""
    query = text(
        "SELECT type_name, data FROM events WHERE sender_id = :sender "
        "AND type_name IN :kinds ORDER BY id"
    ).bindparams(bindparam("kinds", expanding=True))
    try:
        with tracker_engine(url).connect() as connection:
            rows = connection.execute(query, {"sender": conversation_id, "kinds": kinds}).all()
    except (OperationalError, ProgrammingError):
        return []
    return [(str(kind), json.loads(data)) for kind, data in rows]


def _line(kind: str, event: dict[str, Any]) -> Line:
    """A `user` or `bot` event as a transcript line."""
    buttons = (event.get("data") or {}).get("buttons") or []
    metadata = event.get("metadata") or {}
    typed = metadata.get("typed")  # a typed button title or yes/no
    live = metadata.get(LIVE) if kind == "bot" else None
    speaker = "merchant" if kind == "user" else "bot"
    if isinstance(live, dict) and live.get("kind") in (ADVISOR, NOTICE):
        speaker = str(live["kind"])
    return Line(
        speaker=speaker,
        text=str(typed or event.get("text") or ""),
        at=datetime.fromtimestamp(float(event.get("timestamp") or 0), timezone.utc),
        buttons=tuple(str(b.get("title", "")) for b in buttons if isinstance(b, dict)),
        payloads=tuple(str(b.get("payload", "")) for b in buttons if isinstance(b, dict)),
        who=str(live.get("who") or "") if isinstance(live, dict) else "",
    )


def transcript(url: str, conversation_id: str) -> list[Line]:
    """Every message of the conversation, oldest first (every session, not only the latest);
    empty when the tracker store has no such conversation (or no table yet)."""
    return [_line(kind, event) for kind, event in _events(url, conversation_id, ("user", "bot"))]


def _numbered(url: str, conversation_id: str, after: int) -> list[tuple[int, str, Any]]:
    """The conversation's messages and pauses after the event `after`, with their ids."""
    query = text(
        "SELECT id, type_name, data FROM events WHERE sender_id = :sender AND id > :after "
        "AND type_name IN ('user', 'bot', 'pause') ORDER BY id"
    )
    try:
        with tracker_engine(url).connect() as connection:
            rows = connection.execute(query, {"sender": conversation_id, "after": after}).all()
    except (OperationalError, ProgrammingError):
        return []
    return [(int(i), str(kind), json.loads(data)) for i, kind, data in rows]


def lines_after(
    url: str, conversation_id: str, after: int = 0, live_only: bool = False
) -> tuple[list[Line], int]:
    """The messages after the event `after` (`live_only`: only those the live chat added) and
    the id to read from next time (the live chat's streams follow a conversation by it)."""
    lines, last = [], after
    for number, kind, event in _numbered(url, conversation_id, after):
        last = number
        if kind == "pause" or (live_only and LIVE not in (event.get("metadata") or {})):
            continue
        lines.append(_line(kind, event))
    return lines, last


def question_before_pause(url: str, conversation_id: str) -> list[Line]:
    """The assistant's last turn before the conversation was last paused for a person: what it
    said since the merchant's message before (a form's question, with its buttons)."""
    asked: list[Line] = []
    since_merchant: list[Line] = []
    for _, kind, event in _numbered(url, conversation_id, 0):
        if kind == "pause":
            asked = since_merchant
        elif kind == "user":
            since_merchant = []
        elif _line(kind, event).speaker == "bot":  # the assistant's, or a question repeated
            since_merchant = [*since_merchant, _line(kind, event)]
    return asked


def form_in_progress(url: str, conversation_id: str) -> str | None:
    """The form (Rasa's active loop: intake, diagnostic or booking) waiting for the merchant's
    answer in the conversation's latest session, or None."""
    form = None
    for kind, event in _events(url, conversation_id, ("active_loop", "session_started", "restart")):
        form = event.get("name") if kind == "active_loop" else None
    return str(form) if form else None


def as_seen(lines: list[Line]) -> list[Line]:
    """The lines as the merchant saw them in the chat: a clicked button as its title, and no
    command the page sent by itself (the automatic greeting's "/greet")."""
    seen: list[Line] = []
    titles: dict[str, str] = {}
    for line in lines:
        if line.speaker != "merchant":
            titles = dict(zip(line.payloads, line.buttons, strict=True))
            seen.append(line)
        elif line.text in titles:
            seen.append(replace(line, text=titles[line.text]))
        elif not line.text.startswith("/"):
            seen.append(line)
    return seen
