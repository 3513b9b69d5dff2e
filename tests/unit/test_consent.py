"""The consent wording merchants accept matches the version recorded with their consent."""

import hashlib

import yaml

from bot.consent import WORDING_SHA256
from bot.settings import ROOT


def test_consent_wording_changes_come_with_a_new_version() -> None:
    domain = yaml.safe_load((ROOT / "domain" / "intake.yml").read_text())
    text = domain["responses"]["utter_ask_consent"][0]["text"]
    assert hashlib.sha256(text.encode()).hexdigest() == WORDING_SHA256, (
        "the consent wording changed: bump WORDING_VERSION and WORDING_SHA256 in bot/consent.py"
    )
    for words in ["Pourquoi", "Qui y a accès", "Conservation", "Vos droits", "/confidentialite"]:
        assert words in text
