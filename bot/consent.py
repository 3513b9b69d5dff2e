"""Consent to collect personal information (Law 25): the version merchants are asked to accept.

The versions live in the pack (`program/consent.yml`): each stored consent names its version
and purpose; the wording asked now is the response `utter_ask_consent`, and a test checks it is
the current version's (tests/unit/test_consent.py).
"""

from bot.pack.consent import Version, current_consent


def current_version() -> Version:
    """The version asked now: its name and purpose are stored with each consent given."""
    return current_consent().current
