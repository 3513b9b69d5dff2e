"""The consent wording merchants accept is the wording of the version recorded with their consent."""

from bot.consent import current_version
from bot.pack.responses import texts


def test_consent_wording_changes_come_with_a_new_version() -> None:
    text = texts("utter_ask_consent")[0]
    assert text == current_version().wording, (
        "the consent wording changed: add a version to program/consent.yml and make it current"
    )
    for words in ["Pourquoi", "Qui y a accès", "Conservation", "Vos droits", "/confidentialite"]:
        assert words in text


def test_the_stored_version_and_purpose_stay() -> None:
    version = current_version()
    assert version.version == "2026-11-v1"
    assert version.purpose == (
        "vérifier l'admissibilité à 100 % NumériQC et préparer l'accompagnement"
    )
