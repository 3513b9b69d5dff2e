"""Reading quantities in free-text answers: head counts, hours per week, amounts of money."""

import random

import pytest

from bot.quantities import (
    BUDGET_LABELS,
    MAX_CHARS,
    Amount,
    budget_label,
    headcount,
    hours,
    money,
    number,
)

LOW, MIDDLE, HIGH = BUDGET_LABELS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", 5),
        ("cinq", 5),
        ("vingt-cinq", 25),
        ("vingt cinq", 25),
        ("vingt et un", 21),
        ("quatre-vingt-quinze", 95),
        ("3 employés depuis 2019", 3),
        ("depuis 1998, on est 6", 6),
        ("juste moi", 1),
        ("Juste moé", 1),
        ("moi tout seul", 1),
        ("Je travaille seule depuis 2015", 1),
        ("c'est moi", 1),
        ("moi pis ma blonde", 2),
        ("mon chum pis moi", 2),
        ("moi et mon associé", 2),
        ("Ma conjointe et moi", 2),
        ("c'est juste moi et ma fille le samedi", 2),
        ("moi + 2 employés", 3),
        ("moi avec 2 employés à temps partiel", 3),
        ("trois employés plus moi", 4),
        ("moi, ma femme et nos 3 employés", 5),
        ("On est deux, moi pis mon frère", 2),
        ("on est 4 avec moi", 4),
        ("j'ai 3 employés", 4),
        ("une dizaine", 10),
        ("une quinzaine", 15),
        ("une vingtaine d'employés l'été", 20),
        ("on est une couple", 2),
        ("entre 5 et 10", 10),
        ("5-10", 10),
        ("cinq ou six", 6),
        ("2 à temps plein et 3 à temps partiel", 5),
        ("2 proprios et 1 employé", 3),
        ("une dizaine l'été et 3 l'hiver", 10),
        ("nous sommes 4, dont 2 employés", 4),
        ("aucun employé", 1),
        ("j'ai pas d'employés", 1),
        ("0", 1),
        ("Le commerce est au G1R 2B5, on est 4", 4),
        ("<b>5</b>", 5),
        ("5️⃣", 5),
        ("moi et mes employés", None),
        ("moi et quelques employés", None),
        ("appelez-moi au 418 555-1234", None),
        ("pas beaucoup", None),
        ("plusieurs", None),
        ("", None),
    ],
)
def test_headcount(text: str, expected: int | None) -> None:
    assert headcount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 h", 2.0),
        ("2h", 2.0),
        ("1h30", 1.5),
        ("1 h 30 min", 1.5),
        ("1 heure 30 minutes", 1.5),
        ("une heure trente", 1.5),
        ("une heure et demie", 1.5),
        ("deux heures et quart", 2.25),
        ("une heure et ½", 1.5),
        ("2 1/2 heures", 2.5),
        ("1,5 h", 1.5),
        ("une demi-heure", 0.5),
        ("½ heure", 0.5),
        ("quinze minutes", 0.25),
        ("un quart d'heure", 0.25),
        ("trois quarts d'heure", 0.75),
        ("30 min", 0.5),
        ("90 minutes", 1.5),
        ("deux heures max", 2.0),
        ("à peu près une heure", 1.0),
        ("Je pourrais mettre environ 2 heures par semaine", 2.0),
        ("entre 2 et 3 heures", 2.5),
        ("2h-3h", 2.5),
        ("une ou deux heures", 1.5),
        ("entre 30 et 45 minutes", 0.62),
        ("une couple d'heures", 2.0),
        ("3", 3.0),
        # The buttons' payloads.
        ("Moins d'une heure", 0.5),
        ("1 à 2 heures", 1.5),
        ("3 heures et plus", 3.0),
        ("1 heure par jour", 5.0),
        ("pas une minute", 0.0),
        ("pas le temps", 0.0),
        ("pas beaucoup", None),
        ("quelques heures", None),
        ("2 fois par semaine", None),
        ("100 heures", None),
        ("", None),
    ],
)
def test_hours(text: str, expected: float | None) -> None:
    assert hours(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1500", (1500, 1500)),
        ("peut-être 2000$", (2000, 2000)),
        ("2 000 $", (2000, 2000)),
        ("2,500$", (2500, 2500)),
        ("2k", (2000, 2000)),
        ("1,5 k$", (1500, 1500)),
        ("mille piasses", (1000, 1000)),
        ("500 piasses", (500, 500)),
        ("cinq mille piastres", (5000, 5000)),
        ("deux cents dollars", (200, 200)),
        ("mille cinq cents", (1500, 1500)),
        ("une couple de mille", (2000, 2000)),
        ("Je dirais autour de 1500$", (1500, 1500)),
        ("Nous avons 3 employés et 2000$", (2000, 2000)),
        ("entre 1000 et 3000 dollars", (1000, 3000)),
        ("entre mille et deux mille", (1000, 2000)),
        ("1000$-3000$", (1000, 3000)),
        ("de 1000 à 3000$", (1000, 3000)),
        ("pas plus de 5000", (None, 5000)),
        ("Je veux pas dépenser plus que 2000", (None, 2000)),
        ("On a un budget de 3000 piasses max", (None, 3000)),
        ("en bas de 1000", (None, 1000)),
        ("moins de 1000", (None, 1000)),
        ("au moins 1000", (1000, None)),
        ("10 000 $ et plus", (10000, None)),
        ("1000+", (1000, None)),
        ("zéro", (0, 0)),
        ("rien", (0, 0)),
        ("pas une cenne", (0, 0)),
        ("Aucun budget pour le moment", (0, 0)),
        # The buttons' payloads.
        ("moins de 1 000 $", (None, 1000)),
        ("1 000 à 5 000 $", (1000, 5000)),
        ("plus de 5 000 $", (5000, None)),
        ("appelez-moi au 418 555-1234", None),
        ("aucune idée", None),
        ("pas cher", None),
        ("", None),
    ],
)
def test_money(text: str, expected: Amount | None) -> None:
    assert money(text) == expected


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("500 piasses", LOW),
        ("moins de 1000", LOW),
        ("rien", LOW),
        ("Entre 500$ et 1000$", LOW),  # midpoint 750
        ("1000", MIDDLE),
        ("5000", MIDDLE),
        ("pas plus de 5000", MIDDLE),  # midpoint of 0 to 5000
        ("au moins 1000", MIDDLE),
        ("entre 500 et 2000", MIDDLE),  # midpoint 1250: straddles two labels
        ("entre 2000 et 7000", MIDDLE),  # midpoint 4500
        ("entre 3000 et 8000", HIGH),  # midpoint 5500
        ("plus de 5 000 $", HIGH),
        ("Minimum 10 000 $", HIGH),
        ("entre 4000 et 10000", HIGH),
        ("1 000 à 5 000 $", MIDDLE),
        ("je ne sais pas", None),
    ],
)
def test_budget_label(text: str, label: str | None) -> None:
    assert budget_label(money(text)) == label


