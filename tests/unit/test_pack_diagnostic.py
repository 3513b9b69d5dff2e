"""The diagnostic of the program pack (`program/diagnostic.yml`): it loads, another program's
diagnostic runs with the same code, its errors name the file and the line, and none of its
facts is written in the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import diagnostic_form
from bot.clock import system_now
from bot.diagnostic import (
    Answers,
    brief,
    profile,
    read_frequency,
    read_list,
    read_website,
    summary,
    vocabulary,
)
from bot.forms import FAILURES
from bot.pack import PackError
from bot.pack.diagnostic import current_diagnostic, load
from bot.parsing import NotUnderstood
from bot.settings import ROOT
from bot.text import fold
from tests.conftest import FICTIONAL_PACK as FICTIONAL
from tests.pack_literals import strings

REAL = (ROOT / "program" / "diagnostic.yml").read_text(encoding="utf-8")


def test_the_real_pack_loads() -> None:
    diagnostic = load(ROOT / "program")
    assert [a.name for a in diagnostic.areas] == ["visibilité", "marketing", "ventes", "gestion"]
    assert [name for name, _ in diagnostic.levels] == ["à bâtir", "de base", "en place", "avancé"]
    assert diagnostic.focus_area("website").title == "Site Web"
    assert current_diagnostic() == diagnostic


# A bakery of Sherbrooke: an old site, on Facebook and Instagram several times a week, no
# business profile, a register, wants to sell on the Web.
FROMAGERIE = Answers(
    website="ancien", platform="Wix", social_networks="Facebook, Instagram",
    posting="plusieurs fois par semaine", google_profile="non", online_sales="non",
    newsletter="oui", online_booking="non", tools="caisse enregistreuse",
    goals="vendre sur le Web", obstacles="les coûts", budget="moins de 1 000 $",
)  # fmt: skip


@pytest.mark.usefixtures("fictional")
def test_another_program_has_its_areas_levels_and_focus_areas() -> None:
    result = profile(FROMAGERIE)
    assert result.levels == {
        "présence en ligne": "en progression",  # old site, networks, regular posting: 3 points
        "vente en ligne": "à démarrer",
        "outils de gestion": "en progression",  # a register and a newsletter
    }
    assert [(f.title, f.why) for f in result.focus] == [
        ("Boutique en ligne", "aucune vente sur le Web (votre priorité)"),  # its first goal
        ("Refonte du site", "site vieillissant"),
        ("Fiche Google et avis", "aucune fiche d'entreprise"),
        ("Caisse et tenue de livres", "peu d'outils"),
    ]
    nothing = profile(Answers(tools="caisse enregistreuse, tenue de livres"))
    assert [f.title for f in nothing.focus] == ["Fiche Google et avis", "Bilan numérique"]


@pytest.mark.usefixtures("fictional")
def test_another_program_writes_its_brief_and_summary() -> None:
    result = profile(FROMAGERIE)
    assert brief("Fromagerie du Lac", FROMAGERIE, result).splitlines()[:3] == [
        "Commerce : Fromagerie du Lac",
        "Niveaux — présence en ligne : en progression, vente en ligne : à démarrer, "
        "outils de gestion : en progression",
        "Site : ancien, sur Wix; réseaux : Facebook, Instagram, plusieurs fois par semaine",
    ]
    assert summary(result).splitlines() == [
        "C'est noté! Cap numérique vous propose :",
        "→ Boutique en ligne (un accompagnement pour ouvrir une boutique en ligne)",
        "→ Refonte du site (un atelier « Mon site en un mois » et une liste de questions pour "
        "les fournisseurs)",
        "→ Fiche Google et avis (la création de la fiche d'entreprise avec un conseiller)",
        "→ Caisse et tenue de livres (un bilan de la caisse enregistreuse et de la tenue de "
        "livres)",
        "Est-ce que ces pistes vous conviennent?",
    ]


@pytest.mark.usefixtures("fictional")
def test_another_program_reads_answers_with_its_words() -> None:
    tools = vocabulary("tools")
    assert read_list("une Lightspeed pis QuickBooks", tools, "x") == (
        "caisse enregistreuse, tenue de livres"
    )
    assert read_list("Square", tools, "x") == "caisse enregistreuse"
    assert read_frequency("une fois par semaine") == "toutes les semaines"
    assert read_frequency("tous les jours") == "plusieurs fois par semaine"
    assert read_frequency("pantoute") == "aucune publication"
    four_years = str(system_now().year - 4)
    assert read_website(f"un site de {four_years}") == "récent"  # old from 5 years here
    with pytest.raises(NotUnderstood, match="si vous avez un site, vieux ou récent"):
        read_website("mardi")
    first = profile(Answers(social_networks="Facebook", first_change="être plus sur Facebook"))
    assert first.focus[0].title == "Publications sur les réseaux"


@pytest.mark.usefixtures("fictional")
def test_another_program_has_its_form_wording() -> None:
    form = diagnostic_form.form()
    website = form.question("diag_website")
    assert (website.label, website.example) == ("Votre site", "vieux")
    assert website.buttons[:3] == (
        ("Pas de site", "aucun"),
        ("Un vieux site", "ancien"),
        ("Un site récent", "récent"),
    )
    assert form.correct_example == "budget"
    answers = {"diag_website": "aucun", "diag_social_networks": "aucun"}
    turn = diagnostic_form.take_turn(answers, "diag_summary_confirmed", "le budget c'est 500 $")
    assert turn.updates == {"diag_budget": "moins de 1 000 $", FAILURES: 0}
    assert turn.say == [
        ("utter_form_noted", {"label": "Votre budget", "value": "moins de 1 000 $"})
    ]
    tools = diagnostic_form.take_turn({}, "diag_tools", "on a une Square")
    assert tools.updates["diag_tools"] == "caisse enregistreuse"
    sales = diagnostic_form.take_turn({}, "diag_online_booking", "au téléphone seulement")
    assert sales.updates["diag_online_booking"] == "non"


def test_the_real_pack_comes_back_after_the_fictional_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROGRAM_DIR", str(FICTIONAL))
    assert diagnostic_form.form().question("diag_website").label == "Votre site"
    monkeypatch.delenv("PROGRAM_DIR")
    assert diagnostic_form.form().question("diag_website").label == "Site Web"


# Validation: a wrong pack gives `file:line: path: problem`.


def errors_of(tmp_path: Path, text: str) -> tuple[str, ...]:
    (tmp_path / "diagnostic.yml").write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as raised:
        load(tmp_path)
    return raised.value.errors


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(start))


def changed(old: str, new: str) -> str:
    assert REAL.count(old) == 1, old
    return REAL.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new", "line", "error"),
    [
        (
            "  en place: 2\n", "  en place: deux\n", "en place:",
            "levels.en place: should be a whole number from 0, got 'deux'",
        ),
        (
            "  en place: 2\n", "  en place: 1\n", "en place:",
            "levels.en place: should be more points than 'de base' (1)",
        ),
        (
            "    needs: [touristes]\n", "    needs: [touristes, croisiéristes]\n",
            "needs: [touristes, croisi",
            "focus.tourists.needs: 'croisiéristes' is not a need (a label of vocabulary.goals or "
            "vocabulary.needs)",
        ),
        (
            "    goal: fidélisation\n", "    goal: clientèle fidèle\n", "goal: clientèle fidèle",
            "focus.loyalty.goal: 'clientèle fidèle' is not a goal of vocabulary.goals",
        ),
        (
            "  gestion: {each_tool: 1}\n", "  gestion: {each_tool: 1, caisse: 1}\n", "gestion: {",
            "areas.gestion.caisse: unknown sign (known: old_website, recent_website, "
            "business_profile, social_networks, regular_posting, newsletter, online_sales, "
            "online_booking, each_tool)",
        ),
        (
            "    calendrier: réservations\n",
            "    calendrier: réservations\n    caisse: inventaire\n",
            "caisse: inventaire",
            "vocabulary.tools.caisse: given twice",
        ),
        (
            "    - juste une page\n", "    - juste une page\n    - pantoute  # again\n", "- pantoute  #",
            "website.none: 'pantoute' given twice",
        ),
        (
            "    insta: Instagram\n",
            "    Insta: Instagram\n", "Insta: Instagram",
            "vocabulary.social_networks: should be a folded word (lower case, no accents, no "
            "punctuation), such as « reseaux sociaux », got 'Insta'",
        ),
        (
            "Budget indicatif : {budget}.", "Budget indicatif : {budjet}.", "text: |-",
            "brief.text: unknown placeholder {budjet} (known: business, levels, website, "
            "platform, social_networks, posting, google_profile, online_sales, online_booking, "
            "newsletter, tools, goals, obstacles, budget, first_change, focus, preparation)",
        ),
        (
            "  regular: [chaque jour, chaque semaine]\n",
            "  regular: [chaque jour, toutes les semaines]\n", "regular:",
            "posting.regular: 'toutes les semaines' is not a posting label",
        ),
        (
            "    - touristes\n    - visibilité\n", "    - visibilité\n", "needs_first:",
            "vocabulary.needs_first: the need 'touristes' is missing",
        ),
        (
            "      label: Infolettre\n", "      label: Infolettre\n      colour: bleu\n",
            "colour: bleu",
            "form.questions.diag_newsletter.colour: unknown key (known: label, example, words, "
            "buttons, unsure, choices, hears, expected, says_yes, says_no)",
        ),
        (
            "    offer: plan d'action individualisé pour se faire connaître des visiteurs\n", "",
            "tourists:", "focus.tourists.offer: missing",
        ),
    ],
)  # fmt: skip
def test_a_wrong_diagnostic_names_the_file_and_the_line(
    tmp_path: Path, old: str, new: str, line: str, error: str
) -> None:
    text = changed(old, new)
    assert errors_of(tmp_path, text) == (
        f"{tmp_path / 'diagnostic.yml'}:{line_of(text, line)}: {error}",
    )


def test_the_check_command_lists_the_diagnostic_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.pack.check import check_program

    for file in (ROOT / "program").iterdir():
        if file.is_file():
            (tmp_path / file.name).write_bytes(file.read_bytes())
    (tmp_path / "diagnostic.yml").write_text(changed("  avancé: 3\n", "  avancé: trois\n"))
    assert check_program(tmp_path) == 1
    line = line_of(REAL, "avancé:")
    assert f"diagnostic.yml:{line}: levels.avancé: should be a whole number" in (
        capsys.readouterr().err
    )


# « Not in code »: no string literal of bot/, actions/, rasa_components/ holds a fact of the
# real pack's diagnostic. Compared folded (« Site Web » is « site web »), as whole words:
# - areas and levels, whatever their length, when a literal is one of them;
# - focus titles, offers, the labels of the vocabularies, the posting labels and the form's
#   labels of two words or more: when a literal is one, or holds one of three words or more;
# - the words the answers are read with (vocabularies, website, yes/no), of two words or more,
#   in the diagnostic's own modules: elsewhere, everyday phrases (« pas encore », « rendez
#   vous ») are rightly other readers' words too (yes/no, intent synonyms).
# Single words (« temps », « aucun », « caisse », « Facebook ») are every reader's words, and
# identifiers (« online_booking », folded « online booking ») are the code's names.
DIAGNOSTIC_CODE = ("bot/diagnostic.py", "bot/diagnostic_form.py", "actions/diagnostic.py")
ELSEWHERE = {  # other vocabularies that share the diagnostic's phrases, with the reason
    "bot/glossary.py": "the terms a merchant asks about (« c'est quoi la vente en ligne? »)",
    "bot/learning/merchant.py": "simulated merchants' answers (what a merchant types)",
}


def _facts() -> tuple[dict[str, str], dict[str, str]]:
    """The real pack's facts (folded: what) everywhere, and its words in the diagnostic's code."""
    diagnostic = load(ROOT / "program")
    everywhere = {fold(a.name): f"the area {a.name!r}" for a in diagnostic.areas}
    everywhere |= {fold(name): f"the level {name!r}" for name, _ in diagnostic.levels}
    texts = [
        *(f.title for f in diagnostic.focus),
        *(f.offer for f in diagnostic.focus),
        *(label for label, _ in diagnostic.posting),
        diagnostic.never,
        *(q.label for _, q in diagnostic.questions),
    ]
    words = [*diagnostic.no_website, *(w for _, said in diagnostic.website_said for w in said)]
    for name in ("social_networks", "tools", "goals", "needs", "obstacles"):
        pairs = getattr(diagnostic, name)
        texts += [label for _, label in pairs]
        words += [word for word, _ in pairs]
    for _, question in diagnostic.questions:
        words += [*question.words, *question.says_yes, *question.says_no]
    for text in texts:
        if len(fold(text).split()) >= 2:
            everywhere.setdefault(fold(text), repr(text))
    own = {fold(w): repr(w) for w in words if len(fold(w).split()) >= 2}
    return everywhere, own


def test_no_diagnostic_fact_in_code() -> None:
    everywhere, own = _facts()
    found = []
    for literal in strings():
        value = str(literal.value)
        if literal.file in ELSEWHERE or re.fullmatch(r"\w*_\w*", value):
            continue
        folded = fold(value)
        padded = f" {folded} "
        for fact, what in everywhere.items():
            if folded == fact or (len(fact.split()) >= 3 and f" {fact} " in padded):
                found.append(f"{literal}: holds {what}")
        if literal.file in DIAGNOSTIC_CODE:
            found += [
                f"{literal}: holds the word {w}" for f, w in own.items() if f" {f} " in padded
            ]
    assert not found, "facts of program/diagnostic.yml written in code:\n" + "\n".join(found)


def test_the_check_finds_a_fact_in_code() -> None:
    """The check is not blind: the former literals of bot/diagnostic.py are caught."""
    everywhere, own = _facts()
    for former in ("Contenu des réseaux sociaux", "à bâtir", "gagner du temps en gestion"):
        assert fold(former) in everywhere
    assert "face de bouc" in own and "juste en boutique" in own
