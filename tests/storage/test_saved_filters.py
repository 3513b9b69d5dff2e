"""The leads list's saved filters, on both databases: saved per account by name, replaced by the
same name, listed by name, deleted by their owner only, at most 20 an account."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.saved_filters import MOST, delete_filter, save_filter, saved_filters
from bot.workspace import NotAllowed, Viewer
from tests.storage.test_callback_assignment import team

__all__ = ["team"]


def test_saved_by_name_per_account_replaced_and_deleted(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    sophie, marc = team["sophie"].account_id, team["marc"].account_id
    save_filter(
        sessions, sophie, "  Restos de Limoilou ", "secteur=restauration&territoire=Limoilou"
    )
    save_filter(sessions, sophie, "à rappeler", "mes_pistes=oui&statut=contact%C3%A9")
    save_filter(sessions, marc, "Restos de Limoilou", "secteur=restauration")
    mine = saved_filters(sessions, sophie)
    assert [(f.name, f.query) for f in mine] == [
        ("à rappeler", "mes_pistes=oui&statut=contact%C3%A9"),
        ("Restos de Limoilou", "secteur=restauration&territoire=Limoilou"),
    ]
    save_filter(sessions, sophie, "Restos de Limoilou", "secteur=restauration")  # replaced
    assert [f.query for f in saved_filters(sessions, sophie)][1] == "secteur=restauration"
    with pytest.raises(LookupError):
        delete_filter(sessions, marc, mine[0].filter_id)  # not his
    delete_filter(sessions, sophie, mine[0].filter_id)
    assert [f.name for f in saved_filters(sessions, sophie)] == ["Restos de Limoilou"]
    assert [f.name for f in saved_filters(sessions, marc)] == ["Restos de Limoilou"]


def test_a_name_some_filters_and_a_limit(
    sessions: sessionmaker[Session], team: dict[str, Viewer]
) -> None:
    sophie = team["sophie"].account_id
    with pytest.raises(NotAllowed, match="Donnez un nom"):
        save_filter(sessions, sophie, " \n", "secteur=autre")
    with pytest.raises(NotAllowed, match="60 caractères"):
        save_filter(sessions, sophie, "x" * 61, "secteur=autre")
    with pytest.raises(NotAllowed, match="au moins un filtre"):
        save_filter(sessions, sophie, "Tout", "")
    for number in range(MOST):
        save_filter(sessions, sophie, f"Filtre {number}", "secteur=autre")
    with pytest.raises(NotAllowed, match="supprimez-en un"):
        save_filter(sessions, sophie, "Un de trop", "secteur=autre")
    save_filter(sessions, sophie, "Filtre 3", "secteur=services")  # replacing is still fine
