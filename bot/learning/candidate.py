"""Candidate models: trained from `data/` plus the approved examples (a file of their own),
measured like the model in service (`bot.learning.measure`, once per model file), compared, and
put in service only when no figure falls short of config/quality.yml.

Putting a model in service copies its file over RASA_MODEL atomically (a restart loads it),
keeps every model file that served under the candidates' folder (« Revenir au modèle
précédent »), asks each Rasa instance to load it (`PUT /model`; conversations are in the
tracker store, so each continues at its next message), and writes who did it in the audit log.
A requested candidate is trained by the scheduled jobs' runner in a thread of its own, so that
reminders and mails keep their minute."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.learning.examples import EXAMPLES_FILE, test_set_texts, write_examples
from bot.learning.measure import MeasureFailed, measure
from bot.learning.quality import load_quality, shortfalls
from bot.pack.training import compose
from bot.rasa_api import RasaApi, RasaUnavailable
from bot.settings import ROOT, Settings
from bot.stack import RASA_BIN, rasa_env
from bot.storage import candidates
from bot.storage.candidates import MEASURED, ModelRecord
from bot.storage.database import sessions_of
from bot.storage.missed import Example, approved_example_rows
from bot.text import fold

log = logging.getLogger(__name__)

TRAIN_LOCK = "/tmp/numeriqc-train.lock"  # one training at a time on the host (make train too)
TRAIN_TIMEOUT = 3600
STALE_AFTER = timedelta(hours=1)  # a training still running after that lost its runner
Examples = Callable[[sessionmaker[Session]], list[Example]]


class Refused(Exception):
    """The model may not be put in service (or back): the reasons, in French."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def digest_of(path: Path) -> str:
    """The SHA-256 of a model file: how a file is known (and measured) once."""
    sha = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def train(settings: Settings, model_id: int, examples: list[Example]) -> tuple[Path, list[Example]]:
    """Train a candidate from `data/` and `examples` (never a test set's message) into the
    candidates' folder; its file is named with the time and the candidate's number. Returns
    the file and the examples it holds."""
    folder = settings.candidates
    folder.mkdir(parents=True, exist_ok=True)
    name = f"candidate-{settings.clock():%Y%m%d-%H%M%S}-{model_id}"
    unseen = test_set_texts()
    kept = [e for e in examples if fold(e.text) not in unseen]
    with tempfile.TemporaryDirectory(prefix=f"{name}-", dir=folder) as work:
        data = ["data"]
        if kept:
            extra = write_examples([(e.intent, e.text) for e in kept], Path(work) / EXAMPLES_FILE)
            data.append(str(extra))
        out = Path(work) / "out"  # empty: Rasa never answers « nothing changed » with an old file
        domain = compose(settings.program_dir, Path(work) / "domain")  # domain/ + the pack
        done = subprocess.run(
            ["flock", TRAIN_LOCK, str(RASA_BIN), "train", "--config", "config.yml",
             "--domain", str(domain), "--data", *data, "--out", str(out),
             "--fixed-model-name", name],
            cwd=ROOT, env=rasa_env(settings), capture_output=True, text=True,
            timeout=TRAIN_TIMEOUT,
        )  # fmt: skip
        trained = out / f"{name}.tar.gz"
        if done.returncode != 0 or not trained.exists():
            raise MeasureFailed(f"rasa train: {(done.stdout + done.stderr)[-1500:]}")
        return Path(shutil.move(str(trained), folder / trained.name)), kept


def measure_once(settings: Settings, sessions: sessionmaker[Session], row: ModelRecord) -> None:
    """Measure the model of `row` unless its file was measured already with every figure the
    quality file asks of a candidate (a figure added to it since is measured then)."""
    wanted = {k for k, f in load_quality(settings.quality_file).items() if f.candidate}
    if row.file is None or (row.status == MEASURED and wanted <= set(row.figures)):
        return
    candidates.record_measuring(sessions, row.id)
    try:
        with tempfile.TemporaryDirectory(prefix=f"measure-{row.id}-", dir=settings.candidates) as w:
            figures = measure(settings, Path(row.file), Path(w))
    except Exception as error:  # recorded (measured again next time), then told to the caller
        candidates.record_failure(sessions, row.id, str(error) or type(error).__name__)
        raise
    candidates.record_figures(sessions, row.id, figures)


