"""Search in the conversations the workspace shows: what the merchant typed in the conversation
of each lead the viewer may see (`followup.visible_to`: never an erased lead), case and accents
ignored as in the leads search (`bot.storage.folding`), on SQLite and PostgreSQL alike.

The transcripts live in Rasa's tracker store, another database: the leads' conversations are
read from ours first, then searched there by batches. Each lead found comes with an excerpt of
the first message that matches. The bot's own messages are left out: they are the same in every
conversation, so a search would find them everywhere."""

from __future__ import annotations

import json

from sqlalchemy import column, select, table
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.folding import fold_for_search
from bot.storage.followup import visible_to
from bot.storage.models import Lead
from bot.storage.transcripts import merchant_text, tracker_engine
from bot.text import one_line
from bot.workspace import Viewer

BATCH = 500  # conversations per query to the tracker store
MOST = 200  # leads found in conversations, at most (the list shows 25 a page)
AROUND = 50  # characters of the excerpt on each side of what was found
SHORTEST = 3  # fewer folded characters than this: no search in the conversations

EVENTS = table("events", column("id"), column("sender_id"), column("type_name"), column("data"))


def conversations_of_leads(sessions: sessionmaker[Session], viewer: Viewer) -> list[str]:
    """The conversations of the leads `viewer` may see."""
    query = visible_to(select(Lead.conversation_id), viewer).where(Lead.conversation_id != "")
    with sessions() as session:
        return list(session.scalars(query.order_by(Lead.id)))


def excerpt(text: str, found: str) -> str:
    """`text` around the first place `found` (folded) appears, with « … » where it is cut."""
    folded = fold_for_search(text) or ""
    start = max(folded.find(found), 0)
    end = start + len(found)
    left, right = max(start - AROUND, 0), min(end + AROUND, len(text))
    return f"{'…' if left else ''}{text[left:right].strip()}{'…' if right < len(text) else ''}"


def search(tracker_url: str, conversations: list[str], words: str) -> dict[str, str]:
    """The conversations among `conversations` where the merchant typed `words` (case and
    accents ignored), each with an excerpt of the first such message; at most MOST."""
    found_text = fold_for_search(one_line(words)[:100]) or ""
    if len(found_text.strip()) < SHORTEST:
        return {}
    pattern = f"%{found_text}%"
    found: dict[str, str] = {}
    try:
        with tracker_engine(tracker_url).connect() as connection:
            for first in range(0, len(conversations), BATCH):
                batch = conversations[first : first + BATCH]
                rows = connection.execute(
                    select(EVENTS.c.sender_id, EVENTS.c.data)
                    .where(
                        EVENTS.c.sender_id.in_(batch),
                        EVENTS.c.type_name == "user",
                        merchant_text(EVENTS.c.data).like(pattern),
                    )
                    .order_by(EVENTS.c.id)
                )
                for sender, data in rows:
                    said = _said(data)
                    if sender not in found and said and not said.startswith("/"):
                        found[str(sender)] = excerpt(said, found_text)
                        if len(found) >= MOST:
                            return found
    except (OperationalError, ProgrammingError):  # no tracker store (yet): nothing found there
        return found
    return found


def _said(data: str) -> str:
    event = json.loads(data)
    return one_line(str((event.get("metadata") or {}).get("typed") or event.get("text") or ""))


def search_conversations(
    sessions: sessionmaker[Session], tracker_url: str, viewer: Viewer, words: str
) -> dict[str, str]:
    """`search` in the conversations of the leads `viewer` may see."""
    if len((fold_for_search(one_line(words)) or "").strip()) < SHORTEST:
        return {}
    return search(tracker_url, conversations_of_leads(sessions, viewer), words)
