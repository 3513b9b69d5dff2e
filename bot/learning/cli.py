"""`python -m bot.cli model train|measure|promote|rollback|list`: the « Modèle » page's actions
from the command line (docs/DEPLOY.md)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from bot.learning import candidate
from bot.learning.quality import decimal, load_quality
from bot.pack.training import pack_of_model
from bot.settings import Settings
from bot.storage import candidates
from bot.storage.database import sessions_of


def add_commands(commands: Any) -> None:
    model = commands.add_parser("model", help="candidate models: train, measure, promote")
    actions = model.add_subparsers(dest="action", required=True)
    actions.add_parser("train", help="train a candidate with the approved examples, measure it")
    measure = actions.add_parser("measure", help="measure the model in service (and ID)")
    measure.add_argument("id", type=int, nargs="?")
    promote = actions.add_parser("promote", help="put the candidate ID in service")
    promote.add_argument("id", type=int)
    actions.add_parser("rollback", help="put back the model that served before")
    actions.add_parser("list", help="the models and their figures")


def _table(settings: Settings) -> str:
    sessions = sessions_of(settings)
    serving = candidate.serving(settings, sessions)
    quality = load_quality(settings.quality_file)
    lines = []
    for row in candidates.all_models(sessions):
        mark = " (en service)" if row.id == serving.id else ""
        pack = pack_of_model(row.file) if row.file else None
        trained = f", programme {pack[0]} {pack[1]}" if pack else ""
        lines.append(f"n° {row.id}{mark}: {row.origin}, {row.status}{trained}, {row.file or ''}")
        if row.example_count:
            lines.append(f"    exemples approuvés : {row.example_count}")
        for key, value in row.figures.items():
            figure = quality.get(key)
            verdict = "" if figure is None else ("ok" if figure.passes(value) else "SOUS LE SEUIL")
            label = figure.label if figure else key
            threshold = figure.threshold if figure else ""
            lines.append(f"    {label}: {decimal(value)} {threshold} {verdict}".rstrip())
        if row.error:
            lines.append(f"    erreur : {row.error[-300:]}")
    return "\n".join(lines) + "\n"


def run(settings: Settings, args: argparse.Namespace) -> int:
    sessions = sessions_of(settings)
    user = getpass.getuser()
    if args.action == "train":
        model_id = candidates.new_training(sessions, None)
        candidate.build(settings, model_id)
        row = candidates.model_of(sessions, model_id)
        if row is None or row.status != candidates.MEASURED:
            print(f"error: {row.error if row else 'no candidate'}", file=sys.stderr)
            return 1
    elif args.action == "measure":
        candidate.measure_once(settings, sessions, candidate.serving(settings, sessions))
        if args.id is not None:
            row = candidates.model_of(sessions, args.id)
            if row is None:
                print(f"error: no model n° {args.id}", file=sys.stderr)
                return 2
            candidate.measure_once(settings, sessions, row)
    elif args.action in {"promote", "rollback"}:
        try:
            if args.action == "promote":
                done = candidate.promote(settings, sessions, args.id, None, command_line_user=user)
            else:
                done = candidate.roll_back(settings, sessions, None, user)
        except candidate.Refused as refused:
            print("refusé : " + " ".join(refused.reasons), file=sys.stderr)
            return 1
        print(f"modèle n° {done.model.id} en service (à la place du n° {done.replaced.id})")
        for url in done.not_reloaded:
            print(f"attention : {url} le chargera à son prochain démarrage", file=sys.stderr)
    sys.stdout.write(_table(settings))
    return 0
