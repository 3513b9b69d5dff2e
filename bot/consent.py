"""Consent to collect personal information (Law 25): purpose and wording version.

The wording merchants accept is the response `utter_ask_consent` (domain/intake.yml). Each
stored consent names the version it was given to; changing the wording means a new version
and a new fingerprint (tests/unit/test_consent.py checks they match).
"""

from bot.pack import current_pack

IDENTITY = current_pack().identity
BRAND = IDENTITY.brand  # as written in e-mails and invitations

PURPOSE = f"vérifier l'admissibilité à {BRAND} et préparer l'accompagnement"
WORDING_VERSION = "2026-11-v1"
WORDING_SHA256 = "80b6500ac4bdbbb8fb9cd3ba7a121686437fee57bc911e10d5e1c2b44558ba6b"
