"""The program pack (`program/`): it loads, its errors name the file and the line, and no
identity fact of the pack is written in the code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from bot.pack import PackError, current_pack, load_pack
from bot.pack.check import validated
from bot.settings import ROOT
from tests.pack_literals import strings

REAL = (ROOT / "program" / "program.yml").read_text(encoding="utf-8")


def pack_with(tmp_path: Path, text: str) -> Path:
    (tmp_path / "program.yml").write_text(text, encoding="utf-8")
    return tmp_path


def errors_of(folder: Path) -> tuple[str, ...]:
    with pytest.raises(PackError) as raised:
        load_pack(folder)
    return raised.value.errors


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(start))


def test_the_real_pack_loads() -> None:
    pack = load_pack(ROOT / "program")
    assert pack.name == "numeriqc" and pack.version == 1
    identity = pack.identity
    assert identity.name == identity.brand == identity.sender_name == "100 % NumériQC"
    assert identity.operator == "Québec numérique"
    assert identity.funder == "Ville de Québec"
    assert identity.reference_prefix == "NQ-" and identity.reference_letters == "NQ"
    assert identity.calendar_domain == "numeriqc"
    assert current_pack().identity == identity
    assert (ROOT / "program" / "PROGRAM.md").is_file()


def test_a_missing_field_names_the_file_and_the_section_line(tmp_path: Path) -> None:
    text = REAL.replace("  funder: Ville de Québec\n", "")
    errors = errors_of(pack_with(tmp_path, text))
    assert errors == (
        f"{tmp_path / 'program.yml'}:{line_of(text, 'identity:')}: identity.funder: "
        "missing (a non-empty text)",
    )


def test_a_wrong_type_names_the_line_of_the_value(tmp_path: Path) -> None:
    text = REAL.replace("reference_prefix: NQ-", "reference_prefix: [NQ]").replace(
        "version: 1", "version: un"
    )
    errors = errors_of(pack_with(tmp_path, text))
    file = tmp_path / "program.yml"
    assert errors == (
        f"{file}:{line_of(text, 'version:')}: pack.version: should be a whole number from 1, "
        "got 'un'",
        f"{file}:{line_of(text, 'reference_prefix:')}: identity.reference_prefix: should be 1 to "
        "4 capital letters and a dash, such as AB-, got not a single value",
    )


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    text = REAL.replace("  brand: 100 % NumériQC\n", "  brand: [100 % NumériQC\n")
    (error,) = errors_of(pack_with(tmp_path, text))
    assert error.startswith(f"{tmp_path / 'program.yml'}:")
    assert "not valid YAML" in error
    line = int(error.split(":")[1])
    assert line >= line_of(text, "brand:")


def test_an_unknown_key_is_refused(tmp_path: Path) -> None:
    text = REAL.replace("  slug: numeriqc\n", "  slug: numeriqc\n  colour: bleu\n")
    (error,) = errors_of(pack_with(tmp_path, text))
    assert error.startswith(f"{tmp_path / 'program.yml'}:{line_of(text, 'colour:')}: ")
    assert "identity.colour: unknown key" in error


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    (error,) = errors_of(tmp_path)
    assert error.startswith(f"{tmp_path / 'program.yml'}:1: cannot read")


def test_the_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["program", "check", str(ROOT / "program")]) == 0
    assert "valid" in capsys.readouterr().out
    folder = pack_with(tmp_path, REAL.replace("reference_prefix: NQ-", "reference_prefix: nq"))
    assert cli_main(["program", "check", str(folder)]) == 1
    err = capsys.readouterr().err
    line = line_of(REAL, "reference_prefix:")
    assert f"program.yml:{line}: identity.reference_prefix: should be" in err


# Where identity values may still appear in a string literal, with the reason.
PENDING: dict[tuple[str, str], str] = {}


def test_no_identity_fact_in_code() -> None:
    identity = current_pack().identity
    values = {
        identity.name,
        identity.operator,
        identity.funder,
        identity.website,
        identity.brand,
        identity.sender_name,
        f"@{identity.calendar_domain}",  # the bare word also names files, tables, services
    }
    prefix = identity.reference_prefix
    found = []
    for literal in strings():
        text = str(literal.value)
        for value in values:
            if value in text and (literal.file, value) not in PENDING:
                found.append(f"{literal}: holds {value!r}")
        if prefix in text or f"{prefix.rstrip('-')}\\s" in text:
            found.append(f"{literal}: holds {prefix!r}")
    assert not found, "identity facts of program/program.yml written in code:\n" + "\n".join(found)


def test_settings_validate_the_pack_again_when_a_file_changes(tmp_path: Path) -> None:
    """`validated` (what every `load_settings` calls) keeps the checked pack while its files
    stay as they were, and checks again when one changes."""
    folder = tmp_path / "pack"
    shutil.copytree(ROOT / "program", folder)
    assert validated(folder) is validated(folder)
    file = folder / "program.yml"
    file.write_text(REAL.replace("reference_prefix: NQ-", "reference_prefix: nq"), "utf-8")
    with pytest.raises(PackError, match=r"identity\.reference_prefix"):
        validated(folder)
