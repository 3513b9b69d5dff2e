"""Reading merchants' answers: e-mail, phone, postal code, yes/no, sector, numbers."""

import pytest

from bot.pack.eligibility import current_eligibility
from bot.parsing import (
    NotUnderstood,
    find_postal_code,
    parse_count,
    parse_email,
    parse_hours_per_week,
    parse_phone,
    parse_postal_code,
    parse_sector,
    parse_yes_no,
)
from bot.vocabulary import Answer


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("paul@boulangerie.ca", "paul@boulangerie.ca"),
        ("en fait mon courriel c'est Marie.Tremblay@Exemple.com.", "Marie.Tremblay@exemple.com"),
        ("  info@cafe-limoilou.qc.ca ", "info@cafe-limoilou.qc.ca"),
    ],
)
def test_emails(text: str, email: str) -> None:
    assert parse_email(text) == email


@pytest.mark.parametrize(
    "text",
    ["paul", "paul@", "@exemple.com", "paul@exemple", "<script>@x.com", "a" * 300 + "@x.com"],
)
def test_bad_emails(text: str) -> None:
    with pytest.raises(NotUnderstood, match="courriel"):
        parse_email(text)


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("418 555-1234", "+14185551234"),
        ("(418) 555-1234", "+14185551234"),
        ("4185551234", "+14185551234"),
        ("1-418-555-1234", "+14185551234"),
        ("+1 581 555 0000", "+15815550000"),
        ("mon cell c'est le 581.555.9876 merci", "+15815559876"),
    ],
)
def test_canadian_phone_numbers_in_e164(text: str, e164: str) -> None:
    assert parse_phone(text) == e164


@pytest.mark.parametrize("text", ["555-1234", "123", "418 055-1234", "allo", "+33 1 23 45 67 89"])
def test_bad_phone_numbers(text: str) -> None:
    with pytest.raises(NotUnderstood, match="téléphone"):
        parse_phone(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [("g1k3a5", "G1K 3A5"), ("G1K 3A5", "G1K 3A5"), ("mon code c g2e-5j2", "G2E 5J2")],
)
def test_postal_codes(text: str, code: str) -> None:
    assert parse_postal_code(text) == code


@pytest.mark.parametrize("text", ["G1K", "12345", "Z1K 3A5", "G1D 3A5", "allo"])
def test_bad_postal_codes(text: str) -> None:
    assert find_postal_code(text) is None
    with pytest.raises(NotUnderstood, match="code postal"):
        parse_postal_code(text)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("oui", Answer.YES), ("Ouais", Answer.YES), ("ouin", Answer.YES), ("en plein", Answer.YES),
        ("bien sûr!", Answer.YES), ("non", Answer.NO), ("pantoute", Answer.NO),
        ("pas vraiment", Answer.NO), ("Nenon", Answer.NO), ("je sais pas", Answer.UNSURE),
        ("chu pas sûr", Answer.UNSURE), ("peut-être", Answer.UNSURE),
    ],
)  # fmt: skip
def test_yes_no_in_colloquial_french(text: str, answer: Answer) -> None:
    assert parse_yes_no(text) is answer


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("non, pas de vitrine, tout se fait par la poste et aux salons", Answer.NO),
        ("non mais j'y pense pour l'an prochain", Answer.NO),
        ("oui, sauf qu'on ferme l'hiver", Answer.YES),
        ("non, finalement oui, depuis le printemps", Answer.YES),
        ("ouais... je voulais dire non, c'est mon voisin", Answer.NO),
        ("nan en fait ouais on en a un", Answer.YES),
        ("oui en fait non, on l'a fermée", Answer.NO),
        ("chepa, c'est mon associé qui gère", Answer.UNSURE),
    ],
)
def test_the_first_word_decides_unless_taken_back_at_once(text: str, answer: Answer) -> None:
    assert parse_yes_no(text) is answer


def test_yes_no_not_understood() -> None:
    with pytest.raises(NotUnderstood, match="oui ou non"):
        parse_yes_no("mardi")


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("un dépanneur", "retail"), ("boutique de vêtements", "retail"),
        ("commerce de détail", "retail"), ("un gîte", "accommodation"),
        ("B&B", "accommodation"), ("petit hôtel", "accommodation"),
        ("resto", "restaurant"), ("un café-bistro", "restaurant"),
        ("salon de coiffure", "services"), ("garage de mécanique", "services"),
        ("autre", "other"), ("fabrication de drones", "other"),
    ],
)  # fmt: skip
def test_sector_synonyms(text: str, sector: str) -> None:
    assert parse_sector(text) is current_eligibility().sector(sector)


@pytest.mark.parametrize(
    ("text", "count"),
    [("5", 5), ("cinq employés", 5), ("juste moi", 1), ("une dizaine", 10), ("entre 3 et 4", 4)],
)
def test_employee_counts(text: str, count: int) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("2", 2.0),
        ("2 h", 2.0),
        ("3 heures", 3.0),
        ("1h30", 1.5),
        ("30 minutes", 0.5),
        ("une heure", 1.0),
    ],
)
def test_hours_per_week(text: str, hours: float) -> None:
    assert parse_hours_per_week(text) == hours


@pytest.mark.parametrize("text", ["beaucoup", "", "500 heures"])
def test_hours_not_understood(text: str) -> None:
    with pytest.raises(NotUnderstood):
        parse_hours_per_week(text)
