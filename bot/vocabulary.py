"""What merchants mean beyond the answer itself, the same in every form and after any button:
yes, no, « je ne sais pas » (in all their Québec spellings), skipping and stopping."""

from __future__ import annotations

import re
from enum import Enum

from bot.text import fold


class Answer(Enum):
    YES = "oui"
    NO = "non"
    UNSURE = "je ne sais pas"


_YES = {
    "oui", "ouais", "ouin", "ouaip", "yes", "yep", "ok", "okay", "oki", "certain", "certainement",
    "absolument", "exact", "exactement", "correct", "effectivement", "bien sur", "en plein",
    "tout a fait", "evidemment", "affirmatif", "oui oui", "ben oui", "c est ca", "o", "d accord",
    "daccord", "parfait", "j accepte", "avec plaisir", "volontiers", "bien entendu", "sure",
}  # fmt: skip
_NO = {
    "non", "nope", "nah", "pantoute", "pas pantoute", "pas vraiment", "pas du tout", "nenon",
    "jamais", "aucunement", "negatif", "non non", "ben non", "n", "pas encore", "aucun", "aucune",
    "non merci", "pas tout de suite", "pas maintenant", "pas pour l instant", "plus tard",
    "je refuse", "pas pour le moment", "une autre fois", "pas aujourd hui",
}  # fmt: skip
_UNSURE = {
    "je sais pas", "je ne sais pas", "jsais pas", "chais pas", "sais pas", "pas sur",
    "chu pas sur", "je suis pas sur", "je ne suis pas sur", "peut etre", "aucune idee", "jsp",
    "j sais pas", "je le sais pas", "aucune espece d idee", "pas certain", "pas certaine",
    "je ne le sais pas", "ne sais pas", "idk", "?", "bonne question", "ca depend",
}  # fmt: skip
# Words that may follow a yes or no without changing it (« oui merci », « non pas pour l'instant »).
_COURTESY = (
    "s il vous plait", "s il te plait", "pour l instant", "pour le moment", "merci beaucoup",
    "merci", "svp", "stp", "bien sur", "c est parfait", "parfait", "ca marche", "allons y",
    "go", "bonne idee", "oui", "non", "ok", "absolument", "certainement", "alors",
)  # fmt: skip


# Longest phrases first, "not sure" before "no" (« pas sûr ») before "yes".
_PHRASES = tuple(
    (phrase, answer)
    for vocabulary, answer in ((_UNSURE, Answer.UNSURE), (_NO, Answer.NO), (_YES, Answer.YES))
    for phrase in sorted(vocabulary, key=len, reverse=True)
)


_FILLERS = re.compile(r"^(?:(?:ah|ha|ben|bah|euh|eh|hmm|hum|bien|mais|alors|well|o?k?ay|bon)\s+)+")


def yes_no_phrase(text: str) -> tuple[Answer, str] | None:
    """Yes, no or "not sure" with what follows it in the message (folded), or None; fillers
    before it are skipped (« ah oui », « ben non », « bon ben je sais pas »)."""
    folded = fold(text) or text.strip()
    if (unfilled := _FILLERS.sub("", folded)) and unfilled != folded:
        folded = unfilled if yes_no_phrase(unfilled) else folded
    for phrase, answer in _PHRASES:
        if folded == phrase or folded.startswith(f"{phrase} "):
            return answer, folded[len(phrase) :].strip()
    return None


def find_yes_no(text: str) -> Answer | None:
    """Yes, no or "not sure" if the message says one of them, else None."""
    found = yes_no_phrase(text)
    return found[0] if found else None


def plain_yes_no(text: str) -> Answer | None:
    """Yes, no or "not sure" when that is all the message says (« oui merci », « non pas pour
    l'instant »), not « oui mais combien ça coûte? »."""
    found = yes_no_phrase(text)
    if found is None:
        return None
    rest = f" {found[1]} "
    for word in _COURTESY:
        rest = rest.replace(f" {word} ", " ")
    return found[0] if not rest.strip() else None


def is_unsure(text: str) -> bool:
    """ "Je ne sais pas", in all the ways merchants write it."""
    return plain_yes_no(text) is Answer.UNSURE


def mentions_unsure(text: str) -> bool:
    """ "Je ne sais pas" anywhere in the message (« un kiosque, je sais pas si ça compte »)."""
    folded = f" {fold(text)} "
    return any(f" {phrase} " in folded for phrase in _UNSURE if len(phrase) > 3)
