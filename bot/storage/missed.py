"""The missed-messages inbox: what merchants asked that the assistant missed
(`bot.learning.missed`), masked before it is stored (`bot.learning.masking`), grouped by
similarity (`bot.learning.grouping`), labelled by one team member and approved or refused by
another (four eyes); the approved examples become training data (`approved_examples`).

Only masked text is ever stored here. The scanning job reads the tracker store's new events
since a watermark (the `events` table's id, in `learning_marks`) and re-reads each conversation
they touch (a rejection is known only from the next message; names given later mask earlier
messages too); one row per tracker event, so running it twice stores nothing twice."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, delete, select, text, update
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from bot.learning.examples import check_not_in_test_sets
from bot.learning.grouping import Leader, Leaders
from bot.learning.intents import intent_labels, label_of
from bot.learning.masking import mask, names_of
from bot.learning.missed import Missed, missed_messages, slots_of
from bot.storage.models import (
    Account,
    AuditEntry,
    CallbackRequest,
    LearningMark,
    LiveChat,
    MissedMessage,
    TrackerErasure,
    as_utc,
    now_of,
)
from bot.storage.transcripts import ANONYMOUS, tracker_engine
from bot.text import fold, one_line
from bot.workspace import NotAllowed

TEXT_MAX = 2000  # the chat's own limit; a longer masked text is cut
DRAFT_MAX = 2000
NEW, PROPOSED, APPROVED = "nouveau", "proposé", "approuvé"
STATUSES = {NEW: "À étiqueter", PROPOSED: "À approuver", APPROVED: "Approuvé"}
INTENT, TOPIC, NOISE = "intent", "topic", "noise"
KINDS = {INTENT: "Intention", TOPIC: "Nouveau sujet", NOISE: "Bruit"}
MARK = "missed"
# The journal's words (AuditEntry.action, 40 characters at most).
READ, PROPOSE, APPROVE, REFUSE = (
    "lecture (messages manqués)", "étiquette proposée", "étiquette approuvée",
    "étiquette refusée",
)  # fmt: skip
OWN_PROPOSAL = "Vous avez proposé cette étiquette : une autre personne doit l'approuver."


# --- the scanning job --------------------------------------------------------------------


BATCH = 200  # conversations read per query by the scan


def _tracker_rows(tracker_url: str, query: str, **values: Any) -> list[Any]:
    try:
        with tracker_engine(tracker_url).connect() as connection:
            return list(connection.execute(text(query), values).all())
    except (OperationalError, ProgrammingError):  # no events table yet
        return []


def conversation_events(tracker_url: str, sender: str) -> list[tuple[int, dict[str, Any]]]:
    """A conversation's events, oldest first, as (id, decoded event)."""
    return _events_of(tracker_engine(tracker_url), [sender]).get(sender, [])


def _events_of(engine: Engine, senders: list[str]) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """The events of these conversations, each oldest first, in one query."""
    query = text("SELECT sender_id, id, data FROM events WHERE sender_id IN :senders ORDER BY id")
    query = query.bindparams(bindparam("senders", expanding=True))
    found: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    with engine.connect() as connection:
        for sender, row_id, data in connection.execute(query, {"senders": senders}):
            found.setdefault(sender, []).append((int(row_id), json.loads(data)))
    return found


def _masked(found: Missed, values: dict[str, str]) -> tuple[str, str]:
    masked = one_line(mask(found.text, values))
    if len(masked) > TEXT_MAX:
        masked = masked[: TEXT_MAX - 1] + "…"
    return masked, fold(masked)


