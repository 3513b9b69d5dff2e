"""A user simulator: one merchant persona played end to end through the REST channel (the
personas are test data: tests/simulation/personas.yml, beside the tests that read them, as the
test sets of tests/nlu are; `bot.learning.simulated` plays them all and judges the result).

The simulator knows what the bot asks by matching each bot message against the domain's
responses (`bot.learning.responses.Responses`, from the pack's program/responses/) and mapping the response's
name to the field it asks (`utter_ask_employees`, and any re-ask variant whose name holds the
field, such as `utter_reask_employees` or `utter_ask_employees_examples`). It never relies on
the wording of today's questions. It answers from the persona's facts in the persona's style;
asked the same question again, it says it more plainly, then clicks the matching button if the
bot offers one (sending its payload, as a browser does), then gives up.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.learning.chat import Chat
from bot.learning.responses import Responses
from bot.pack import Identity, identity
from bot.pack.eligibility import current_eligibility
from bot.pack.territory import current_territory
from bot.settings import ROOT
from bot.text import fold

PERSONAS = ROOT / "tests" / "simulation" / "personas.yml"

INTAKE_FIELDS = (
    "business_name", "contact_name", "contact_role", "email", "phone", "address",
    "municipality", "storefront", "sector", "sector_detail", "sdc_member", "association_name",
    "employees", "hours_per_week", "readiness", "impact",
)  # fmt: skip
DIAGNOSTIC_FIELDS = (
    "diag_website", "diag_platform", "diag_social_networks", "diag_posting",
    "diag_google_profile", "diag_online_sales", "diag_newsletter", "diag_online_booking",
    "diag_tools", "diag_goals", "diag_obstacles", "diag_budget", "diag_first_change",
)  # fmt: skip
# Steps of the conversation that are not answers from the persona's facts.
RECAP, SUMMARY = "recap", "summary"
STEPS = (
    "consent", "field_to_correct", "diag_field_to_correct", "booking_lookup", "booking_when",
    "booking_day", "booking_confirm", "booking_cancel", "booking_callback",
)  # fmt: skip
ALIASES = {"recap_confirmed": RECAP, "diag_summary_confirmed": SUMMARY}
KNOWN = (*INTAKE_FIELDS, *DIAGNOSTIC_FIELDS, *STEPS, *ALIASES)
# Words in a response's name that say it asks (or asks again) something.
ASKING_WORDS = {"ask", "reask", "retry", "again", "example", "examples", "choices", "buttons"}
# Words in the name of a response that asks the pending question again without naming it
# (« Pardon, je n'ai pas bien saisi… », the choices as buttons after a second failure).
AGAIN_WORDS = {"retry", "again", "choices", "help", "understood", "rephrase"}
AGAIN = "<the same question>"
DECISIONS = {
    "utter_intake_eligible": "eligible",
    "utter_intake_to_review": "review",
    "utter_intake_not_eligible": "refused",
}
BOOK_NOW = "utter_diagnostic_saved"  # "do you want to choose the time now?"
YES_NO_FIELDS = {
    "storefront", "sdc_member", "diag_google_profile", "diag_online_sales", "diag_newsletter",
    "diag_online_booking",
}  # fmt: skip
NUMBER_FIELDS = {"employees", "hours_per_week", "diag_budget"}
LIST_WORDS = (
    "facebook", "instagram", "tiktok", "linkedin", "youtube", "pinterest", "caisse",
    "comptabilite", "inventaire",
)  # fmt: skip
LIST_SYNONYMS = {
    "point de vente": "caisse",
    "pos": "caisse",
    "fb": "facebook",
    "insta": "instagram",
}
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
WHEN = "booking_when"
MAX_TRIES = 4  # answers to one question before the merchant gives up
MAX_TURNS = 90


@cache
def _reference(identity: Identity) -> re.Pattern[str]:
    """A booking reference of `identity`'s prefix, as the bot writes it (« NQ-7KX3PD4M »)."""
    return re.compile(rf"\b{re.escape(identity.reference_prefix)}[A-Z2-9]{{8}}\b")


def field_of(name: str) -> str | None:
    """The field a response asks, from its name, or None if it asks none of ours."""
    if name.startswith(("utter_faq_", "<unknown")):
        return None
    tokens = name.removeprefix("utter_").split("_")
    if not ASKING_WORDS & set(tokens):
        return None
    found = [
        known
        for known in KNOWN
        if any(
            tokens[i : i + len(known.split("_"))] == known.split("_") for i in range(len(tokens))
        )
    ]
    if not found:
        return None
    best = max(found, key=lambda k: len(k.split("_")))
    return ALIASES.get(best, best)


