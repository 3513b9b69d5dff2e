"""The live queue (`bot.storage.live`) on SQLite and PostgreSQL: a conversation waits once at a
time; « Prendre » leaves one holder even when twenty team members click at once, each in its
own connection; a wait that runs out becomes a callback request exactly once, even against a
take at the same moment; a silence, a hand back, the merchant leaving; the assistant given
back once. Every time is the tests' clock (or moments from it), never the system's."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.live import HANDED_BACK, HELD, LEFT, SILENCE, UNANSWERED, WAITING
from bot.storage import lead_conversations, live
from bot.storage.accounts import create_account
from bot.storage.leads import save_submission
from bot.storage.models import AuditEntry, Base, CallbackRequest, LiveChat
from bot.workspace import NotAllowed, Viewer
from tests.conftest import FROZEN_NOW
from tests.storage.test_leads import submission

PASSWORD = "une phrase de passe assez longue"
NOW = FROZEN_NOW
WAIT, SILENT = timedelta(minutes=2), timedelta(minutes=10)


def viewer(sessions: sessionmaker[Session], key: str, name: str = "") -> Viewer:
    email = f"{key}@qcnum.example"
    name = name or f"{key.title()} Conseil"
    account = create_account(sessions, email, name, "advisor", PASSWORD, "sophie")
    return Viewer(account, name, email, "advisor", "sophie")


def ask(sessions: sessionmaker[Session], conversation: str = "conv-1", **changes: Any) -> int:
    asked: dict[str, Any] = {
        "name": "Julie Tremblay", "email": "julie@exemple.com", "phone": None,
        "wish": "Est-ce que mon dépanneur est admissible?", "consented_at": NOW,
    }  # fmt: skip
    asked.update(changes)
    return live.request(sessions, conversation, **asked)


def at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in `count` threads released together; what each returned or raised."""
    start = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work(i)
        except Exception as error:
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_migration_makes_the_table_of_the_model(database_url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert [d for d in differences if "live_chats" in repr(d)] == []


def test_a_conversation_waits_once_and_joins_its_lead(sessions: sessionmaker[Session]) -> None:
    lead_id = save_submission(sessions, submission(email="julie@exemple.com"))
    lead_conversations.record(sessions, lead_id, "conv-1", lead_conversations.INTAKE)
    chat_id = ask(sessions)
    with pytest.raises(live.AlreadyOpen) as already:
        ask(sessions)
    assert already.value.chat_id == chat_id
    found = live.open_chat(sessions, "conv-1")
    assert found is not None and found.status == WAITING and found.lead_id == lead_id
    assert found.requested_at == NOW and found.business == "Boutique Chez Marie"
    assert live.current(sessions, "conv-2") is None
    # Ended, the conversation may ask again.
    assert live.end_left(sessions, chat_id, NOW) is not None
    assert ask(sessions) != chat_id


def test_one_holder_when_twenty_click_prendre_at_once(sessions: sessionmaker[Session]) -> None:
    team = [viewer(sessions, f"c{i}") for i in range(20)]
    chat_id = ask(sessions)
    results = at_once(
        20, lambda i: live.claim(sessions, team[i], chat_id, f"C{i}, conseiller", NOW)
    )
    won = [r for r in results if isinstance(r, live.LiveView)]
    lost = [r for r in results if isinstance(r, live.Taken)]
    assert len(won) == 1 and len(lost) == 19, results
    holder = won[0].held_by
    assert {str(r) for r in lost} == {
        f"{next(v.name for v in team if v.account_id == holder)} a déjà pris cette conversation."
    }
    found = live.get(sessions, chat_id)
    assert found is not None and found.status == HELD and found.held_by == holder
    assert found.held_as == won[0].held_as and found.taken_at == NOW and found.active_at == NOW
    with sessions() as session:  # the holder's reading of the conversation is audited, once
        audits = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "conversation en direct")
        ).all()
        assert [a.account_id for a in audits] == [holder]


def test_taking_again_is_harmless_and_a_lost_race_names_the_holder(
    sessions: sessionmaker[Session],
) -> None:
    sophie, marc = viewer(sessions, "sophie", "Sophie Gagnon"), viewer(sessions, "marc")
    chat_id = ask(sessions)
    live.claim(sessions, sophie, chat_id, "Sophie, conseillère", NOW)
    assert (
        live.claim(sessions, sophie, chat_id, "Sophie, conseillère", NOW).held_by
        == sophie.account_id
    )
    with pytest.raises(live.Taken, match=r"Sophie Gagnon a déjà pris cette conversation\."):
        live.claim(sessions, marc, chat_id, "Marc, conseiller", NOW)
    with pytest.raises(LookupError):
        live.claim(sessions, marc, 999, "Marc, conseiller", NOW)
    assert [c.id for c in live.queue(sessions, sophie)] == [chat_id]  # hers
    assert live.queue(sessions, marc) == []  # taken: no longer waiting


