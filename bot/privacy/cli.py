"""The privacy officer's command line (`python -m bot.cli privacy …`): find a person, export,
correct or erase their file, run the retention job, and the scheduled privacy work."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from bot.booking import scheduler_for
from bot.parsing import NotUnderstood
from bot.privacy import codes
from bot.privacy.erasure import erase_lead
from bot.privacy.person import CORRECTABLE, as_csv, as_json, correct, find_people, person_file
from bot.privacy.retention import RetentionReport, run_retention
from bot.privacy.tracker import erase_idle
from bot.settings import Settings
from bot.storage.database import sessions_of

log = logging.getLogger("bot.jobs")


def add_commands(commands: Any) -> None:
    """The `privacy` command and its actions, under the CLI's sub-commands."""
    privacy = commands.add_parser("privacy", help="Law 25: a person's file, retention")
    actions = privacy.add_subparsers(dest="action", required=True)
    actions.add_parser("find", help="find a person by e-mail, phone or name").add_argument("query")
    export = actions.add_parser("export", help="a person's whole file (JSON or CSV)")
    export.add_argument("lead", type=int)
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--output", type=Path, help="write to this file instead of the screen")
    fix = actions.add_parser("correct", help="correct a field of a person's file")
    fix.add_argument("lead", type=int)
    fix.add_argument("field", choices=CORRECTABLE)
    fix.add_argument("value")
    erase = actions.add_parser("erase", help="erase a person (cancels their future sessions)")
    erase.add_argument("lead", type=int)
    erase.add_argument("--yes", action="store_true", help="do it (without: say what it would do)")
    retention = actions.add_parser("retention", help="erase what is past RETENTION_DAYS")
    retention.add_argument("--dry-run", action="store_true", help="only list what it would erase")


def retention(settings: Settings, dry_run: bool) -> RetentionReport:
    return run_retention(
        sessions_of(settings), settings.tracker_url, settings.var_dir / "outbox",
        settings.clock(), settings.retention_days, dry_run,
    )  # fmt: skip


def scheduled(settings: Settings) -> None:
    """The privacy part of `bot.cli jobs`: erase the conversations now idle, forget the old
    one-time codes, then retention."""
    sessions = sessions_of(settings)
    erased = erase_idle(sessions, settings.tracker_url)
    codes.forget_expired(sessions, settings.clock())
    if erased:
        log.info("privacy: %d conversation(s) erased from the tracker store", len(erased))
    report = retention(settings, dry_run=False)
    if report.leads or report.conversations:
        log.info("%s", "; ".join(report.lines()))


def run(settings: Settings, args: argparse.Namespace) -> int:
    sessions = sessions_of(settings)
    if args.action == "find":
        for m in find_people(sessions, args.query):
            print(f"{m.lead_id:>5}  {m.business[:30]:<30} {m.contact[:25]:<25} {m.email} {m.phone}")
        return 0
    if args.action == "retention":
        print("\n".join(retention(settings, args.dry_run).lines()))
        return 0
    try:
        if args.action == "export":
            record = person_file(sessions, args.lead, settings.tracker_url)
            text = as_json(record) if args.format == "json" else as_csv(record)
            if args.output:
                args.output.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        elif args.action == "correct":
            print(f"{args.field} = {correct(sessions, args.lead, args.field, args.value)}")
        elif not args.yes:
            record = person_file(sessions, args.lead)
            print(
                f"lead {args.lead} ({record['business']['name']}) would be erased everywhere, "
                f"{len(record['bookings'])} session(s): add --yes to do it"
            )
        else:
            report = erase_lead(
                sessions, args.lead, tracker_url=settings.tracker_url,
                outbox=settings.var_dir / "outbox", now=settings.clock(),
                scheduler=scheduler_for(settings),
            )  # fmt: skip
            print(
                f"lead {args.lead} erased" + (" (already)" if report.already else "")
                + f"; sessions cancelled: {', '.join(report.cancelled) or 'none'}"
                + f"; conversations erased: {len(report.conversations)}"
                f" ({report.conversations_erased} now, the others by the scheduled job once idle)"
                + "".join(f"; {c}: {why}" for c, why in report.conversations.items())
                + "".join(f"; {c} scrubbed ({why})" for c, why in report.scrubbed.items())
                + f"; outbox mails removed: {report.mails_removed}"
            )  # fmt: skip
    except LookupError:
        print(f"error: no lead {args.lead}", file=sys.stderr)
        return 2
    except NotUnderstood as error:
        print(f"error: expected {error}", file=sys.stderr)
        return 2
    return 0
