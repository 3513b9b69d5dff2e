"""The pack's responses (`program/responses/*.yml`): they load, their errors name the file and
the line, training composes them with `domain/`, another program's pack brings its own wording
with no code change, and no response's sentence is written in the code."""

from __future__ import annotations

import json
import re
import tarfile
from pathlib import Path

import pytest
import yaml

from bot.learning.intents import intent_labels
from bot.learning.responses import Responses as Matcher
from bot.pack import PackError
from bot.pack.check import check_program
from bot.pack.responses import current_responses, load, responses, texts
from bot.pack.training import PACK_RESPONSE, compose, pack_of_model
from bot.settings import ROOT
from tests.conftest import FICTIONAL_PACK as FICTIONAL
from tests.pack_literals import strings

REAL = ROOT / "program"
FAQ = (REAL / "responses" / "faq.yml").read_text(encoding="utf-8")


def pack_with(tmp_path: Path, text: str, name: str = "faq.yml") -> Path:
    (tmp_path / "responses").mkdir(exist_ok=True)
    (tmp_path / "responses" / name).write_text(text, encoding="utf-8")
    return tmp_path


def errors_of(folder: Path) -> tuple[str, ...]:
    with pytest.raises(PackError) as raised:
        load(folder)
    return raised.value.errors


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(start))


def test_the_real_responses_load() -> None:
    found = load(REAL)
    assert found == current_responses()
    assert [t.name for t in found.topics][:3] == ["booking", "chitchat", "diagnostic"]
    assert len(found.names) == len(set(found.names)) == len(responses())
    assert texts("utter_faq_cost")[0].startswith("Oui, c'est entièrement gratuit! 100 % NumériQC")
    assert responses()["utter_faq_cost"][0]["buttons"][0] == {
        "title": "Vérifier mon admissibilité",
        "payload": "/request_eligibility",
    }


def test_the_domain_holds_no_response() -> None:
    for file in sorted((ROOT / "domain").glob("*.yml")):
        assert "responses" not in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}), file


def test_a_response_without_text_names_its_line(tmp_path: Path) -> None:
    text = FAQ.replace(
        '    - text: "Nous ne construisons pas de sites Web', '    - txt: "Nous ne construisons pas'
    )
    errors = errors_of(pack_with(tmp_path, text))
    file = tmp_path / "responses" / "faq.yml"
    line = line_of(text, "- txt:")
    assert errors == (
        f"{file}:{line}: utter_faq_website[1].txt: unknown key (known: text, buttons, condition)",
        f"{file}:{line}: utter_faq_website[1].text: missing (the text the merchant reads)",
    )


def test_a_button_without_payload_and_an_empty_text(tmp_path: Path) -> None:
    text = FAQ.replace("          payload: /faq_funding\n", "", 1)
    text = re.sub(r'- text: "Oui! Si vous êtes.*\n', '- text: ""\n', text)
    errors = errors_of(pack_with(tmp_path, text))
    file = tmp_path / "responses" / "faq.yml"
    title = line_of(text, '- title: "Qui le finance?"')
    empty = line_of(text, '- text: ""')
    assert errors == (
        f"{file}:{title}: utter_faq_who_runs[1].buttons[1].payload: missing (a non-empty text)",
        f"{file}:{empty}: utter_faq_social_media[1].text: should be a non-empty text, got ''",
    )


def test_a_response_given_twice_and_an_unknown_section(tmp_path: Path) -> None:
    pack_with(tmp_path, FAQ)
    other = 'buttons: []\nresponses:\n  utter_faq_cost:\n    - text: "Gratuit."\n'
    errors = errors_of(pack_with(tmp_path, other, "other.yml"))
    faq_line = line_of(FAQ, "utter_faq_cost:")
    assert errors == (
        f"{tmp_path / 'responses' / 'other.yml'}:1: buttons: unknown section (known: responses)",
        f"{tmp_path / 'responses' / 'other.yml'}:3: utter_faq_cost: given twice (also "
        f"{tmp_path / 'responses' / 'faq.yml'}:{faq_line})",
    )


def test_broken_yaml_and_no_file(tmp_path: Path) -> None:
    assert errors_of(tmp_path) == (
        f"{tmp_path / 'responses'}:1: responses: no response file (*.yml)",
    )
    (error,) = errors_of(pack_with(tmp_path, 'responses:\n  utter_x:\n    - text: "a\n'))
    assert error.startswith(f"{tmp_path / 'responses' / 'faq.yml'}:") and "not valid YAML" in error