def scan(sessions: sessionmaker[Session], tracker_url: str) -> int:
    """Store the missed messages of the conversations with events since the watermark (masked,
    grouped); return how many were new. Conversations waiting for their erasure are skipped.
    Conversations are read `BATCH` at a time, each batch in a few queries."""
    top = _tracker_rows(tracker_url, "SELECT max(id) FROM events")
    if not top or top[0][0] is None:
        return 0
    top_id = int(top[0][0])
    stored = 0
    with sessions.begin() as session:
        mark = session.get(LearningMark, MARK)
        if mark is None:
            mark = LearningMark(name=MARK, event_id=0)
            session.add(mark)
        if mark.event_id >= top_id:
            return 0
        senders = _tracker_rows(
            tracker_url,
            "SELECT DISTINCT sender_id FROM events WHERE id > :after AND id <= :top",
            after=mark.event_id, top=top_id,
        )  # fmt: skip
        erasing = set(
            session.scalars(select(TrackerErasure.sender_id).where(TrackerErasure.scrub.is_(None)))
        )
        read = sorted(
            sender
            for (sender,) in senders
            if not sender.startswith(ANONYMOUS) and sender not in erasing
        )
        leaders = _leaders(session)
        engine = tracker_engine(tracker_url)
        for start in range(0, len(read), BATCH):
            batch = read[start : start + BATCH]
            stored += _store_batch(session, batch, _events_of(engine, batch), leaders)
        mark.event_id = top_id
    return stored


def _leaders(session: Session) -> Leaders:
    """Each group's first message (what a new message is compared with)."""
    firsts = (
        select(MissedMessage.group_id, MissedMessage.folded, MissedMessage.intent)
        .order_by(MissedMessage.id)
    )  # fmt: skip
    leaders = Leaders()
    seen: set[int] = set()
    for group_id, folded, intent in session.execute(firsts):
        if group_id not in seen:
            seen.add(group_id)
            leaders.add(Leader(group_id, folded, intent))
    return leaders


def _given_in_the_widget(session: Session, senders: list[str]) -> dict[str, list[tuple[str, Any]]]:
    """The name, e-mail and phone given in each conversation's « Parler à une personne » (a
    callback request or a live chat), as the slots they would be."""
    given: dict[str, list[tuple[str, Any]]] = {}
    for table in (CallbackRequest, LiveChat):
        query = select(table.conversation_id, table.name, table.email, table.phone).where(
            table.conversation_id.in_(senders)
        )
        for sender, name, email, phone in session.execute(query):
            given.setdefault(sender, []).extend(
                [("contact_name", name), ("email", email), ("phone", phone)]
            )
    return given


def _store_batch(
    session: Session,
    senders: list[str],
    events: dict[str, list[tuple[int, dict[str, Any]]]],
    leaders: Leaders,
) -> int:
    given = _given_in_the_widget(session, senders)
    known: dict[int, MissedMessage] = {
        row.event_id: row
        for row in session.scalars(
            select(MissedMessage).where(MissedMessage.sender_id.in_(senders))
        )
    }
    found = [
        (sender, each)
        for sender in senders
        for each in missed_messages(sender, events.get(sender, []))
    ]
    unknown = [each.event_id for _, each in found if each.event_id not in known]
    stored_before = (
        set(  # stored already, their conversation's link since cleared by an erasure
            session.scalars(
                select(MissedMessage.event_id).where(MissedMessage.event_id.in_(unknown))
            )
        )
        if unknown
        else set()
    )
    values_of: dict[str, dict[str, str]] = {}
    new = 0
    for sender, each in found:
        if sender not in values_of:
            values_of[sender] = names_of([*slots_of(events[sender]), *given.get(sender, [])])
        masked, folded = _masked(each, values_of[sender])
        row = known.get(each.event_id)
        if row is not None:
            if row.status == NEW and row.text != masked:  # a name given since: masked too
                row.text, row.folded = masked, folded
            continue
        if each.event_id in stored_before:
            continue
        row = MissedMessage(
            event_id=each.event_id, sender_id=sender, text=masked, folded=folded,
            reason=each.reason, question=each.question, intent=each.intent,
            confidence=each.confidence, said_at=each.at, group_id=0,
        )  # fmt: skip
        session.add(row)
        session.flush()
        group = leaders.group_for(masked, each.intent)
        row.group_id = row.id if group is None else group
        if group is None:
            leaders.add(Leader(row.id, folded, each.intent))
        new += 1
    return new


