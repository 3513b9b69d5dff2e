# ruff: noqa: F811  (the booking tests' fixtures, imported, are the tests' parameters)
"""Booking references cannot be guessed: references that match nothing are counted per
conversation (5 a day) and per client address (20 a day) — in memory, or in the real Redis
server that every action server shares — then even the right one is refused and the merchant
is pointed to a person; new references have 8 characters."""

from __future__ import annotations

import re

import pytest

from bot.booking import Scheduler
from bot.booking_form import CANCEL, LOOKUP
from bot.mail import MailSettings
from bot.throttle import RedisStore, Throttle
from tests.storage.test_booking_form import (  # noqa: F401 (fixtures)
    NOW,
    RULES,
    Conversation,
    booked,
    lead,
    outbox,
    scheduler,
)


def wrong(scheduler: Scheduler, conversation: str, client: str, times: int) -> list[str]:
    """`times` wrong references typed in a cancellation, each said after the other."""
    chat = Conversation(scheduler, (None, None), conversation, client)
    chat.send("annuler mon rendez-vous", "cancel_booking")
    said = []
    for i in range(times):
        chat.question = LOOKUP
        chat.send(f"NQ-ZZZZZ{'23456789'[i % 8]}")
        said += chat.said
    return said


def cancel_with(scheduler: Scheduler, reference: str, conversation: str, client: str) -> list[str]:
    chat = Conversation(scheduler, (None, None), conversation, client)
    chat.send("annuler mon rendez-vous", "cancel_booking")
    chat.send(reference)
    return [*chat.said, str(chat.question)]


def test_new_references_have_eight_characters(
    scheduler: Scheduler,
    lead: tuple[int, str],
) -> None:
    assert re.fullmatch(r"NQ-[A-HJ-NP-Z2-9]{8}", booked(scheduler, lead))


def test_five_wrong_references_in_a_conversation_stop_the_lookup_there(
    scheduler: Scheduler,
    lead: tuple[int, str],
) -> None:
    reference = booked(scheduler, lead)
    said = wrong(scheduler, "conv-devine", "client-a", 5)
    assert "utter_booking_too_many_references" not in said
    assert cancel_with(scheduler, reference, "conv-devine", "client-a") == [
        "utter_booking_too_many_references", "None",
    ]  # fmt: skip
    # The merchant's own conversation, from elsewhere, still finds it.
    assert cancel_with(scheduler, reference, "conv-marie", "client-b")[-1] == CANCEL


def redis_scheduler(scheduler: Scheduler, url: str) -> Scheduler:
    """Another action server: its own process, the same database and Redis."""
    mail = MailSettings("100 % NumériQC <noreply@example.org>", outbox=scheduler.mail.outbox)
    return Scheduler(
        scheduler.sessions, RULES, mail, "https://100numeriqc.qcnum.com", clock=lambda: NOW,
        limits=Throttle(RedisStore(url), lambda: NOW),
    )  # fmt: skip


@pytest.mark.parametrize("store", ["memory", "redis"])
def test_the_twenty_first_wrong_reference_from_one_client_is_refused_across_conversations(
    scheduler: Scheduler,
    lead: tuple[int, str],
    store: str,
    request: pytest.FixtureRequest,
) -> None:
    reference = booked(scheduler, lead)
    instances = [scheduler, scheduler]
    if store == "redis":  # two action servers sharing Redis, taking turns
        url = request.getfixturevalue("redis_url")
        instances = [redis_scheduler(scheduler, url), redis_scheduler(scheduler, url)]
    for n in range(5):  # 5 conversations × 4 wrong tries = 20, none of them stopped
        said = wrong(instances[n % 2], f"conv-{n}", "client-a", 4)
        assert "utter_booking_too_many_references" not in said
    refused = cancel_with(instances[1], reference, "conv-21", "client-a")
    assert refused[0] == "utter_booking_too_many_references"
    assert cancel_with(instances[0], reference, "conv-22", "client-b")[-1] == CANCEL