def test_the_check_command_reports_a_response(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pack"
    for file in REAL.rglob("*"):
        if file.is_file():
            (folder / file.relative_to(REAL)).parent.mkdir(parents=True, exist_ok=True)
            (folder / file.relative_to(REAL)).write_bytes(file.read_bytes())
    faq = folder / "responses" / "faq.yml"
    faq.write_text(FAQ.replace("          payload: /faq_funding\n", "", 1), encoding="utf-8")
    assert check_program(folder) == 1
    assert "utter_faq_who_runs[1].buttons[1].payload: missing" in capsys.readouterr().err


def test_training_composes_the_domain_and_the_pack(tmp_path: Path) -> None:
    out = compose(REAL, tmp_path / "domain")
    names = sorted(p.name for p in out.iterdir())
    domain = sorted(p.name for p in (ROOT / "domain").glob("*.yml"))
    assert names == sorted([*domain, "responses-pack.yml"] + [
        f"responses-{t.name}.yml" for t in current_responses().topics
    ])  # fmt: skip
    merged: dict[str, object] = {}
    for file in out.glob("responses-*.yml"):
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert document["version"] == "3.1"
        merged |= document["responses"]
    assert merged == {**responses(), PACK_RESPONSE: [{"text": "numeriqc 1"}]}
    assert "Composed from program/responses/faq.yml" in (out / "responses-faq.yml").read_text()


def test_a_model_names_its_pack(tmp_path: Path) -> None:
    metadata = {"domain": {"responses": {PACK_RESPONSE: [{"text": "cap-numerique 3"}]}}}
    (tmp_path / "metadata.json").write_text(json.dumps(metadata))
    model = tmp_path / "model.tar.gz"
    with tarfile.open(model, "w:gz") as archive:
        archive.add(tmp_path / "metadata.json", arcname="metadata.json")
    assert pack_of_model(model) == ("cap-numerique", 3)
    assert pack_of_model(tmp_path / "none.tar.gz") is None


def test_another_program_brings_its_wording(fictional: None, tmp_path: Path) -> None:
    assert load(FICTIONAL).names == load(REAL).names  # every response the assistant sends
    assert texts("utter_faq_cost")[0].startswith("Oui, c'est gratuit! Cap numérique")
    assert "CAP-7KX3PD4M" in texts("utter_booking_unknown_reference")[0]
    assert Matcher().name_of(texts("utter_faq_who_runs")[0]) == "utter_faq_who_runs"
    assert intent_labels()["faq_what_is"] == "C'est quoi, Cap numérique?"
    out = compose(FICTIONAL, tmp_path / "domain")
    pack = yaml.safe_load((out / "responses-pack.yml").read_text(encoding="utf-8"))
    assert pack["responses"][PACK_RESPONSE] == [{"text": "cap-numerique 3"}]


def test_the_fictional_pack_names_nothing_of_the_real_program() -> None:
    real = load(REAL)
    identity = ("100 % NumériQC", "NumériQC", "Québec numérique", "Ville de Québec", "qcnum", "NQ-")
    for topic in load(FICTIONAL).topics:
        body = yaml.safe_load(topic.text)["responses"]
        for name, variants in body.items():
            for variant in variants:
                said = json.dumps(variant, ensure_ascii=False)
                assert not [v for v in identity if v in said], f"{topic.shown}: {name}"
    assert real.names


# A sentence of a response (40 characters or more: shorter ones are common phrases, such as
# « votre numéro de réservation ») written in a code literal is a copy of the pack's wording.
SENTENCE = 40


def test_no_response_wording_in_code() -> None:
    said = [v["text"] for variants in responses().values() for v in variants]
    parts = {
        part.strip()
        for text in said
        for part in re.split(r"\{\w+\}|\n", text)
        if len(part.strip()) >= SENTENCE
    }
    found = []
    for literal in strings():
        value = str(literal.value).strip()
        if len(value) >= SENTENCE and any(value in text for text in said):
            found.append(f"{literal}: a response's wording")
        elif any(part in value for part in parts):
            found.append(f"{literal}: holds a response's sentence")
    assert not found, "wording of program/responses/ written in code:\n" + "\n".join(found)
