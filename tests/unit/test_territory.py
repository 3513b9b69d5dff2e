"""Which places the bot says are in the agglomeration de Québec."""

import pytest

from bot.territory import find_place


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("mon commerce est dans Limoilou", "Limoilou"),
        ("on est sur la rue St-Joseph dans St-Roch", "Saint-Roch"),
        ("boutique a ste-foy", "Sainte-Foy"),
        ("CHARLESBOURG", "Charlesbourg"),
        ("je suis à Beauport, ça marche tu?", "Beauport"),
        ("L'Ancienne-Lorette c'est correct?", "L'Ancienne-Lorette"),
        ("ancienne lorette", "L'Ancienne-Lorette"),
        ("St-Augustin-de-Desmaures", "Saint-Augustin-de-Desmaures"),
        ("on est a st augustin", "Saint-Augustin-de-Desmaures"),
        ("resto dans le Vieux-Québec", "Vieux-Québec"),
        ("lac st-charles", "Lac-Saint-Charles"),
    ],
)
def test_places_inside_the_agglomeration(text: str, name: str) -> None:
    place = find_place(text)
    assert place is not None
    assert (place.name, place.inside) == (name, True)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("mon commerce est a levis", "Lévis"),
        ("Lévis, juste en face de Québec", "Lévis"),
        ("boischatel", "Boischatel"),
        ("on est au Lac-Beauport", "Lac-Beauport"),
        ("Wendake c'est admissible?", "Wendake"),
        ("une boutique sur l'île d'Orléans", "l'Île d'Orléans"),
        ("je suis à Montréal", "Montréal"),
        ("st-nicolas", "Lévis"),
        ("stoneham", "Stoneham-et-Tewkesbury"),
    ],
)
def test_places_outside_the_agglomeration(text: str, name: str) -> None:
    place = find_place(text)
    assert place is not None
    assert (place.name, place.inside) == (name, False)


def test_the_longer_name_wins_over_the_name_it_contains() -> None:
    lac_beauport = find_place("lac beauport")
    assert lac_beauport is not None and lac_beauport.name == "Lac-Beauport"


def test_the_city_alone_is_inside() -> None:
    place = find_place("je suis a quebec")
    assert place is not None and place.inside and place.name == "la Ville de Québec"


@pytest.mark.parametrize(
    "text", ["", "c'est gratuit?", "🙂", "<script>alert(1)</script>", "x" * 10000]
)
def test_no_place_named(text: str) -> None:
    assert find_place(text) is None
