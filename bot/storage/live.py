"""The live queue (`LiveChat`): a merchant waiting for a person in the chat, taken by one team
member, ended. Every change of state is one conditional UPDATE (`… WHERE status = 'waiting'`),
so that two advisors clicking « Prendre » at once, or two instances ending the same wait, leave
one winner on SQLite and PostgreSQL alike, whichever process or host asks. Shared by every
instance through the database: nothing here lives in one process's memory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.live import ENDED, FAILED, HANDED_BACK, HELD, LEFT, SILENCE, UNANSWERED, WAITING
from bot.storage import lead_conversations
from bot.storage.models import (
    Account,
    AuditEntry,
    Business,
    CallbackRequest,
    Lead,
    LiveChat,
    as_utc,
)
from bot.workspace import NotAllowed, Viewer


class AlreadyOpen(Exception):
    """The conversation already waits for, or talks with, a person (`chat_id`)."""

    def __init__(self, chat_id: int) -> None:
        super().__init__(chat_id)
        self.chat_id = chat_id


class Taken(NotAllowed):
    """Someone else took the live chat first (`str()` says who, in French)."""


@dataclass(frozen=True)
class LiveView:
    """A live chat as the pages and the widget show it."""

    id: int
    conversation_id: str
    lead_id: int | None
    business: str | None
    lead_advisor_id: str | None
    name: str
    email: str | None
    phone: str | None
    wish: str
    status: str
    requested_at: datetime
    held_by: int | None
    held_as: str | None
    holder: str | None  # the team member's full name
    taken_at: datetime | None
    active_at: datetime | None
    ended_at: datetime | None
    outcome: str | None
    callback_id: int | None
    resumed_at: datetime | None

    @property
    def open(self) -> bool:
        return self.status != ENDED

    def deadline(self, wait: timedelta, silence: timedelta) -> datetime | None:
        """When the wait or the silence runs out (None once ended)."""
        if self.status == WAITING:
            return self.requested_at + wait
        if self.status == HELD:
            return (self.active_at or self.taken_at or self.requested_at) + silence
        return None


def _changed(session: Session, statement: Any) -> bool:
    """Run a conditional UPDATE: whether it changed a row (the one winner)."""
    return bool(session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]


def _moment(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _query() -> Any:
    return (
        select(LiveChat, Business.name, Lead.advisor_id, Account.name)
        .outerjoin(Lead, (Lead.id == LiveChat.lead_id) & Lead.anonymised_at.is_(None))
        .outerjoin(Business, Business.id == Lead.business_id)
        .outerjoin(Account, Account.id == LiveChat.held_by)
    )


def _view(row: Any) -> LiveView:
    chat, business, advisor_id, holder = row
    return LiveView(
        id=chat.id,
        conversation_id=chat.conversation_id,
        lead_id=chat.lead_id,
        business=business,
        lead_advisor_id=advisor_id,
        name=chat.name,
        email=chat.email,
        phone=chat.phone,
        wish=chat.wish,
        status=chat.status,
        requested_at=as_utc(chat.requested_at),
        held_by=chat.held_by,
        held_as=chat.held_as,
        holder=holder,
        taken_at=_moment(chat.taken_at),
        active_at=_moment(chat.active_at),
        ended_at=_moment(chat.ended_at),
        outcome=chat.outcome,
        callback_id=chat.callback_id,
        resumed_at=_moment(chat.resumed_at),
    )


def _one(session: Session, *conditions: Any) -> LiveView | None:
    row = session.execute(_query().where(*conditions).order_by(LiveChat.id.desc())).first()
    return None if row is None else _view(row)


def get(sessions: sessionmaker[Session], chat_id: int) -> LiveView | None:
    with sessions() as session:
        return _one(session, LiveChat.id == chat_id)


def current(sessions: sessionmaker[Session], conversation_id: str) -> LiveView | None:
    """The conversation's latest live chat, open or ended (None: it never asked for one)."""
    with sessions() as session:
        return _one(session, LiveChat.conversation_id == conversation_id)


def open_chat(sessions: sessionmaker[Session], conversation_id: str) -> LiveView | None:
    """The conversation's live chat waiting or held, if any."""
    with sessions() as session:
        return _one(session, LiveChat.conversation_id == conversation_id, LiveChat.status != ENDED)


