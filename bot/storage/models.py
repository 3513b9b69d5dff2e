"""Tables: businesses, contacts, leads, answers, consents, decisions, diagnostics, bookings and
callback requests; the mail retry queue; for the advisor workspace, accounts, their web sessions,
password reset links and login attempts, the leads' history (status, notes, assignment, mails to
the merchant), follow-up reminders, saved filters, calendar feeds and the audit log of who read
what; the live chats of merchants with a person of the team.

Schema changes go through Alembic migrations (migrations/versions/).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)

from bot.clock import Clock, system_now


class UtcDateTime(TypeDecorator[datetime]):
    """A moment stored in UTC and read back aware, on every database: SQLite keeps no offset,
    so a local time written as such would be read back hours off."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive one (as SQLite gives them back) is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


# Stamped columns: filled by the session's clock when a row is added (CREATED), and again each
# time it changes (UPDATED); see `stamp` below. No column reads the system time by itself.
CREATED = {"stamp": "created"}
UPDATED = {"stamp": "updated"}


class Base(DeclarativeBase):
    pass


class Business(Base):
    __tablename__ = "businesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Folded name + postal code (or municipality): the same business coming back is found again.
    identity: Mapped[str] = mapped_column(String(400), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(7))
    municipality: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(300))
    storefront: Mapped[str] = mapped_column(String(20))
    sector: Mapped[str] = mapped_column(String(40))
    sector_detail: Mapped[str | None] = mapped_column(String(200))
    sdc_or_association: Mapped[str] = mapped_column(String(20))
    association_name: Mapped[str | None] = mapped_column(String(200))
    employees: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=UPDATED)

    contacts: Mapped[list[Contact]] = relationship(back_populates="business")
    lead: Mapped[Lead | None] = relationship(back_populates="business")


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("business_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(320))
    phone: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)

    business: Mapped[Business] = relationship(back_populates="contacts")


class Lead(Base):
    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), unique=True
    )
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    conversation_id: Mapped[str] = mapped_column(String(128))
    submissions: Mapped[int] = mapped_column(Integer, default=1)
    # The workspace's follow-up: see bot/workspace.py for the statuses and their order.
    status: Mapped[str] = mapped_column(String(40), default="nouveau", server_default="nouveau")
    advisor_id: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=UPDATED)
    # Set when the person's data was erased: the row keeps only what the statistics count.
    anonymised_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    business: Mapped[Business] = relationship(back_populates="lead")
    contact: Mapped[Contact] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="Answer.id"
    )
    consents: Mapped[list[Consent]] = relationship(back_populates="lead", order_by="Consent.id")
    decisions: Mapped[list[Decision]] = relationship(back_populates="lead", order_by="Decision.id")
    diagnostic: Mapped[Diagnostic | None] = relationship(back_populates="lead")


class Answer(Base):
    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text)

    lead: Mapped[Lead] = relationship(back_populates="answers")


class Consent(Base):
    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(200))
    wording_version: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[datetime] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    lead: Mapped[Lead] = relationship(back_populates="consents")


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(40))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    automated: Mapped[bool] = mapped_column(Boolean, default=True)
    score: Mapped[int] = mapped_column(Integer)
    factors: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    review_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    # A person's review of an automated decision (Law 25 s. 12.1): who, and which decision.
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    review_of: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="SET NULL"))

    lead: Mapped[Lead] = relationship(back_populates="decisions")
    reviewer: Mapped[Account | None] = relationship()


class Diagnostic(Base):
    """The digital-needs diagnostic of a lead: answers, profile, focus areas, advisor brief."""

    __tablename__ = "diagnostics"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    levels: Mapped[dict[str, str]] = mapped_column(JSON)
    focus: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    brief: Mapped[str] = mapped_column(Text)
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=UPDATED)

    lead: Mapped[Lead] = relationship(back_populates="diagnostic")


class Booking(Base):
    """A session with an advisor. One active booking per advisor and start time, and one per
    lead, enforced by partial unique indexes: a cancelled booking frees its slot."""

    __tablename__ = "bookings"
    __table_args__ = (
        Index(
            "one_active_booking_per_slot",
            "advisor_id",
            "starts_at",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
        Index(
            "one_active_booking_per_lead",
            "lead_id",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="SET NULL"))
    advisor_id: Mapped[str] = mapped_column(String(60))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(20), default="booked")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=UPDATED)
    # Marked held or no-show in the workspace (`bot.attendance`): when, and by whom.
    marked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))