@dataclass(frozen=True)
class Message:
    """One bot message: the response it comes from, its text and buttons, what it asks."""

    name: str
    text: str
    buttons: list[dict[str, str]]
    asks: str | None


@dataclass
class Persona:
    """A merchant: facts (the truth), how they say each answer, and what they want."""

    id: str
    style: str
    expected: str  # eligible | refused | review
    opener: str
    facts: dict[str, Any]
    says: dict[str, Any] = field(default_factory=dict)
    plain: dict[str, str] = field(default_factory=dict)
    then: str = "diagnostic"  # after an eligible or to-review decision: diagnostic|book|later
    review: bool = False  # after a refusal: ask a person to review it
    booking: dict[str, Any] | None = None  # {wish, weekday, part, date, week}
    asks: list[dict[str, str]] = field(default_factory=list)  # [{before: field, question}]
    correction: dict[str, str] | None = None  # {field, text, names}
    types_buttons: bool = False  # types "oui" where a browser user would click


def load_personas(path: Path = PERSONAS) -> list[Persona]:
    return [Persona(**entry) for entry in yaml.safe_load(path.read_text())]


@dataclass
class Played:
    """What happened in one persona's conversation."""

    persona: Persona
    decision: str | None = None
    reference: str | None = None
    repeats: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # not failures, but worth a look
    transcript: list[str] = field(default_factory=list)


def short(text: str, size: int = 140) -> str:
    line = " ".join(text.split())
    return line if len(line) <= size else line[: size - 1] + "…"


# ---- answers from the facts ------------------------------------------------------------------


def plain_answer(persona: Persona, name: str) -> str:
    """The persona's fact for `name`, said as plainly as possible."""
    if name in persona.plain:
        return persona.plain[name]
    value = persona.facts.get(name)
    if name == "municipality" and value is None:
        return str(persona.facts.get("town", current_territory().municipality))
    if value is None:
        return "je ne sais pas"
    if name == "phone":
        digits = str(value).removeprefix("+1")
        return f"{digits[:3]} {digits[3:6]}-{digits[6:]}"
    if name == "hours_per_week":
        value = value[0] if isinstance(value, list) else value
        return f"{round(value * 60)} minutes" if value < 1 else f"{value:g} heures"
    if name == "diag_budget":
        if isinstance(value, list):
            return f"entre {value[0]} et {value[1]} $"
        return f"{value} $"
    if isinstance(value, list):
        return ", ".join(value) if value else "aucun"
    return str(value)


_NUMBER_WORDS = {"un": "1", "une": "1", "deux": "2", "trois": "3", "cinq": "5", "dix": "10"}


def interval(title: str, in_hours: bool) -> tuple[float, float, bool] | None:
    """The range of numbers a button's title names: (low, high, high included), or None."""
    words = [_NUMBER_WORDS.get(w, w) for w in fold(title).split()]
    text = re.sub(r"(\d) (\d{3})\b", r"\1\2", " ".join(words))
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]
    if not numbers:
        return None
    if in_hours and "min" in text:
        numbers = [n / 60 for n in numbers]
    if "moins" in text:
        return (0.0, numbers[0], False)
    if "plus" in text or "+" in title:
        return (numbers[0], math.inf, True)
    return (numbers[0], numbers[-1], True)


def _inside(value: float, span: tuple[float, float, bool]) -> bool:
    low, high, included = span
    return low <= value and (value <= high if included else value < high)


def _words(text: str) -> set[str]:
    folded = f" {fold(text)} "
    for other, word in LIST_SYNONYMS.items():
        folded = folded.replace(f" {other} ", f" {word} ")
    return {w for w in LIST_WORDS if w in folded}


def matches(name: str, value: Any, title: str, facts: dict[str, Any]) -> bool:
    """Whether a button titled `title` says the fact `value` of field `name`."""
    folded = fold(title)
    if value is None or value == "je ne sais pas":
        return "sais pas" in folded or "passer" in folded
    if name in YES_NO_FIELDS:
        return folded.split()[:1] == fold(str(value)).split()[:1]
    if name in NUMBER_FIELDS and value == 1 and ("moi" in folded or "seul" in folded):
        return True
    if name in {"diag_goals", "diag_obstacles"}:
        stems = {w[:5] for item in value for w in fold(item).split() if len(w) >= 5}
        return any(stem in folded for stem in stems)
    if name in NUMBER_FIELDS:
        span = interval(title, name == "hours_per_week")
        values = value if isinstance(value, list) else [value]
        return span is not None and all(_inside(float(v), span) for v in values)
    if name == "sector":
        buttons = {s.label: s.button for s in current_eligibility().every_sector}
        return fold(value) in folded or folded == fold(buttons.get(value, value))
    if name == "contact_role":
        return fold(str(facts.get("role_kind", value)))[:6] in folded
    if name == "readiness":
        keys = {"pret a commencer": "commencer", "d ici quelques mois": "mois"}
        return keys.get(fold(value), "inform") in folded
    if name in {"diag_social_networks", "diag_tools"}:
        return _words(title) == {fold(v) for v in value} and (bool(value) or "aucun" in folded)
    if name in {"diag_website", "diag_posting"}:
        return fold(value).split()[-1] in folded
    return folded == fold(str(value))