def request(
    sessions: sessionmaker[Session],
    conversation_id: str,
    name: str,
    email: str | None,
    phone: str | None,
    wish: str,
    consented_at: datetime,
) -> int:
    """Put the conversation in the live queue (on its lead, if it has one); its id. Raise
    `AlreadyOpen` when it already waits or talks with someone (the database decides)."""
    try:
        with sessions.begin() as session:
            chat = LiveChat(
                conversation_id=conversation_id,
                lead_id=lead_conversations.owner(session, conversation_id),
                name=name, email=email, phone=phone, wish=wish, consented_at=consented_at,
                status=WAITING,
            )  # fmt: skip
            session.add(chat)
            session.flush()
            return chat.id
    except IntegrityError:
        found = open_chat(sessions, conversation_id)
        if found is None:  # ended in between: the caller may ask again
            raise
        raise AlreadyOpen(found.id) from None


def queue(sessions: sessionmaker[Session], viewer: Viewer) -> list[LiveView]:
    """What the team member has to see: the chats waiting (oldest first), then their own."""
    with sessions() as session:
        rows = session.execute(
            _query()
            .where(
                or_(
                    LiveChat.status == WAITING,
                    (LiveChat.status == HELD) & (LiveChat.held_by == viewer.account_id),
                )
            )
            .order_by(LiveChat.requested_at, LiveChat.id)
        ).all()
    return [_view(row) for row in rows]


def waiting_count(sessions: sessionmaker[Session]) -> tuple[int, int | None]:
    """How many chats wait for a person, and the newest one's id."""
    with sessions() as session:
        ids = session.scalars(select(LiveChat.id).where(LiveChat.status == WAITING)).all()
    return len(ids), max(ids, default=None)


def claim(
    sessions: sessionmaker[Session], viewer: Viewer, chat_id: int, shown: str, now: datetime
) -> LiveView:
    """« Prendre »: the team member holds the chat if it still waits (one winner: a conditional
    UPDATE); the reading of the conversation is audited. Raise `Taken` (saying who has it) or
    `LookupError`."""
    with sessions.begin() as session:
        won = _changed(
            session,
            update(LiveChat)
            .where(LiveChat.id == chat_id, LiveChat.status == WAITING)
            .values(status=HELD, held_by=viewer.account_id, held_as=shown, taken_at=now,
                    active_at=now),
        )  # fmt: skip
        found = _one(session, LiveChat.id == chat_id)
        if found is None:
            raise LookupError(chat_id)
        if not won:
            if found.status == HELD and found.held_by == viewer.account_id:
                return found
            if found.status == HELD:
                raise Taken(
                    f"{found.holder or 'Une autre personne'} a déjà pris cette conversation."
                )
            raise Taken("Cette conversation est terminée : le commerçant n'attend plus.")
        session.add(
            AuditEntry(
                account_id=viewer.account_id, action="conversation en direct", lead_id=found.lead_id
            )
        )
        return found


def held_by(sessions: sessionmaker[Session], viewer: Viewer, chat_id: int) -> LiveView:
    """The chat, if the team member holds it now; raise `NotAllowed` or `LookupError`."""
    found = get(sessions, chat_id)
    if found is None:
        raise LookupError(chat_id)
    if found.status != HELD or found.held_by != viewer.account_id:
        raise NotAllowed("Cette conversation n'est pas ou plus la vôtre.")
    return found


def _end(
    sessions: sessionmaker[Session], chat_id: int, outcome: str, now: datetime, *conditions: Any
) -> LiveView | None:
    """End the chat if `conditions` still hold (a conditional UPDATE); None when they did not.
    Nobody having taken it, the contact given becomes a callback request, in the same
    transaction."""
    with sessions.begin() as session:
        won = _changed(
            session,
            update(LiveChat)
            .where(LiveChat.id == chat_id, *conditions)
            .values(status=ENDED, outcome=outcome, ended_at=now),
        )
        if not won:
            return None
        chat = session.get_one(LiveChat, chat_id)
        if outcome == UNANSWERED:
            callback = CallbackRequest(
                lead_id=chat.lead_id, conversation_id=chat.conversation_id, name=chat.name,
                email=chat.email, phone=chat.phone, wish=chat.wish,
                consented_at=chat.consented_at,
            )  # fmt: skip
            session.add(callback)
            session.flush()
            chat.callback_id = callback.id
        if outcome == FAILED:  # the assistant was never paused: nothing to give back
            chat.resumed_at = now
        session.flush()
        return _one(session, LiveChat.id == chat_id)


