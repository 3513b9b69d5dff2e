"""Text normalisation for matching what merchants type (no accents, typos, abbreviations)."""

from __future__ import annotations

import re
import unicodedata

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "stes": "saintes", "sts": "saints"}


def fold(text: str) -> str:
    """Lower-case, strip accents, turn punctuation into spaces and expand "st"/"ste"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", ascii_only).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)
