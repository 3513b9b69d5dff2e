"""Which answers a message corrects at the recap, and the new values said with them
(`bot/corrections.py`), on the intake's own names and recap labels."""

from __future__ import annotations

import pytest

from bot.corrections import Said, fields_said
from bot.intake import intake_form
from bot.text import fold_with_positions

NAMING = intake_form().naming()
CHARLESBOURG = "Association des gens d'affaires de Charlesbourg"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # By the recap's own label, with the value after a colon.
        (f"SDC ou regroupement : {CHARLESBOURG}", [Said("association_name", CHARLESBOURG)]),
        ("Votre nom : Ginette Tremblay", [Said("contact_name", "Ginette Tremblay")]),
        ("Artère avec SDC ou regroupement d'affaires : non", [Said("sdc_member", "non")]),
        # By the field's usual names, with « c'est ».
        (f"la SDC c'est l'{CHARLESBOURG}", [Said("sdc_member", f"l'{CHARLESBOURG}")]),
        ("non, mon courriel c'est m@exemple.com", [Said("email", "m@exemple.com")]),
        ("le nom de l'entreprise c'est Fleuriste Ginette",
         [Said("business_name", "Fleuriste Ginette")]),
        # Several in one message.
        ("mon nom c'est juste Ginette Tremblay pis mon rôle c'est propriétaire",
         [Said("contact_name", "Ginette Tremblay"), Said("contact_role", "propriétaire")]),
        ("Votre nom : Ginette Roy\n• Votre rôle : Gérante",
         [Said("contact_name", "Ginette Roy"), Said("contact_role", "Gérante")]),
        ("je veux changer le courriel et le téléphone",
         [Said("email", None), Said("phone", None)]),
        # Named only: asked again; the longest name wins (not « nom » alone).
        ("le nom du regroupement", [Said("association_name", None)]),
        ("le téléphone svp", [Said("phone", None)]),
        ("le nom", [Said("contact_name", None)]),
        # A field's name inside a value is no field named.
        (CHARLESBOURG, []),
        (f"l'{CHARLESBOURG}", []),
        ("Oui, c'est exact", []),
        ("mon adresse c'est 12 rue Principale, code postal G1K 3A5",
         [Said("address", "12 rue Principale, code postal G1K 3A5")]),
    ],
)  # fmt: skip
def test_fields_named_with_their_new_values(text: str, said: list[Said]) -> None:
    assert fields_said(text, NAMING) == said


def test_folded_positions_point_back_to_the_text_as_typed() -> None:
    text = "  L'Œil de la SDC — St-Roch!"
    folded, positions = fold_with_positions(text)
    assert folded == "l il de la sdc st roch"
    start = folded.index("sdc")
    assert text[positions[start] : positions[start + 3]] == "SDC"
    assert positions[-1] == len(text)
