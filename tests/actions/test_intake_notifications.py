"""The intake actions tell the team (TEAM_EMAIL) after the commit: a new eligible lead, a review
request; a failing notification never changes what the merchant is told."""

from __future__ import annotations

from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

import bot.notifications
from actions.intake import ActionAfterDecision, ActionSubmitIntake
from bot.storage.database import upgrade
from tests.actions.test_intake_actions import ANSWERED, events_by_name, tracker

OUTSIDE = ANSWERED | {"address": "5 rue Principale, G6V 1A1", "postal_code": "G6V 1A1",
                      "municipality": "Lévis"}  # fmt: skip


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    url = f"sqlite:///{tmp_path / 'numeriqc.db'}"
    upgrade(url)
    for name, value in [("DATABASE_URL", url), ("VAR_DIR", str(tmp_path)), ("SMTP_HOST", ""),
                        ("TEAM_EMAIL", "equipe@qcnum.example"), ("WORKSPACE_URL", "")]:  # fmt: skip
        monkeypatch.setenv(name, value)
    return tmp_path / "outbox"


def mails(outbox: Path) -> list[EmailMessage]:
    return [
        message_from_bytes(p.read_bytes(), EmailMessage, policy=default)
        for p in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    ]


async def test_a_new_eligible_lead_tells_the_team(team: Path) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitIntake().run(
        dispatcher, tracker(ANSWERED | {"recap_confirmed": True}), {}
    )
    lead_id = events_by_name(events)["lead_id"]
    [mail] = mails(team)
    assert mail["To"] == "equipe@qcnum.example"
    assert mail["Subject"].startswith("Nouvelle piste (admissible")
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"/conseillers/pistes/{lead_id}" in text and "5550000" not in text


async def test_a_refusal_waits_for_the_review_request_to_tell_the_team(team: Path) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitIntake().run(
        dispatcher, tracker(OUTSIDE | {"recap_confirmed": True}), {}
    )
    slots = events_by_name(events)
    assert slots["lead_outcome"] == "non admissible" and mails(team) == []
    await ActionAfterDecision().run(dispatcher, tracker(slots), {})
    assert dispatcher.messages[-1]["response"] == "utter_review_requested"
    [mail] = mails(team)
    assert mail["Subject"] == "Révision demandée : Gîte du Vieux"


async def test_a_failing_notification_changes_nothing_for_the_merchant(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(bot.notifications, "send", broken)
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitIntake().run(
        dispatcher, tracker(ANSWERED | {"recap_confirmed": True}), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_intake_eligible"]
    assert events_by_name(events)["lead_outcome"] == "admissible"
