"""« Modèle » through Sanic's test client, on SQLite and PostgreSQL: managers only, the figures
side by side against their thresholds, a training requested once, « Mettre en service »
refused server-side when a figure falls short (naming it), a promotion that replaces the model
file atomically and asks Rasa to load it (a stand-in for Rasa's `PUT /model`), audited, and
« Revenir au modèle précédent ». The real training, measurement and Rasa are in
tests/e2e/test_learning_end_to_end.py."""

from __future__ import annotations

import dataclasses
import json
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from sanic import Sanic
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.learning.candidate import digest_of
from bot.learning.quality import load_quality
from bot.pack.training import PACK_RESPONSE
from bot.settings import ROOT, Settings, load_settings
from bot.storage import candidates
from bot.storage.models import AuditEntry
from bot.web.app import create_app
from tests.conftest import FROZEN_NOW
from tests.web.test_workspace import app, signed_in

__all__ = ["app"]
PAGE = "/conseillers/modele"
TOKEN = "t" * 40
# The figures of a candidate that reaches every threshold of config/quality.yml, and one whose
# independent set no. 4 falls just below its minimum.
GOOD = {
    key: (figure.minimum if figure.minimum is not None else 0.0) + 0.001
    for key, figure in load_quality().items()
    if figure.candidate
} | {"stories": 1.0}
DROPPED = GOOD | {"answers_independent_4": load_quality()["answers_independent_4"].minimum - 0.01}  # type: ignore[operator]