# --- the inbox --------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    message_id: int
    text: str
    reason: str
    question: str | None
    intent: str | None
    confidence: float | None
    said_at: datetime
    sender_id: str | None
    status: str
    label_kind: str | None
    label_intent: str | None
    draft_answer: str | None
    proposed_by: int | None
    proposer: str | None
    reviewer: str | None

    @property
    def label(self) -> str:
        """The label as people read it (« Combien ça coûte? », « Nouveau sujet », « Bruit »)."""
        if self.label_kind == INTENT:
            return label_of(self.label_intent)
        return KINDS.get(self.label_kind or "", "")


@dataclass
class Group:
    """Similar missed messages (those the filters kept), most recent first."""

    group_id: int
    messages: list[Message] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.messages)

    @property
    def text(self) -> str:
        """The group's representative: its first message."""
        return self.messages[-1].text

    @property
    def first_seen(self) -> datetime:
        return min(m.said_at for m in self.messages)

    @property
    def last_seen(self) -> datetime:
        return max(m.said_at for m in self.messages)

    @property
    def suggested(self) -> str | None:
        """The intent the model suggests most often for the group's messages."""
        counts = Counter(m.intent for m in self.messages if m.intent)
        return counts.most_common(1)[0][0] if counts else None

    @property
    def reasons(self) -> list[str]:
        return sorted({m.reason for m in self.messages})

    def waiting(self, status: str) -> list[Message]:
        return [m for m in self.messages if m.status == status]

    @property
    def conversation(self) -> Message | None:
        """The latest message whose conversation can still be read."""
        return next((m for m in self.messages if m.sender_id), None)


def _message(row: MissedMessage) -> Message:
    return Message(
        row.id, row.text, row.reason, row.question, row.intent, row.confidence,
        as_utc(row.said_at), row.sender_id, row.status, row.label_kind, row.label_intent,
        row.draft_answer, row.proposed_by, row.proposer.name if row.proposer else None,
        row.reviewer.name if row.reviewer else None,
    )  # fmt: skip


def inbox(
    sessions: sessionmaker[Session],
    reason: str | None = None,
    status: str | None = None,
    words: str = "",
) -> list[Group]:
    """The groups of missed messages with their messages kept by the filters (`words`: found in
    the masked text, accents and capitals aside), most frequent first (then the most recent)."""
    query = select(MissedMessage).order_by(MissedMessage.said_at.desc(), MissedMessage.id.desc())
    if fold(words):
        query = query.where(MissedMessage.folded.contains(fold(words), autoescape=True))
    if reason:
        query = query.where(MissedMessage.reason == reason)
    if status:
        query = query.where(MissedMessage.status == status)
    groups: dict[int, Group] = {}
    with sessions() as session:
        for row in session.scalars(query):
            groups.setdefault(row.group_id, Group(row.group_id)).messages.append(_message(row))
    return sorted(groups.values(), key=lambda g: (-g.count, -g.last_seen.timestamp(), g.group_id))


def message(sessions: sessionmaker[Session], message_id: int) -> Message | None:
    with sessions() as session:
        row = session.get(MissedMessage, message_id)
        return None if row is None else _message(row)


def _targets(session: Session, group_id: int | None, message_id: int | None) -> list[MissedMessage]:
    query = select(MissedMessage).order_by(MissedMessage.id).with_for_update()
    if message_id is not None:
        query = query.where(MissedMessage.id == message_id)
    else:
        query = query.where(MissedMessage.group_id == group_id)
    rows = list(session.scalars(query))
    if not rows:
        raise LookupError(message_id if message_id is not None else group_id)
    return rows