def matching_button(
    name: str, value: Any, buttons: list[dict[str, str]], facts: dict[str, Any]
) -> dict[str, str] | None:
    return next((b for b in buttons if matches(name, value, b.get("title", ""), facts)), None)


def signs_up(button: dict[str, str]) -> bool:
    """Whether a button starts the eligibility check ("Vérifier mon admissibilité")."""
    title = fold(button.get("title", ""))
    return button.get("payload") == "/request_eligibility" or any(
        w in title for w in ("verifier mon", "inscri")
    )


def button_with(buttons: list[dict[str, str]], *words: str) -> dict[str, str] | None:
    """The first button whose folded title holds one of `words`."""
    return next((b for b in buttons if any(w in fold(b.get("title", "")) for w in words)), None)


# ---- booking wishes ---------------------------------------------------------------------------


def wished(booking: dict[str, Any], moment: datetime) -> bool:
    """Whether `moment` is what the persona asked for (weekday, part of the day, date, week)."""
    if "weekday" in booking and WEEKDAYS[moment.weekday()] != booking["weekday"]:
        return False
    if booking.get("part") == "am" and moment.hour >= 12:
        return False
    if booking.get("part") == "pm" and moment.hour < 12:
        return False
    if "date" in booking and moment.date() != date.fromisoformat(str(booking["date"])):
        return False
    if "hour" in booking and moment.hour != booking["hour"]:
        return False
    week = booking.get("week")
    return not week or moment.date().isocalendar()[1] == date.fromisoformat(week).isocalendar()[1]


def moment_of(button: dict[str, str]) -> datetime | None:
    try:
        return datetime.fromisoformat(button.get("payload", ""))
    except ValueError:
        return None


