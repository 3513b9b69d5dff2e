"""The leads as a spreadsheet reads them (the workspace's CSV export and the CLI's): French
column names, one value per cell (lists joined, the intake's answers and the diagnostic's levels
in columns of their own), times in Québec with their UTC offset, phones as people write them,
every cell made safe (`bot.storage.leads.spreadsheet_cell`)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from bot.scheduling import TIMEZONE
from bot.storage.leads import spreadsheet_cell
from bot.text import phone_for_people

LIST_SEPARATOR = " ; "


def local_time(moment: str | None) -> str:
    """An ISO 8601 time in Québec with its offset, to the minute: 2026-11-23T10:00-05:00."""
    if not moment:
        return ""
    return datetime.fromisoformat(moment).astimezone(TIMEZONE).isoformat(timespec="minutes")


def _yes_no(value: Any) -> str:
    return "oui" if value else "non"


def _factors(factors: list[dict[str, Any]]) -> str:
    return LIST_SEPARATOR.join(
        f"{f.get('label', '')} {f.get('points', 0)}/{f.get('maximum', 0)}" for f in factors
    )


def sheet_row(row: dict[str, Any]) -> dict[str, Any]:
    """One lead (`bot.storage.leads.lead_rows`, with `status` and `advisor` when the
    workspace exports it) as the columns of the sheet."""
    session = row.get("session") or {}
    diagnostic = row.get("diagnostic") or {}
    cells: dict[str, Any] = {
        "N° de piste": row["lead_id"],
        "Commerce": row["business"],
        "Code postal": row["postal_code"] or "",
        "Municipalité": row["municipality"] or "",
        "Secteur": row["sector"] or "",
        "Contact": row["contact"],
        "Rôle": row["role"] or "",
        "Courriel": row["email"],
        "Téléphone": phone_for_people(row["phone"]),
    }
    if "status" in row:
        cells |= {"Statut": row["status"] or "", "Conseiller": row.get("advisor") or ""}
    cells |= {
        "Décision": row["outcome"] or "",
        "Motifs": LIST_SEPARATOR.join(row["reasons"]),
        "Priorité (sur 100)": row["score"] if row["score"] is not None else "",
        "Facteurs de priorité": _factors(row["factors"]),
        "Révision demandée": _yes_no(row["review_requested"]),
        "Consentement (version)": row["consent_version"] or "",
        "Consentement donné le": local_time(row["consent_given_at"]),
        "Rencontre le": local_time(session.get("starts_at")),
        "Rencontre (numéro)": session.get("reference", ""),
        "Rencontre (conseiller)": session.get("advisor", ""),
        "Rappel demandé": _yes_no(row["callback_requested"]),
        "Diagnostic terminé": _yes_no(diagnostic.get("completed")),
        "Priorités du diagnostic": LIST_SEPARATOR.join(diagnostic.get("focus") or []),
        "Brief": diagnostic.get("brief") or "",
        "Demandes": row["submissions"],
        "Mise à jour le": local_time(row["updated_at"]),
    }
    for area, level in (diagnostic.get("levels") or {}).items():
        cells[f"Maturité : {area}"] = level
    for question, answer in (row.get("answers") or {}).items():
        cells[f"Réponse : {question}"] = answer
    return cells


def export_csv(rows: list[dict[str, Any]]) -> str:
    """CSV for spreadsheets: one row per lead, the columns of every lead (an answer a lead did
    not give is an empty cell)."""
    sheet = [sheet_row(row) for row in rows]
    columns = list(dict.fromkeys(name for cells in sheet for name in cells))
    out = io.StringIO()
    if sheet:
        writer = csv.DictWriter(out, fieldnames=columns, restval="")
        writer.writeheader()
        for cells in sheet:
            writer.writerow({k: spreadsheet_cell(v) for k, v in cells.items()})
    return out.getvalue()
