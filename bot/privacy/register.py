"""The privacy officer's registers: confidentiality incidents (Law 25 s. 3.8: what happened,
when, which data, how many people, the risk of serious injury, the notices to the Commission
d'accès à l'information and to the people, the measures taken) and the rights requests received
by the privacy page's form, each due within 30 days (s. 32)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.parsing import NotUnderstood, parse_email
from bot.scheduling import TIMEZONE
from bot.storage.models import Incident, RightsRequest, as_utc
from bot.text import multi_line, one_line
from bot.workspace import NotAllowed, Viewer

ANSWER_WITHIN = timedelta(days=30)
TEXT_MAX = 4000
RISKS = {"faible": "faible", "serieux": "risque de préjudice sérieux", "a_evaluer": "à évaluer"}
KINDS = {
    "acces": "consulter mes renseignements", "correction": "corriger mes renseignements",
    "suppression": "supprimer mes renseignements", "retrait": "retirer mon consentement",
    "autre": "autre question",
}  # fmt: skip
INCIDENT_FIELDS = (
    "occurred_on", "discovered_on", "description", "data_concerned", "people_count",
    "serious_injury_risk", "risk_assessment", "commission_notified_on", "people_notified_on",
    "measures",
)  # fmt: skip


def _date(value: str, label: str, required: bool = False) -> date | None:
    value = value.strip()
    if not value:
        if required:
            raise NotAllowed(f"Indiquez {label}.")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise NotAllowed(f"{label.capitalize()} : une date AAAA-MM-JJ.") from None


def _text(value: str, label: str, required: bool = True) -> str:
    text = multi_line(value).strip()
    if required and not text:
        raise NotAllowed(f"Indiquez {label}.")
    if len(text) > TEXT_MAX:
        raise NotAllowed(f"{label.capitalize()} : au plus {TEXT_MAX} caractères.")
    return text


def read_incident(form: dict[str, str]) -> dict[str, Any]:
    """The incident's fields from a form's text, checked (NotAllowed says what is wrong)."""
    risk = form.get("serious_injury_risk", "")
    if risk not in RISKS:
        raise NotAllowed("Choisissez l'évaluation du risque de préjudice sérieux.")
    count = form.get("people_count", "").strip()
    if count and (not count.isdigit() or int(count) > 10_000_000):
        raise NotAllowed("Nombre de personnes : un nombre entier.")
    fields = {
        "occurred_on": _date(form.get("occurred_on", ""), "la date de l'incident"),
        "discovered_on": _date(form.get("discovered_on", ""), "la date où il a été constaté", True),
        "description": _text(form.get("description", ""), "la description"),
        "data_concerned": _text(form.get("data_concerned", ""), "les renseignements visés"),
        "people_count": int(count) if count else None,
        "serious_injury_risk": risk,
        "risk_assessment": _text(form.get("risk_assessment", ""), "l'évaluation du risque"),
        "commission_notified_on": _date(form.get("commission_notified_on", ""),
                                        "la date de l'avis à la Commission"),
        "people_notified_on": _date(form.get("people_notified_on", ""),
                                    "la date de l'avis aux personnes"),
        "measures": _text(form.get("measures", ""), "les mesures prises", required=False),
    }  # fmt: skip
    if risk == "serieux" and not fields["measures"]:
        raise NotAllowed("Un risque de préjudice sérieux demande les mesures prises.")
    return fields


def save_incident(
    sessions: sessionmaker[Session], viewer: Viewer, fields: dict[str, Any],
    incident_id: int | None = None,
) -> int:  # fmt: skip
    """Record a new incident, or update one; return its number."""
    with sessions.begin() as session:
        if incident_id is None:
            incident = Incident(recorded_by=viewer.account_id)
            session.add(incident)
        else:
            found = session.get(Incident, incident_id)
            if found is None:
                raise LookupError(incident_id)
            incident = found
        for name, value in fields.items():
            setattr(incident, name, value)
        session.flush()
        return incident.id


def incidents(sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    """The register, newest first."""
    with sessions() as session:
        rows = session.scalars(select(Incident).order_by(Incident.id.desc())).all()
        return [{"id": i.id, **{name: getattr(i, name) for name in INCIDENT_FIELDS},
                 "risk_label": RISKS.get(i.serious_injury_risk, i.serious_injury_risk),
                 "updated_at": as_utc(i.updated_at)} for i in rows]  # fmt: skip


def incident(sessions: sessionmaker[Session], incident_id: int) -> dict[str, Any] | None:
    return next((i for i in incidents(sessions) if i["id"] == incident_id), None)


@dataclass(frozen=True)
class Request:
    id: int
    name: str
    email: str
    kind: str
    message: str
    received_at: datetime
    due_on: date
    answered_at: datetime | None

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def record_request(
    sessions: sessionmaker[Session], name: str, email: str, kind: str, message: str,
    now: datetime,
) -> date:  # fmt: skip
    """Record a request from the privacy page; return its due date (30 days, Québec time)."""
    name = one_line(name).strip()[:200]
    if not name:
        raise NotAllowed("Indiquez votre nom.")
    try:
        address = parse_email(email)
    except NotUnderstood as error:
        raise NotAllowed(f"Courriel : {error}.") from None
    if kind not in KINDS:
        raise NotAllowed("Choisissez le type de demande.")
    text = _text(message, "votre demande", required=kind == "autre")
    due = (now.astimezone(TIMEZONE) + ANSWER_WITHIN).date()
    with sessions.begin() as session:
        session.add(RightsRequest(name=name, email=address, kind=kind, message=text,
                                  received_at=as_utc(now), due_on=due))  # fmt: skip
    return due


def requests(sessions: sessionmaker[Session]) -> list[Request]:
    """The requests, those still to answer first (soonest due first), then the answered ones."""
    with sessions() as session:
        rows = session.scalars(select(RightsRequest)).all()
        found = [
            Request(r.id, r.name, r.email, r.kind, r.message, as_utc(r.received_at), r.due_on,
                    as_utc(r.answered_at) if r.answered_at else None)
            for r in rows
        ]  # fmt: skip
    return sorted(found, key=lambda r: (r.answered_at is not None, r.due_on, r.id))


def mark_answered(
    sessions: sessionmaker[Session], viewer: Viewer, request_id: int, now: datetime
) -> None:
    with sessions.begin() as session:
        row = session.get(RightsRequest, request_id)
        if row is None:
            raise LookupError(request_id)
        if row.answered_at is None:
            row.answered_at, row.answered_by = as_utc(now), viewer.account_id
