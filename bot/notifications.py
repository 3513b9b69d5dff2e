"""E-mails about leads that need a person: to the program team (`TEAM_EMAIL`) for each new
eligible or to-be-examined lead, each review request and each callback request, with a link to
the lead's page in the workspace; to the merchant when a person has reviewed an automated
refusal (Law 25 s. 12.1); and the team's optional daily digest.

Plain Python over `bot.mail` (SMTP, or the outbox with its retries). The team's e-mails carry as
little personal data as they can: the business name, the decision, the priority and the link;
the advisor reads the contact in the workspace after signing in. Telling the team never fails
the merchant's conversation: `notify_team` catches every error and logs it without personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.eligibility import Outcome
from bot.mail import MailSettings, mail_settings, message, send
from bot.pack.emails import email, part
from bot.scheduling import TIMEZONE
from bot.scheduling.invitation import french_date, french_datetime
from bot.settings import Settings, load_settings
from bot.storage.leads import LeadCard, lead_card
from bot.storage.queues import ReviewOutcome, leads_since

log = logging.getLogger(__name__)

NEW_LEAD, REVIEW_REQUESTED, CALLBACK_REQUESTED = "nouvelle piste", "révision", "rappel"
TEAM_EVENTS = (NEW_LEAD, REVIEW_REQUESTED, CALLBACK_REQUESTED)
TEAM_EMAILS = {  # each event's e-mail in the pack (program/emails.yml)
    NEW_LEAD: "team_new_lead",
    REVIEW_REQUESTED: "team_review_requested",
    CALLBACK_REQUESTED: "team_callback_requested",
}


@dataclass(frozen=True)
class Team:
    """Where the team's e-mails go (no address: none are sent) and the workspace they link to."""

    mail: MailSettings
    address: str
    workspace: str  # "https://…/conseillers"

    def link(self, lead_id: int) -> str:
        return f"{self.workspace}/pistes/{lead_id}"


def team_for(settings: Settings) -> Team:
    return Team(mail_settings(settings), settings.team_email, settings.workspace_base)


def team_mail(event: str, lead: LeadCard, link: str) -> tuple[str, str] | None:
    """The team's subject and body for `event` about `lead`; None when the team need not be told
    (a new lead found not eligible: the merchant may still ask for a review, which tells it)."""
    if event not in TEAM_EMAILS:
        raise ValueError(f"unknown team event {event!r}")
    if event == NEW_LEAD and lead.outcome not in (Outcome.ELIGIBLE.value, Outcome.TO_REVIEW.value):
        return None
    return email(
        TEAM_EMAILS[event],
        business=lead.business,
        decision=lead.outcome or part("no_decision"),
        priority=f"{lead.score or 0}/100",
        link=link,
    )


def notify_team(team: Team, sessions: sessionmaker[Session], event: str, lead_id: int) -> bool:
    """E-mail the team about `event` for the lead; True if a mail was sent or queued.

    Blocking (database, then SMTP or the outbox): call it off the event loop, after the commit
    of what it announces. Never raises: a failure is logged, without personal data."""
    if not team.address:
        return False
    try:
        lead = lead_card(sessions, lead_id)
        composed = None if lead is None else team_mail(event, lead, team.link(lead_id))
        if composed is None:
            return False
        send(team.mail, message(team.mail, team.address, *composed))
        return True
    except Exception as error:  # the merchant's conversation goes on: the team reads the log
        log.error("team e-mail (%s) about lead %d not sent: %s", event, lead_id,
                  type(error).__name__)  # fmt: skip
        return False


def tell_team(sessions: sessionmaker[Session], event: str, lead_id: int) -> bool:
    """`notify_team` with the running product's settings (for the chat's actions). Never raises."""
    try:
        team = team_for(load_settings())
    except Exception as error:
        log.error("team e-mail (%s) not sent: settings (%s)", event, type(error).__name__)
        return False
    return notify_team(team, sessions, event, lead_id)


def review_mail(review: ReviewOutcome, website: str, privacy_email: str = "") -> tuple[str, str]:
    """The merchant's e-mail after a person reviewed the automated decision (Law 25 s. 12.1):
    who reviewed it and when, the outcome, the reason, and what comes next."""
    privacy = part("privacy_contact", email=privacy_email) + "\n\n" if privacy_email else ""
    return email(
        "review_overturned" if review.overturned else "review_upheld",
        contact=review.contact,
        business=review.business,
        reviewer=review.reviewer,
        at=french_datetime(review.at),
        reason=review.reason,
        website=website,
        privacy=privacy,
    )


def tell_merchant(settings: Settings, review: ReviewOutcome) -> bool:
    """Send the review's outcome to the merchant (after the review's commit); True if sent or
    queued. Never raises: the review is stored whatever happens to the mail."""
    mail = mail_settings(settings)
    subject, body = review_mail(review, settings.program_website, settings.privacy_officer_email)
    try:
        send(mail, message(mail, review.email, subject, body))
        return True
    except Exception as error:
        log.error("review e-mail to the merchant not sent: %s", type(error).__name__)
        return False


def digest_mail(leads: Sequence[LeadCard], team: Team, since: datetime) -> tuple[str, str] | None:
    """The daily digest: the leads that arrived since `since`, highest priority first; None
    when there are none."""
    if not leads:
        return None
    ranked = sorted(leads, key=lambda lead: (-(lead.score or 0), lead.lead_id))
    lines = [
        part(
            "digest_line",
            business=lead.business,
            decision=lead.outcome or part("no_decision"),
            score=lead.score or 0,
            link=team.link(lead.lead_id),
        )
        for lead in ranked
    ]
    return email(
        "team_digest_many" if len(ranked) > 1 else "team_digest_one",
        count=len(ranked),
        date=french_date(since.astimezone(TIMEZONE).date()),
        since=french_datetime(since),
        leads="\n".join(lines),
    )


def send_digest(settings: Settings, sessions: sessionmaker[Session], now: datetime) -> int:
    """E-mail the team the leads of the last day, highest priority first (`python -m bot.cli
    digest`, e.g. from cron each morning); return how many leads it named (0: nothing sent)."""
    team = team_for(settings)
    if not team.address:
        return 0
    since = now - timedelta(days=1)
    leads = leads_since(sessions, since)
    composed = digest_mail(leads, team, since)
    if composed is None:
        return 0
    send(team.mail, message(team.mail, team.address, *composed))
    return len(leads)
