"""Sessions with an advisor: proposals, atomic booking with a fair advisor, invitations,
rescheduling, cancelling, callback requests and reminders.

Plain Python over the storage (`bot.storage`), the availability (`config/advisors.yml`) and mail
(`bot.mail`); the chat turns are in `bot.booking_form`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from email.utils import parseaddr

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.mail import MailSettings, mail_settings, message, send
from bot.notifications import CALLBACK_REQUESTED, Team, notify_team, team_for
from bot.pack import identity
from bot.pack.emails import email, part
from bot.scheduling import TIMEZONE
from bot.scheduling.assignment import choose_slot
from bot.scheduling.config import Advisor, Availability, load_availability
from bot.scheduling.dates import Wish
from bot.scheduling.invitation import french_datetime, french_time, invitation
from bot.scheduling.reminders import send_due_reminders
from bot.scheduling.slots import Busy, Slot, free_slots, horizon
from bot.settings import Settings
from bot.storage import bookings, lead_conversations
from bot.storage.bookings import AlreadyBooked, DayLimit, SlotTaken, UnknownBooking
from bot.storage.database import sessions_of
from bot.storage.lead_conversations import BOOKING
from bot.storage.leads import LeadCard, lead_card, request_callback
from bot.storage.models import Booking, as_utc
from bot.text import one_line, phone_for_people
from bot.throttle import (
    WRONG_REFERENCES_PER_CLIENT,
    WRONG_REFERENCES_PER_CONVERSATION,
    MemoryStore,
    Throttle,
    process_store,
)

log = logging.getLogger(__name__)
__all__ = ["AlreadyBooked", "Appointment", "Scheduler", "SlotTaken", "UnknownBooking"]

PER_DAY_PROPOSED = 2  # proposals are spread over several days
REMINDERS_FROM = time(8)  # reminders go out from 8 h, local time, the day before


@dataclass(frozen=True)
class Appointment:
    """A booked session as the merchant and the advisor see it."""

    reference: str
    starts_at: datetime
    ends_at: datetime
    advisor: Advisor
    sequence: int
    lead_id: int | None

    @property
    def when(self) -> str:
        return french_datetime(self.starts_at)

    def describe(self) -> str:
        return describe(self.starts_at, self.advisor)


def describe(starts_at: datetime, advisor: Advisor) -> str:
    """ "le mardi 24 novembre à 14 h avec Sophie Gagnon, en personne (Bureaux …)" """
    return f"{french_datetime(starts_at)} avec {advisor.name}, {advisor.mode} ({advisor.where})"


def _matches(wish: Wish, moment: datetime) -> bool:
    local = moment.astimezone(TIMEZONE)
    if not wish.start <= local < wish.end or local.weekday() in wish.excluded_weekdays:
        return False
    return wish.hours is None or wish.hours[0] <= local.time() < wish.hours[1]


def _spread(times: list[datetime], count: int) -> list[datetime]:
    """Up to `count` times, at most PER_DAY_PROPOSED a day, in the given order."""
    chosen: list[datetime] = []
    for moment in times:
        day = moment.astimezone(TIMEZONE).date()
        if sum(c.astimezone(TIMEZONE).date() == day for c in chosen) < PER_DAY_PROPOSED:
            chosen.append(moment)
        if len(chosen) == count:
            break
    return chosen


# More to write in the transaction of a move or a cancellation, given the session as changed
# (the workspace's line in the lead's history): if it raises, neither is kept and no mail goes.
Trace = Callable[[Session, Appointment], None]


class TooManyTries(Exception):
    """Too many booking references that match nothing, in the conversation or from the client."""


class Scheduler:
    """Everything the chat does with sessions, over one database and one availability file."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        availability: Availability,
        mail: MailSettings,
        website: str,
        clock: Clock,
        team: Team | None = None,
        limits: Throttle | None = None,
    ) -> None:
        self.sessions = sessions
        self.limits = limits or Throttle(MemoryStore(), clock)
        self.team = team  # told of each callback request (bot.notifications)
        self.availability = availability
        self.mail = mail
        self.website = website
        self.clock = clock
        self.advisors = {a.id: a for a in availability.advisors}

    def now(self) -> datetime:
        return self.clock().astimezone(TIMEZONE)

    def _free(self) -> tuple[list[Slot], list[Busy]]:
        start, end = horizon(self.now(), self.availability)
        busy = bookings.busy_between(self.sessions, start - timedelta(days=1), end)
        return free_slots(self.availability, start, end, busy), busy

    def proposals(
        self, wish: Wish | None = None, count: int = 4, mode: str | None = None
    ) -> list[datetime]:
        """Free start times to propose, earliest first: the next ones, or those closest to
        the wish (its days, part of the day and excluded weekdays); only with advisors who
        meet in `mode` (« en personne ») if given."""
        slots = self._of_mode(self._free()[0], mode)
        times = sorted({slot.starts_at for slot in slots})
        if wish is None:
            return _spread(times, count)
        times = [t for t in times if _matches(wish, t)]
        if wish.exact is not None:
            exact = wish.exact
            times.sort(key=lambda t: (abs(t - exact), t))
        return sorted(_spread(times, count))

    def next_free(self, count: int = 4, mode: str | None = None) -> list[datetime]:
        return self.proposals(None, count, mode)

    def _of_mode(self, slots: list[Slot], mode: str | None) -> list[Slot]:
        return [s for s in slots if mode is None or self.advisors[s.advisor_id].mode == mode]

    def horizon_end(self) -> datetime:
        """The end of the booking horizon: no session is proposed from then on."""
        return horizon(self.now(), self.availability)[1]

    @property
    def horizon_days(self) -> int:
        return self.availability.horizon_weeks * 7

    def open_slots(self) -> list[Slot]:
        """Every advisor's free slots within the booking horizon."""
        return self._free()[0]

    def is_free(self, moment: datetime) -> bool:
        return any(slot.starts_at == moment for slot in self.open_slots())

    def preview(
        self,
        moment: datetime,
        lead_id: int | None,
        keep: str | None = None,
        mode: str | None = None,
    ) -> Advisor | None:
        """The advisor the session at `moment` would be given (one who meets in `mode` if
        given), or None if it is not free."""
        lead = self._lead(lead_id)
        ranked = self._ranked(moment, lead, keep, mode)
        return self.advisors[ranked[0].advisor_id] if ranked else None

    def _lead(self, lead_id: int | None) -> LeadCard | None:
        return lead_card(self.sessions, lead_id) if lead_id is not None else None

    def _appointment(self, booking: Booking) -> Appointment:
        return Appointment(
            reference=booking.reference,
            starts_at=as_utc(booking.starts_at),
            ends_at=as_utc(booking.ends_at),
            advisor=self.advisors[booking.advisor_id],
            sequence=booking.sequence,
            lead_id=booking.lead_id,
        )

    def _day(self, slot: Slot) -> DayLimit:
        """The local day of `slot` and the advisors' daily maximum, for the database check."""
        start = datetime.combine(slot.starts_at.astimezone(TIMEZONE).date(), time(0), TIMEZONE)
        return DayLimit(start, start + timedelta(days=1), self.availability.max_sessions_per_day)

    def _ranked(
        self, moment: datetime, lead: LeadCard | None, keep: str | None, mode: str | None = None
    ) -> list[Slot]:
        """The free slots starting at `moment` (with advisors who meet in `mode` if given), best
        advisor first (`keep` first if free)."""
        slots, busy = self._free()
        candidates = [s for s in self._of_mode(slots, mode) if s.starts_at == moment]
        last = bookings.last_assigned(self.sessions)
        ranked = []
        while candidates:
            best = next((s for s in candidates if s.advisor_id == keep), None) or choose_slot(
                candidates,
                self.availability.advisors,
                busy,
                last,
                lead.sector if lead else None,
            )
            assert best is not None
            ranked.append(best)
            candidates.remove(best)
        return ranked

    def book(self, moment: datetime, lead_id: int, advisor: str | None = None) -> Appointment:
        """Book the session at `moment` with `advisor` (the one previewed) or else the fairest
        free one; raise SlotTaken if every advisor free at that time was taken meanwhile,
        AlreadyBooked if the lead booked from elsewhere meanwhile. Invitations are sent."""
        lead = self._lead(lead_id)
        for slot in self._ranked(moment, lead, keep=advisor):
            try:
                booked = bookings.book(self.sessions, slot, lead_id, self._day(slot))
                appointment = self._appointment(booked)
            except SlotTaken:
                continue
            self._invite(appointment, lead, "new")
            return appointment
        raise SlotTaken(moment)

    def find(self, reference: str) -> Appointment:
        return self._appointment(bookings.find(self.sessions, reference))

    def find_typed(self, reference: str, conversation: str, client: str) -> Appointment:
        """`find` for a reference the merchant typed: wrong ones count, per conversation and per
        client; once either is used up, raise `TooManyTries` even for a right one."""
        subjects = [(WRONG_REFERENCES_PER_CONVERSATION, conversation)]
        subjects += [(WRONG_REFERENCES_PER_CLIENT, client)] if client else []
        if any(self.limits.reached(limit, subject) for limit, subject in subjects):
            raise TooManyTries(conversation)
        try:
            return self.find(reference)
        except UnknownBooking:
            for limit, subject in subjects:
                self.limits.hit(limit, subject)
            raise

    def found_in(self, appointment: Appointment, conversation: str) -> None:
        """The conversation knew the session's reference: it belongs to the session's lead."""
        if appointment.lead_id is not None:
            lead_conversations.record(self.sessions, appointment.lead_id, conversation, BOOKING)

    def upcoming(self, lead_id: int) -> Appointment | None:
        """The lead's next booked session, if any."""
        booking = bookings.active_for_lead(self.sessions, lead_id)
        return self._appointment(booking) if booking else None

    def _within(self, trace: Trace | None) -> bookings.Within | None:
        if trace is None:
            return None
        return lambda session, booking: trace(session, self._appointment(booking))

    def reschedule(
        self,
        reference: str,
        moment: datetime,
        advisor: str | None = None,
        reason: str = "",
        trace: Trace | None = None,
    ) -> Appointment:
        """Move a session to `moment` (with `advisor`, else the same one if free, else the
        fairest); updated invitations, the merchant's saying the former time (and `reason`,
        the team's, when given). `trace` writes in the move's transaction."""
        before = self.find(reference)
        lead = self._lead(before.lead_id)
        for slot in self._ranked(moment, lead, keep=advisor or before.advisor.id):
            try:
                booking = bookings.reschedule(
                    self.sessions, reference, slot, self._day(slot), self._within(trace)
                )
            except SlotTaken:
                continue
            after = self._appointment(booking)
            if after.advisor.id != before.advisor.id:  # the first advisor's calendar is freed
                self._send_advisor(before, lead, "cancelled", sequence=after.sequence)
            self._invite(after, lead, "moved", was=before.when, reason=reason)
            return after
        raise SlotTaken(moment)

    def cancel(self, reference: str, reason: str = "", trace: Trace | None = None) -> Appointment:
        """Cancel a session; the invitations cancelled, with `reason` (the team's) if given.
        `trace` writes in the cancellation's transaction."""
        booking = bookings.cancel(self.sessions, reference, self._within(trace))
        appointment = self._appointment(booking)
        lead = self._lead(appointment.lead_id)
        self._invite(appointment, lead, "cancelled", reason=reason)
        return appointment

    def cancel_for_erasure(self, reference: str) -> Appointment:
        """Cancel the session of a merchant whose data is being erased: the advisor gets the
        calendar cancellation with the date and reference only (nothing that names the
        merchant); the merchant learns it from the erasure's confirmation (`bot.privacy`)."""
        appointment = self._appointment(bookings.cancel(self.sessions, reference))
        subject, body = email(
            "advisor_session_erased", when=appointment.when, reference=appointment.reference
        )
        ics = self._ics(appointment, None, cancelled=True)
        self._mail(appointment.advisor.email, subject, body, ics, "CANCEL")
        return appointment

    def request_callback(self, lead_id: int, wish: str | None) -> None:
        request_callback(self.sessions, lead_id, wish)
        if self.team is not None:  # after the commit; never raises
            notify_team(self.team, self.sessions, CALLBACK_REQUESTED, lead_id)

    def send_reminders(self) -> list[str]:
        """Remind tomorrow's sessions (from 8 h, once each); return their references."""
        now = self.now()
        if now.time() < REMINDERS_FROM:
            return []

        def remind(booking: Booking) -> None:
            appointment = self._appointment(booking)
            lead = self._lead(appointment.lead_id)
            if lead is not None:
                self._mail(lead.email, *self._reminder(appointment, lead))

        return send_due_reminders(self.sessions, now, remind)

    # E-mails and invitations: sent after the commit, and never a reason to fail a booking

    def _mail(
        self, to: str, subject: str, body: str, ics: bytes | None = None, method: str = "REQUEST"
    ) -> None:
        try:
            send(self.mail, message(self.mail, to, subject, body, ics, method))
        except Exception:  # the session is booked: the team finds the error in the log
            log.exception("an e-mail about a session could not be written")

    def _ics(self, appointment: Appointment, lead: LeadCard | None, cancelled: bool) -> bytes:
        attendees = [appointment.advisor.email] + ([lead.email] if lead else [])
        return invitation(
            uid=f"{appointment.reference}@{identity().calendar_domain}",
            sequence=appointment.sequence,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            summary=part("invitation_summary", business=lead.business)
            if lead
            else part("invitation_summary_unknown"),
            location=appointment.advisor.where
            if appointment.advisor.address
            else f"{appointment.advisor.mode} : {appointment.advisor.place}",
            description=part("invitation_description", reference=appointment.reference),
            organizer_email=parseaddr(self.mail.sender)[1],
            attendee_emails=attendees,
            stamped_at=self.now(),
            cancelled=cancelled,
        )

    def _invite(
        self,
        appointment: Appointment,
        lead: LeadCard | None,
        change: str,
        was: str = "",
        reason: str = "",
    ) -> None:
        """The merchant's and the advisor's e-mails, each with the calendar invitation."""
        if lead is not None:
            ics = self._ics(appointment, lead, change == "cancelled")
            subject, body = self._merchant_mail(appointment, lead, change, was, reason)
            method = "CANCEL" if change == "cancelled" else "REQUEST"
            self._mail(lead.email, subject, body, ics, method)
        self._send_advisor(appointment, lead, change)

    def _send_advisor(
        self,
        appointment: Appointment,
        lead: LeadCard | None,
        change: str,
        sequence: int | None = None,
    ) -> None:
        if sequence is not None:
            appointment = replace(appointment, sequence=sequence)
        ics = self._ics(appointment, lead, change == "cancelled")
        method = "CANCEL" if change == "cancelled" else "REQUEST"
        subject, body = self._advisor_mail(appointment, lead, change)
        self._mail(appointment.advisor.email, subject, body, ics, method)

    def _merchant_mail(
        self, appointment: Appointment, lead: LeadCard, change: str, was: str = "", reason: str = ""
    ) -> tuple[str, str]:
        advisor = appointment.advisor
        why = part("reason", reason=one_line(reason)) + "\n\n" if reason else ""
        if change == "cancelled":
            return email(
                "session_cancelled",
                contact=lead.contact,
                when=appointment.when,
                why=why,
                website=self.website,
            )
        details = part(
            "session_details",
            when=appointment.when,
            minutes=self.availability.session_minutes,
            advisor=advisor.name,
            mode=advisor.mode,
            place=advisor.where,
            reference=appointment.reference,
        )
        how_to_change = part("how_to_change", website=self.website)
        if change == "moved":
            return email(
                "session_moved",
                contact=lead.contact,
                when=appointment.when,
                was=was,
                why=why,
                details=details,
                how_to_change=how_to_change,
            )
        return email(
            "session_booked",
            contact=lead.contact,
            when=appointment.when,
            details=details,
            how_to_change=how_to_change,
        )

    def _advisor_mail(
        self, appointment: Appointment, lead: LeadCard | None, change: str
    ) -> tuple[str, str]:
        name = {"cancelled": "advisor_session_cancelled", "moved": "advisor_session_moved"}
        subject, body = email(
            name.get(change, "advisor_session_booked"),
            business=lead.business if lead else part("unknown_business"),
            when=appointment.when,
            mode=appointment.advisor.mode,
            place=appointment.advisor.where,
            reference=appointment.reference,
        )
        if lead is not None and change != "cancelled":
            about = part(
                "advisor_lead",
                contact=lead.contact + (f" ({lead.role})" if lead.role else ""),
                email=lead.email,
                phone=phone_for_people(lead.phone),
                decision=lead.outcome or part("unknown_decision"),
                score=lead.score or 0,
                brief=lead.brief or part("no_brief"),
            )
            body += f"\n{about}\n"
        return subject, body

    def _reminder(self, appointment: Appointment, lead: LeadCard) -> tuple[str, str]:
        return email(
            "session_reminder",
            contact=lead.contact,
            when=appointment.when,
            time=french_time(appointment.starts_at),
            advisor=appointment.advisor.name,
            mode=appointment.advisor.mode,
            place=appointment.advisor.where,
            reference=appointment.reference,
            website=self.website,
        )


def scheduler_for(settings: Settings) -> Scheduler:
    """The scheduler of the running product: its database, advisors file, mail and clock."""
    return Scheduler(
        sessions_of(settings),
        load_availability(settings.advisors_file),
        mail_settings(settings),
        settings.program_website,
        clock=settings.clock,
        team=team_for(settings),
        limits=Throttle(process_store(settings.redis_url), settings.clock),
    )