@pytest.mark.parametrize(
    ("text", "expected"),
    [("vingt-cinq", 25), ("2 000", 2000), ("1,5", 1.5), ("2k", 2000), ("en 2019", 2019)],
)
def test_number(text: str, expected: float) -> None:
    assert number(text) == expected


BAD = [
    "", " ", "😀😀", "<script>alert(1)</script>", "\x00\x01", "\u202e5", "—", "$$$", "-5",
    "1e308", "1" + "0" * 400, "3/0", "0/0", "١٢", "∞", "NaN", ",5", ".", "h", "entre et",
    "moins de", "(418) 555-1234 poste 12", "&nbsp;5&amp;", "a" * 100_000, "1 " * 50_000,
    "vingt " * 1000, "2 h" * 3000, "<" * 5000 + ">" * 5000,
]  # fmt: skip


def _random_texts() -> list[str]:
    draw = random.Random(11)
    alphabet = "0123456789 ,.-+/$hkmineutrdoisàé'’<>😀½"
    return ["".join(draw.choices(alphabet, k=draw.randint(0, 80))) for _ in range(500)]


def test_bad_input_never_raises() -> None:
    for text in BAD + _random_texts():
        count, time, amount = headcount(text), hours(text), money(text)
        assert count is None or count >= 1
        assert time is None or 0 <= time <= 80
        assert budget_label(amount) in (*BUDGET_LABELS, None)
        number(text)


def test_only_the_beginning_of_a_long_answer_is_read() -> None:
    assert headcount("cinq " + "bla " * MAX_CHARS + "vingt") == 5
    assert money("bla " * MAX_CHARS + "2000 $") is None
