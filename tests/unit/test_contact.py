"""The widget's « Parler à une personne » and transcript requests (`bot/contact.py`)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.contact import (
    InvalidRequest,
    contact_confirmation,
    parse_contact_request,
    parse_transcript_request,
    transcript_mail,
)
from bot.storage.transcripts import Line

AT = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)
FORM = {"name": " Julie  Tremblay ", "phone": "418-555-1234", "message": "Rappel?", "consent": True}


def test_a_phone_alone_is_enough_and_is_stored_in_e164() -> None:
    asked = parse_contact_request(FORM)
    assert (asked.name, asked.email, asked.phone) == ("Julie Tremblay", None, "+14185551234")
    assert contact_confirmation(asked, 2) == (
        "Merci, Julie Tremblay! Votre demande est transmise à l'équipe de 100 % NumériQC, "
        "qui vous répondra par téléphone d'ici 2 jours."
    )
    assert contact_confirmation(asked, 1).endswith("par téléphone d'ici demain.")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent": "true"}, "consent"),  # only a real JSON true is consent
        ({"name": "J"}, "name"),
        ({"name": "J" * 121}, "name"),
        ({"phone": "555"}, "phone"),
        ({"phone": "", "email": ""}, "email"),
        ({"email": "julie@"}, "email"),
        ({"message": "x" * 501}, "message"),
        ({"message": 42}, "message"),
    ],
)
def test_each_bad_field_is_named(change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_contact_request(FORM | change)
    assert list(refused.value.errors) == [field]


def test_a_transcript_needs_a_valid_address() -> None:
    assert parse_transcript_request({"email": "Julie@Exemple.com"}) == ("Julie@exemple.com", None)
    typed = {"email": "julie@exemple.com", "code": " 123 456 "}
    assert parse_transcript_request(typed) == ("julie@exemple.com", "123 456")
    bodies: list[object] = [{"email": "julie"}, {"email": "a@b.c" + "x" * 260}, [], None]
    for body in bodies:
        with pytest.raises(InvalidRequest):
            parse_transcript_request(body)


def test_the_transcript_reads_as_the_merchant_saw_it() -> None:
    lines = [
        Line("merchant", "/greet", AT),
        Line("bot", "Bonjour!", AT, ("Qui est admissible?",), ("/faq_eligibility",)),
        Line("merchant", "/faq_eligibility", AT),
        Line("bot", "Les commerces avec pignon sur rue.", AT),
        Line("bot", "Tous les détails : [politique de confidentialité](/confidentialite).", AT),
    ]
    subject, body = transcript_mail(
        lines, "https://100numeriqc.qcnum.com", "https://assistant.exemple.org"
    )
    assert subject == "Votre conversation avec l'assistant de 100 % NumériQC"
    assert "2026-11-23 10:00 — Assistant : Bonjour!\n  [Qui est admissible?]" in body
    assert "Vous : Qui est admissible?" in body and "/greet" not in body
    assert (
        "Tous les détails : politique de confidentialité "
        "(https://assistant.exemple.org/confidentialite)." in body
    )
