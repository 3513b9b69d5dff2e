"""The live handoff, step by step: a merchant asks for a person (the conversation joins the
live queue and the assistant is paused), a team member takes it and writes, then hands it back
— or the wait or a silence runs out — and the assistant speaks again, saying so. Nobody took it
in time: the contact given becomes a callback request, as outside the opening hours, and the
merchant is told.

Plain Python over the queue (`bot.storage.live`: one winner for each change, in the shared
database), Rasa's HTTP API (`bot.rasa_api`: pause, resume, the lines of the chat) and the mail.
Blocking: the web app calls it off its event loop and wakes the streams itself
(`bot.live_signals`); the scheduled job calls `sweep` for the chats nobody's page watches."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot import live as rules
from bot.contact import ContactRequest, contact_team_mail
from bot.live import HELD, UNANSWERED, WAITING, LiveConfig
from bot.mail import mail_settings, message, send
from bot.rasa_api import (
    ADVISOR,
    NOTICE,
    PAUSE,
    RESUME,
    SESSION_START,
    RasaApi,
    RasaUnavailable,
    said,
)
from bot.settings import Settings
from bot.storage import live
from bot.storage.database import sessions_of
from bot.storage.live import LiveView
from bot.storage.transcripts import form_in_progress, lines_after, question_before_pause
from bot.workspace import NotAllowed, Viewer

log = logging.getLogger(__name__)
REPEATED = "repeat"  # a question repeated on the way back: said as the assistant's


@dataclass(frozen=True)
class Handoff:
    """The live handoff for one configuration."""

    settings: Settings
    sessions: sessionmaker[Session]
    rasa: RasaApi

    @classmethod
    def of(cls, settings: Settings) -> Handoff:
        return cls(
            settings, sessions_of(settings), RasaApi(settings.rasa_url, settings.rasa_api_token)
        )

    def config(self) -> LiveConfig:
        return rules.load_config(self.settings.live_chat_file)

    def is_open(self, now: datetime) -> bool:
        """Whether a person answers live now (the opening hours, the program's closures)."""
        return rules.available(self.settings, now)

    def start(self, conversation_id: str, asked: ContactRequest, now: datetime) -> LiveView:
        """Put the conversation in the live queue and pause the assistant. Raise
        `live.AlreadyOpen`, or `RasaUnavailable` (then nothing is left waiting)."""
        chat_id = live.request(
            self.sessions, conversation_id, asked.name, asked.email, asked.phone, asked.message,
            now,
        )  # fmt: skip
        _, seen = lines_after(self.settings.tracker_url, conversation_id)
        first = [] if seen else SESSION_START  # a conversation that starts with the request
        try:
            self.rasa.append(
                conversation_id,
                [*first, PAUSE, said(rules.waiting_notice(self.config()), NOTICE)],
            )
        except RasaUnavailable as error:
            log.error("live chat not started: Rasa unavailable (%s)", error)
            live.end_failed(self.sessions, chat_id, now)
            raise
        found = live.get(self.sessions, chat_id)
        assert found is not None
        return found

    def take(self, viewer: Viewer, chat_id: int, now: datetime) -> LiveView:
        """« Prendre »: one team member holds it (`live.Taken` for the others); the merchant
        reads who joined."""
        shown = rules.shown_as(
            self.config(), viewer.name, viewer.email, viewer.role, viewer.advisor_id
        )
        chat = live.claim(self.sessions, viewer, chat_id, shown, now)
        try:
            self.rasa.append(chat.conversation_id, [said(rules.joined_notice(shown), NOTICE)])
        except RasaUnavailable as error:  # the chat is held; what follows will tell
            log.error("live chat: the merchant was not told who joined (%s)", error)
        return chat

    def write(self, viewer: Viewer, chat_id: int, text: str, now: datetime) -> LiveView:
        """The holder's message to the merchant. Raise `NotAllowed` (not theirs), `LookupError`
        or `RasaUnavailable` (not sent)."""
        chat = live.held_by(self.sessions, viewer, chat_id)
        self.rasa.append(chat.conversation_id, [said(text, ADVISOR, chat.held_as or "")])
        live.touch(self.sessions, chat.conversation_id, now)
        return chat

    def hand_back(self, viewer: Viewer, chat_id: int, now: datetime) -> LiveView:
        """The holder gives the conversation back to the assistant, which says so."""
        ended = live.hand_back(self.sessions, viewer, chat_id, now)
        if ended is None:
            raise NotAllowed("Cette conversation n'est pas ou plus la vôtre.")
        return self.give_back(ended.id, now) or ended

    def merchant_wrote(self, conversation_id: str, now: datetime) -> LiveView | None:
        """A merchant's message: the live chat's silence starts again (None: not live)."""
        return live.touch(self.sessions, conversation_id, now)

    def expire(self, chat: LiveView, now: datetime) -> LiveView | None:
        """End `chat` if its wait or silence has run out (one instance wins), give the
        conversation back and, nobody having taken it, tell the team of the callback request."""
        config = self.config()
        ended = None
        if chat.status == WAITING:
            ended = live.end_unanswered(self.sessions, chat.id, now, config.wait)
            if ended is not None:
                self._tell_team(now)
        elif chat.status == HELD:
            ended = live.end_silent(self.sessions, chat.id, now, config.silence)
        if ended is None and chat.open:
            return None
        return self.give_back(chat.id, now)

    def sweep(self, now: datetime) -> list[LiveView]:
        """Every chat whose wait or silence ran out, or that was not yet given back (a failure
        of Rasa, a crash): the scheduled job's round, and the streams' when a deadline passes."""
        config = self.config()
        done = []
        for chat_id in live.due(self.sessions, now, config.wait, config.silence):
            chat = live.get(self.sessions, chat_id)
            if chat is not None:
                ended = self.expire(chat, now)
                if ended is not None:
                    done.append(ended)
        return done

    def give_back(self, chat_id: int, now: datetime) -> LiveView | None:
        """Resume the assistant of an ended chat, once, saying why (and repeating the question
        a form waits for); None when someone else does it, or Rasa is down (the scheduled job
        tries again)."""
        chat = live.claim_resume(self.sessions, chat_id, now)
        if chat is None:
            return None
        url = self.settings.tracker_url
        pending = (
            question_before_pause(url, chat.conversation_id)
            if form_in_progress(url, chat.conversation_id)
            else []
        )
        events = [RESUME]
        if chat.outcome != rules.LEFT:
            how = "par courriel" if chat.email else "par téléphone"
            notice = rules.ended_notice(
                chat.outcome or "", self.config(), (chat.held_as or "").split(",")[0], how,
                self.settings.first_contact_days, bool(pending),
            )  # fmt: skip
            events.append(said(notice, NOTICE))
            for line in pending:
                buttons = [
                    {"title": t, "payload": p}
                    for t, p in zip(line.buttons, line.payloads, strict=True)
                ]
                events.append(said(line.text, REPEATED, buttons=buttons))
        try:
            self.rasa.append(chat.conversation_id, events)
        except RasaUnavailable as error:
            log.error("live chat: the assistant could not take the conversation back (%s)", error)
            live.release_resume(self.sessions, chat_id)
            return None
        return chat

    def _tell_team(self, now: datetime) -> None:
        """The callback request, like the widget's: a link to the queue, no personal data."""
        if not self.settings.team_email:
            return
        mail = mail_settings(self.settings)
        subject, body = contact_team_mail(self.settings.workspace_base)
        try:
            send(mail, message(mail, self.settings.team_email, subject, body), now)
        except Exception as error:
            log.error("team e-mail (live chat unanswered) not sent: %s", type(error).__name__)


__all__ = ["UNANSWERED", "Handoff"]
