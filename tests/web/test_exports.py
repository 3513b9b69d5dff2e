"""The workspace's CSV export through Sanic's test client, on SQLite and PostgreSQL: sign-in
needed, the leads the viewer may see, cells a spreadsheet cannot run, the audit row."""

from __future__ import annotations

import csv
import io

from sanic import Sanic
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.privacy.erasure import erase_lead
from bot.settings import Settings
from bot.storage.models import AuditEntry
from tests.conftest import FROZEN_NOW as NOW
from tests.web.test_workspace import Browser, app, lead, settings, signed_in

__all__ = ["app", "settings"]


def exported(browser: Browser) -> list[dict[str, str]]:
    reply = browser.get("/conseillers/export.csv")
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/csv; charset=utf-8"
    assert reply.headers["content-disposition"].startswith('attachment; filename="pistes-')
    assert reply.body.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(reply.body.decode("utf-8-sig"))))


def test_the_export_needs_signing_in(app: Sanic) -> None:
    reply = Browser(app).get("/conseillers/export.csv")
    assert reply.status == 302
    assert reply.headers["location"] == "/conseillers/connexion?suivant=/conseillers/export.csv"


def test_an_advisor_exports_their_leads_and_the_unassigned_a_manager_all(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead(sessions, "Boutique de Sophie", "sophie")
    lead(sessions, "Commerce à attribuer")
    lead(sessions, "Boutique de Marc", "marc")
    rows = exported(signed_in(app, "sophie@qcnum.example"))
    assert sorted(r["Commerce"] for r in rows) == ["Boutique de Sophie", "Commerce à attribuer"]
    mine = next(r for r in rows if r["Commerce"] == "Boutique de Sophie")
    assert (mine["Statut"], mine["Conseiller"], mine["Contact"]) == (
        "nouveau", "sophie", "Marie Tremblay")  # fmt: skip
    everything = exported(signed_in(app, "gestion@qcnum.example"))
    assert len(everything) == 3 and "Boutique de Marc" in {r["Commerce"] for r in everything}


def test_the_export_and_the_list_agree_after_an_erasure(
    app: Sanic, sessions: sessionmaker[Session], settings: Settings
) -> None:
    kept, erased = lead(sessions, "Boutique gardée"), lead(sessions, "Boutique effacée")
    erase_lead(sessions, erased, tracker_url=settings.tracker_url, outbox=settings.var_dir, now=NOW)
    manager = signed_in(app, "gestion@qcnum.example")
    assert [int(r["N° de piste"]) for r in exported(manager)] == [kept]
    listed = manager.get("/conseillers/").text
    assert "Boutique gardée" in listed and f"/pistes/{erased}" not in listed


def test_the_sheet_reads_in_french_one_value_per_cell_in_quebec_time(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead(sessions, "Boutique")
    [row] = exported(signed_in(app, "gestion@qcnum.example"))
    assert list(row)[:4] == ["N° de piste", "Commerce", "Code postal", "Municipalité"]
    assert all(not name.isascii() or " " in name or name[0].isupper() for name in row)
    assert not any(cell.startswith(("[", "{")) for cell in row.values()), "no JSON in a cell"
    assert row["Consentement donné le"].endswith("-05:00") or row["Consentement donné le"].endswith(
        "-04:00"
    )  # Québec time, with its offset
    assert row["Révision demandée"] == "non" and row["Réponse : impact"] == "Vendre en ligne"
    assert " ; " in row["Facteurs de priorité"] and "/30" in row["Facteurs de priorité"]


def test_formula_like_cells_are_neutralised(app: Sanic, sessions: sessionmaker[Session]) -> None:
    for name in ('=HYPERLINK("http://pirate.example","Cliquez")', "+1+2", "-2+3", "@SUM(A1)"):
        lead(sessions, name)
    rows = exported(signed_in(app, "gestion@qcnum.example"))
    assert sorted(r["Commerce"] for r in rows) == [
        "'+1+2", "'-2+3", "'=HYPERLINK(\"http://pirate.example\",\"Cliquez\")", "'@SUM(A1)"]  # fmt: skip
    assert {r["Téléphone"] for r in rows} == {"418 555-1234"}


def test_each_export_is_written_in_the_audit_log(
    app: Sanic, sessions: sessionmaker[Session]
) -> None:
    lead(sessions, "Boutique", "sophie")
    lead(sessions, "Autre", "marc")
    exported(signed_in(app, "sophie@qcnum.example"))
    with sessions() as session:
        [entry] = session.scalars(select(AuditEntry)).all()
        assert entry.account is not None
        assert (entry.action, entry.detail, entry.account.email) == (
            "export", "CSV, 1 piste", "sophie@qcnum.example")  # fmt: skip
    journal = signed_in(app, "gestion@qcnum.example").get("/conseillers/journal").text
    assert "export (CSV, 1 piste)" in journal