def hand_back(
    sessions: sessionmaker[Session], viewer: Viewer, chat_id: int, now: datetime
) -> LiveView | None:
    """The holder gives the conversation back to the assistant (None: not theirs any more)."""
    return _end(
        sessions, chat_id, HANDED_BACK, now,
        LiveChat.status == HELD, LiveChat.held_by == viewer.account_id,
    )  # fmt: skip


def end_unanswered(
    sessions: sessionmaker[Session], chat_id: int, now: datetime, wait: timedelta
) -> LiveView | None:
    """Nobody took it within `wait`: a callback request (None: taken or ended meanwhile)."""
    return _end(
        sessions, chat_id, UNANSWERED, now,
        LiveChat.status == WAITING, LiveChat.requested_at <= now - wait,
    )  # fmt: skip


def end_silent(
    sessions: sessionmaker[Session], chat_id: int, now: datetime, silence: timedelta
) -> LiveView | None:
    """No message either way for `silence`: back to the assistant."""
    return _end(
        sessions, chat_id, SILENCE, now,
        LiveChat.status == HELD, LiveChat.active_at <= now - silence,
    )  # fmt: skip


def end_left(sessions: sessionmaker[Session], chat_id: int, now: datetime) -> LiveView | None:
    """The merchant started a new conversation: this one no longer waits for anyone."""
    return _end(sessions, chat_id, LEFT, now, LiveChat.status != ENDED)


def end_failed(sessions: sessionmaker[Session], chat_id: int, now: datetime) -> LiveView | None:
    """The assistant could not be paused: the request did not start."""
    return _end(sessions, chat_id, FAILED, now, LiveChat.status != ENDED)


def touch(sessions: sessionmaker[Session], conversation_id: str, now: datetime) -> LiveView | None:
    """A message either way in the conversation: the silence starts again; the open chat, or
    None when the conversation is not live."""
    with sessions.begin() as session:
        session.execute(
            update(LiveChat)
            .where(LiveChat.conversation_id == conversation_id, LiveChat.status == HELD)
            .values(active_at=now)
            .execution_options(synchronize_session=False)
        )
        return _one(session, LiveChat.conversation_id == conversation_id, LiveChat.status != ENDED)


def due(
    sessions: sessionmaker[Session], now: datetime, wait: timedelta, silence: timedelta
) -> list[int]:
    """The chats whose wait or silence has run out, and the ended ones the assistant was not
    yet given back (its id, oldest first)."""
    with sessions() as session:
        return list(
            session.scalars(
                select(LiveChat.id)
                .where(
                    or_(
                        (LiveChat.status == WAITING) & (LiveChat.requested_at <= now - wait),
                        (LiveChat.status == HELD) & (LiveChat.active_at <= now - silence),
                        (LiveChat.status == ENDED) & LiveChat.resumed_at.is_(None),
                    )
                )
                .order_by(LiveChat.id)
            )
        )


def claim_resume(sessions: sessionmaker[Session], chat_id: int, now: datetime) -> LiveView | None:
    """The right to give the ended chat back to the assistant, once (None: someone has it)."""
    with sessions.begin() as session:
        won = _changed(
            session,
            update(LiveChat)
            .where(LiveChat.id == chat_id, LiveChat.status == ENDED, LiveChat.resumed_at.is_(None))
            .values(resumed_at=now),
        )
        return _one(session, LiveChat.id == chat_id) if won else None


def release_resume(sessions: sessionmaker[Session], chat_id: int) -> None:
    """Telling the assistant failed: the scheduled job will try again."""
    with sessions.begin() as session:
        session.execute(
            update(LiveChat)
            .where(LiveChat.id == chat_id)
            .values(resumed_at=None)
            .execution_options(synchronize_session=False)
        )
