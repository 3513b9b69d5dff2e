"""Text normalisation: folding what merchants type for matching (no accents, typos,
abbreviations), and cleaning it for storage and for the places it is copied to."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import get_close_matches

# Bidirectional overrides and isolates: they can make a stored text display as another one.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "stes": "saintes", "sts": "saints"}


def fold(text: str) -> str:
    """Lower-case, strip accents, turn punctuation into spaces and expand "st"/"ste"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", ascii_only).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """`text` folded as `fold` folds it (without writing out « st »), and for each folded
    character the index in `text` of the character it comes from, plus `len(text)` at the end:
    what is found in the folded text can be cut from the text as typed."""
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char.casefold()):
            if unicodedata.combining(part):
                continue
            if "a" <= part <= "z" or "0" <= part <= "9":
                folded.append(part)
                positions.append(index)
            elif folded and folded[-1] != " ":
                folded.append(" ")
                positions.append(index)
    if folded and folded[-1] == " ":
        folded.pop()
        positions.pop()
    return "".join(folded), [*positions, len(text)]


def _breaking(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Zl", "Zp"} or char in _BIDI_CONTROLS


def one_line(text: str) -> str:
    """`text` on one line: line breaks, control and separator characters (U+2028, U+0085…)
    and bidirectional overrides become single spaces; surrounding space is removed.

    What merchants type is stored this way, so it can never split an e-mail header, a calendar
    property or a CSV row."""
    return " ".join("".join(" " if _breaking(c) else c for c in text).split())


def multi_line(text: str) -> str:
    """`text` keeping its line breaks as plain newlines; every other control or separator
    character becomes a space (for bodies and CSV cells that may hold paragraphs)."""
    lines = re.split(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]", text)
    return "\n".join(one_line(line) for line in lines)


def typo_tolerant(folded: str, words: Iterable[str], shortest: int = 5) -> list[str]:
    """The `words` found in the folded text `folded`, exactly (as a word start) or with a typo
    (« facebok », « budjet », « restaurent »: one-word keys of `shortest` letters or more)."""
    padded = f" {folded} "
    keys = list(words)
    found = [w for w in keys if f" {w}" in padded]
    long_keys = [w for w in keys if " " not in w and len(w) >= shortest]
    for token in folded.split():
        if len(token) >= shortest and not any(token.startswith(w) for w in found):
            # 0.82: « budjet » is « budget », but « vient » is not « vente »
            found += get_close_matches(token, long_keys, n=1, cutoff=0.82)
    return found


_NORTH_AMERICAN = re.compile(r"\+1(\d{3})(\d{3})(\d{4})")


def phone_for_people(phone: str | None) -> str:
    """A stored phone (E.164, +14185551234) as people write it here: 418 555-1234; any other
    value unchanged (links and exports keep E.164)."""
    match = _NORTH_AMERICAN.fullmatch(phone or "")
    return f"{match[1]} {match[2]}-{match[3]}" if match else (phone or "")


def french_count(count: int, singular: str, plural: str = "") -> str:
    """« 0 commerçant », « 1 décision », « 2 décisions »: French takes the singular below 2."""
    return f"{count} {singular if abs(count) < 2 else plural or singular + 's'}"


_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(((?:https?://|/)[^\s)]*)\)")


def plain_links(text: str, site: str = "") -> str:
    """The chat's Markdown links as plain text for a page or an e-mail: « politique de
    confidentialité » alone, or with `site` « politique de confidentialité
    (https://site/confidentialite) »."""

    def plain(match: re.Match[str]) -> str:
        label, target = match[1], match[2]
        if not site:
            return label
        return f"{label} ({site.rstrip('/') + target if target.startswith('/') else target})"

    return _MARKDOWN_LINK.sub(plain, text)
