"""The booking conversation: propose free times, understand French wishes, confirm, book,
reschedule or cancel by reference, and offer a callback when nothing is free.

Questions are slots of `booking_form` that never keep a value (the form asks them again when
needed); what the conversation knows lives in the `booking_*` data slots of `STATE`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from bot.booking import (
    AlreadyBooked,
    Scheduler,
    SlotTaken,
    TooManyTries,
    UnknownBooking,
    describe,
)
from bot.conversation import Turn, firmly_stops, interruption, looks_like_question
from bot.eligibility import Outcome
from bot.forms import FAILURES
from bot.pack import Identity, identity
from bot.scheduling import TIMEZONE
from bot.scheduling.dates import SHIFT_IN_DAY, Wish, names_a_day, understand, understand_near
from bot.scheduling.invitation import french_date, french_time
from bot.scheduling.wish_words import wish_words
from bot.text import fold
from bot.vocabulary import Answer, find_yes_no, says_not_now

# Data slots (the questions are LOOKUP, WHEN, DAY, CONFIRM, CANCEL, CALLBACK).
STATE = (
    "booking_mode", "booking_options", "booking_days", "booking_wish", "booking_choice",
    "booking_advisor", "booking_reference", "booking_summary", "booking_format",
)  # fmt: skip
LOOKUP, WHEN, DAY = "booking_lookup", "booking_when", "booking_day"
CONFIRM, CANCEL, CALLBACK = "booking_confirm", "booking_cancel", "booking_callback"
MODES = {"cancel_booking": "cancel", "reschedule_booking": "reschedule", "check_booking": "check"}
BOOKABLE = {Outcome.ELIGIBLE.value, Outcome.TO_REVIEW.value}  # leads that may book a session
MORE = "autres moments"
YES_NO = [{"title": "Oui", "payload": "oui"}, {"title": "Non", "payload": "non"}]


# New references have 8 characters (40 bits); those made before have 6 and still work.
@cache
def _reference(identity: Identity) -> re.Pattern[str]:
    """A typed reference of `identity`'s prefix (« nq 7kx3pd4m »), its characters in group 1."""
    letters = re.escape(identity.reference_letters)
    return re.compile(rf"\b{letters}\s*-?\s*([A-Z2-9]{{8}}|[A-Z2-9]{{6}})\b", re.I)


_ISO_MOMENT = re.compile(r"^\s*(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?[+-]\d\d:\d\d)\s*$")
_ISO_DAY = re.compile(r"^\s*(\d{4}-\d\d-\d\d)\s*$")


# « en personne » or « par vidéoconférence » (the advisors' modes), in the merchant's words;
# « plutôt qu'en vidéo » and « pas en vidéo » name the format not wanted.
_FORMATS = {
    "en personne": re.compile(
        r"\b(en personne|en vrai|sur place|au bureau|face a face|en presentiel|presentiel|"
        r"se voir|se rencontrer|rencontrer en personne)\b"
    ),
    "par vidéoconférence": re.compile(
        r"\b(video|videoconference|visio|zoom|teams|meet|a distance|virtuel(?:le)?|en ligne|"
        r"par ordi|par ordinateur|webcam)\b"
    ),
}
_NOT_WANTED = re.compile(r"\b(?:plutot qu|au lieu d|pas|sans)\s*((?:\w+ ){0,2}\w+)")
# « je garde mon rendez-vous », « finalement je la garde », « on laisse ça comme ça »
_KEEP = re.compile(
    r"\b(je|on) (?:vais |va )?(?:la |le |l )?gard|\bgarder? (?:mon|ma|le|la|l|celui|celle)\b|"
    r"\b(?:la|le|l) garder\b|\bmaintenir\b|\bconserver?\b|\blaissez? ca comme ca\b|\bcomme prevu\b|\bon garde ca\b"
)


