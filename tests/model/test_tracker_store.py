"""Our tracker stores (rasa_components/tracker_store.py), on SQLite and on the real PostgreSQL
server, give back exactly what Rasa's own `SQLTrackerStore` does, across a session expiry too,
inside Rasa's virtualenv.

The same conversations are saved turn by turn (retrieve, add the turn's events, save: what
Rasa's processor does) into one store of each kind; then the latest session (`retrieve`), the
whole history (`retrieve_full_tracker`), the senders and the stored rows must be equal, and
each store must read the other's database the same way. This file is also the script that runs
in Rasa's environment (`python tests/model/test_tracker_store.py FOLDER PG_OURS PG_RASAS` prints
the results).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT_DIR = Path(__file__).resolve().parents[2]

# Two conversations, as turns of events: a merchant whose session expires between two visits
# (the new session starts with `action_session_start`, `session_started` and the carried-over
# slots), and a sender whose events have no `session_started` at all.
T0 = 1_790_000_000.0


def turns() -> dict[str, list[list[Any]]]:
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    def user(text: str, intent: str, at: float) -> Any:
        return UserUttered(text, {"name": intent, "confidence": 1.0}, timestamp=at)

    def session(at: float, carried: list[Any]) -> list[Any]:
        return [
            ActionExecuted("action_session_start", timestamp=at),
            SessionStarted(timestamp=at + 0.001),
            *carried,
            ActionExecuted("action_listen", timestamp=at + 0.002),
        ]

    later = T0 + 3 * 3600  # after the 60-minute session expiry
    return {
        "merchant": [
            session(T0, []),
            [
                user("je veux vérifier mon admissibilité", "request_eligibility", T0 + 10),
                ActionExecuted("utter_ask_consent", timestamp=T0 + 10.1),
                BotUttered("Consentement?", timestamp=T0 + 10.2),
                ActionExecuted("action_listen", timestamp=T0 + 10.3),
            ],
            [
                user("/affirm", "affirm", T0 + 20),
                SlotSet("consent_given", True, timestamp=T0 + 20.1),
                SlotSet("business_name", "Boutique Chez Marie", timestamp=T0 + 20.2),
                ActionExecuted("action_listen", timestamp=T0 + 20.3),
            ],
            session(
                later,
                [
                    SlotSet("consent_given", True, timestamp=later + 0.0015),
                    SlotSet("business_name", "Boutique Chez Marie", timestamp=later + 0.0016),
                ],
            ),
            [
                user("c'est gratuit?", "faq_cost", later + 5),
                ActionExecuted("utter_faq_cost", timestamp=later + 5.1),
                BotUttered("Oui", timestamp=later + 5.2),
                ActionExecuted("action_listen", timestamp=later + 5.3),
            ],
        ],
        "no-session": [
            [ActionExecuted("action_listen", timestamp=T0)],
            [user("allo", "greet", T0 + 1), ActionExecuted("action_listen", timestamp=T0 + 2)],
        ],
    }


async def converse(store: Any, domain: Any) -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    for sender, conversation in turns().items():
        for turn in conversation:
            tracker = await store.retrieve(sender) or DialogueStateTracker(sender, domain.slots)
            for event in turn:
                tracker.update(event)
            await store.save(tracker)


async def read(store: Any) -> dict[str, Any]:
    async def events(tracker: Any) -> list[dict[str, Any]] | None:
        return None if tracker is None else [e.as_dict() for e in tracker.events]

    found: dict[str, Any] = {"senders": sorted(await store.keys())}
    for sender in [*turns(), "unknown"]:
        found[sender] = {
            "latest": await events(await store.retrieve(sender)),
            "full": await events(await store.retrieve_full_tracker(sender)),
        }
        tracker = await store.retrieve(sender)
        found[sender]["slots"] = None if tracker is None else tracker.current_slot_values()
    return found


def rows(url: str) -> list[list[Any]]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        found = [
            list(row)
            for row in connection.execute(
                sa.text(
                    "SELECT id, sender_id, type_name, timestamp, intent_name, action_name, data "
                    "FROM events ORDER BY id"
                )
            )
        ]
    engine.dispose()
    return found


async def compare(folder: Path, ours_pg: str, rasas_pg: str) -> dict[str, Any]:
    """Run in Rasa's environment: save the conversations into both stores and read them back,
    on SQLite files and on PostgreSQL databases."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    from bot.pack.training import compose
    from rasa_components import tracker_store
    from rasa_components.patching import changed_sources
    from rasa_components.tracker_store import PostgresTrackerStore, SQLiteTrackerStore

    domain = Domain.load(str(compose(out=folder / "domain")))  # domain/ + the pack's responses
    ours_db, rasa_db = str(folder / "ours.db"), str(folder / "rasa.db")

    def on_sqlite(db: str, mine: bool) -> Any:
        if mine:
            return SQLiteTrackerStore(domain=domain, db=db)
        return SQLTrackerStore(domain=domain, dialect="sqlite", db=db)

    def on_postgresql(url: str, mine: bool) -> Any:
        if mine:
            return PostgresTrackerStore(domain=domain, host=url)
        return SQLTrackerStore(domain=domain, dialect="postgresql", host=url)

    found: dict[str, Any] = {}
    for name, make, ours_at, rasas_at, urls in (
        ("sqlite", on_sqlite, ours_db, rasa_db, (f"sqlite:///{ours_db}", f"sqlite:///{rasa_db}")),
        ("postgresql", on_postgresql, ours_pg, rasas_pg, (ours_pg, rasas_pg)),
    ):
        await converse(make(ours_at, True), domain)
        await converse(make(rasas_at, False), domain)
        found[name] = {
            "ours": await read(make(ours_at, True)),
            "rasa": await read(make(rasas_at, False)),
            "ours_reading_rasa": await read(make(rasas_at, True)),
            "rasa_reading_ours": await read(make(ours_at, False)),
            "rows": {"ours": rows(urls[0]), "rasa": rows(urls[1])},
        }
    found["changed_sources"] = changed_sources(tracker_store.PATCHED)
    found["on_rasa_3_7"] = refusal(lambda: SQLiteTrackerStore(domain=domain, db=ours_db))
    return found