def serving(settings: Settings, sessions: sessionmaker[Session]) -> ModelRecord:
    """The model in service (the file at RASA_MODEL), recorded with a copy of its file under the
    candidates' folder the first time it is seen, so that it stays one click away."""
    digest = digest_of(settings.model_path)
    found = candidates.model_by_digest(sessions, digest)
    if found is None:
        settings.candidates.mkdir(parents=True, exist_ok=True)
        kept = settings.candidates / f"service-{digest[:12]}.tar.gz"
        if not kept.exists():
            shutil.copyfile(settings.model_path, kept)
        candidates.service_model(sessions, str(kept), digest)
        found = candidates.model_by_digest(sessions, digest)
    assert found is not None
    return found


def build(settings: Settings, model_id: int, examples: Examples = approved_example_rows) -> None:
    """Train the candidate `model_id`, measure it and the model in service (once each); a
    failure is recorded on the candidate, for the page."""
    sessions = sessions_of(settings)
    try:
        file, held = train(settings, model_id, examples(sessions))
        ids = [e.message_id for e in held]
        candidates.record_trained(sessions, model_id, str(file), digest_of(file), ids, len(held))
        # The model in service first (once per file): the candidate's figures come last, when
        # both columns of the comparison are there.
        measure_once(settings, sessions, serving(settings, sessions))
        row = candidates.model_of(sessions, model_id)
        assert row is not None
        measure_once(settings, sessions, row)
    except Exception as error:  # a background job: every failure is recorded for the page
        log.exception("candidate %d failed", model_id)
        candidates.record_failure(sessions, model_id, str(error) or type(error).__name__)


_training = threading.Lock()


def train_requested(settings: Settings) -> threading.Thread | None:
    """The scheduled job: take a requested candidate and build it in a thread of its own (one
    at a time in this runner); the thread, or None when there is nothing to do."""
    if not _training.acquire(blocking=False):
        return None
    try:
        model_id = candidates.claim_request(sessions_of(settings), STALE_AFTER)
    except Exception:
        _training.release()
        raise
    if model_id is None:
        _training.release()
        return None

    def run() -> None:
        try:
            build(settings, model_id)
        finally:
            _training.release()

    thread = threading.Thread(target=run, name=f"candidate-{model_id}")
    thread.start()
    return thread


def rasa_instances(settings: Settings) -> list[RasaApi]:
    """Each Rasa instance's HTTP API (its own port, not the balancer: each must load it)."""
    return [
        RasaApi(f"http://{settings.rasa_host}:{port}", settings.rasa_api_token)
        for port in settings.instance_ports(settings.rasa_port)
    ]


@dataclass(frozen=True)
class Promotion:
    """What a promotion did: the model now serving, the one it replaced, the Rasa instances
    that load it now and those that will at their next start."""

    model: ModelRecord
    replaced: ModelRecord
    reloaded: list[str]
    not_reloaded: list[str]


def promote(
    settings: Settings, sessions: sessionmaker[Session], model_id: int,
    account_id: int | None, rollback: bool = False, command_line_user: str = "",
) -> Promotion:  # fmt: skip
    """Put the model `model_id` in service; `Refused` (French reasons) when it was not measured
    or a figure falls short (a rollback to the model that served before is not re-judged)."""
    row = candidates.model_of(sessions, model_id)
    if row is None or row.file is None or not Path(row.file).exists():
        raise Refused(["Ce modèle n'existe pas ou son fichier a été supprimé."])
    current = serving(settings, sessions)
    if current.id == row.id:
        raise Refused(["Ce modèle est déjà en service."])
    if not rollback:
        if row.status != MEASURED:
            raise Refused(["Ce modèle n'a pas encore été mesuré."])
        reasons = shortfalls(load_quality(settings.quality_file), row.figures)
        if reasons:
            raise Refused(reasons)
    target = settings.model_path
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(row.file, temporary)
    os.replace(temporary, target)  # atomic: a start reads the old file or the new, never half
    candidates.record_promotion(
        sessions, row.id, account_id, current.id, rollback, command_line_user
    )
    reloaded, not_reloaded = [], []
    for rasa in rasa_instances(settings):
        try:
            rasa.replace_model(str(Path(row.file).resolve()))
            reloaded.append(rasa.url)
        except RasaUnavailable as error:
            log.warning("Rasa at %s did not load the new model: %s", rasa.url, error)
            not_reloaded.append(rasa.url)
    promoted = candidates.model_of(sessions, row.id)
    assert promoted is not None
    return Promotion(promoted, current, reloaded, not_reloaded)


def roll_back(
    settings: Settings, sessions: sessionmaker[Session], account_id: int | None,
    command_line_user: str = "",
) -> Promotion:  # fmt: skip
    """Put back the model that served before the one in service."""
    current = serving(settings, sessions)
    if current.replaced_id is None:
        raise Refused(["Aucun modèle précédent n'est connu pour le modèle en service."])
    return promote(settings, sessions, current.replaced_id, account_id, True, command_line_user)