def day_of(button: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(button.get("payload", ""))
    except ValueError:
        return None


# ---- the merchant -----------------------------------------------------------------------------


class Merchant:
    """Plays one persona; `play()` returns what happened."""

    def __init__(self, persona: Persona, chat: Chat, responses: Responses) -> None:
        self.persona = persona
        self.chat = chat
        self.responses = responses
        self.played = Played(persona)
        self.phase = "start"  # start, intake, decided, diagnostic, booking
        self.previous: str | None = None  # what the last bot turn asked
        self.answered: str | None = None  # the field the merchant's last message answered
        self.said = ""
        self.tries = 0
        self.questions_asked: set[str] = set()
        self.pending_question: str | None = None  # the field after a mid-form question
        self.corrected = False
        self.wishes = 0  # times the merchant typed when they would like to meet
        self.wish = ""  # what they typed last
        self.finishing = False
        self.resent = False  # the merchant wrote a message again after a technical error

    # -- reading the bot --

    def read(self, raw: list[dict[str, Any]]) -> list[Message]:
        messages = []
        for reply in raw:
            text = str(reply.get("text") or "")
            buttons = list(reply.get("buttons") or [])
            name = self.responses.name_of(text)
            asks = field_of(name)
            tokens = set(name.removeprefix("utter_").split("_"))
            if asks is None and tokens & AGAIN_WORDS and not name.startswith("<unknown"):
                asks = AGAIN
            if "stuck" in tokens:
                asks = "stuck"
            if name in DECISIONS:
                asks = "decision"
            elif name == BOOK_NOW:
                asks = "book_now"
            elif name.startswith("<unknown"):
                if sum(line.lstrip().startswith("•") for line in text.splitlines()) >= 2:
                    asks = SUMMARY if self.phase == "diagnostic" else RECAP
                else:
                    self.played.unknown.append(short(text))
                    if text.rstrip().endswith("?") and self.previous:
                        asks = self.previous  # a re-ask whose words are not in the domain
            messages.append(Message(name, text, buttons, asks))
        return messages

    def send(self, text: str, answered: str | None) -> list[Message]:
        self.said, self.answered = text, answered
        self.chat.say(text)
        messages = self.read(self.chat.last)
        self.played.transcript.append(f"  > {text}")
        self.played.transcript += [
            f"  < {short(m.text)}"
            + (f" [{' | '.join(b.get('title', '') for b in m.buttons)}]" if m.buttons else "")
            for m in messages
        ]
        return messages

    def fail(self, what: str, messages: list[Message]) -> None:
        bot = " | ".join(short(m.text, 160) for m in messages) or "(nothing)"
        self.played.failures.append(f"{what}: said «{self.said}» → bot «{bot}»")

    # -- playing --

    def play(self) -> Played:
        try:
            self._play()
        except Exception as error:  # a crash of the product is a failure of this persona
            self.played.failures.append(f"error after «{self.said}»: {error!r}")
        return self.played

    def _play(self) -> None:
        messages = self.send(self.persona.opener, None)
        if not any(m.asks == "consent" for m in messages):
            start = next((b for b in self._buttons(messages) if signs_up(b)), None)
            if start is None:
                self.fail("opener not understood as a wish to sign up", messages)
            messages = self.send(start["payload"] if start else "je veux m'inscrire", None)
        self.phase = "intake"
        for _ in range(MAX_TURNS):
            if self.finishing or self.played.reference:
                return
            reply = self._next(messages)
            if reply is None:
                return
            messages = self.send(*reply)
        self.fail("too many turns", messages)

    @staticmethod
    def _buttons(messages: list[Message]) -> list[dict[str, str]]:
        return [b for m in messages for b in m.buttons]

    def _next(self, messages: list[Message]) -> tuple[str, str | None] | None:
        """What the merchant says next: (text, field it answers), or None to stop."""
        for message in messages:
            if message.name in DECISIONS:
                self.played.decision = DECISIONS[message.name]
                self.phase = "decided"
            if found := _reference(identity()).search(message.text):
                self.played.reference = found.group(0)
        if self.played.reference:
            return None
        asked = next((m for m in reversed(messages) if m.asks), None)
        after_question = self.pending_question is not None
        if after_question:
            if not any(m.name.startswith(("utter_faq_", "utter_territory_")) for m in messages):
                self.fail("question asked mid-form not answered", messages)
            self.pending_question = None
        unknown = any(m.name.startswith("<unknown") for m in messages)
        if asked is None and unknown and self.previous in (*INTAKE_FIELDS, *DIAGNOSTIC_FIELDS):
            asked = Message("<unknown>", "", [], self.previous)  # a re-ask in new words
        if asked is None and not self.resent and any("failed" in m.name for m in messages):
            self.fail(f"technical error at {self.previous}", messages)
            self.resent = True  # as the bot asks: write the message again
            return self.said, self.answered
        if asked is None:
            self.fail(f"conversation stalled (expected the step after {self.previous})", messages)
            return None
        step = asked.asks or ""
        if step == AGAIN:
            step = self.previous or ""
        if step == "stuck":
            self.fail(f"the bot gave up on {self.previous}", messages)
            return None
        if step == self.previous and after_question:
            pass  # the question again after the answer to the merchant's own question
        elif step == self.previous or (step == "booking_when" and self.answered == step):
            self.tries += step == self.previous
            if step == self.answered and not self._progress(step, messages):
                said = self.wish if step == WHEN else self.said
                self.played.repeats.append(f"{step}: «{said}» → «{short(messages[0].text, 100)}»")
        else:
            self.tries = 0
        self.previous = step
        buttons = self._buttons(messages)
        if step in DIAGNOSTIC_FIELDS:
            self.phase = "diagnostic"
        if step in INTAKE_FIELDS or step in DIAGNOSTIC_FIELDS:
            return self._answer(step, buttons, messages)
        return self._navigate(step, buttons, messages)

    def _progress(self, step: str, messages: list[Message]) -> bool:
        """Asked "when?" again with times that fit the wish: progress, not a repeated question."""
        if step != "booking_when":
            return False
        confused = ("not_understood", "rephrase", "help", "<unknown")
        if any(any(w in m.name for w in confused) for m in messages):
            return False
        times = [m for b in self._buttons(messages) if (m := moment_of(b)) is not None]
        return any(wished(self.persona.booking or {}, t) for t in times)

    def _answer(
        self, step: str, buttons: list[dict[str, str]], messages: list[Message]
    ) -> tuple[str, str | None] | None:
        persona = self.persona
        question = next((q for q in persona.asks if q["before"] == step), None)
        if question and step not in self.questions_asked:
            self.questions_asked.add(step)
            self.pending_question = step
            return question["question"], None
        if self.tries >= MAX_TRIES:
            self.fail(f"stuck at {step} after {self.tries} answers", messages)
            return None
        styled = persona.says.get(step)
        variants = styled if isinstance(styled, list) else ([styled] if styled else [])
        if self.corrected and persona.correction and step == persona.correction["field"]:
            return plain_answer(persona, step), step
        if self.tries == 0 and variants:
            return variants[0], step
        if self.tries == 1:
            return (variants[1] if len(variants) > 1 else plain_answer(persona, step)), step
        if self.tries >= 2:
            button = matching_button(step, persona.facts.get(step), buttons, persona.facts)
            if button is not None:
                return button["payload"], step
            if persona.facts.get(step) is None:
                return "passer", step
        return plain_answer(persona, step), step

    def _choose(
        self, buttons: list[dict[str, str]], typed: str, *words: str
    ) -> tuple[str, str | None]:
        """Click the button holding one of `words`, or type `typed` (always, for a persona who
        types rather than clicks)."""
        button = None if self.persona.types_buttons else button_with(buttons, *words)
        return (button["payload"] if button else typed), None

    def _navigate(
        self, step: str, buttons: list[dict[str, str]], messages: list[Message]
    ) -> tuple[str, str | None] | None:
        persona = self.persona
        if self.tries >= MAX_TRIES:
            self.fail(f"stuck at {step}", messages)
            return None
        if step == "consent":
            return self._choose(buttons, persona.says.get("consent", "oui"), "accept")
        if step == RECAP:
            if persona.correction and not self.corrected:
                self.corrected = True
                return persona.correction["text"], None
            return self._choose(buttons, persona.says.get(RECAP, "oui c'est correct"), "oui")
        if step == "field_to_correct" and persona.correction:
            return persona.correction["names"], None
        if step == "decision":
            return self._after_decision(buttons)
        if step == SUMMARY:
            return self._choose(buttons, persona.says.get(SUMMARY, "oui c'est ça"), "oui")
        if step == "book_now":
            if persona.booking is None:
                self.finishing = True
                return self._choose(buttons, "non merci, plus tard", "plus tard")
            self.phase = "booking"
            return self._choose(buttons, persona.says.get("book_now", "oui"), "choisir")
        if step == "booking_when":
            return self._when(buttons, messages)
        if step == "booking_day":
            return self._day(buttons)
        if step == "booking_confirm":
            return self._choose(buttons, persona.says.get("booking_confirm", "oui"), "oui")
        self.fail(f"unexpected question {step}", messages)
        return None

    def _after_decision(self, buttons: list[dict[str, str]]) -> tuple[str, str | None]:
        persona, decision = self.persona, self.played.decision
        typed = persona.says.get("decision")
        if decision == "refused":
            self.finishing = True
            if persona.review:
                return self._choose(buttons, typed or "oui je veux une révision", "oui")
            return self._choose(buttons, typed or "non merci", "non")
        if persona.then == "book":
            self.phase = "booking"
            return self._choose(buttons, typed or "je veux réserver une rencontre", "reserver")
        if persona.then == "later":
            self.finishing = True
            return self._choose(buttons, typed or "plus tard", "plus tard")
        return self._choose(buttons, typed or "oui allons-y", "allons", "oui")

    def _when(
        self, buttons: list[dict[str, str]], messages: list[Message]
    ) -> tuple[str, str | None] | None:
        booking = self.persona.booking or {}
        if not self.wishes:
            self.wishes += 1
            self.wish = str(booking.get("wish", "n'importe quand"))
            return self.wish, WHEN
        times = [(b, m) for b in buttons if (m := moment_of(b)) is not None]
        chosen = next((b for b, m in times if wished(booking, m)), None)
        if chosen is not None:
            return chosen["payload"], None
        if times and self.wishes >= 2:
            self.fail(f"no proposed time fits « {booking.get('wish')} »", messages)
            return times[0][0]["payload"], None
        self.wishes += 1
        self.wish = str(booking.get("plain", booking.get("wish")))
        return self.wish, WHEN

    def _day(self, buttons: list[dict[str, str]]) -> tuple[str, str | None]:
        """Which day: the day completes the wish typed, so it answers "when?"."""
        booking = self.persona.booking or {}
        if not booking.get("ambiguous"):
            self.played.notes.append(f"asked which day for « {booking.get('wish')} »")
        days = [(b, d) for b in buttons if (d := day_of(b)) is not None]
        if "date" in booking:
            wanted = date.fromisoformat(str(booking["date"]))
            chosen = next((b for b, d in days if d == wanted), None)
            if chosen is not None:
                return chosen["payload"], WHEN
        if days:
            return days[0][0]["payload"], WHEN
        return str(booking.get("wish")), WHEN
