"""The live handoff through the web app's test client, on SQLite and PostgreSQL, with a stand-in
for Rasa (`tests/web/fake_rasa.py`): a merchant asks for a person during the opening hours and
the assistant is paused; an advisor takes it (the other one is told who has it), reads the
conversation, writes, and hands it back — the assistant is resumed, says so, answers again and
repeats the question a form waits for; nobody takes it in time → a callback request and the
merchant told (from another instance, on a later clock); outside the hours, or Rasa down, no
wait; the transcript names who said what. The real Rasa, the streams and the browsers:
tests/e2e/test_live_handoff_browser.py."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sanic import Sanic
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.contact import transcript_mail
from bot.handoff import Handoff
from bot.live import UNANSWERED
from bot.settings import Settings, load_settings
from bot.storage import lead_conversations
from bot.storage.accounts import create_account
from bot.storage.leads import save_submission
from bot.storage.models import CallbackRequest, LiveChat
from bot.storage.transcripts import transcript
from bot.web.app import create_app
from tests.conftest import FROZEN_NOW
from tests.storage.test_leads import submission
from tests.web.fake_rasa import ANSWER, FakeRasa
from tests.web.test_widget_api import MID_FORM, QUESTION, mails, tracker
from tests.web.test_workspace import PASSWORD, signed_in

TOKEN = "jeton-de-l-api-de-rasa-pour-les-tests-0123456789"
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
EVERY_HOUR = ", ".join(f"{day}: ['00:00-24:00']" for day in DAYS)
ALWAYS = (
    f"titles: {{sophie: conseillère}}\nhours: {{{EVERY_HOUR}}}\nclosures: false\n"
    "wait_seconds: 120\nsilence_minutes: 10\n"
)
ASKED = {
    "name": "Julie Tremblay", "email": "julie@exemple.com", "phone": "",
    "message": "Mon dépanneur est-il admissible?", "consent": True,
}  # fmt: skip


@pytest.fixture
def rasa(tmp_path: Path) -> Iterator[FakeRasa]:
    with FakeRasa(tmp_path / "tracker.db", TOKEN).running() as fake:
        yield fake


@pytest.fixture
def settings(database_url: str, tmp_path: Path, rasa: FakeRasa) -> Settings:
    hours = tmp_path / "live_chat.yml"
    hours.write_text(ALWAYS, encoding="utf-8")
    return dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path,
        tracker_db=tmp_path / "tracker.db", rasa_host="127.0.0.1", rasa_port=rasa.port,
        rasa_api_token=TOKEN, live_chat_file=hours, frozen_clock=FROZEN_NOW,
        team_email="equipe@qcnum.example", smtp_host="",
    )  # fmt: skip


@pytest.fixture
def app(settings: Settings, sessions: sessionmaker[Session]) -> Sanic:
    for email, name in [
        ("sophie@qcnum.example", "Sophie Gagnon"),
        ("marc@qcnum.example", "Marc Lévesque"),
    ]:
        create_account(sessions, email, name, "advisor", PASSWORD, email.split("@")[0])
    return create_app(settings, name=f"live_{uuid.uuid4().hex[:8]}")


def later(settings: Settings, minutes: float) -> Sanic:
    """Another instance of the web app on the same database and tracker store, `minutes` later."""
    moved = dataclasses.replace(settings, frozen_clock=FROZEN_NOW + timedelta(minutes=minutes))
    return create_app(moved, name=f"live_later_{uuid.uuid4().hex[:8]}")


def ask(app: Sanic, sender: str) -> Any:
    _, reply = app.test_client.post("/api/live", json={"sender": sender, **ASKED})
    return reply


def lines(app: Sanic, sender: str, after: int = 0) -> Any:
    _, reply = app.test_client.get(f"/api/live/{sender}/lignes?apres={after}")
    assert reply.status == 200
    return reply.json


def chat_id(sessions: sessionmaker[Session], sender: str) -> int:
    with sessions() as session:
        return session.scalars(
            select(LiveChat.id)
            .where(LiveChat.conversation_id == sender)
            .order_by(LiveChat.id.desc())
        ).one()


def test_a_person_takes_the_conversation_writes_and_hands_it_back(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session], rasa: FakeRasa
) -> None:
    sender = str(uuid.uuid4())
    _, offer = app.test_client.get(f"/api/live/{sender}")
    assert offer.json["open"] is True and offer.json["chat"] is None
    assert "ici même, en direct" in offer.json["intro"] and "2 minutes" in offer.json["intro"]
    _, refused = app.test_client.post("/api/live", json={"sender": sender, "name": "J"})
    assert refused.status == 400 and "consent" in refused.json["fields"]
    asked = ask(app, sender)
    assert asked.status == 201 and asked.json["chat"]["state"] == "waiting"
    assert ask(app, sender).json["chat"] == asked.json["chat"]  # asked twice: one wait
    # A conversation new to Rasa starts with its session, then the pause and the notice.
    assert [e.get("name", e["event"]) for e in rasa.appended[0][1]] == [
        "action_session_start", "session_started", "action_listen", "pause", "bot",
    ]  # fmt: skip
    live = chat_id(sessions, sender)

    # Both advisors see it; Sophie takes it, Marc is told she has it.
    sophie, marc = signed_in(app, "sophie@qcnum.example"), signed_in(app, "marc@qcnum.example")
    assert "Julie Tremblay" in sophie.get("/conseillers/direct").text
    assert [c["name"] for c in marc.get("/conseillers/direct/file.json").json["waiting"]] == [
        "Julie Tremblay"
    ]
    taken = sophie.post(f"/conseillers/direct/{live}/prendre", {})
    assert taken.status == 303 and taken.headers["location"] == f"/conseillers/direct/{live}"
    lost = marc.post(f"/conseillers/direct/{live}/prendre", {})
    assert lost.status == 409 and "Sophie Gagnon a déjà pris cette conversation." in lost.text
    assert marc.get(f"/conseillers/direct/{live}").status == 404  # not his
    assert marc.get("/conseillers/direct/file.json").json["waiting"] == []

    # The merchant reads who joined; the assistant stays silent; Sophie reads and answers.
    seen = lines(app, sender)
    assert seen["chat"] == {"state": "held", "who": "Sophie, conseillère", "outcome": None}
    assert [(line["from"], line["text"]) for line in seen["lines"]] == [
        ("notice", "C'est transmis : une personne de l'équipe va se joindre à la conversation "
         "d'ici 2 minutes. Vous pouvez déjà lui écrire ici."),
        ("notice", "Sophie, conseillère, se joint à la conversation."),
    ]  # fmt: skip
    _, said = app.test_client.post(
        "/api/messages", json={"sender": sender, "message": "Bonjour, c'est pour mon dépanneur"}
    )
    assert said.status == 200 and said.json == {"messages": []}  # paused: no answer
    page = sophie.get(f"/conseillers/direct/{live}")
    assert page.status == 200 and "Bonjour, c&#39;est pour mon dépanneur" in page.text
    assert "Mon dépanneur est-il admissible?" in page.text  # the request itself
    token = sophie.csrf("/conseillers/direct")
    sent = sophie.request(
        "post", f"/conseillers/direct/{live}/messages",
        data={"csrf": token, "texte": "Bonjour Julie!\nOui, un dépanneur l'est."},
        headers={"Accept": "application/json"},
    )  # fmt: skip
    assert sent.status == 204
    assert sophie.post(f"/conseillers/direct/{live}/messages", {"texte": " "}).status == 303
    assert marc.request(
        "post", f"/conseillers/direct/{live}/messages",
        data={"csrf": marc.csrf("/conseillers/direct"), "texte": "Moi aussi"},
        headers={"Accept": "application/json"},
    ).status == 409  # fmt: skip
    after = seen["cursor"]
    seen = lines(app, sender, after)
    assert [(line["from"], line["who"], line["text"]) for line in seen["lines"]] == [
        ("advisor", "Sophie, conseillère", "Bonjour Julie!\nOui, un dépanneur l'est.")
    ]
    assert lines(app, sender, seen["cursor"])["lines"] == []

    # Typing, both ways, only reaches the streams.
    assert app.test_client.post(f"/api/live/{sender}/ecrit", json={})[1].status == 204
    assert sophie.post(f"/conseillers/direct/{live}/ecrit", {}).status == 204

    # Handed back: the assistant says so, then answers again.
    back = sophie.post(f"/conseillers/direct/{live}/rendre", {})
    assert back.status == 303 and back.headers["location"] == "/conseillers/direct?rendue=oui"
    seen = lines(app, sender, seen["cursor"])
    assert seen["chat"]["state"] == "ended" and seen["chat"]["outcome"] == "handed_back"
    assert [line["text"] for line in seen["lines"]] == [
        "Sophie a terminé : l'assistant virtuel reprend la conversation. Posez-lui vos "
        "questions sur le programme."
    ]
    assert [e["event"] for e in rasa.appended[-1][1]] == ["resume", "bot"]
    _, answered = app.test_client.post(
        "/api/messages", json={"sender": sender, "message": "c gratis?"}
    )
    assert answered.json["messages"][0]["text"] == ANSWER
    assert sophie.post(f"/conseillers/direct/{live}/rendre", {}).status == 404  # once

    # The history and the transcript name who said what.
    _, history = app.test_client.get(f"/api/conversations/{sender}")
    assert history.json["live"]["state"] == "ended" and history.json["cursor"] > 0
    assert ("advisor", "Sophie, conseillère") in {
        (m["from"], m["who"]) for m in history.json["messages"]
    }
    _, body = transcript_mail(transcript(settings.tracker_url, sender), "https://x", "https://y")
    assert (
        "Voici votre conversation avec l'assistant virtuel et l'équipe de 100 % NumériQC." in body
    )
    assert "— Sophie, conseillère : Bonjour Julie!" in body
    assert "— Vous : Bonjour, c'est pour mon dépanneur" in body
    assert "— Clavardage : Sophie, conseillère, se joint à la conversation." in body
    assert f"— Assistant : {ANSWER}" in body
    # Nothing live any more: the browser's stream is told to stop.
    _, stream = app.test_client.get(f"/api/live/{sender}/flux?apres={history.json['cursor']}")
    assert stream.status == 204


def test_nobody_takes_it_in_two_minutes_a_callback_request_and_the_merchant_told(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session], rasa: FakeRasa
) -> None:
    sender = str(uuid.uuid4())
    lead_id = save_submission(
        sessions, submission(conversation_id=sender, email="julie@exemple.com")
    )
    lead_conversations.record(sessions, lead_id, sender, lead_conversations.INTAKE)
    assert ask(app, sender).status == 201
    assert lines(later(settings, 1.9), sender)["chat"]["state"] == "waiting"
    seen = lines(later(settings, 2), sender)  # another instance, when the wait ran out
    assert seen["chat"] == {"state": "ended", "who": None, "outcome": UNANSWERED}
    assert seen["lines"][-1]["text"] == (
        "Personne de l'équipe n'est libre en ce moment, désolé. Votre demande est transmise : "
        f"l'équipe vous répondra par courriel d'ici {settings.first_contact_days} jours. D'ici "
        "là, l'assistant virtuel peut répondre à vos questions."
    )
    with sessions() as session:
        [callback] = session.scalars(select(CallbackRequest)).all()
    assert (callback.conversation_id, callback.lead_id, callback.email) == (
        sender, lead_id, "julie@exemple.com",
    )  # fmt: skip
    assert callback.wish == ASKED["message"]
    [team] = mails(settings)
    assert "/conseillers/files#rappels" in team.get_body().get_content()  # type: ignore[union-attr]
    assert lines(later(settings, 3), sender)["lines"][-1]["text"] == seen["lines"][-1]["text"]
    assert [e["event"] for _, events in rasa.appended for e in events].count("resume") == 1
    # A second wait of the same conversation is a new one.
    assert ask(app, sender).json["chat"]["state"] == "waiting"


def test_the_question_a_form_waits_for_is_asked_again_on_the_way_back(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session], rasa: FakeRasa
) -> None:
    sender = str(uuid.uuid4())
    tracker(settings, sender, MID_FORM)
    assert ask(app, sender).status == 201
    sophie = signed_in(app, "sophie@qcnum.example")
    live = chat_id(sessions, sender)
    sophie.post(f"/conseillers/direct/{live}/prendre", {})
    sophie.post(f"/conseillers/direct/{live}/rendre", {})
    *_, notice, repeated = lines(app, sender)["lines"]
    assert notice["text"] == "Sophie a terminé : l'assistant virtuel reprend là où vous en étiez :"
    assert (repeated["from"], repeated["text"]) == ("bot", QUESTION)


def test_a_silence_gives_the_conversation_back(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session], rasa: FakeRasa
) -> None:
    sender = str(uuid.uuid4())
    ask(app, sender)
    sophie = signed_in(app, "sophie@qcnum.example")
    sophie.post(f"/conseillers/direct/{chat_id(sessions, sender)}/prendre", {})
    # The scheduled job's round, on a later clock (no page watches it).
    handoff = Handoff.of(dataclasses.replace(settings, frozen_clock=FROZEN_NOW))
    assert handoff.sweep(FROZEN_NOW + timedelta(minutes=9)) == []
    [ended] = handoff.sweep(FROZEN_NOW + timedelta(minutes=10))
    assert ended.outcome == "silence"
    assert lines(app, sender)["lines"][-1]["text"].startswith("Sans nouvelles depuis 10 minutes")
    assert handoff.sweep(FROZEN_NOW + timedelta(minutes=11)) == []


def test_outside_the_hours_or_without_rasa_nobody_waits(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session], rasa: FakeRasa
) -> None:
    sender = str(uuid.uuid4())
    rasa.down = True
    assert ask(app, sender).status == 503  # the assistant could not be paused
    with sessions() as session:
        [failed] = session.scalars(select(LiveChat)).all()
        assert (failed.status, failed.outcome) == ("ended", "failed")
    settings.live_chat_file.write_text("hours: {}\n", encoding="utf-8")
    import os

    os.utime(settings.live_chat_file, (1, 1))
    _, offer = app.test_client.get(f"/api/live/{sender}")
    assert offer.json["open"] is False
    assert offer.json["intro"].startswith("L'équipe n'est pas en ligne en ce moment.")
    closed = ask(app, sender)
    assert closed.status == 409 and closed.json["open"] is False  # the widget files a callback