class CallbackRequest(Base):
    """A merchant who found no free session asked the team to call back (`lead_id`), or a
    person asked from the chat widget to talk to someone (name, e-mail or phone, message as
    `wish`, consent time; a lead only if the conversation has one)."""

    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    wish: Mapped[str | None] = mapped_column(String(500))
    name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    conversation_id: Mapped[str | None] = mapped_column(String(128))
    consented_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    # Marked done in the workspace: when, and by whom.
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    done_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    # The team member who calls back (`bot.storage.queues.assign_callback`), and since when.
    assigned_to: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    assigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    assignee: Mapped[Account | None] = relationship(foreign_keys=[assigned_to])


class Account(Base):
    """A person of the program team: an advisor (linked to `config/advisors.yml`) or a manager."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    advisor_id: Mapped[str | None] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    # An advisor given the missed-messages inbox (managers always have it).
    missed_inbox: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, the table only its hash."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())

    account: Mapped[Account] = relationship()


class PasswordReset(Base):
    """A link e-mailed to choose a new password: the e-mail holds a random token, the table
    only its hash; valid until `expires_at`, once (`used_at`)."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    account: Mapped[Account] = relationship()


class LoginAttempt(Base):
    """A failed sign-in, for throttling (by e-mail address)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)


class LeadEvent(Base):
    """The history of a lead's follow-up: a status change, a note, an assignment, a session
    moved, cancelled or marked, a mail to the merchant, a follow-up reminder."""

    __tablename__ = "lead_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    before: Mapped[str | None] = mapped_column(String(60))
    after: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)

    account: Mapped[Account | None] = relationship()


class LeadReminder(Base):
    """A follow-up reminder on a lead (« relance »): the day it is due, an optional note, who set
    it; done once someone marks it so. At most one open reminder per lead (a partial unique
    index)."""

    __tablename__ = "lead_reminders"
    __table_args__ = (
        Index(
            "one_open_reminder_per_lead",
            "lead_id",
            unique=True,
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
    set_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    done_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))

    setter: Mapped[Account | None] = relationship(foreign_keys=[set_by])


class SavedFilter(Base):
    """A named set of the leads list's filters, saved by one account (its query string)."""

    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    query: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)


class CalendarFeed(Base):
    """An account's secret calendar subscription (ICS feed of its sessions): the feed's address
    holds a random token, the table only its hash. One per account; revoking deletes it."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)

    account: Mapped[Account] = relationship()


class AuditEntry(Base):
    """Who viewed or exported which lead's personal data, and when (Law 25)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    lead_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str | None] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)

    account: Mapped[Account | None] = relationship()


