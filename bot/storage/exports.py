"""The leads as the workspace exports them (CSV for a spreadsheet, JSON for a CRM): the CLI's
rows (`bot.storage.leads.lead_rows`) with the follow-up status and advisor, only those the
reader may see, and the audit of each export."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.leads import lead_rows
from bot.storage.models import AuditEntry, Lead
from bot.text import one_line
from bot.workspace import Viewer

DETAIL_MAX = 300  # audit_log.detail


def export_rows(sessions: sessionmaker[Session], viewer: Viewer | None) -> list[dict[str, Any]]:
    """Every lead `viewer` may see (None: the CRM, which gets them all), highest priority
    first, each with its follow-up `status` and `advisor`: the leads of the workspace's list,
    so never an erased one (it is kept for the statistics only)."""
    with sessions() as session:
        follow_up = {
            lead_id: (status, advisor)
            for lead_id, status, advisor in session.execute(
                select(Lead.id, Lead.status, Lead.advisor_id).where(Lead.anonymised_at.is_(None))
            )
        }
    rows = []
    for row in lead_rows(sessions):
        if row["lead_id"] not in follow_up:
            continue
        status, advisor = follow_up[row["lead_id"]]
        if viewer is None or viewer.sees(advisor):
            rows.append({**row, "status": status, "advisor": advisor})
    return rows


def record_api_access(sessions: sessionmaker[Session], detail: str) -> None:
    """Audit a reading through the CRM API (no account: the token's holder; `detail` says
    from where and what)."""
    with sessions.begin() as session:
        session.add(AuditEntry(account_id=None, action="api", detail=one_line(detail)[:DETAIL_MAX]))
