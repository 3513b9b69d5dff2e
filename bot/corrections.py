"""Which answers a merchant corrects in one message, and the new values said with them: by a
field's usual names or the recap's own labels (« mon nom c'est juste Ginette Tremblay pis mon
rôle c'est propriétaire », « SDC ou regroupement : Association des gens d'affaires de
Charlesbourg », « le nom du regroupement »). Reading the values is the form's work
(`bot.forms`); this module only finds what is said about which field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import fold_with_positions


@dataclass(frozen=True)
class Said:
    """A field the merchant names, with the new value said with it (None: named only)."""

    field: str
    value: str | None


_DETERMINERS = re.compile(
    r"(?:\b(?:le|la|l|les|mon|ma|mes|notre|nos|votre|vos|son|sa|ses|leur|leurs|du|de|des|d|"
    r"au|aux|a|pour|dans|sur)\s+)*$"
)
# Words after which a new field may be named (« … pis mon rôle c'est … »).
_CONNECTORS = re.compile(
    r"(?:^|\b(?:pis|et|puis|aussi|mais|sinon|ensuite|plus|non|oui|oups|finalement|en fait|"
    r"correction|pardon|svp|stp|merci|ok|alors|euh|ben|changer|corriger|modifier|erreur dans|"
    r"faute dans))$"
)
_SEPARATORS = set(",;.!?\n•·:-–—()")
# What introduces the new value after a field's name (« … c'est … », « … : … »).
_MARKS = ("=>", "->", "→", ":", "=", ">")
_INTRODUCERS = re.compile(
    r"(?:c est plutot|c est rendu|c est juste|c est|cest|c|est plutot|est juste|est|"
    r"sont|ce sont|devrait etre|doit etre|serait|ca devrait etre|plutot|en fait|s appelle|"
    r"se nomme|il faut mettre|mettez|mettre|remplacer par|remplacez par|a changer pour|"
    r"change pour|a corriger pour|c etait|etait|is)\b\s*"
)
# Said after a field's name that only names it (« le courriel svp »).
_NOTHING_MORE = re.compile(
    r"(?:\s*\b(?:svp|stp|s il vous plait|s il te plait|merci|aussi|please)\b)*\s*"
)
_TRAILING = re.compile(r"(?:[\s,;.!•·–—-]+|\s+(?:pis|et|puis|aussi|mais|svp|stp|merci)\b)+$", re.I)


def _mentions(folded: str, naming: dict[str, tuple[str, ...]]) -> list[tuple[int, int, str]]:
    """Every place a field is named, the longest name at each place, in order."""
    found = [
        (m.start(), m.end(), name)
        for name, words in naming.items()
        for word in words
        if word
        for m in re.finditer(rf"\b{re.escape(word)}\b", folded)
    ]
    found.sort(key=lambda m: (m[0], m[0] - m[1]))
    chosen: list[tuple[int, int, str]] = []
    for mention in found:
        if not chosen or mention[0] >= chosen[-1][1]:
            chosen.append(mention)
    return chosen


class _Reading:
    """One message and where its fields are named."""

    def __init__(self, text: str, naming: dict[str, tuple[str, ...]]) -> None:
        self.text = text
        self.folded, self.positions = fold_with_positions(text)
        self.mentions = _mentions(self.folded, naming)

    def at(self, index: int) -> int:
        """The index in the text of the folded character at `index`."""
        return self.positions[min(index, len(self.folded))]

    def begins(self, start: int) -> int:
        """Where the mention starting at `start` begins with its determiners (« mon rôle »)."""
        determiners = _DETERMINERS.search(self.folded[:start])
        return determiners.start() if determiners else start

    def at_boundary(self, start: int) -> bool:
        """Whether a field named at `start` starts a new part of the message."""
        begins = self.begins(start)
        before = self.folded[:begins].rstrip()
        if _CONNECTORS.search(before):
            return True
        between = self.text[self.at(len(before)) if before else 0 : self.at(begins)]
        return bool(_SEPARATORS & set(between))

    def introduced(self, end: int) -> int | None:
        """Where the new value starts after a field named up to `end`, or None."""
        after = self.at(end)
        rest = self.text[after:]
        stripped = rest.lstrip()
        for mark in _MARKS:
            if stripped.startswith(mark):
                return after + len(rest) - len(stripped) + len(mark)
        words = _INTRODUCERS.match(self.folded[end:].lstrip())
        if words and words.group().strip():
            gap = len(self.folded[end:]) - len(self.folded[end:].lstrip())
            return self.at(end + gap + words.end())
        return None

    def named_only(self, end: int, following: int | None) -> bool:
        """Whether nothing but courtesy follows a field named up to `end` (until the next
        field named at `following`)."""
        upto = self.begins(following) if following is not None else len(self.folded)
        rest = self.folded[end:upto]
        rest = re.sub(r"\b(?:pis|et|puis|aussi|mais)\s*$", "", rest.strip())
        return _NOTHING_MORE.fullmatch(rest) is not None

    def next_field(self, after: int, field: str | None = None) -> int | None:
        """The index in `mentions` of the next other field named after `after`, at a boundary
        and followed by its value or by nothing else."""
        for index, (start, end, name) in enumerate(self.mentions):
            if start < after or name == field or not self.at_boundary(start):
                continue
            if self.introduced(end) is not None:
                return index
            following = self.next_field(end)
            if self.named_only(end, self.mentions[following][0] if following is not None else None):
                return index
        return None


def fields_said(text: str, naming: dict[str, tuple[str, ...]]) -> list[Said]:
    """The fields named in `text` (`naming`: each field's names, folded), each with the new
    value said after it (« … c'est X », « … : X ») or None when it is only named (« le
    courriel », « le nom du regroupement »). A field's name followed by other words without
    « c'est » or « : » is taken as part of a value, not as a field named (« l'Association des
    gens d'affaires de Charlesbourg »)."""
    reading = _Reading(text, naming)
    said: list[Said] = []
    index = 0
    while index < len(reading.mentions):
        start, end, name = reading.mentions[index]
        if said and not reading.at_boundary(start):
            index += 1
            continue
        following = reading.next_field(end, name)
        follows_at = reading.mentions[following][0] if following is not None else None
        value_start = reading.introduced(end)
        if value_start is not None:
            value_end = reading.at(reading.begins(follows_at)) if follows_at is not None else None
            value = _TRAILING.sub("", reading.text[value_start:value_end]).strip()
            said.append(Said(name, value or None))
        elif reading.named_only(end, follows_at):
            said.append(Said(name, None))
        elif not said:
            index += 1
            continue
        else:
            break
        if following is None:
            break
        index = following
    return said
