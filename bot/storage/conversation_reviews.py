"""The team's review of conversations (« Conversations » in the workspace): free tags and
« revue » (by whom, when), per conversation (Rasa's sender id). Erasing a person deletes those of
their conversations (`forget`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.learning.review_tags import TAGS_PER_CONVERSATION, BadTag, clean_tag
from bot.storage import lead_conversations
from bot.storage.models import (
    Account,
    AuditEntry,
    ConversationReview,
    ConversationTag,
    as_utc,
    now_of,
)

SUGGESTED = 30  # existing tags suggested, most used first


@dataclass(frozen=True)
class Review:
    """What the team noted about a conversation."""

    tags: tuple[str, ...] = ()
    reviewed_at: datetime | None = None
    reviewer: str = ""


def reviews(sessions: sessionmaker[Session]) -> dict[str, Review]:
    """Every conversation's tags and review (those with any)."""
    with sessions() as session:
        marked = session.execute(
            select(
                ConversationReview.conversation_id, ConversationReview.reviewed_at, Account.name
            ).outerjoin(Account, Account.id == ConversationReview.reviewed_by)
        ).all()
        tagged = session.execute(
            select(ConversationTag.conversation_id, ConversationTag.tag).order_by(
                ConversationTag.tag
            )
        ).all()
    tags: dict[str, list[str]] = {}
    for conversation, tag in tagged:
        tags.setdefault(conversation, []).append(tag)
    found = {c: Review(tags=tuple(tags.pop(c, ())), reviewed_at=as_utc(at), reviewer=name or "—")
             for c, at, name in marked}  # fmt: skip
    found.update({c: Review(tags=tuple(t)) for c, t in tags.items()})
    return found


def review_of(sessions: sessionmaker[Session], conversation_id: str) -> Review:
    return reviews_of(sessions, [conversation_id]).get(conversation_id, Review())


def reviews_of(sessions: sessionmaker[Session], conversations: Iterable[str]) -> dict[str, Review]:
    wanted = set(conversations)
    return {c: r for c, r in reviews(sessions).items() if c in wanted}


def known_tags(sessions: sessionmaker[Session]) -> list[str]:
    """The tags in use, most used first (then alphabetically), for suggestions."""
    with sessions() as session:
        rows = session.execute(
            select(ConversationTag.tag, func.count()).group_by(ConversationTag.tag)
        ).all()
    counts = Counter({tag: int(n) for tag, n in rows})
    return sorted(counts, key=lambda tag: (-counts[tag], tag))[:SUGGESTED]


def add_tag(
    sessions: sessionmaker[Session], conversation_id: str, raw: str, account_id: int
) -> str:
    """Tag the conversation (once per tag); the tag as stored. `BadTag` (its French reason)
    for a tag refused or one too many."""
    tag = clean_tag(raw)
    with sessions.begin() as session:
        present = set(
            session.scalars(
                select(ConversationTag.tag).where(
                    ConversationTag.conversation_id == conversation_id
                )
            )
        )
        if tag in present:
            return tag
        if len(present) >= TAGS_PER_CONVERSATION:
            raise BadTag(f"Une conversation a au plus {TAGS_PER_CONVERSATION} étiquettes.")
        session.add(ConversationTag(conversation_id=conversation_id, tag=tag, added_by=account_id))
    return tag


def remove_tag(sessions: sessionmaker[Session], conversation_id: str, tag: str) -> None:
    with sessions.begin() as session:
        session.execute(
            delete(ConversationTag).where(
                ConversationTag.conversation_id == conversation_id, ConversationTag.tag == tag
            )
        )


def mark_reviewed(
    sessions: sessionmaker[Session], conversation_id: str, account_id: int, reviewed: bool
) -> None:
    """Mark the conversation « revue » by the account (now, on the sessions' clock), or not."""
    with sessions.begin() as session:
        current = session.scalar(
            select(ConversationReview).where(ConversationReview.conversation_id == conversation_id)
        )
        if not reviewed:
            if current is not None:
                session.delete(current)
        elif current is None:
            session.add(ConversationReview(conversation_id=conversation_id, reviewed_by=account_id))
        else:
            current.reviewed_by, current.reviewed_at = account_id, now_of(session)


def forget(session: Session, conversations: Iterable[str]) -> None:
    """Delete, in `session`'s transaction, the tags and reviews of these conversations."""
    erased = sorted(set(conversations))
    if not erased:
        return
    session.execute(delete(ConversationTag).where(ConversationTag.conversation_id.in_(erased)))
    session.execute(
        delete(ConversationReview).where(ConversationReview.conversation_id.in_(erased))
    )


def record_reading(
    sessions: sessionmaker[Session], account_id: int, conversation_id: str, action: str
) -> None:
    """Write in the audit log that the account read the conversation (on the lead it belongs
    to, if any)."""
    with sessions.begin() as session:
        lead_id = lead_conversations.owner(session, conversation_id)
        session.add(
            AuditEntry(
                account_id=account_id, action=action, lead_id=lead_id,
                detail=f"conversation {conversation_id}"[:300],
            )
        )  # fmt: skip