def propose(
    sessions: sessionmaker[Session],
    account_id: int,
    kind: str,
    *,
    group_id: int | None = None,
    message_id: int | None = None,
    intent: str | None = None,
    draft: str = "",
) -> int:
    """Label a group's messages still to label (or one message, labelled or not yet approved):
    an intent of the domain, a new topic with a draft answer for the manager, or noise. Return
    how many were labelled (NotAllowed in French: what is wrong; LookupError: no such group or
    message)."""
    if kind not in KINDS:
        raise NotAllowed("Choisissez une étiquette : une intention, un nouveau sujet ou du bruit.")
    if kind == INTENT and intent not in intent_labels():
        raise NotAllowed("Choisissez une intention de la liste.")
    draft = draft.strip()
    if kind == TOPIC and not draft:
        raise NotAllowed("Écrivez un brouillon de réponse pour ce nouveau sujet.")
    if len(draft) > DRAFT_MAX:
        raise NotAllowed(f"Le brouillon de réponse dépasse {DRAFT_MAX} caractères.")
    with sessions.begin() as session:
        rows = _targets(session, group_id, message_id)
        if message_id is None:
            rows = [row for row in rows if row.status == NEW]
        elif rows[0].status == APPROVED:
            raise NotAllowed("Ce message est déjà approuvé.")
        if not rows:
            raise NotAllowed("Tous les messages de ce groupe sont déjà étiquetés.")
        if kind == INTENT:
            for row in rows:
                check_in_test_sets(row.text)
        moment = now_of(session)
        for row in rows:
            row.status, row.label_kind = PROPOSED, kind
            row.label_intent = intent if kind == INTENT else None
            row.draft_answer = draft if kind == TOPIC else None
            row.proposed_by, row.proposed_at = account_id, moment
            row.reviewed_by = row.reviewed_at = None
        session.add(_journal(account_id, PROPOSE, rows))
        return len(rows)


def check_in_test_sets(masked: str) -> None:
    """NotAllowed (in French) when the message is one of a test set's."""
    try:
        check_not_in_test_sets(masked)
    except ValueError as refused:
        raise NotAllowed(f"« {masked[:80]} » : {refused}") from None


def review(
    sessions: sessionmaker[Session],
    account_id: int,
    approve: bool,
    *,
    group_id: int | None = None,
    message_id: int | None = None,
) -> int:
    """Approve or refuse the labels proposed by someone else (a group's, or one message's); a
    refused label goes back to be labelled. Return how many were reviewed. NotAllowed: only
    the viewer's own proposals wait (four eyes), nothing waits, or an example is a test set's."""
    with sessions.begin() as session:
        rows = [row for row in _targets(session, group_id, message_id) if row.status == PROPOSED]
        if not rows:
            raise NotAllowed("Aucune étiquette n'attend d'approbation ici.")
        theirs = [row for row in rows if row.proposed_by != account_id]
        if not theirs:
            raise NotAllowed(OWN_PROPOSAL)
        moment = now_of(session)
        for row in theirs:
            if approve:
                if row.label_kind == INTENT:
                    check_in_test_sets(row.text)
                row.status, row.reviewed_by, row.reviewed_at = APPROVED, account_id, moment
            else:
                row.status, row.label_kind, row.label_intent, row.draft_answer = (
                    NEW,
                    None,
                    None,
                    None,
                )
                row.proposed_by = row.proposed_at = None
        session.add(_journal(account_id, APPROVE if approve else REFUSE, theirs))
        return len(theirs)


def _journal(account_id: int, action: str, rows: list[MissedMessage]) -> AuditEntry:
    label = rows[0].label_intent or KINDS.get(rows[0].label_kind or "", "")
    ids = ", ".join(str(row.id) for row in rows[:20]) + (" …" if len(rows) > 20 else "")
    detail = f"messages manqués {ids}" + (f" : {label}" if label else "")
    return AuditEntry(account_id=account_id, action=action, detail=detail[:300])


