"""The leads list's saved filters: a name and the list's query string (made by the page from
filters it understood), per account; applied with one click, replaced by saving again under the
same name, deleted by their owner only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.folding import fold_for_search
from bot.storage.models import SavedFilter
from bot.text import one_line
from bot.workspace import NotAllowed

NAME_MAX = 60
QUERY_MAX = 1000
MOST = 20  # saved filters per account


@dataclass(frozen=True)
class Saved:
    filter_id: int
    name: str
    query: str


def saved_filters(sessions: sessionmaker[Session], account_id: int) -> list[Saved]:
    """The account's saved filters, by name (accents and case aside: « à rappeler » before
    « Restos »)."""
    with sessions() as session:
        rows = session.scalars(
            select(SavedFilter).where(SavedFilter.account_id == account_id).order_by(SavedFilter.id)
        ).all()
        found = [Saved(row.id, row.name, row.query) for row in rows]
    return sorted(found, key=lambda saved: fold_for_search(saved.name) or "")


def save_filter(sessions: sessionmaker[Session], account_id: int, name: str, query: str) -> None:
    """Save `query` under `name` for the account (replacing a filter of the same name)."""
    name = one_line(name)
    if not name:
        raise NotAllowed("Donnez un nom au filtre.")
    if len(name) > NAME_MAX:
        raise NotAllowed(f"Le nom du filtre dépasse {NAME_MAX} caractères.")
    if not query:
        raise NotAllowed("Choisissez au moins un filtre avant de l'enregistrer.")
    if len(query) > QUERY_MAX:
        raise NotAllowed("Ces filtres sont trop longs pour être enregistrés.")
    try:
        with sessions.begin() as session:
            mine = select(SavedFilter).where(SavedFilter.account_id == account_id)
            same = session.scalar(mine.where(SavedFilter.name == name))
            if same is not None:
                same.query = query
                return
            if len(session.scalars(mine).all()) >= MOST:
                raise NotAllowed(
                    f"Vous avez déjà {MOST} filtres enregistrés : supprimez-en un d'abord."
                )
            session.add(SavedFilter(account_id=account_id, name=name, query=query))
    except IntegrityError:  # the same name saved at the same time, from another page
        raise NotAllowed("Un filtre porte déjà ce nom : réessayez.") from None


def delete_filter(sessions: sessionmaker[Session], account_id: int, filter_id: int) -> None:
    """Delete the account's saved filter (LookupError: none of theirs has this id)."""
    with sessions.begin() as session:
        row = session.get(SavedFilter, filter_id)
        if row is None or row.account_id != account_id:
            raise LookupError(filter_id)
        session.delete(row)
