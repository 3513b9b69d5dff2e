"""Command line for the program team: `python -m bot.cli leads [--format csv|json] [--output F]`
and `python -m bot.cli db upgrade`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.settings import load_settings
from bot.storage.database import make_engine, make_sessions, upgrade
from bot.storage.leads import export_csv, export_json, lead_rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    leads = commands.add_parser("leads", help="list or export the leads, highest priority first")
    leads.add_argument("--format", choices=["table", "csv", "json"], default="table")
    leads.add_argument("--output", type=Path, help="write to this file instead of the screen")
    db = commands.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade"])
    args = parser.parse_args(argv)

    settings = load_settings()
    upgrade(settings.database_url)
    if args.command == "db":
        print("database schema is up to date")
        return 0
    engine = make_engine(settings.database_url)
    rows = lead_rows(make_sessions(engine))
    engine.dispose()
    if args.format == "json":
        text = export_json(rows)
    elif args.format == "csv":
        text = export_csv(rows)
    else:
        lines = [f"{'#':>4}  {'score':>5}  {'décision':<15} {'entreprise':<30} courriel"]
        for r in rows:
            lines.append(
                f"{r['lead_id']:>4}  {r['score'] or 0:>5}  {r['outcome'] or '':<15} "
                f"{r['business'][:30]:<30} {r['email']}"
            )
        text = "\n".join(lines) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
