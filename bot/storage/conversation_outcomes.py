"""The facts of every conversation of Rasa's tracker store (`bot.learning.outcomes`), read in
batches and kept in the process until the conversation moves: one grouped query tells which
conversations have new events since the last reading, only those are read again. Erased
conversations (`ANONYMOUS`) are left out. Also which conversations asked for
a person through the chat widget (a live chat or a callback request, in the application
database)."""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from bot.learning.outcomes import CALLBACK, LIVE_CHAT, Facts, read
from bot.storage.models import CallbackRequest, LiveChat
from bot.storage.transcripts import ANONYMOUS, tracker_engine

KINDS = ("user", "bot", "action", "slot", "active_loop", "pause")
BATCH = 500  # conversations read per query
_LATEST = text("SELECT sender_id, MAX(id) FROM events GROUP BY sender_id")
_EVENTS = text(
    "SELECT sender_id, type_name, data FROM events WHERE sender_id IN :senders "
    "AND type_name IN :kinds ORDER BY id"
).bindparams(bindparam("senders", expanding=True), bindparam("kinds", expanding=True))


def _read_events(url: str, senders: list[str]) -> dict[str, list[tuple[str, Any]]]:
    found: dict[str, list[tuple[str, Any]]] = {sender: [] for sender in senders}
    with tracker_engine(url).connect() as connection:
        for start in range(0, len(senders), BATCH):
            batch = {"senders": senders[start : start + BATCH], "kinds": KINDS}
            for sender, kind, data in connection.execute(_EVENTS, batch):
                found[sender].append((str(kind), json.loads(data)))
    return found


class OutcomeCache:
    """Each conversation's facts with the id of its last event read (thread-safe)."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[int, Facts | None]] = {}
        self._lock = threading.Lock()

    def facts(self, url: str) -> list[Facts]:
        """The facts of every conversation where the merchant wrote, not erased."""
        try:
            with tracker_engine(url).connect() as connection:
                latest = {
                    str(sender): int(last)
                    for sender, last in connection.execute(_LATEST)
                    if not str(sender).startswith(ANONYMOUS)
                }
            with self._lock:
                known = {s: self._known[s] for s in latest if s in self._known}
            moved = sorted(s for s, last in latest.items() if known.get(s, (None,))[0] != last)
            fresh = {s: read(s, events) for s, events in _read_events(url, moved).items()}
        except (OperationalError, ProgrammingError):
            return []
        with self._lock:
            for sender, facts in fresh.items():
                known[sender] = (latest[sender], facts)
            self._known = known  # conversations erased since are forgotten
        return [facts for _, facts in known.values() if facts is not None]


@lru_cache(maxsize=4)
def cache_for(url: str) -> OutcomeCache:
    """The process's cache of a tracker store's conversations (shared by the pages)."""
    return OutcomeCache()


def conversation_facts(url: str) -> list[Facts]:
    """The facts of every conversation of the tracker store, through the process's cache."""
    return cache_for(url).facts(url)


def asked_for_person(sessions: sessionmaker[Session]) -> dict[str, str]:
    """The conversations that asked for a person through the widget: a live chat, else a
    callback request."""
    with sessions() as session:
        callbacks = session.scalars(
            select(CallbackRequest.conversation_id).where(
                CallbackRequest.conversation_id.is_not(None)
            )
        ).all()
        live = session.scalars(select(LiveChat.conversation_id)).all()
    found = {str(c): CALLBACK for c in callbacks if c}
    found.update({str(c): LIVE_CHAT for c in live if c})
    return found
