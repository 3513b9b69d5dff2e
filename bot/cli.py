"""Command line for the program team:
`python -m bot.cli leads [--format table|csv|json] [--output F]` lists leads with their session
and callback request; `python -m bot.cli jobs [--every SECONDS]` runs the scheduled work (once,
or in a loop, where this runner holds the jobs' lease): tomorrow's reminders (`reminders` alone)
and the mails waiting in the retry queue for the SMTP server (`outbox` alone), the missed
messages of the new conversations (`missed` alone), the live chats whose wait or silence ran
out;
`python -m bot.cli nginx` prints the production profile's nginx site; `python -m bot.cli db upgrade` migrates the database,
`db backup FILE` and `db restore FILE` save and bring back a copy of it (`--tracker`: of Rasa's
tracker store; docs/BACKUPS.md);
`python -m bot.cli accounts create EMAIL --name N --role advisor|manager [--advisor ID]` creates
a workspace account (the password is read from standard input), `accounts disable EMAIL`
disables one, `accounts inbox|no-inbox EMAIL` gives an advisor the missed-messages inbox or
takes it back; `python -m bot.cli digest` e-mails the team (TEAM_EMAIL) the leads of the last day,
highest priority first; `python -m bot.cli privacy find|export|correct|erase|retention` are the
privacy officer's tools (Law 25, `bot/privacy/cli.py`); `python -m bot.cli model
train|measure|promote|rollback|list` trains, measures and puts in service a candidate model
(`bot/learning/cli.py`), which the scheduled jobs also train when the workspace asks;
`python -m bot.cli program check [DIR]` validates the program pack (docs/PROGRAM_PACK.md)."""

from __future__ import annotations

import argparse
import getpass
import logging
import signal
import sys
import time
from pathlib import Path

from bot.pack.check import check_program, run_before_imports

if __name__ == "__main__":
    run_before_imports(sys.argv[1:])  # an invalid pack: its errors, not an import traceback

from bot import log_privacy
from bot.booking import scheduler_for
from bot.handoff import Handoff
from bot.learning import candidate
from bot.learning import cli as model_cli
from bot.lease import Lease
from bot.live_signals import QUEUE, conversation_channel, publish_now
from bot.mail import mail_settings, retry_outbox
from bot.nginx import site
from bot.notifications import send_digest
from bot.privacy import cli as privacy
from bot.scheduling.config import load_availability
from bot.settings import Settings, load_settings
from bot.spreadsheet import export_csv
from bot.stack import JOBS_EVERY
from bot.storage.accounts import AccountError, create_account, set_active
from bot.storage.backup import BackupError, backup, restore
from bot.storage.database import make_engine, make_sessions, sessions_of, upgrade
from bot.storage.leads import export_json, lead_rows
from bot.storage.missed import give_inbox
from bot.storage.missed import scan as scan_missed