def audit_reading(sessions: sessionmaker[Session], account_id: int, message_id: int) -> None:
    """Journal that the account read the conversation of a missed message."""
    with sessions.begin() as session:
        session.add(
            AuditEntry(
                account_id=account_id, action=READ, detail=f"conversation du message {message_id}"
            )
        )


# --- for the candidate model and the quality report -------------------------------------


@dataclass(frozen=True)
class Example:
    """An approved example: its message's id, its intent and its masked text."""

    message_id: int
    intent: str
    text: str


def approved_example_rows(sessions: sessionmaker[Session]) -> list[Example]:
    """The approved examples (labelled with an intent), oldest first."""
    with sessions() as session:
        rows = session.execute(
            select(MissedMessage.id, MissedMessage.label_intent, MissedMessage.text)
            .where(MissedMessage.status == APPROVED, MissedMessage.label_kind == INTENT)
            .order_by(MissedMessage.id)
        ).all()
    return [Example(int(i), str(intent), str(said)) for i, intent, said in rows]


def approved_examples(sessions: sessionmaker[Session]) -> list[tuple[str, str]]:
    """The approved examples as (intent, masked text), oldest first (a stable order)."""
    return [(e.intent, e.text) for e in approved_example_rows(sessions)]


def top_topics(
    sessions: sessionmaker[Session], since: datetime, until: datetime, limit: int = 10
) -> list[tuple[str, int]]:
    """The most missed topics of messages said in [since, until): (label, count), most first.
    A group is one topic; its label is the French label of the intent its messages were
    approved with (or proposed with), else its first message's masked text. Approved noise is
    left out."""
    with sessions() as session:
        rows = session.execute(
            select(
                MissedMessage.group_id, MissedMessage.text, MissedMessage.status,
                MissedMessage.label_kind, MissedMessage.label_intent,
            )
            .where(MissedMessage.said_at >= since, MissedMessage.said_at < until)
            .order_by(MissedMessage.id)
        ).all()  # fmt: skip
    counts: Counter[int] = Counter()
    first: dict[int, str] = {}
    labelled: dict[int, str] = {}
    for group_id, said, status, kind, intent in rows:
        if status == APPROVED and kind == NOISE:
            continue
        counts[group_id] += 1
        first.setdefault(group_id, said)
        if kind == INTENT and intent and (status == APPROVED or group_id not in labelled):
            labelled[group_id] = label_of(intent)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(labelled.get(group_id, first[group_id]), count) for group_id, count in ranked]


# --- erasure and retention --------------------------------------------------------------


def forget_conversations(session: Session, senders: Iterable[str]) -> int:
    """In `session`'s transaction, for conversations being erased: delete their missed
    messages, but keep approved ones without their link to the conversation; return how many
    were deleted."""
    chosen = sorted(set(senders))
    if not chosen:
        return 0
    mine = MissedMessage.sender_id.in_(chosen)
    session.execute(
        update(MissedMessage).where(mine, MissedMessage.status == APPROVED).values(sender_id=None)
    )
    found = len(session.scalars(select(MissedMessage.id).where(mine)).all())
    session.execute(delete(MissedMessage).where(mine))
    return found


def delete_unlabelled_before(session: Session, cutoff: datetime, dry_run: bool = False) -> int:
    """Delete (unless `dry_run`) the missed messages still to label said before `cutoff`;
    return how many."""
    old = (MissedMessage.status == NEW) & (MissedMessage.said_at < cutoff)
    found = len(session.scalars(select(MissedMessage.id).where(old)).all())
    if not dry_run:
        session.execute(delete(MissedMessage).where(old))
    return found


def give_inbox(sessions: sessionmaker[Session], email: str, given: bool) -> None:
    """Give an account the inbox, or take it back (LookupError: no such account)."""
    with sessions.begin() as session:
        account = session.scalar(select(Account).where(Account.email == one_line(email).lower()))
        if account is None:
            raise LookupError(email)
        account.missed_inbox = given
