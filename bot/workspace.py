"""The advisor workspace's rules, plain Python: roles, who sees which lead and who handles which
session, the follow-up statuses with the changes allowed between them, and the dates a
follow-up reminder may take."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ADVISOR, MANAGER = "advisor", "manager"
ROLES = {ADVISOR: "conseiller", MANAGER: "gestionnaire"}

NEW, CONTACTED, COACHING, DONE, DECLINED = (
    "nouveau", "contacté", "accompagnement en cours", "terminé", "non retenu",
)  # fmt: skip
STATUSES = (NEW, CONTACTED, COACHING, DONE, DECLINED)
# Forward along the follow-up, "non retenu" from any open status, and reopening a closed file.
NEXT = {
    NEW: (CONTACTED, DECLINED),
    CONTACTED: (COACHING, DECLINED),
    COACHING: (DONE, DECLINED),
    DONE: (COACHING,),
    DECLINED: (NEW,),
}

SESSION_LIFETIME = timedelta(hours=8)
RESET_LIFETIME = timedelta(hours=1)  # a password reset link e-mailed to an account
THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_FAILURES = 5  # failed sign-ins of one address within the window lock it for the window
NOTE_MAX = 2000
REMINDER_NOTE_MAX = 500
REMINDER_AHEAD = timedelta(days=366)  # a follow-up reminder is due within a year


class NotAllowed(Exception):
    """The change is not allowed (`str()` says why, in French)."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in team member."""

    account_id: int
    name: str
    email: str
    role: str
    advisor_id: str | None
    missed_inbox: bool = False  # an advisor given the missed-messages inbox

    @property
    def is_manager(self) -> bool:
        return self.role == MANAGER

    @property
    def reads_missed(self) -> bool:
        """Managers, and the advisors given it, use the missed-messages inbox."""
        return self.is_manager or self.missed_inbox

    def sees(self, lead_advisor: str | None) -> bool:
        """A manager sees every lead; an advisor their own leads and the unassigned ones."""
        return self.is_manager or lead_advisor is None or lead_advisor == self.advisor_id

    def handles_session(self, session_advisor: str) -> bool:
        """A manager moves, cancels and marks every session; an advisor their own."""
        return self.is_manager or (
            self.advisor_id is not None and session_advisor == self.advisor_id
        )


class NotYours(Exception):
    """The session is another advisor's (`advisor_id`): only they or a manager may act on it."""

    def __init__(self, advisor_id: str) -> None:
        super().__init__(advisor_id)
        self.advisor_id = advisor_id


def check_status_change(before: str, after: str) -> None:
    if after not in NEXT.get(before, ()):
        raise NotAllowed(f"Le statut « {before} » ne peut pas passer à « {after} ».")


def check_reminder_day(due_on: date, today: date) -> None:
    """A follow-up reminder is due today or later, within a year (`today`: Québec's)."""
    if due_on < today:
        raise NotAllowed("Choisissez aujourd'hui ou une date à venir.")
    if due_on > today + REMINDER_AHEAD:
        raise NotAllowed("Choisissez une date d'ici un an.")
