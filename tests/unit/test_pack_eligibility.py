"""The pack's eligibility and intake (`program/eligibility.yml`, `program/intake.yml`): another
program's sectors, wording, weights and form labels are followed with no code change, the files'
errors name the line, and no sector, weight or form wording of the pack is written in code."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from bot.eligibility import Intake, Outcome, Readiness, decide, priority
from bot.intake import intake_form, labels, recap, take_turn, to_intake
from bot.pack import PackError
from bot.pack.eligibility import current_eligibility
from bot.pack.eligibility import load as load_eligibility
from bot.pack.intake import load as load_intake
from bot.pack.responses import texts
from bot.parsing import NotUnderstood, parse_sector
from bot.settings import ROOT
from bot.text import fold
from bot.vocabulary import Answer
from tests.conftest import FICTIONAL_PACK as FICTIONAL
from tests.pack_literals import literals, strings

REAL = ROOT / "program"
ELIGIBILITY = (REAL / "eligibility.yml").read_text(encoding="utf-8")
INTAKE = (REAL / "intake.yml").read_text(encoding="utf-8")


def shop(**changes: object) -> Intake:
    """A craft shop of Sherbrooke that fits the fictional program best."""
    intake = Intake(
        business_name="Atelier du Vieux-Nord",
        postal_code="J1H 5A9",
        municipality="Sherbrooke",
        storefront=Answer.YES,
        sector=current_eligibility().sector("crafts"),
        sdc_or_association=Answer.YES,
        hours_per_week=4,
        readiness=Readiness.NOW,
        impact="Vendre nos pièces de céramique en ligne.",
    )
    return replace(intake, **changes)  # type: ignore[arg-type]


# --- another program, the same code ---


@pytest.mark.usefixtures("fictional")
@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("céramiste", "crafts"), ("je suis potière", "crafts"), ("atelier de joaillerie", "crafts"),
        ("un gîte", "tourism"), ("boutique hôtel", "tourism"), ("resto", "restaurant"),
        ("on fait du service aux tables", "restaurant"), ("cabinet de comptable", "services"),
        ("friperie", "retail"), ("métiers d'art", "crafts"), ("aucun de ces secteurs", "other"),
        ("salon de coiffure", "other"),  # a service of the real program, none of this one's
    ],
)  # fmt: skip
def test_the_sectors_are_the_programs(text: str, sector: str) -> None:
    assert parse_sector(text) is current_eligibility().sector(sector)


@pytest.mark.usefixtures("fictional")
def test_an_answer_naming_no_sector_gets_the_programs_examples() -> None:
    with pytest.raises(NotUnderstood, match="métiers d'art"):
        parse_sector("bof")


@pytest.mark.usefixtures("fictional")
def test_the_decision_is_worded_by_the_program() -> None:
    assert decide(shop()) == decide(shop())
    eligible = decide(shop())
    assert eligible.outcome is Outcome.ELIGIBLE
    assert eligible.reasons == [
        "admissible (la Ville de Sherbrooke : sur le territoire de la ville), secteur métiers d'art"
    ]
    quebec = decide(shop(postal_code="G1K 3A5", municipality="Québec", storefront=Answer.NO))
    assert quebec.outcome is Outcome.NOT_ELIGIBLE
    assert quebec.reasons == [
        "commerce situé hors de la ville de Sherbrooke (Québec : hors du territoire de la ville)",
        "aucune place d'affaires accessible au public",
    ]
    lawyer = decide(shop(sector=current_eligibility().sector("services")))
    assert lawyer.outcome is Outcome.NOT_ELIGIBLE
    assert lawyer.reasons == ["le secteur services professionnels n'est pas visé par le programme"]
    unsure = decide(shop(sector=current_eligibility().other, storefront=Answer.UNSURE))
    assert unsure.outcome is Outcome.TO_REVIEW
    assert unsure.reasons == [
        "place d'affaires à vérifier",
        "secteur à préciser avec un conseiller",
    ]


@pytest.mark.usefixtures("fictional")
def test_the_score_has_the_programs_weights_and_labels() -> None:
    best = priority(shop())
    assert best.score == 100
    assert [(f.label, f.points, f.maximum) for f in best.factors] == [
        ("membre d'une association de commerçants", 20, 20),
        ("secteur visé en priorité", 30, 30),
        ("disponibilité hebdomadaire", 20, 20),
        ("échéancier du projet", 20, 20),
        ("retombées décrites", 10, 10),
    ]
    # The real program gives 12 for 1 h and 5 for a short impact; this one 0 for both.
    low = shop(
        sdc_or_association=Answer.UNSURE,
        sector=current_eligibility().sector("restaurant"),
        hours_per_week=1,
        readiness=Readiness.EXPLORING,
        impact="Plus de clients",
    )
    assert [f.points for f in priority(low).factors] == [5, 10, 0, 4, 0]
    assert priority(low).score == 19


@pytest.mark.usefixtures("fictional")
def test_the_intake_form_is_worded_by_the_program() -> None:
    form = intake_form()
    assert form.question("sector").buttons[-2:] == (
        ("Services professionnels", "Services professionnels"),
        ("Autre secteur", "Autre secteur"),
    )
    assert form.question("storefront").buttons[-1] == ("Je l'ignore", "je ne sais pas")
    assert labels()["employees"] == "Taille de l'équipe"
    answers = {"business_name": "Atelier du Vieux-Nord", "email": "julie@exemple.org"}
    answers |= take_turn(answers, "sector", "céramiste").updates
    answers |= take_turn(answers, "storefront", "on a une salle de montre").updates
    answers |= take_turn(answers, "readiness", "dès que possible, maintenant").updates
    assert answers["sector"] == "métiers d'art" and answers["storefront"] == "oui"
    assert recap(answers) == (
        "Voici le résumé de votre demande :\n"
        "• Nom du commerce : Atelier du Vieux-Nord\n"
        "• Adresse courriel : julie@exemple.org\n"
        "• Place d'affaires accessible au public : oui\n"
        "• Secteur d'activité : métiers d'art\n"
        "• Échéancier : tout de suite\n"
        "Tout est-il exact?"
    )
    assert form.naming()["readiness"] == ("echeancier",)
    detail = take_turn({}, "sector", "fabrication de drones")
    assert detail.updates["sector"] == "autre secteur"
    assert detail.updates["sector_detail"] == "fabrication de drones"
    assert take_turn({}, "sector", "Autre secteur").updates.get("sector_detail") is None
    assert to_intake(
        answers | {"storefront": "oui", "sdc_member": "non", "municipality": "Sherbrooke"}
    ).sector is current_eligibility().sector("crafts")


def test_the_real_pack_is_followed_again_after_the_fictional(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PROGRAM_DIR", str(FICTIONAL))
    assert parse_sector("céramiste").id == "crafts"
    monkeypatch.setenv("PROGRAM_DIR", str(REAL))
    assert parse_sector("céramiste").id == "other"
    assert labels()["employees"] == "Nombre d'employés"


# --- the files' errors name the line ---


def folder_with(tmp_path: Path, eligibility: str = ELIGIBILITY, intake: str = INTAKE) -> Path:
    (tmp_path / "eligibility.yml").write_text(eligibility, encoding="utf-8")
    (tmp_path / "intake.yml").write_text(intake, encoding="utf-8")
    return tmp_path


def line_of(text: str, start: str, after: str = "") -> int:
    lines = text.splitlines()
    begin = next(n for n, line in enumerate(lines) if after in line) if after else 0
    return next(
        n for n, line in enumerate(lines[begin:], begin + 1) if line.strip().startswith(start)
    )


def eligibility_errors(tmp_path: Path, text: str) -> tuple[str, ...]:
    with pytest.raises(PackError) as raised:
        load_eligibility(folder_with(tmp_path, eligibility=text))
    return raised.value.errors


def test_the_real_and_fictional_files_are_valid() -> None:
    for folder in (REAL, FICTIONAL):
        assert load_eligibility(folder).priority.association.maximum > 0
        assert len(load_intake(folder).questions) == len(labels())


def test_an_unknown_sector_in_the_order(tmp_path: Path) -> None:
    text = ELIGIBILITY.replace(
        "tried: [accommodation, restaurant, services, retail]",
        "tried: [accommodation, restaurant, services, retail, tourism]",
    )
    (error,) = eligibility_errors(tmp_path, text)
    file = tmp_path / "eligibility.yml"
    assert error == (
        f"{file}:{line_of(text, 'tried:')}: tried: 'tourism' is no sector "
        "(sectors: retail, accommodation, restaurant, services)"
    )


def test_a_sector_left_out_of_the_order(tmp_path: Path) -> None:
    text = ELIGIBILITY.replace("[accommodation, restaurant, services, retail]", "[retail]")
    (error,) = eligibility_errors(tmp_path, text)
    assert error.endswith(
        "tried: should try every sector, missing: accommodation, restaurant, services"
    )


def test_a_weight_that_is_not_a_number(tmp_path: Path) -> None:
    text = ELIGIBILITY.replace("by_readiness: {now: 15,", "by_readiness: {now: quinze,")
    (error,) = eligibility_errors(tmp_path, text)
    assert error == (
        f"{tmp_path / 'eligibility.yml'}:{line_of(text, 'by_readiness:')}: "
        "priority.readiness.by_readiness.now: should be a whole number of points from 0, "
        "got 'quinze'"
    )


def test_points_above_the_factors_maximum_and_a_total_other_than_100(tmp_path: Path) -> None:
    text = ELIGIBILITY.replace("{at_least: 3, points: 20}", "{at_least: 3, points: 25}").replace(
        "    maximum: 10\n", "    maximum: 15\n"
    )
    file = tmp_path / "eligibility.yml"
    assert eligibility_errors(tmp_path, text) == (
        f"{file}:{line_of(text, 'priority:')}: priority: the maximums add up to 105, not 100",
        f"{file}:{line_of(text, '- {at_least: 3')}: priority.time.steps: 25 points is above the "
        "factor's maximum (20)",
    )


def test_steps_from_the_highest(tmp_path: Path) -> None:
    text = ELIGIBILITY.replace("{at_least: 1, points: 12}", "{at_least: 4, points: 12}")
    (error,) = eligibility_errors(tmp_path, text)
    assert f":{line_of(text, '- {at_least: 4')}: priority.time.steps: should go from" in error


def test_a_synonym_given_in_two_sectors(tmp_path: Path) -> None:
    text = ELIGIBILITY.replace("gym, entraînement,", "gym, Boutique, entraînement,")
    (error,) = eligibility_errors(tmp_path, text)
    line = line_of(text, "réparation, cordonnerie")
    assert error == (
        f"{tmp_path / 'eligibility.yml'}:{line}: sectors.services.synonyms: 'Boutique' is "
        "already given in retail"
    )


def test_a_wrong_placeholder_a_missing_reason_and_an_unknown_key(tmp_path: Path) -> None:
    text = (
        ELIGIBILITY.replace("secteur {sector} non admissible", "secteur {secteur} non admissible")
        .replace("  storefront_unsure: pignon sur rue à confirmer\n", "")
        .replace(
            "    eligible: true\n    names: [services]", "    eligble: true\n    names: [services]"
        )
    )
    file = tmp_path / "eligibility.yml"
    assert eligibility_errors(tmp_path, text) == (
        f"{file}:{line_of(text, 'services:')}: sectors.services.eligible: missing (true or false)",
        f"{file}:{line_of(text, 'eligble:')}: sectors.services.eligble: unknown key (known: "
        "label, button, eligible, names, synonyms, signs)",
        f"{file}:{line_of(text, 'wording:')}: wording.storefront_unsure: missing (a non-empty "
        "text)",
        f"{file}:{line_of(text, 'sector_not_eligible:')}: wording.sector_not_eligible: unknown "
        "placeholder {secteur} (allowed: {sector})",
    )


def test_intake_errors_name_the_line(tmp_path: Path) -> None:
    text = (
        INTAKE.replace("    label: Courriel\n", "")
        .replace("  impact:\n", "  impacts:\n")
        .replace("  closing: Est-ce exact?\n", "  closing: [Est-ce exact]\n")
    )
    with pytest.raises(PackError) as raised:
        load_intake(folder_with(tmp_path, intake=text))
    file = tmp_path / "intake.yml"
    assert raised.value.errors == (
        f"{file}:{line_of(text, 'questions:')}: questions.impact: missing",
        f"{file}:{line_of(text, 'email:')}: questions.email.label: missing (a non-empty text)",
        f"{file}:{line_of(text, 'impacts:')}: questions.impacts: unknown question (known: "
        + ", ".join(q.name for q in intake_form().questions)
        + ")",
        f"{file}:{line_of(text, 'closing:')}: recap.closing: should be a non-empty text, got not "
        "a single value",
    )


# --- no sector, weight or form wording of the real pack in code ---

# Literals that hold a fact of the pack, with the reason (none left).
PENDING: dict[tuple[str, str], str] = {}
LIST = 4  # distinct synonyms of one sector in a literal or a line make a word list


def test_no_sector_name_or_synonym_in_code() -> None:
    """A literal that is a sector's label, button or name (folded, the whole literal), or a
    literal or a line holding 4 or more synonyms of one sector as whole words: a word list.

    Synonyms alone are everyday words (« commerce », « service », « bar » a chart, « magasin »
    in « je magasine »): one of them, or three (« mon commerce, ma boutique, mon magasin » in a
    reader of head counts), is no sector list. The other sector (« autre ») is an everyday word
    and a mechanism of the code; it is left out."""
    pack = current_eligibility()
    names = {
        word: sector.id
        for sector in pack.sectors
        for word in (fold(sector.label), fold(sector.button), *sector.names)
    }
    found = []
    by_line: dict[tuple[str, int], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for literal in strings():
        folded = fold(str(literal.value))
        if folded in names and (literal.file, folded) not in PENDING:
            found.append(f"{literal}: names the sector {names[folded]}")
        padded = f" {folded} "
        for sector in pack.sectors:
            words = {w for w in sector.synonyms if f" {w} " in padded}
            by_line[(literal.file, literal.line)][sector.id] |= words
    for (file, line), sectors in by_line.items():
        for id, words in sectors.items():
            if len(words) >= LIST:
                found.append(f"{file}:{line}: lists synonyms of {id}: {', '.join(sorted(words))}")
    assert not found, "sectors of program/eligibility.yml written in code:\n" + "\n".join(found)


def test_no_number_in_the_rules() -> None:
    """The weights and thresholds are the pack's: bot/eligibility.py holds no number but 0
    and 1."""
    found = [
        str(literal)
        for literal in literals()
        if literal.file == "bot/eligibility.py"
        and isinstance(literal.value, int | float)
        and literal.value not in (0, 1)
    ]
    assert not found, "numbers in bot/eligibility.py:\n" + "\n".join(found)


def test_no_eligibility_wording_in_code() -> None:
    wording = dict(current_eligibility().wording)
    parts = {
        part.strip(" ,()")
        for text in wording.values()
        for part in text.replace("}", "{").split("{")[::2]
        if len(part.strip(" ,()").split()) >= 4  # « pignon sur rue » is also a glossary term
    }
    found = [
        f"{literal}: holds {part!r}"
        for literal in strings()
        for part in parts
        if part in str(literal.value)
    ]
    assert not found, "wording of program/eligibility.yml written in code:\n" + "\n".join(found)


def test_no_intake_wording_in_code() -> None:
    """A literal that is a label, an example or a button's title of the form, of two words or
    more (one word, « Courriel », « Secteur », also titles a column or a field elsewhere); the
    yes/no buttons are the vocabulary's answers (`bot.vocabulary.Answer`)."""
    form = intake_form()
    texts = {
        text
        for question in form.questions
        for text in (question.label, question.example, *(t for c in question.buttons for t in c))
        if len(text.split()) >= 2 and question.name not in {"storefront", "sdc_member"}
    }
    found = [
        f"{literal}: is the form's {literal.value!r}"
        for literal in strings()
        if literal.value in texts and (literal.file, literal.value) not in PENDING
    ]
    assert not found, "wording of program/intake.yml written in code:\n" + "\n".join(found)


@pytest.mark.parametrize("response", ["utter_faq_eligibility", "utter_faq_sectors"])
def test_the_faq_names_the_eligible_sectors_of_the_pack(response: str) -> None:
    """The answers « qui est admissible? » state the sectors: each eligible sector of the pack
    is named, by its label, in every variant (`program/responses/faq.yml`)."""
    for text in texts(response):
        folded = f" {fold(text)} "
        missing = [
            s.label
            for s in current_eligibility().sectors
            if s.eligible and f" {fold(s.label)} " not in folded
        ]
        assert not missing, f"{response} does not name {missing}"
