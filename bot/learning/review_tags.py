"""The free tags the team puts on conversations under review: short, on one line, lower case."""

from __future__ import annotations

import re

from bot.text import one_line

TAG_MAX = 30
TAGS_PER_CONVERSATION = 10
_ALLOWED = re.compile(r"^[\w' -]+$")


class BadTag(ValueError):
    """A tag refused, with the French reason shown to the team member."""


def clean_tag(raw: str | None) -> str:
    """The tag as stored: one line, trimmed, spaces collapsed, lower case; `BadTag` when empty,
    longer than `TAG_MAX` or made of other characters than letters, digits, spaces, hyphens and
    apostrophes."""
    tag = " ".join(one_line(raw or "").split()).lower()
    if not tag:
        raise BadTag("Écrivez une étiquette.")
    if len(tag) > TAG_MAX:
        raise BadTag(f"Une étiquette a au plus {TAG_MAX} caractères.")
    if not _ALLOWED.match(tag) or "_" in tag:
        raise BadTag("Une étiquette n'a que des lettres, des chiffres, des espaces et des tirets.")
    return tag
