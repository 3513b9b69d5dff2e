"""Our SQLite tracker store (rasa_components/tracker_store.py) gives back exactly what Rasa's own
`SQLTrackerStore` does, across a session expiry too, inside Rasa's virtualenv.

The same conversations are saved turn by turn (retrieve, add the turn's events, save: what
Rasa's processor does) into one store of each kind; then the latest session (`retrieve`), the
whole history (`retrieve_full_tracker`), the senders and the stored rows must be equal, and
each store must read the other's file the same way. This file is also the script that runs in
Rasa's environment (`python tests/model/test_tracker_store.py FOLDER` prints the results).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
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


def rows(db: Path) -> list[list[Any]]:
    with sqlite3.connect(db) as connection:
        return [
            list(row)
            for row in connection.execute(
                "SELECT id, sender_id, type_name, timestamp, intent_name, action_name, data "
                "FROM events ORDER BY id"
            )
        ]


async def compare(folder: Path) -> dict[str, Any]:
    """Run in Rasa's environment: save the conversations into both stores and read them back."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    from rasa_components import tracker_store
    from rasa_components.patching import changed_sources
    from rasa_components.tracker_store import SQLiteTrackerStore

    domain = Domain.load(str(ROOT_DIR / "domain"))
    ours_db, rasa_db = folder / "ours.db", folder / "rasa.db"
    ours = SQLiteTrackerStore(domain=domain, db=str(ours_db))
    rasas = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(rasa_db))
    await converse(ours, domain)
    await converse(rasas, domain)
    return {
        "ours": await read(ours),
        "rasa": await read(rasas),
        "ours_reading_rasa": await read(SQLiteTrackerStore(domain=domain, db=str(rasa_db))),
        "rasa_reading_ours": await read(
            SQLTrackerStore(domain=domain, dialect="sqlite", db=str(ours_db))
        ),
        "rows": {"ours": rows(ours_db), "rasa": rows(rasa_db)},
        "changed_sources": changed_sources(tracker_store.PATCHED),
        "on_rasa_3_7": refusal(lambda: SQLiteTrackerStore(domain=domain, db=str(ours_db))),
    }


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
    from bot.settings import load_settings
    from bot.stack import RASA_BIN, rasa_env

    if _RESULTS:
        return _RESULTS
    done = subprocess.run(
        [str(RASA_BIN.parent / "python"), __file__, str(folder)],
        cwd=ROOT_DIR,
        env={**rasa_env(load_settings()), "PYTHONPATH": str(ROOT_DIR)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    _RESULTS.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return _RESULTS


def test_same_events_back_as_rasas_sql_tracker_store(tmp_path: Path) -> None:
    found = run_in_rasa(tmp_path)
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
    print(json.dumps(asyncio.run(compare(Path(sys.argv[1])))))
