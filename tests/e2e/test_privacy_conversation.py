"""Issue 12's conversation through the running product (REST channel, trained model, action
server, SQLite, a real SMTP server): a merchant completes the intake and books a session, then
asks in the chat to erase their data and confirms with the code from the e-mail received.
Afterwards the application database, the tracker store and the outbox hold nothing of them
(the deletion's confirmation was mailed), their session is cancelled and the advisor told."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from bot.clock import system_now
from bot.privacy.tracker import erase_idle
from bot.settings import Settings
from bot.storage.database import sessions_for
from bot.storage.models import Booking
from tests.conftest import FROZEN_NOW, Responses, free_port, running_stack
from tests.e2e.test_booking_conversation import ASK_WHEN, buttons, reference_in
from tests.e2e.test_intake_conversation import ANSWERS, RECAP, Chat, start
from tests.storage.test_privacy import occurrences
from tests.unit.test_mail import Inbox

NAME, EMAIL, PHONE = "Josée Bélanger", "josee.belanger@exemple.com", "581 555-0199"
NEEDLES = (NAME, EMAIL, "+15815550199")


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler, port = Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture(scope="module")
def mailing_stack(
    tmp_path_factory: pytest.TempPathFactory, inbox: tuple[Inbox, int]
) -> Iterator[Settings]:
    with running_stack(
        tmp_path_factory.mktemp("var-privacy"), frozen_clock=FROZEN_NOW,
        smtp_host="127.0.0.1", smtp_port=inbox[1],
    ) as settings:  # fmt: skip
        yield settings


def text_of(mail: EmailMessage) -> str:
    body = mail.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content())


def test_a_merchant_erases_their_data_from_the_chat(
    mailing_stack: Settings, inbox: tuple[Inbox, int], responses: Responses
) -> None:
    received = inbox[0].received
    chat = Chat(mailing_stack, responses)
    answers = ANSWERS | {"utter_ask_contact_name": NAME, "utter_ask_email": EMAIL,
                         "utter_ask_phone": PHONE}  # fmt: skip
    chat.answer_until(RECAP, answers, start(chat))
    assert chat.say("oui") == ["utter_intake_eligible"]
    assert chat.say("je voudrais prendre rendez-vous") == ASK_WHEN
    assert chat.say(buttons(chat)[0]["payload"]) == ["utter_ask_booking_confirm"]
    assert chat.say("oui") == ["utter_booking_done"]
    reference = reference_in(chat)
    assert any(m["To"] == EMAIL for m in received)  # the invitation

    assert chat.say("supprimez mes données") == [
        "utter_privacy_intro", "utter_privacy_code_sent", "utter_ask_privacy_code",
    ]  # fmt: skip
    code_mail = received[-1]
    assert code_mail["To"] == EMAIL and "code" in str(code_mail["Subject"])
    found = re.search(r"\b(\d{6})\b", text_of(code_mail))
    assert found
    assert chat.say(found.group(1)) == ["utter_privacy_verified", "utter_ask_privacy_confirm"]
    assert chat.say("oui") == ["utter_privacy_erased"]

    confirmation = received[-1]
    assert confirmation["To"] == EMAIL
    assert str(confirmation["Subject"]) == "Vos renseignements sont effacés"
    assert reference in text_of(confirmation)
    advisor = [m for m in received if reference in str(m) and "annul" in str(m["Subject"])]
    assert advisor and advisor[-1]["To"] != EMAIL
    with sessions_for(mailing_stack.database_url)() as session:
        assert session.scalar(select(Booking.status).where(Booking.reference == reference)) == (
            "cancelled"
        )

    # The scheduled job erases the conversation once idle: run it as a minute later.
    later = system_now() + timedelta(minutes=2)  # Rasa stamps its events on the system clock
    sessions = sessions_for(mailing_stack.database_url)
    assert erase_idle(sessions, mailing_stack.tracker_url, now=later) == [chat.sender]
    assert occurrences(mailing_stack.database_url, NEEDLES) == []
    assert occurrences(mailing_stack.tracker_url, NEEDLES) == []
    outbox = mailing_stack.var_dir / "outbox"
    kept = [p.read_text(errors="replace") for p in outbox.rglob("*.eml")] if outbox.exists() else []
    assert [t for t in kept if any(n.casefold() in t.casefold() for n in NEEDLES)] == []
