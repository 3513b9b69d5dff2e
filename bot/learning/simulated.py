"""Simulated merchants through a running product: each persona of tests/simulation/personas.yml
signs up, answers the intake (and the diagnostic and the booking when eligible) the way that
merchant writes (`bot.learning.merchant`); each is checked — the decision, the stored lead, the
advisor's brief and the booking — and the questions the bot asked again after an answer are
counted. The figures `simulated_merchants` (the share served right) and `simulated_repeats`
(repeated questions per merchant) of config/quality.yml: measured by
`tests/simulation/test_simulated_merchants.py` on the model in service, by
`bot.learning.measure` on a candidate."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.learning.chat import Chat
from bot.learning.merchant import Merchant, Persona, Played, matches, wished
from bot.learning.responses import Responses
from bot.settings import Settings
from bot.storage.database import sessions_for
from bot.storage.leads import lead_rows
from bot.storage.models import Business, Contact
from bot.text import fold

OUTCOMES = {"eligible": "admissible", "refused": "non admissible", "review": "à examiner"}
PARALLEL = 3  # conversations at a time, each with its own sender id


def number_in(text: Any) -> float | None:
    found = re.search(r"\d+(?:[.,]\d+)?", str(text or ""))
    return float(found.group(0).replace(",", ".")) if found else None


def business_of(stack: Settings, email: str) -> Business | None:
    with sessions_for(stack.database_url)() as session:
        return session.scalar(
            select(Business).join(Contact).where(func.lower(Contact.email) == email).limit(1)
        )


def stored_answer(row: dict[str, Any], *words: str) -> str | None:
    """The stored intake answer whose question holds one of `words` ("temps")."""
    return next((v for q, v in row["answers"].items() if any(w in fold(q) for w in words)), None)


def same(expected: Any, stored: Any) -> bool:
    return fold(str(expected)) == fold(str(stored or ""))


def check_intake(stack: Settings, persona: Persona, row: dict[str, Any]) -> list[str]:
    facts, wrong = persona.facts, []
    business = business_of(stack, facts["email"].lower())
    values: dict[str, tuple[Any, Any]] = {
        "outcome": (OUTCOMES[persona.expected], row["outcome"]),
        "postal_code": (facts.get("postal_code"), row["postal_code"]),
        "sector": (facts["sector"], row["sector"]),
        "phone": (facts["phone"], row["phone"]),
        "storefront": (facts["storefront"], business and business.storefront),
        "sdc_member": (facts["sdc_member"], business and business.sdc_or_association),
    }
    if "municipality" in facts:
        values["municipality"] = (facts["municipality"], row["municipality"])
    for name, (expected, stored) in values.items():
        if not same(expected, stored):
            wrong.append(f"{name} stored {stored!r}, expected {expected!r}")
    if fold(facts["business_name"]) not in fold(row["business"]):
        wrong.append(f"business stored {row['business']!r}, expected {facts['business_name']!r}")
    numbers = {
        "employees": business.employees if business else None,
        "hours_per_week": number_in(stored_answer(row, "temps")),
    }
    for name, stored in numbers.items():
        expected = facts.get(name)
        if expected is None:
            continue
        low, high = expected if isinstance(expected, list) else (expected, expected)
        if stored is None or not low - 0.01 <= float(stored) <= high + 0.01:
            wrong.append(f"{name} stored {stored!r}, expected {expected!r}")
    if persona.expected == "refused" and row["review_requested"] is not persona.review:
        wrong.append(f"review requested {row['review_requested']}, expected {persona.review}")
    return wrong


def check_diagnostic(persona: Persona, row: dict[str, Any]) -> list[str]:
    facts, diagnostic = persona.facts, row["diagnostic"]
    if diagnostic is None or not diagnostic["completed"] or not diagnostic["brief"]:
        return [f"no completed diagnostic with a brief: {diagnostic!r}"]
    answers, wrong = diagnostic["answers"], []
    for name in ("website", "posting", "google_profile", "online_sales"):
        expected = facts.get(f"diag_{name}")
        stored = answers.get(name)
        if expected is not None and fold(str(expected)).split()[-1] not in fold(str(stored)):
            wrong.append(f"diagnostic {name} stored {stored!r}, expected {expected!r}")
    for name in ("social_networks", "tools"):
        expected, stored = facts.get(f"diag_{name}"), answers.get(name)
        if expected is not None and not matches(f"diag_{name}", expected, str(stored), facts):
            wrong.append(f"diagnostic {name} stored {stored!r}, expected {expected!r}")
    budget, stored_budget = facts.get("diag_budget"), str(answers.get("budget"))
    if budget is None:
        if "sais pas" not in fold(stored_budget):
            wrong.append(f"diagnostic budget stored {stored_budget!r}, expected unknown")
    elif not matches("diag_budget", budget, stored_budget, facts):
        wrong.append(f"diagnostic budget stored {stored_budget!r}, expected {budget!r}")
    return wrong


def check_booking(persona: Persona, played: Played, row: dict[str, Any]) -> list[str]:
    session = row["session"]
    if session is None or session["reference"] != played.reference:
        return [f"booking stored {session!r}, the bot said {played.reference!r}"]
    moment = datetime.fromisoformat(session["starts_at"])
    assert persona.booking is not None
    if not wished(persona.booking, moment):
        return [f"booked {moment:%A %d %B %H:%M}, wished « {persona.booking['wish']} »"]
    return []


def check(stack: Settings, played: Played, rows: dict[str, dict[str, Any]]) -> list[str]:
    """What this merchant did not get right: the decision, the lead, the brief, the booking."""
    persona = played.persona
    wrong = list(played.failures)
    if played.decision != persona.expected:
        wrong.append(f"decision {played.decision}, expected {persona.expected}")
    row = rows.get(persona.facts["email"].lower())
    if row is None:
        return [*wrong, "no lead stored"]
    wrong += check_intake(stack, persona, row)
    if persona.expected != "refused" and persona.then == "diagnostic":
        wrong += check_diagnostic(persona, row)
    if persona.booking is not None and persona.expected != "refused":
        wrong += check_booking(persona, played, row)
    return wrong


def table(results: list[tuple[Played, list[str]]]) -> str:
    lines = ["", f"{'persona':<28} {'style':<24} repeats  result"]
    for played, wrong in results:
        result = "ok" if not wrong else f"{len(wrong)} failure(s)"
        lines.append(
            f"{played.persona.id:<28} {played.persona.style[:24]:<24} "
            f"{len(played.repeats):>7}  {result}"
        )
        lines += [f"    repeated {r}" for r in played.repeats]
        lines += [f"    FAILED {w}" for w in wrong]
        lines += [f"    unrecognised bot message «{u}»" for u in played.unknown]
        lines += [f"    note: {n}" for n in played.notes]
    return "\n".join(lines)


@dataclass(frozen=True)
class Simulation:
    """Every persona's conversation and what it did not get right."""

    results: list[tuple[Played, list[str]]]

    @property
    def served(self) -> int:
        return sum(not wrong for _, wrong in self.results)

    @property
    def served_share(self) -> float:
        """`simulated_merchants`: the share of merchants served right."""
        return self.served / len(self.results) if self.results else 0.0

    @property
    def repeats(self) -> float:
        """`simulated_repeats`: questions asked again per merchant, on average."""
        played = [p for p, _ in self.results]
        return sum(len(p.repeats) for p in played) / len(played) if played else 0.0


def simulate(
    stack: Settings, responses: Responses, personas: list[Persona], parallel: int = PARALLEL
) -> Simulation:
    """Play every persona on `stack` (`parallel` at a time), then check each against what the
    product stored (their e-mails must be new to its database)."""

    def play(persona: Persona) -> Played:
        return Merchant(persona, Chat(stack, responses), responses).play()

    with ThreadPoolExecutor(parallel) as pool:
        played = list(pool.map(play, personas))
    rows = {row["email"].lower(): row for row in lead_rows(sessions_for(stack.database_url))}
    return Simulation([(p, check(stack, p, rows)) for p in played])