class PrivacyCode(Base):
    """A one-time code e-mailed to a lead's address to confirm a merchant's identity in the
    chat before a rights request (only its hash is kept; expiry, tries, single use)."""

    __tablename__ = "privacy_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class LeadConversation(Base):
    """A conversation of the tracker store that belongs to a lead's person, and why: the intake,
    a rights request confirmed by the e-mailed code, a session found by its reference, a request
    from the chat widget. Erasure and retention go by these, never by a name."""

    __tablename__ = "lead_conversations"
    __table_args__ = (UniqueConstraint("lead_id", "conversation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)


class TrackerErasure(Base):
    """A conversation whose events in Rasa's tracker store wait to be erased (once it is idle:
    Rasa rewrites a conversation that is still going on). With `scrub`, the conversation belongs
    to someone else: only those strings (an erased person's e-mail or phone) are removed."""

    __tablename__ = "tracker_erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(255), unique=True)
    scrub: Mapped[list[str] | None] = mapped_column(JSON)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)


class Incident(Base):
    """The register of confidentiality incidents (Law 25, s. 3.8)."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    discovered_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    data_concerned: Mapped[str] = mapped_column(Text)
    people_count: Mapped[int | None] = mapped_column(Integer)
    serious_injury_risk: Mapped[str] = mapped_column(String(20))
    risk_assessment: Mapped[str] = mapped_column(Text)
    commission_notified_on: Mapped[date | None] = mapped_column(Date)
    people_notified_on: Mapped[date | None] = mapped_column(Date)
    measures: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=UPDATED)


class RightsRequest(Base):
    """A request about personal information received by the privacy page's form."""

    __tablename__ = "rights_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    due_on: Mapped[date] = mapped_column(Date)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))


class QueuedMail(Base):
    """A mail the SMTP server did not take, waiting for its next try (the scheduled job);
    `failed` once given up (kept for the team, erased with the person it names)."""

    __tablename__ = "mail_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    attempts: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(UtcDateTime())
    next_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    error: Mapped[str] = mapped_column(String(100), default="")
    # Set by the runner sending it; a claim older than a few minutes belongs to a dead runner.
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    failed: Mapped[bool] = mapped_column(Boolean, default=False)


class LiveChat(Base):
    """A merchant's request to talk to a person live in the chat (« Parler à une personne »
    during the opening hours, `bot.live`): waiting in the workspace's « En direct » queue, held
    by the one team member who took it, then ended (handed back, a silence, nobody took it in
    time: then a callback request, `callback_id`). At most one open (waiting or held) per
    conversation. The messages themselves are in Rasa's tracker store, like every other one;
    here, the contact given for a callback and the live chat's state (`bot.storage.live`)."""

    __tablename__ = "live_chats"
    __table_args__ = (
        Index(
            "one_open_live_chat_per_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text("status != 'ended'"),
            postgresql_where=text("status != 'ended'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    wish: Mapped[str] = mapped_column(String(500))
    consented_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(10), default="waiting", index=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    # The team member holding it, and how the merchant saw them (« Sophie, conseillère »).
    held_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    held_as: Mapped[str | None] = mapped_column(String(120))
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The last message either way: the silence that gives the conversation back counts from it.
    active_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    outcome: Mapped[str | None] = mapped_column(String(20))
    callback_id: Mapped[int | None] = mapped_column(
        ForeignKey("callback_requests.id", ondelete="SET NULL")
    )
    # When the assistant was given the conversation back (claimed before Rasa is told, so that
    # it is told once; None again if telling it failed: the scheduled job tries again).
    resumed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    holder: Mapped[Account | None] = relationship(foreign_keys=[held_by])


def now_of(sessions: Session | sessionmaker[Session]) -> datetime:
    """The time of the sessions' clock (`make_sessions(engine, clock)`), else the system's."""
    info = sessions.info if isinstance(sessions, Session) else sessions.kw.get("info", {})
    clock: Clock = info.get("clock", system_now)
    return clock()


@event.listens_for(Session, "before_flush")
def stamp(session: Session, _context: Any, _instances: Any) -> None:
    """Fill the stamped columns of the rows being written with the session's clock: CREATED and
    UPDATED ones of a new row (unless set), UPDATED ones of a changed row."""
    moment = now_of(session)
    for row in session.new:
        for column in inspect(row).mapper.columns:
            if column.info in (CREATED, UPDATED) and getattr(row, column.key) is None:
                setattr(row, column.key, moment)
    for row in session.dirty:
        if session.is_modified(row, include_collections=False):
            for column in inspect(row).mapper.columns:
                if column.info == UPDATED:
                    setattr(row, column.key, moment)


class CandidateModel(Base):
    """A model file: a candidate trained from the data and approved examples, or the model found
    in service; its figures once measured."""

    __tablename__ = "candidate_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    file: Mapped[str | None] = mapped_column(String(500))
    digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    figures: Mapped[dict[str, float] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    example_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    example_count: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    trained_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    measured_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    promoted_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    promoted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The model that served before this one's last promotion (« Revenir au modèle précédent »).
    replaced_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidate_models.id", ondelete="SET NULL")
    )

    requester: Mapped[Account | None] = relationship(foreign_keys=[requested_by])
    promoter: Mapped[Account | None] = relationship(foreign_keys=[promoted_by])


class ConversationReview(Base):
    """A conversation marked « revue » by a team member."""

    __tablename__ = "conversation_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), unique=True)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)

    reviewer: Mapped[Account | None] = relationship()


class ConversationTag(Base):
    """A free tag on a conversation (`bot.learning.review_tags`)."""

    __tablename__ = "conversation_tags"
    __table_args__ = (UniqueConstraint("conversation_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    tag: Mapped[str] = mapped_column(String(30), index=True)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)


class MissedMessage(Base):
    """A missed message, masked: why it was missed, what the model would suggest, its group,
    and its label with who proposed and who approved it. `sender_id` (the conversation) is
    cleared when its person is erased; an approved example stays, without it."""

    __tablename__ = "missed_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer, unique=True)
    sender_id: Mapped[str | None] = mapped_column(String(255), index=True)
    text: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(20))
    question: Mapped[str | None] = mapped_column(String(60))
    intent: Mapped[str | None] = mapped_column(String(100))
    confidence: Mapped[float | None] = mapped_column(Float)
    said_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    group_id: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(
        String(10),
        default="nouveau",  # bot.storage.missed.NEW
        index=True,
    )
    label_kind: Mapped[str | None] = mapped_column(String(10))
    label_intent: Mapped[str | None] = mapped_column(String(100))
    draft_answer: Mapped[str | None] = mapped_column(Text)
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime(), info=CREATED)

    proposer: Mapped[Account | None] = relationship(foreign_keys=[proposed_by])
    reviewer: Mapped[Account | None] = relationship(foreign_keys=[reviewed_by])


class LearningMark(Base):
    """How far a job has read the tracker store (the last `events.id` it read)."""

    __tablename__ = "learning_marks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer)
