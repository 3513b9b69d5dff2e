"""Free-text answers that simulated merchants gave and the readers once missed, read through
the form data (`bot.intake.INTAKE`, `bot.diagnostic_form.DIAGNOSTIC`)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.diagnostic_form import DIAGNOSTIC
from bot.intake import INTAKE

CASES: list[tuple[str, str, Any]] = [
    ("contact_role", "Ben je suis la propriétaire, mais je coiffe encore quatre jours par semaine, "
     "je suis pas le genre à rester dans le bureau.", "Propriétaire"),
    ("storefront", "Ah oui, on a pignon sur rue depuis 2008, une belle grande vitrine.", "oui"),
    ("storefront", "On a un kiosque au marché public, je sais pas si ça compte", "je ne sais pas"),
    ("sector", "restaurent", "restauration"),
    ("sector", "Services comptables.", "services"),
    ("employees", "cinq coiffeuses plus moi, donc six en tout, sans compter la petite", 6),
    ("employees", "moi pis ma blonde", 2),
    ("employees", "3 employés depuis 2019", 3),
    ("employees", "vingt-cinq", 25),
    ("hours_per_week", "une demi-heure", 0.5),
    ("hours_per_week", "quinze minutes", 0.25),
    ("readiness", "Nous nous informons.", "s'informe"),
    ("diag_social_networks", "facebok", "Facebook"),
    ("diag_social_networks", "pantoute, on n'a pas de Facebook", "aucun"),
    ("diag_social_networks", "non on n'a pas de réseaux", "aucun"),
    ("diag_tools", "caise seulement", "point de vente"),
    ("diag_obstacles", "le budjet", "le budget"),
    ("diag_obstacles", "le time, on est full busy", "le temps"),
    ("diag_posting", "Chaque semaine, des photos du pain du jour", "chaque semaine"),
    ("diag_posting", "pas souvent", "rarement"),
    ("diag_posting", "Quand j'ai le temps.", "rarement"),
    ("diag_website", "Oui, il a une dizaine d'années.", "ancien"),
    ("diag_budget", "1500", "1 000 $ à 5 000 $"),
    ("diag_budget", "peut-être 2000$", "1 000 $ à 5 000 $"),
    ("diag_budget", "500 piasses", "moins de 1 000 $"),
    ("diag_budget", "moin de 1000$", "moins de 1 000 $"),
    ("diag_budget", "douze cents piasses max", "1 000 $ à 5 000 $"),
]  # fmt: skip


@pytest.mark.parametrize(("question", "text", "expected"), CASES)
def test_read_as_a_person_would(question: str, text: str, expected: Any) -> None:
    form = DIAGNOSTIC if question.startswith("diag_") else INTAKE
    assert form.question(question).read(text, {})[question] == expected