class StandInRasa(BaseHTTPRequestHandler):
    """Rasa's `PUT /model`, only with the token: records the files it was asked to load."""

    loaded: ClassVar[list[str]] = []

    def do_PUT(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path.startswith("/model?") and f"token={TOKEN}" in self.path:
            StandInRasa.loaded.append(body["model_file"])
            self.send_response(204)
        else:
            self.send_response(401)
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def rasa() -> Iterator[HTTPServer]:
    StandInRasa.loaded = []
    server = HTTPServer(("127.0.0.1", 0), StandInRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path, rasa: HTTPServer) -> Settings:
    """The web app with a model file of its own (never models/numeriqc.tar.gz) and the stand-in
    Rasa as its one instance."""
    model = tmp_path / "numeriqc.tar.gz"
    model.write_bytes(b"the model in service")
    return dataclasses.replace(
        load_settings(), database_url=database_url, var_dir=tmp_path, tracker_db=tmp_path / "t.db",
        frozen_clock=FROZEN_NOW, model_path=model, candidates_dir=tmp_path / "candidates",
        rasa_host="127.0.0.1", rasa_port=rasa.server_address[1], rasa_api_token=TOKEN,
        instances=1, public_port=0,
    )  # fmt: skip


def trained(
    settings: Settings, sessions: sessionmaker[Session], content: bytes, figures: dict[str, float]
) -> int:
    """A measured candidate whose file holds `content`."""
    settings.candidates.mkdir(parents=True, exist_ok=True)
    model_id = candidates.new_training(sessions, None)
    file = settings.candidates / f"candidate-{model_id}.tar.gz"
    file.write_bytes(content)
    candidates.record_trained(sessions, model_id, str(file), digest_of(file), [7], 1)
    candidates.record_figures(sessions, model_id, figures)
    return model_id


def test_only_managers_see_and_use_the_page(app: Sanic) -> None:
    sophie = signed_in(app, "sophie@qcnum.example")
    assert sophie.get(PAGE).status == 403
    for url in (f"{PAGE}/entrainer", f"{PAGE}/1/mettre-en-service", f"{PAGE}/revenir"):
        refused = sophie.post(url, {})
        assert refused.status == 403 and "Réservé aux gestionnaires" in refused.text, url
    assert f'href="{PAGE}"' not in sophie.get("/conseillers/").text
    manager = signed_in(app, "gestion@qcnum.example")
    assert f'href="{PAGE}">Modèle</a>' in manager.get("/conseillers/").text
    assert manager.get(PAGE).status == 200


def test_a_training_is_requested_once(app: Sanic, sessions: sessionmaker[Session]) -> None:
    manager = signed_in(app, "gestion@qcnum.example")
    asked = manager.post(f"{PAGE}/entrainer", {})
    assert asked.status == 303 and asked.headers["location"] == f"{PAGE}?fait=demande"
    page = manager.get(asked.headers["location"]).text
    assert "Demande enregistrée" in page and "en cours (en attente)" in page
    assert "Entraîner un modèle candidat" not in page  # one at a time
    again = manager.post(f"{PAGE}/entrainer", {})
    assert again.status == 409 and "déjà en cours" in again.text
    [row] = [m for m in candidates.all_models(sessions) if m.origin == candidates.CANDIDATE]
    assert row.status == candidates.REQUESTED and row.requested_by == "Gestion"


def test_a_promotion_is_refused_when_a_figure_drops(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    weaker = trained(settings, sessions, b"a weaker candidate", DROPPED)
    manager = signed_in(app, "gestion@qcnum.example")
    page = manager.get(PAGE).text
    assert "Bonne réponse par le clavardage, jeu indépendant no 4" in page
    assert '0,95 <span class="flag">sous le seuil</span>' in page
    refused = manager.post(f"{PAGE}/{weaker}/mettre-en-service", {})
    assert refused.status == 400
    assert "Mise en service refusée" in refused.text
    assert (
        "« Bonne réponse par le clavardage, jeu indépendant no 4 » : 0,95, le seuil est ≥ 0,96."
        in refused.text
    )
    assert settings.model_path.read_bytes() == b"the model in service"  # untouched
    assert StandInRasa.loaded == []


def test_a_threshold_file_decides(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    """The same candidate, refused when config/quality.yml's minimum is above what it reaches."""
    raised = yaml.safe_load((ROOT / "config" / "quality.yml").read_text(encoding="utf-8"))
    for figure in raised["figures"]:
        if figure["key"] == "nlu_macro_f1":
            figure["minimum"] = 0.999
    stricter = tmp_path / "quality.yml"
    stricter.write_text(yaml.safe_dump(raised, allow_unicode=True), encoding="utf-8")
    strict_app = create_app(dataclasses.replace(settings, quality_file=stricter), name="strict")
    good = trained(settings, sessions, b"a good candidate", GOOD)
    refused = signed_in(strict_app, "gestion@qcnum.example").post(
        f"{PAGE}/{good}/mettre-en-service", {}
    )
    assert refused.status == 400 and "« F1 macro des intentions (jeu réservé) »" in refused.text
    assert "le seuil est ≥ 0,999" in refused.text


def test_promotion_then_back_to_the_previous_model(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    good = trained(settings, sessions, b"a good candidate", GOOD)
    manager = signed_in(app, "gestion@qcnum.example")
    done = manager.post(f"{PAGE}/{good}/mettre-en-service", {})
    assert done.status == 303, done.text
    assert settings.model_path.read_bytes() == b"a good candidate"  # a restart loads it
    assert StandInRasa.loaded == [str(settings.candidates / f"candidate-{good}.tar.gz")]
    page = manager.get(done.headers["location"]).text
    assert "Le nouveau modèle est en service" in page
    assert f"En service (n° {good})" in page and "mis en service par Gestion" in page
    with sessions() as session:
        audit = session.scalars(select(AuditEntry)).all()
    assert [a.action for a in audit] == [candidates.PROMOTED]
    previous = candidates.model_of(sessions, good)
    assert previous is not None and previous.replaced_id is not None
    back = manager.post(f"{PAGE}/revenir", {})
    assert back.status == 303
    assert settings.model_path.read_bytes() == b"the model in service"
    assert len(StandInRasa.loaded) == 2  # the copy kept of the model that served first
    assert Path(StandInRasa.loaded[1]).name.startswith("service-")
    assert (
        "Le modèle précédent est de nouveau en service"
        in manager.get(back.headers["location"]).text
    )
    with sessions() as session:
        actions = [a.action for a in session.scalars(select(AuditEntry)).all()]
    assert actions == [candidates.PROMOTED, candidates.ROLLED_BACK]
    no_more = manager.post(f"{PAGE}/revenir", {})
    assert no_more.status == 400 and "Aucun modèle précédent" in no_more.text


def test_each_model_names_the_pack_it_was_trained_from(
    app: Sanic, settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    metadata = {"domain": {"responses": {PACK_RESPONSE: [{"text": "cap-numerique 3"}]}}}
    (tmp_path / "metadata.json").write_text(json.dumps(metadata))
    with tarfile.open(tmp_path / "model.tar.gz", "w:gz") as archive:
        archive.add(tmp_path / "metadata.json", arcname="metadata.json")
    model_id = trained(settings, sessions, (tmp_path / "model.tar.gz").read_bytes(), GOOD)
    page = signed_in(app, "gestion@qcnum.example").get(PAGE).text
    assert (
        f"Candidat n° {model_id}</strong>\n      — mesuré, programme « cap-numerique », version 3"
        in page
    )
    assert "programme « numeriqc »" not in page  # the model in service predates the packs