# Other times than those shown: « autre chose », « d'autres plages plus tard? », « ces heures-là
# marchent pas pour moi ».
_LATER = re.compile(
    r"\b(?:autre chose|autres? (?:plages?|moments?|heures?|dispos?|disponibilites|choix|options?)|"
    r"plus tard|(?:marche|marchent|convient|conviennent|fait|font) pas|rien (?:qui|de) )"
)
# The shown times by their rank: « le premier », « la 2e option », « la dernière ».
_RANKS = {
    "premier": 0, "premiere": 0, "1er": 0, "1re": 0, "deuxieme": 1, "2e": 1, "second": 1,
    "seconde": 1, "troisieme": 2, "3e": 2, "quatrieme": 3, "4e": 3, "dernier": -1, "derniere": -1,
    "celui en haut de la liste": 0, "celui du haut": 0, "celui en bas de la liste": -1,
}  # fmt: skip
_RANK = re.compile(
    rf"^(?:ok |oui |go pour |je (?:vais )?(?:prendre|prends|choisir|choisis) )?(?:le |la )?"
    rf"(?:tout )?({'|'.join(_RANKS)})(?: (?:choix|option|moment|plage|creneau|horaire|dispo))?"
    r"(?: (?:propose|proposee|offert|offerte|de la liste))?"
    r"(?: (?:me convient|me va|svp|stp|merci|c est parfait))*$"
)


def find_format(text: str) -> str | None:
    """The session format the merchant asks for, or None: « je préférerais en personne plutôt
    qu'en vidéo » → « en personne »; « pas en vidéo » → « en personne »."""
    folded = f" {fold(text)} "
    unwanted = {
        mode
        for match in _NOT_WANTED.finditer(folded)
        for mode, words in _FORMATS.items()
        if words.search(f" {match.group(1)} ")
    }
    named = {mode for mode, words in _FORMATS.items() if words.search(folded)} - unwanted
    if len(named) == 1:
        return named.pop()
    others = set(_FORMATS) - unwanted
    return others.pop() if unwanted and len(others) == 1 else None


def asks_format(text: str) -> bool:
    """« C'est en personne ou sur Zoom? »: a question about the formats, not a choice."""
    folded = f" {fold(text)} "
    return looks_like_question(text) and all(w.search(folded) for w in _FORMATS.values())


def keeps(text: str) -> bool:
    """Whether the merchant keeps the session they have (« je garde mon rendez-vous »)."""
    return _KEEP.search(fold(text)) is not None


def find_reference(text: str) -> str | None:
    """ "nq-7kx3pd", "NQ 7KX3PD" → "NQ-7KX3PD"."""
    match = _reference(identity()).search(text)
    return f"{identity().reference_prefix}{match.group(1).upper()}" if match else None


def _iso_moment(text: str) -> datetime | None:
    """The time of a button's payload ("2026-11-24T14:00:00-05:00"), or None."""
    match = _ISO_MOMENT.match(text)
    try:
        return datetime.fromisoformat(match.group(1)) if match else None
    except ValueError:  # typed, not clicked: "2026-13-01T25:00-05:00"
        return None


def _iso_day(text: str) -> date | None:
    """The day of a button's payload ("2026-11-24"), or None."""
    match = _ISO_DAY.match(text)
    try:
        return date.fromisoformat(match.group(1)) if match else None
    except ValueError:  # typed, not clicked: "2026-02-31"
        return None


def button_label(moment: datetime) -> str:
    """ "mardi 24 novembre, 14 h" for a button."""
    day = french_date(moment.astimezone(TIMEZONE).date()).removeprefix("le ")
    return f"{day}, {french_time(moment)}"


def time_buttons(options: list[str] | None) -> list[dict[str, str]]:
    """The proposed times (ISO strings) as buttons, plus « Autres moments »."""
    times = [datetime.fromisoformat(t) for t in options or []]
    buttons = [{"title": button_label(t), "payload": t.isoformat()} for t in times]
    return [*buttons, {"title": "Autres moments", "payload": MORE}]