def refusal(start: Any) -> str:
    """What `start()` says when the installed Rasa claims to be 3.7.0."""
    import rasa

    real, rasa.__version__ = rasa.__version__, "3.7.0"
    try:
        start()
    except RuntimeError as error:
        return str(error)
    finally:
        rasa.__version__ = real
    return "started"


_RESULTS: dict[str, Any] = {}


def run_in_rasa(folder: Path) -> dict[str, Any]:
    """The results of `compare`, run once in Rasa's environment."""
    from tests.conftest import new_postgres_database

    if _RESULTS:
        return _RESULTS
    with (
        new_postgres_database("numeriqc_tracker_ours") as ours,
        new_postgres_database("numeriqc_tracker_rasa") as rasas,
    ):
        _RESULTS.update(
            _compare_in_rasa(folder, *(u.replace("+psycopg", "") for u in (ours, rasas)))
        )
    return _RESULTS


def _compare_in_rasa(folder: Path, ours: str, rasas: str) -> dict[str, Any]:
    from bot.settings import load_settings
    from bot.stack import RASA_BIN, rasa_env

    done = subprocess.run(
        [str(RASA_BIN.parent / "python"), __file__, str(folder), ours, rasas],
        cwd=ROOT_DIR,
        env={**rasa_env(load_settings()), "PYTHONPATH": str(ROOT_DIR)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_same_events_back_as_rasas_sql_tracker_store_on_sqlite(tmp_path: Path) -> None:
    check_same_events(run_in_rasa(tmp_path)["sqlite"])


def test_same_events_back_as_rasas_sql_tracker_store_on_postgresql(tmp_path: Path) -> None:
    check_same_events(run_in_rasa(tmp_path)["postgresql"])


def check_same_events(found: dict[str, Any]) -> None:
    assert found["ours"] == found["rasa"]
    assert found["ours_reading_rasa"] == found["rasa"]
    assert found["rasa_reading_ours"] == found["rasa"]
    assert found["rows"]["ours"] == found["rows"]["rasa"]
    # What "the same" means here: the latest session only, or everything.
    merchant = found["rasa"]["merchant"]
    texts = [e.get("text") for e in merchant["latest"]]
    assert "c'est gratuit?" in texts and "je veux vérifier mon admissibilité" not in texts
    assert merchant["latest"][0]["event"] == "session_started"
    assert [e["event"] for e in merchant["full"]].count("session_started") == 2
    assert len(merchant["full"]) == 20 and len(merchant["latest"]) == 8
    assert merchant["slots"]["business_name"] == "Boutique Chez Marie"
    assert len(found["rasa"]["no-session"]["latest"]) == 3
    assert found["rasa"]["no-session"]["latest"] == found["rasa"]["no-session"]["full"]
    assert found["rasa"]["unknown"] == {"latest": None, "full": None, "slots": None}
    assert found["rasa"]["senders"] == ["merchant", "no-session"]


def test_refuses_another_rasa_and_mirrors_the_rasa_it_was_written_for(tmp_path: Path) -> None:
    found = run_in_rasa(tmp_path)
    assert found["changed_sources"] == []
    assert found["on_rasa_3_7"].startswith(
        "rasa_components.tracker_store patches Rasa 3.6.21 internals; found 3.7.0: "
    )


if __name__ == "__main__":
    print(json.dumps(asyncio.run(compare(Path(sys.argv[1]), sys.argv[2], sys.argv[3]))))