def test_nobody_took_it_in_time_a_callback_request_once(sessions: sessionmaker[Session]) -> None:
    lead_id = save_submission(sessions, submission(email="julie@exemple.com"))
    lead_conversations.record(sessions, lead_id, "conv-1", lead_conversations.INTAKE)
    chat_id = ask(sessions, phone="+14185551234")
    assert live.due(sessions, NOW + WAIT - timedelta(seconds=1), WAIT, SILENT) == []
    assert live.end_unanswered(sessions, chat_id, NOW + WAIT - timedelta(seconds=1), WAIT) is None
    assert live.due(sessions, NOW + WAIT, WAIT, SILENT) == [chat_id]
    results = at_once(8, lambda _: live.end_unanswered(sessions, chat_id, NOW + WAIT, WAIT))
    ended = [r for r in results if r is not None]
    assert len(ended) == 1 and ended[0].outcome == UNANSWERED and ended[0].resumed_at is None
    with sessions() as session:
        [callback] = session.scalars(select(CallbackRequest)).all()
    assert (callback.conversation_id, callback.name, callback.email, callback.phone) == (
        "conv-1", "Julie Tremblay", "julie@exemple.com", "+14185551234",
    )  # fmt: skip
    assert callback.wish == "Est-ce que mon dépanneur est admissible?"
    assert callback.lead_id == lead_id and callback.consented_at == NOW
    assert ended[0].callback_id == callback.id
    with pytest.raises(live.Taken, match="terminée"):  # too late to take it
        live.claim(sessions, viewer(sessions, "tard"), chat_id, "Tard, conseiller", NOW + WAIT)


def test_a_take_and_the_end_of_the_wait_at_once_leave_one_outcome(
    sessions: sessionmaker[Session],
) -> None:
    sophie = viewer(sessions, "sophie")
    for round_ in range(6):
        chat_id = ask(sessions, f"course-{round_}")
        moment = NOW + WAIT

        def race(i: int, chat_id: int = chat_id, moment: Any = moment) -> Any:
            if i == 0:
                return live.claim(sessions, sophie, chat_id, "Sophie, conseillère", moment)
            return live.end_unanswered(sessions, chat_id, moment, WAIT)

        taken, ended = at_once(2, race)
        found = live.get(sessions, chat_id)
        assert found is not None
        if isinstance(taken, live.LiveView):  # the take won: no callback request
            assert ended is None and found.status == HELD and found.callback_id is None
        else:
            assert isinstance(taken, live.Taken) and ended is not None
            assert found.outcome == UNANSWERED and found.callback_id is not None


def test_silence_hand_back_and_the_assistant_given_back_once(
    sessions: sessionmaker[Session],
) -> None:
    sophie, marc = viewer(sessions, "sophie"), viewer(sessions, "marc")
    chat_id = ask(sessions)
    live.claim(sessions, sophie, chat_id, "Sophie, conseillère", NOW)
    later = NOW + timedelta(minutes=8)
    assert live.touch(sessions, "conv-1", later) is not None  # a message: the silence restarts
    assert live.end_silent(sessions, chat_id, NOW + SILENT, SILENT) is None
    assert live.due(sessions, later + SILENT - timedelta(seconds=1), WAIT, SILENT) == []
    assert live.hand_back(sessions, marc, chat_id, later) is None  # not his
    ended = live.end_silent(sessions, chat_id, later + SILENT, SILENT)
    assert ended is not None and ended.outcome == SILENCE and ended.ended_at == later + SILENT
    assert live.touch(sessions, "conv-1", later + SILENT) is None  # no longer live
    # Given back once: the first claim wins, a failure lets the scheduled job try again.
    assert live.due(sessions, later + SILENT, WAIT, SILENT) == [chat_id]
    assert [
        r is not None for r in at_once(5, lambda _: live.claim_resume(sessions, chat_id, NOW))
    ].count(True) == 1
    assert live.due(sessions, later + SILENT, WAIT, SILENT) == []
    live.release_resume(sessions, chat_id)
    assert live.due(sessions, later + SILENT, WAIT, SILENT) == [chat_id]


def test_the_holder_hands_back(sessions: sessionmaker[Session]) -> None:
    sophie = viewer(sessions, "sophie")
    chat_id = ask(sessions)
    live.claim(sessions, sophie, chat_id, "Sophie, conseillère", NOW)
    with pytest.raises(NotAllowed):
        live.held_by(sessions, viewer(sessions, "marc"), chat_id)
    ended = live.hand_back(sessions, sophie, chat_id, NOW + timedelta(minutes=1))
    assert ended is not None and ended.outcome == HANDED_BACK
    assert live.hand_back(sessions, sophie, chat_id, NOW) is None  # once
    with pytest.raises(NotAllowed):
        live.held_by(sessions, sophie, chat_id)
    failed = live.end_failed(sessions, ask(sessions), NOW)
    assert failed is not None and failed.resumed_at == NOW  # never paused: nothing to give back
    left = live.end_left(sessions, ask(sessions), NOW)
    assert left is not None and left.outcome == LEFT
    with sessions() as session:
        assert session.query(LiveChat).count() == 3