log = logging.getLogger("bot.jobs")
JOBS = {
    "jobs": "run the scheduled work: reminders, the outbox, live chats run out, then privacy "
    "(erasures, retention)",
    "reminders": "send the reminders of tomorrow's sessions",
    "outbox": "send again the mails the SMTP server did not take",
    "missed": "read the new conversations' missed messages into the workspace's inbox",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    leads = commands.add_parser("leads", help="list or export the leads, highest priority first")
    leads.add_argument("--format", choices=["table", "csv", "json"], default="table")
    leads.add_argument("--output", type=Path, help="write to this file instead of the screen")
    for name, text in JOBS.items():
        job = commands.add_parser(name, help=text)
        job.add_argument("--every", type=int, help="run forever, every SECONDS")
    team = commands.add_parser("accounts", help="advisor workspace accounts")
    team.add_argument("action", choices=["create", "disable", "enable", "inbox", "no-inbox"])
    team.add_argument("email")
    team.add_argument("--name", help="the person's name (create)")
    team.add_argument("--role", choices=["advisor", "manager"], default="advisor")
    team.add_argument("--advisor", help="the advisor's id in config/advisors.yml (create)")
    commands.add_parser("digest", help="e-mail the team the leads of the last day (TEAM_EMAIL)")
    commands.add_parser("nginx", help="print this host's nginx site (docs/DEPLOY.md)")
    privacy.add_commands(commands)
    model_cli.add_commands(commands)
    program = commands.add_parser("program", help="the program pack (docs/PROGRAM_PACK.md)")
    program_actions = program.add_subparsers(dest="action", required=True)
    check = program_actions.add_parser("check", help="validate the pack (default: PROGRAM_DIR)")
    check.add_argument("folder", type=Path, nargs="?", help="the pack's folder")
    db = commands.add_parser("db", help="database schema and backups")
    db_actions = db.add_subparsers(dest="action", required=True)
    db_actions.add_parser("upgrade", help="apply the database migrations")
    for action, text in (("backup", "save a copy to FILE"), ("restore", "bring back FILE")):
        copy = db_actions.add_parser(action, help=f"{text} (docs/BACKUPS.md)")
        copy.add_argument("file", type=Path)
        copy.add_argument("--tracker", action="store_true", help="Rasa's tracker store instead")
    args = parser.parse_args(argv)
    if args.command == "program":
        return check_program(args.folder)

    settings = load_settings()
    if args.command == "nginx":
        return nginx_site(settings)
    if args.command == "db" and args.action != "upgrade":
        return backup_command(settings, args.action, args.file, args.tracker)
    upgrade(settings.database_url)
    if args.command == "db":
        print("database schema is up to date")
        return 0
    if args.command in JOBS:
        return run_jobs(settings, args.command, args.every)
    if args.command == "accounts":
        return manage_accounts(settings, args)
    if args.command == "digest":
        return digest(settings)
    if args.command == "privacy":
        return privacy.run(settings, args)
    if args.command == "model":
        return model_cli.run(settings, args)
    engine = make_engine(settings.database_url)
    rows = lead_rows(make_sessions(engine, settings.clock))
    engine.dispose()
    if args.format == "json":
        text = export_json(rows)
    elif args.format == "csv":
        text = export_csv(rows)
    else:
        lines = [
            f"{'#':>4}  {'score':>5}  {'décision':<15} {'entreprise':<30} {'rencontre':<16} "
            "courriel"
        ]
        for r in rows:
            meeting = r["session"]["starts_at"][:16] if r["session"] else ""
            if not meeting and r["callback_requested"]:
                meeting = "à rappeler"
            lines.append(
                f"{r['lead_id']:>4}  {r['score'] or 0:>5}  {r['outcome'] or '':<15} "
                f"{r['business'][:30]:<30} {meeting:<16} {r['email']}"
            )
        text = "\n".join(lines) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def nginx_site(settings: Settings) -> int:
    """The production profile's nginx site, for /etc/nginx/conf.d/ (PUBLIC_PORT, TLS_CERT and
    TLS_KEY needed)."""
    if not (settings.proxied and settings.tls_cert and settings.tls_key):
        print("error: set PUBLIC_PORT, TLS_CERT and TLS_KEY (docs/DEPLOY.md)", file=sys.stderr)
        return 2
    sys.stdout.write(site(settings, settings.tls_cert, settings.tls_key))
    return 0


def digest(settings: Settings) -> int:
    if not settings.team_email:
        print("TEAM_EMAIL is empty: no digest sent", file=sys.stderr)
        return 1
    engine = make_engine(settings.database_url)
    count = send_digest(settings, make_sessions(engine, settings.clock), settings.clock())
    engine.dispose()
    print(f"digest: {count} lead(s) of the last day" + ("" if count else ", nothing sent"))
    return 0


def read_password() -> str:
    """The new password: typed twice without echo at a terminal, else one line of stdin
    (never an argument: it would show in the process list and the shell history)."""
    if sys.stdin.isatty():
        first = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Encore une fois : ") != first:
            raise AccountError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def manage_accounts(settings: Settings, args: argparse.Namespace) -> int:
    sessions = sessions_of(settings)
    try:
        if args.action == "create":
            if args.advisor and args.advisor not in {
                a.id for a in load_availability(settings.advisors_file).advisors
            }:
                raise AccountError(f"no advisor {args.advisor!r} in {settings.advisors_file}")
            create_account(
                sessions, args.email, args.name or args.email, args.role, read_password(),
                args.advisor,
            )  # fmt: skip
            print(f"account created: {args.email} ({args.role})")
        elif args.action in ("inbox", "no-inbox"):  # the missed-messages inbox, for an advisor
            give_inbox(sessions, args.email, args.action == "inbox")
            print(f"missed-messages inbox {'given to' if args.action == 'inbox' else 'taken from'}"
                  f" {args.email}")  # fmt: skip
        else:
            set_active(sessions, args.email, args.action == "enable")
            print(f"account {args.action}d: {args.email}")
    except LookupError:
        print(f"error: no account {args.email}", file=sys.stderr)
        return 2
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


LEASE_RUNS = 3  # a runner that missed this many runs has lost the lease to another


def _run_once(settings: Settings, job: str) -> None:
    if job in {"jobs", "reminders"}:
        sent = scheduler_for(settings).send_reminders()
        if sent:
            log.info("reminders sent: %s", ", ".join(sent))
    if job in {"jobs", "outbox"}:
        report = retry_outbox(mail_settings(settings))
        if report.sent or report.given_up:
            log.info("outbox: %d sent, %d given up", len(report.sent), len(report.given_up))
    if job in {"jobs", "missed"}:
        found = scan_missed(sessions_of(settings), settings.tracker_url)
        if found:
            log.info("missed messages: %d new", found)
    if job == "jobs":
        # Live chats whose wait or silence ran out while no page watched (`bot/handoff.py`).
        for ended in Handoff.of(settings).sweep(settings.clock()):
            log.info("live chat %d ended (%s)", ended.id, ended.outcome)
            publish_now(settings.redis_url, conversation_channel(ended.conversation_id))
            publish_now(settings.redis_url, QUEUE)
        privacy.scheduled(settings)
        # A candidate model the « Modèle » page requested: trained and measured in a thread.
        candidate.train_requested(settings)


def run_jobs(settings: Settings, job: str, every: int | None) -> int:
    """Run `job` once, or every `every` seconds until stopped, when this runner holds the
    jobs' lease (one runner across instances: `bot/lease.py`). Their state is in the database,
    so a restart never sends a reminder or a mail twice."""
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(message)s")
    lease = Lease(settings.redis_url, LEASE_RUNS * (every or JOBS_EVERY))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a clean stop releases the lease
    try:
        while True:
            if lease.held():
                log.debug("scheduled jobs: %s run", job)
                try:
                    _run_once(settings, job)
                except Exception:  # a failed run is logged; the next one tries again
                    log.exception("%s run failed", job)
                    if every is None:
                        return 1
            if every is None:
                return 0
            time.sleep(every)
    finally:
        lease.release()


def backup_command(settings: Settings, action: str, file: Path, tracker: bool) -> int:
    """`db backup FILE` / `db restore FILE`: the application database, or the tracker store."""
    url = settings.tracker_url if tracker else settings.database_url
    what = "tracker store" if tracker else "database"
    try:
        if action == "backup":
            backup(url, file)
            print(f"{what} saved to {file}")
            return 0
        restore(file, url)
    except BackupError as error:
        print(f"{action} failed: {error}", file=sys.stderr)
        return 1
    if not tracker:  # a backup taken before the latest migrations
        upgrade(url)
    print(f"{what} restored from {file}")
    return 0


if __name__ == "__main__":
    log_privacy.install()  # the process's logs (scheduled jobs) without personal data
    sys.exit(main())