def day_buttons(days: list[date]) -> list[dict[str, str]]:
    """ "Mardi 24 novembre" buttons for the two dates a weekday could mean."""
    labels = [french_date(d).removeprefix("le ").capitalize() for d in days]
    return [
        {"title": label, "payload": d.isoformat()} for d, label in zip(days, labels, strict=True)
    ]


def _iso(moments: list[datetime]) -> list[str]:
    return [m.isoformat() for m in moments]


class BookingTurn:
    """One merchant message of the booking form, handled against the scheduler."""

    def __init__(
        self,
        scheduler: Scheduler,
        state: dict[str, Any],
        lead: tuple[Any, Any],
        failures: int = 0,
        conversation: str = "",
        client: str = "",
    ):
        self.scheduler = scheduler
        self.conversation = conversation
        self.client = client
        self.state = state
        self.lead_id = None if lead[0] is None else int(lead[0])
        self.lead_outcome = lead[1]
        self.failures = failures
        self.turn = Turn()

    # Helpers that fill the turn

    def say(self, response: str, **values: Any) -> None:
        self.turn.say.append((response, values))

    def ask(self, question: str | None, **updates: Any) -> Turn:
        self.turn.updates.update(updates)
        self.turn.updates.setdefault(FAILURES, 0)
        self.turn.next_question = question
        return self.turn

    def not_understood(
        self, question: str, expected: str, example: str, buttons: list[dict[str, str]]
    ) -> Turn:
        """The same escalation as every form (`bot.forms`): other words with an example, then
        a way out, then a pause; never the same words a third time."""
        retry = ("utter_form_retry", {"expected": expected, "example": example, "buttons": buttons})
        help_ = ("utter_form_help", {"expected": expected, "buttons": buttons})
        return self.escalate(question, retry, help_)

    def unknown_reference(self) -> Turn:
        """No session with that reference: check it, then a person can find it, then a pause."""
        return self.escalate(
            LOOKUP,
            ("utter_booking_unknown_reference", {}),
            ("utter_booking_reference_help", {}),
            booking_reference=None,
        )

    def escalate(
        self,
        question: str,
        first: tuple[str, dict[str, Any]],
        second: tuple[str, dict[str, Any]],
        **updates: Any,
    ) -> Turn:
        """After the `self.failures + 1`-th failed answer to `question`: `first`, then `second`
        (a way out), then a person offered and a pause."""
        failures = self.failures + 1
        if failures >= 3:
            self.say("utter_form_stuck")
            self.say("utter_booking_paused")
            self.turn.paused = True
            return self.ask(None, **updates)
        response, values = first if failures == 1 else second
        self.say(response, **values)
        return self.ask(question, **updates, **{FAILURES: failures})

    @property
    def format(self) -> str | None:
        """The format the merchant asked for (« en personne »), if any."""
        return self.state.get("booking_format")

    def prefer(self, format_: str) -> None:
        self.state["booking_format"] = format_
        self.turn.updates["booking_format"] = format_

    def next_free(self) -> list[datetime]:
        return self.scheduler.next_free(mode=self.format)

    def offer(self, times: list[datetime], intro: str, **values: Any) -> Turn:
        """Propose `times` as buttons after `intro`; with none at all, offer a callback."""
        if not times:
            weeks = self.scheduler.availability.horizon_weeks
            self.say("utter_booking_none_free", weeks=weeks)
            if self.lead_id is None:  # rescheduling a session booked elsewhere: keep it
                self.say("utter_booking_kept")
                return self.ask(None)
            return self.ask(CALLBACK, booking_options=[])
        self.say(intro, minutes=self.scheduler.availability.session_minutes, **values)
        return self.ask(WHEN, booking_options=_iso(times))

    def choose(self, moment: datetime) -> Turn:
        """The merchant picked a time: ask to confirm, or offer others if it was just taken."""
        return self.confirmation(moment) or self.offer(self.next_free(), "utter_booking_slot_taken")

    def confirmation(self, moment: datetime) -> Turn | None:
        """Name the advisor the free time `moment` would have and ask to confirm; None if the
        time is not free."""
        keep = None
        if self.state.get("booking_mode") == "reschedule":
            try:
                keep = self.scheduler.find(self.state.get("booking_reference") or "").advisor.id
            except UnknownBooking:  # cancelled meanwhile (another conversation)
                self.say("utter_booking_unknown_reference")
                return self.ask(None)
        advisor = self.scheduler.preview(moment, self.lead_id, keep, self.format)
        if advisor is None:
            return None
        return self.ask(
            CONFIRM,
            booking_choice=moment.isoformat(),
            booking_advisor=advisor.id,
            booking_summary=describe(moment, advisor),
        )

    def wish(self, wish: Wish) -> Turn:
        """Propose what fits `wish`, every time saying what was understood."""
        words = wish_words(wish, self.scheduler.now())
        said = words[0].upper() + words[1:]
        if wish.past:
            return self.offer(self.next_free(), "utter_booking_past", wish=said)
        end = self.scheduler.horizon_end()
        if wish.start >= end:  # « le 22 décembre » with three weeks open: the latest times
            latest = Wish(self.scheduler.now(), end, exact=wish.start)
            times = self.scheduler.proposals(latest, mode=self.format)
            weeks = self.scheduler.availability.horizon_weeks
            return self.offer(times, "utter_booking_beyond", wish=said, weeks=weeks)
        if wish.exact is not None:
            confirmation = self.confirmation(wish.exact)
            if confirmation is not None:
                return confirmation
        times = self.scheduler.proposals(wish, mode=self.format)
        if not times:
            return self.offer(self.next_free(), "utter_booking_nothing_then", wish=words)
        if wish.exact is not None:
            return self.offer(times, "utter_booking_closest", wish=said)
        return self.offer(times, "utter_booking_matching", wish=words)

    def wished(self, text: str, wish: Wish) -> Turn:
        """A wish understood in `text`: two possible dates are asked about, else proposed."""
        if wish.alternatives and not wish.past:
            days = [a.date().isoformat() for a in wish.alternatives]
            return self.ask(DAY, booking_wish=text[:200], booking_days=days)
        return self.wish(wish)

    def format_asked(self, format_: str) -> Turn:
        """« Je préférerais en personne »: the chosen time in that format if free, else the
        next times in that format."""
        self.prefer(format_)
        chosen = self.state.get("booking_choice")
        confirmation = self.confirmation(datetime.fromisoformat(chosen)) if chosen else None
        return confirmation or self.offer(self.next_free(), "utter_booking_format", format=format_)

    # The questions

    def start(self, intent: str | None, text: str) -> Turn:
        mode = MODES.get(intent or "", "book")
        reset = {name: None for name in STATE if name != "booking_reference"}
        self.turn.updates.update(
            {**reset, "booking_mode": mode, "booking_format": find_format(text)}
        )
        self.state = {**self.state, **self.turn.updates}
        upcoming = self.scheduler.upcoming(self.lead_id) if self.lead_id else None
        wish = understand(text, self.scheduler.now(), self.scheduler.horizon_days)
        asks = self.format or wish.understood  # « la semaine du 7 ça serait mieux »: no session
        if (
            mode == "reschedule"
            and asks
            and self.lead_id is not None  # a merchant without a session: a booking
            and upcoming is None
            and not find_reference(text)
        ):
            mode = self.state["booking_mode"] = self.turn.updates["booking_mode"] = "book"
        if mode != "book":
            reference = (
                find_reference(text)
                or self.state.get("booking_reference")
                or (upcoming.reference if upcoming else None)
            )
            if reference is None and self.lead_id is not None and mode == "check":
                self.say("utter_booking_none_upcoming")
                return self.ask(None)
            return self.look_up(reference) if reference else self.ask(LOOKUP)
        if self.lead_id is None:
            self.say("utter_booking_needs_intake")
            return self.ask(None)
        if self.lead_outcome not in BOOKABLE:
            self.say("utter_booking_not_eligible")
            return self.ask(None)
        if upcoming is not None and self.format not in (None, upcoming.advisor.mode):
            self.state["booking_mode"] = self.turn.updates["booking_mode"] = "reschedule"
            return self.look_up(upcoming.reference)  # « plutôt en personne »: a move
        if upcoming is not None:  # one session at a time: move or cancel it instead
            self.say("utter_booking_already", summary=upcoming.describe())
            return self.ask(None, booking_reference=upcoming.reference)
        if wish.understood:  # « je veux un rendez-vous jeudi prochain en après-midi »
            return self.wished(text, wish)
        if self.format:
            return self.offer(self.next_free(), "utter_booking_format", format=self.format)
        return self.offer(self.next_free(), "utter_booking_next_free")

    def look_up(self, reference: str | None) -> Turn:
        if reference is None:
            return self.not_understood(
                LOOKUP, "votre numéro de réservation", f"{identity().reference_prefix}7KX3PD4M", []
            )
        try:
            appointment = self.scheduler.find_typed(reference, self.conversation, self.client)
        except UnknownBooking:
            return self.unknown_reference()
        except TooManyTries:
            self.say("utter_booking_too_many_references")
            return self.ask(None, booking_reference=None)
        self.scheduler.found_in(appointment, self.conversation)
        self.state["booking_reference"] = appointment.reference
        self.turn.updates.update(
            booking_reference=appointment.reference, booking_summary=appointment.describe()
        )
        if self.state.get("booking_mode") == "cancel":
            return self.ask(CANCEL)
        if self.state.get("booking_mode") == "check":  # « c'est quand déjà? »: nothing moves
            self.say("utter_booking_check", summary=appointment.describe())
            return self.ask(None)
        if self.format == appointment.advisor.mode:  # « plutôt en personne »: it already is
            self.say(
                "utter_booking_same_format", format=self.format, summary=appointment.describe()
            )
            return self.ask(None)
        self.say("utter_booking_current", summary=appointment.describe())
        if self.format:
            return self.offer(self.next_free(), "utter_booking_format", format=self.format)
        return self.offer(self.next_free(), "utter_booking_next_free")

    def is_wish(self, text: str) -> bool:
        """Whether `text` names a time, a day or asks for other times."""
        if _iso_moment(text) is not None or fold(text) in {MORE, "autre moment", "autres"}:
            return True
        if _LATER.search(fold(text)) or _RANK.match(fold(text)):
            return True
        return understand(text, self.scheduler.now(), self.scheduler.horizon_days).understood

    def kept(self) -> Turn:
        self.say("utter_booking_kept")
        return self.ask(None, booking_choice=None, booking_options=None)

    def aside(self, text: str, question: str) -> Turn | None:
        """While choosing a time: « je garde mon rendez-vous » (a move given up), or « c'est en
        personne ou sur Zoom? » (answered, then `question` again); else None."""
        if self.state.get("booking_mode") == "reschedule" and keeps(text):
            return self.kept()
        if asks_format(text):
            self.say("utter_faq_session_format")
            return self.ask(question)
        return None

    def when(self, text: str) -> Turn:
        clicked = _iso_moment(text)
        if clicked is not None:
            return self.choose(clicked)
        shown = [datetime.fromisoformat(t) for t in self.state.get("booking_options") or []]
        rank = _RANK.match(fold(text))
        if rank and shown:
            return self.choose(sorted(shown)[_RANKS[rank.group(1)]])
        wish = understand(text, self.scheduler.now(), self.scheduler.horizon_days)
        if fold(text) in {MORE, "autre moment", "autres"} or (
            _LATER.search(fold(text)) and not wish.understood and not find_format(text)
        ):
            after = max(shown, default=self.scheduler.now())
            later = Wish(after + timedelta(minutes=1), after + timedelta(weeks=52))
            times = self.scheduler.proposals(later, mode=self.format)
            if not times:
                return self.offer(self.next_free(), "utter_booking_no_later")
            return self.offer(times, "utter_booking_later_times")
        aside = self.aside(text, WHEN)
        if aside is not None:
            return aside
        format_ = find_format(text)
        if wish.understood and shown and _LATER.search(fold(text)):  # « plus tard dans la semaine »
            after = datetime.combine(max(shown).date() + timedelta(days=1), time(0), TIMEZONE)
            wish = replace(wish, start=max(wish.start, after), exact=None, alternatives=())
        if format_ is not None:
            self.prefer(format_)
            if not wish.understood:
                return self.offer(self.next_free(), "utter_booking_format", format=format_)
        if not wish.understood:
            expected = "un jour ou un moment de la semaine"
            return self.not_understood(
                WHEN, expected, "jeudi pm", time_buttons(self.state.get("booking_options"))
            )
        if wish.exact is not None and not names_a_day(text):  # « 10 h 15 », among those shown
            same = [t for t in shown if t.astimezone(TIMEZONE).time() == wish.exact.time()]
            if len(same) == 1:
                return self.choose(same[0])
            if len(same) > 1:
                days = [t.astimezone(TIMEZONE).date().isoformat() for t in same[:2]]
                return self.ask(DAY, booking_wish=text[:200], booking_days=days)
        return self.wished(text, wish)

    def day(self, text: str) -> Turn:
        days = [date.fromisoformat(d) for d in self.state.get("booking_days") or []]
        picked = _iso_day(text)
        if picked is None:
            said = understand(text, self.scheduler.now(), self.scheduler.horizon_days)
            candidates = {said.start.date(), (said.exact or said.start).date()}
            picked = next((d for d in days if d in candidates and said.understood), None)
            if picked is None and fold(text) in {"le premier", "premier", "1"} and days:
                picked = days[0]
            if picked is None and fold(text) in {"le deuxieme", "le second", "deuxieme", "2"}:
                picked = days[-1] if days else None
        if picked is None and self.is_wish(text):  # « lundi prochain 13 h »: another wish
            return self.when(text)
        if picked is None or picked not in days:
            expected = " ou ".join(french_date(d) for d in days)
            example = french_date(days[0]) if days else ""
            return self.not_understood(DAY, expected, example, day_buttons(days))
        original = understand(self.state.get("booking_wish") or "", self.scheduler.now())
        start = datetime.combine(picked, datetime.min.time(), TIMEZONE)
        exact = datetime.combine(picked, original.exact.timetz()) if original.exact else None
        chosen = Wish(
            start,
            start + timedelta(days=1),
            exact=exact.astimezone(TIMEZONE) if exact else None,
            hours=original.hours,
        )
        self.turn.updates.update(booking_days=None, booking_wish=None)
        return self.wish(chosen)

    def confirm(self, text: str) -> Turn:
        answer = find_yes_no(text)
        chosen = self.state.get("booking_choice")
        aside = self.aside(text, CONFIRM)
        if aside is not None:
            return aside
        format_ = find_format(text)
        if format_ is not None and format_ != self._chosen_format():
            return self.format_asked(format_)
        near = None
        if chosen and (not _LATER.search(fold(text)) or SHIFT_IN_DAY.search(fold(text))):
            moment = datetime.fromisoformat(chosen).astimezone(TIMEZONE)
            now, days = self.scheduler.now(), self.scheduler.horizon_days
            near = understand_near(text, moment, now, days)
        if near is not None and near.understood:
            if near.exact == moment or (
                near.exact is None and answer is Answer.YES and near.start <= moment < near.end
            ):
                answer = Answer.YES  # « 13 h c'est parfait », « parfait, à lundi! »
            else:  # « plutôt le mardi », « le lendemain à la même heure »
                return self.wished(text, near)
        elif answer is None and self.is_wish(text):
            return self.when(text)
        if answer is None:
            return self.not_understood(CONFIRM, "oui ou non", "oui", YES_NO)
        if answer is not Answer.YES or not chosen:
            return self.offer(self.next_free(), "utter_booking_next_free")
        moment = datetime.fromisoformat(self.state["booking_choice"])
        advisor = self.state.get("booking_advisor")
        try:
            if self.state.get("booking_mode") == "reschedule":
                appointment = self.scheduler.reschedule(
                    self.state["booking_reference"], moment, advisor
                )
                self.say("utter_booking_moved", summary=appointment.describe())
            else:
                if self.lead_id is None:  # start() lets only a lead book; kept for safety
                    self.say("utter_booking_needs_intake")
                    return self.ask(None)
                appointment = self.scheduler.book(moment, self.lead_id, advisor)
                self.say(
                    "utter_booking_done",
                    summary=appointment.describe(),
                    reference=appointment.reference,
                )
        except SlotTaken:
            return self.offer(self.scheduler.next_free(), "utter_booking_slot_taken")
        except UnknownBooking:
            self.say("utter_booking_unknown_reference")
            return self.ask(None)
        except AlreadyBooked as taken:  # booked from another conversation meanwhile
            existing = self.scheduler.find(taken.reference)
            self.say("utter_booking_already", summary=existing.describe())
            return self.ask(None, booking_reference=existing.reference, booking_choice=None)
        return self.ask(
            None,
            booking_reference=appointment.reference,
            booking_summary=appointment.describe(),
            booking_choice=None,
            booking_options=None,
        )

    def _chosen_format(self) -> str | None:
        advisor = self.scheduler.advisors.get(self.state.get("booking_advisor") or "")
        return advisor.mode if advisor else None

    def cancel(self, text: str) -> Turn:
        answer = find_yes_no(text)
        if answer is None:
            return self.not_understood(CANCEL, "oui ou non", "oui", YES_NO)
        if answer is not Answer.YES:
            self.say("utter_booking_kept")
            return self.ask(None)
        try:
            appointment = self.scheduler.cancel(self.state.get("booking_reference") or "")
        except UnknownBooking:
            self.say("utter_booking_unknown_reference")
            return self.ask(None)
        self.say("utter_booking_cancelled", when=appointment.when)
        return self.ask(None, booking_reference=None, booking_summary=None)

    def callback(self, text: str) -> Turn:
        answer = find_yes_no(text)
        if answer is None:
            return self.not_understood(CALLBACK, "oui ou non", "oui", YES_NO)
        if answer is Answer.YES and self.lead_id is not None:
            self.scheduler.request_callback(self.lead_id, self.state.get("booking_wish"))
            self.say("utter_booking_callback_recorded")
        else:
            self.say("utter_booking_no_callback")
        return self.ask(None)


