"""The territory's pack section (`program/territory.yml`): it loads, another program's territory
changes the verdicts with no code change, its errors name the file and the line, and no place of
the pack is written in the code."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.analytics import compute
from bot.cli import main as cli_main
from bot.pack import PackError
from bot.pack.territory import current_territory, load
from bot.scheduling import TIMEZONE
from bot.settings import ROOT
from bot.territory import (
    PLACE_TOKEN,
    Verdict,
    check_territory,
    find_place,
    located,
    mask_places,
    postal_code_verdict,
)
from bot.text import fold
from tests.pack_literals import strings

REAL = (ROOT / "program" / "territory.yml").read_text(encoding="utf-8")


def test_the_real_territory_loads() -> None:
    territory = load(ROOT / "program")
    assert territory == current_territory()
    assert territory.name == "l'agglomération de Québec"
    assert (territory.city.name, territory.municipality) == ("la Ville de Québec", "Québec")
    assert territory.places[0] is territory.city and territory.city.broad
    broad = [place.name for place in territory.places if place.broad]
    assert broad == ["la Ville de Québec", "la Rive-Sud"]
    assert dict(territory.postal_codes.municipalities)["G3A"] == "Saint-Augustin-de-Desmaures"
    assert territory.verdicts.outside == "hors de l'agglomération"


def test_the_real_territory_s_wording() -> None:
    assert check_territory(None, "Sainte-Foy").reason == "Sainte-Foy : dans l'agglomération"
    assert (
        check_territory("G6V 1A1", None).reason == "code postal G6V 1A1 : hors de l'agglomération"
    )
    assert (
        check_territory(None, "Saint-Glinglin").reason
        == "municipalité « Saint-Glinglin » à vérifier"
    )
    assert located(None, None) == ("Territoire inconnu", None)


@pytest.mark.usefixtures("fictional")
def test_another_program_s_places() -> None:
    fleurimont = find_place("mon commerce est à Fleurimont")
    assert fleurimont is not None and fleurimont.inside and fleurimont.within == "Sherbrooke"
    assert find_place("Lévis") is None  # not a place of this pack
    assert check_territory(None, "Lévis").verdict is Verdict.UNKNOWN
    magog = find_place("à Magog, dans le Memphrémagog")  # the town, not its region
    assert magog is not None and magog.name == "Magog" and not magog.inside
    quebec = find_place("je suis à Québec")
    assert quebec is not None and quebec.name == "Québec" and not quebec.inside


@pytest.mark.usefixtures("fictional")
def test_another_program_s_postal_codes_and_wording() -> None:
    assert postal_code_verdict("J1H 1R4") is Verdict.INSIDE
    assert postal_code_verdict("G1K 3A5") is Verdict.OUTSIDE  # another letter
    assert postal_code_verdict("J1X 2B3") is Verdict.OUTSIDE  # Magog
    assert postal_code_verdict("J0B 2C0") is Verdict.UNKNOWN  # rural Estrie
    inside = check_territory("J1H 1R4", "Lennoxville")
    assert (inside.verdict, inside.reason) == (
        Verdict.INSIDE,
        "Lennoxville : sur le territoire de la ville",
    )
    outside = check_territory("G1K 3A5", None)
    assert outside.reason == "code postal G1K 3A5 : hors du territoire de la ville"
    assert check_territory(None, "Lévis").reason == "municipalité « Lévis » à confirmer"


@pytest.mark.usefixtures("fictional")
def test_another_program_s_figures() -> None:
    assert located("Rock Forest", None) == ("Sherbrooke", "Rock Forest")
    assert located("Sherbrooke", "J1H 1R4") == ("Sherbrooke", "RTA J1H")
    assert located(None, "J1H 1R4") == ("Sherbrooke", "RTA J1H")
    assert located("Magog", "J1X 2B3") == ("Magog", None)
    assert located(None, "G1K 3A5") == ("RTA G1K", None)  # outside: no municipality guessed
    assert located(None, None) == ("Territoire non précisé", None)


@pytest.mark.usefixtures("fictional")
def test_another_program_s_neighbourhoods_table() -> None:
    title = (
        compute([], [], [], datetime(2027, 1, 5, 9, 0, tzinfo=TIMEZONE), 10)
        .table("quartiers")
        .title
    )
    assert title.startswith("Pistes de la Ville de Sherbrooke par quartier")


@pytest.mark.usefixtures("fictional")
def test_another_program_s_places_are_masked() -> None:
    # Lévis is not a place of this pack; the city itself is never masked.
    assert mask_places("à Fleurimont ou à Lévis, Sherbrooke") == (
        f"a {PLACE_TOKEN} ou a levis sherbrooke"
    )


# Literals of code that still name a place of the real pack, in files other slices own, with
# the reason.
ELSEWHERE = {
    ("bot/web/workspace/api.py", "quebec"): "« heure de Québec »: the province's time zone",
}


def territory_words() -> set[str]:
    """The real pack's words for its territory, folded: every place's name and alias, the
    territory's name, the city's municipality, the verdicts and the unknown label. Matched as
    whole words on the folded literal, so « laval » does not match « lavallée »; no alias is
    a short generic word (the shortest is « mtl »)."""
    territory = load(ROOT / "program")
    words = {territory.name, territory.municipality, territory.unknown_territory}
    words |= {territory.verdicts.inside, territory.verdicts.outside, territory.verdicts.unknown}
    for place in territory.places:
        words |= {place.name, *place.aliases}
    return {fold(word) for word in words}


def test_no_place_of_the_territory_in_code() -> None:
    words = territory_words()
    found = []
    for literal in strings():
        folded = f" {fold(str(literal.value))} "
        for word in sorted(words):
            if f" {word} " in folded and (literal.file, word) not in ELSEWHERE:
                found.append(f"{literal}: names {word!r}")
    assert not found, "places of program/territory.yml written in code:\n" + "\n".join(found)


def territory_with(tmp_path: Path, text: str) -> Path:
    (tmp_path / "territory.yml").write_text(text, encoding="utf-8")
    return tmp_path


def errors_of(text: str, tmp_path: Path) -> tuple[str, ...]:
    with pytest.raises(PackError) as raised:
        load(territory_with(tmp_path, text))
    return raised.value.errors


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(start))


def test_a_wrong_inside_names_its_line(tmp_path: Path) -> None:
    text = REAL.replace("{name: Sillery, inside: true,", "{name: Sillery, inside: peut-être,")
    assert errors_of(text, tmp_path) == (
        f"{tmp_path / 'territory.yml'}:{line_of(text, '- {name: Sillery')}: places[8].inside: "
        "should be true or false, got 'peut-être'",
    )


def test_within_names_a_municipality_of_the_file(tmp_path: Path) -> None:
    text = REAL.replace(
        "{name: Vanier, inside: true, within: Québec,",
        "{name: Vanier, inside: true, within: Québec-Ouest,",
    )
    (error,) = errors_of(text, tmp_path)
    assert error == (
        f"{tmp_path / 'territory.yml'}:{line_of(text, '- {name: Vanier')}: places[19].within: "
        "should name a municipality of the file, got 'Québec-Ouest'"
    )


def test_an_alias_given_twice_names_its_line(tmp_path: Path) -> None:
    text = REAL.replace("aliases: [shannon]", "aliases: [shannon, saint roch]")
    (error,) = errors_of(text, tmp_path)
    assert error == (
        f"{tmp_path / 'territory.yml'}:{line_of(text, '- {name: Shannon')}: "
        "places[31].aliases[1]: 'saint roch' is already an alias of Saint-Roch"
    )


def test_an_alias_is_written_folded(tmp_path: Path) -> None:
    text = REAL.replace("aliases: [saint roch]", "aliases: [St-Roch]")
    (error,) = errors_of(text, tmp_path)
    assert error.startswith(
        f"{tmp_path / 'territory.yml'}:{line_of(text, '- {name: Saint-Roch')}: "
        "places[3].aliases[0]: should be folded text"
    )


def test_postal_codes_and_missing_keys(tmp_path: Path) -> None:
    text = (
        REAL.replace("  letters: [G]\n", "  letters: [g]\n")
        .replace("    G2G: L'Ancienne-Lorette\n", "    G6V: Sainte-Foy\n")
        .replace("unknown_territory: Territoire inconnu\n", "couleur: bleu\n")
    )
    file = tmp_path / "territory.yml"
    assert errors_of(text, tmp_path) == (
        f"{file}:{line_of(text, 'name:')}: unknown_territory: missing (a non-empty text)",
        f"{file}:{line_of(text, 'letters:')}: postal_codes.letters[0]: should be one capital "
        "letter, got 'g'",
        f"{file}:{line_of(text, 'G6V:')}: postal_codes.municipalities.G6V: should be an FSA "
        "inside (postal_codes.inside)",
        f"{file}:{line_of(text, 'G6V:')}: postal_codes.municipalities.G6V: should name a "
        "municipality of the file, got 'Sainte-Foy'",
        f"{file}:{line_of(text, 'couleur:')}: couleur: unknown section (known: name, city, "
        "places, postal_codes, verdicts, unknown_territory)",
    )


def test_the_check_command_reads_the_territory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "program.yml").write_text(
        (ROOT / "program" / "program.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    territory_with(tmp_path, REAL.replace("  inside: dans l'agglomération\n", ""))
    assert cli_main(["program", "check", str(tmp_path)]) == 1
    assert "territory.yml:" in capsys.readouterr().err