def take_turn(
    scheduler: Scheduler,
    state: dict[str, Any],
    lead: tuple[Any, Any],
    question: str | None,
    text: str,
    intent: str | None = None,
    confidence: float = 0.0,
    failures: int = 0,
    conversation: str = "",
    client: str = "",
) -> Turn:
    """Handle one message of the booking form in `conversation`, from `client` (the web app's
    hash of its address, "" if unknown). `lead` is (lead id, decision outcome)."""
    handler = BookingTurn(scheduler, dict(state), lead, failures, conversation, client)
    if question is None:
        return handler.start(intent, text)
    if says_not_now(text):
        return Turn(say=[("utter_booking_paused", {})], paused=True)
    answers = question in (WHEN, DAY, CONFIRM) and handler.is_wish(text)
    if not answers or firmly_stops(text):  # « plus tard dans la semaine » answers
        interrupted = interruption(text, question, intent, confidence, "utter_booking_paused")
        if interrupted:
            return interrupted
    if question == LOOKUP:
        return handler.look_up(find_reference(text))
    if question == WHEN:
        return handler.when(text)
    if question == DAY:
        return handler.day(text)
    if question == CONFIRM:
        return handler.confirm(text)
    if question == CANCEL:
        return handler.cancel(text)
    return handler.callback(text)
