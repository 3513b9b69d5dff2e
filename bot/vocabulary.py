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
    "ya", "yah", "yeah", "yup", "c est beau", "c beau", "ca marche", "ca me va", "ca me convient", "cela me convient", "cela me va", "je confirme", "excellent",
    "sounds good", "good", "ca fait mon affaire", "parfait pour moi", "deal",
}  # fmt: skip
_NO = {
    "non", "no", "nope", "nop", "nah", "nan", "nn", "pantoute", "pas pantoute", "pas vraiment",
    "pas du tout", "nenon", "jamais", "aucunement", "negatif", "non non", "ben non", "n", "pas encore", "aucun", "aucune",
    "non merci", "pas tout de suite", "pas maintenant", "pas pour l instant", "plus tard",
    "je refuse", "pas pour le moment", "une autre fois", "pas aujourd hui", "ca me va pas",
    "ca marche pas", "ca me convient pas", "cela ne me convient pas", "pas tusuite",
    "pas tu suite", "pas tout suite", "ca adonne mal", "ca adonne pas", "ca fait pas", "ca fait pas mon affaire",
}  # fmt: skip
_UNSURE = {
    "je sais pas", "je ne sais pas", "jsais pas", "chais pas", "sais pas", "pas sur",
    "chu pas sur", "je suis pas sur", "je ne suis pas sur", "peut etre", "aucune idee", "jsp",
    "j sais pas", "je le sais pas", "aucune espece d idee", "pas certain", "pas certaine",
    "je ne le sais pas", "ne sais pas", "idk", "?", "bonne question",
    "je sais pas trop", "je ne sais pas trop", "sais pas trop", "pas trop sur", "pas trop sure",
    "che pas", "chepas", "ch sais pas", "j en sais rien", "pas sure", "je suis pas sure",
    "jsuis pas sur", "jsuis pas sure", "chsais pas", "je sais meme pas", "sais meme pas",
    "chepa", "chpa", "chais pa",
}  # fmt: skip
# Not now, without stopping in so many words: « je vais attendre, je vous recontacte », « on s'en
# reparle en janvier ».
_NOT_NOW = re.compile(
    r"\bje vais attendre\b|\bje vous (?:re)?(?:contacte|reviens|redis|rappelle)\b|"
    r"\bje reviendrai\b|\bje vais y penser\b|\bje vais (?:checker|verifier) mon horaire\b|"
    r"\bon s en reparle\w*\b|\bpasser mon tour\b|\blaissez? faire finalement\b|\bje vais vous rappeler\b|"
    r"\ben discuter avec\b|\bavant de m engager\b|\bdans le jus\b"
)


def says_not_now(text: str) -> bool:
    """Whether `text` puts things off (« je vous reviens la semaine prochaine »)."""
    return _NOT_NOW.search(fold(text)) is not None


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
# The first word taken back at once: « non en fait oui », « non, oups, je veux dire oui ».
_TAKEN_BACK = re.compile(
    r"^(?:(?:en fait|finalement|oups|oops|attends|attendez|pardon|je veux dire|je voulais dire|"
    r"euh|plutot|ben|ah|non|oui)\s+)*?(?:en fait|finalement|je veux dire|je voulais dire|plutot)"
    r"\s+(oui|ouais|non)\b"
)


def yes_no_phrase(text: str) -> tuple[Answer, str] | None:
    """Yes, no or "not sure" with what follows it in the message (folded), or None; fillers
    before it are skipped (« ah oui », « ben non », « bon ben je sais pas »). The first word
    decides, unless it is taken back at once (« non en fait oui »)."""
    folded = fold(text) or text.strip()
    if (unfilled := _FILLERS.sub("", folded)) and unfilled != folded:
        folded = unfilled if yes_no_phrase(unfilled) else folded
    for phrase, answer in _PHRASES:
        if folded == phrase or folded.startswith(f"{phrase} "):
            rest = folded[len(phrase) :].strip()
            if answer is not Answer.UNSURE and (taken_back := _TAKEN_BACK.match(rest)):
                answer = Answer.NO if taken_back.group(1) == "non" else Answer.YES
                rest = rest[taken_back.end() :].strip()
            return answer, rest
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


_CLAUSE = re.compile(r"\s*(?:[,.;!]|\bmais\b)\s*")
_NEGATED = re.compile(
    r"\b(?:pas|plus|jamais|aucun|aucune|rien|non|no|not|never)\b|\barret"  # « on a arrêté »
)
_HAS_ONE = re.compile(
    r"\b(?:oui|yes|y en a|il y en a|on en a|j en ai|nous en avons|un peu|des fois|parfois|"
    r"a l occasion|de temps en temps)\b"
)
_NOT_AN_ANSWER = re.compile(r"\?|\bcompri|\bcomprend|\bquoi\b")


def lean_yes_no(
    text: str, signs: tuple[str, ...] = (), against: tuple[str, ...] = ()
) -> Answer | None:
    """Yes or no said in other words, for a yes/no question: « je pense pas », « on a essayé
    mais on a arrêté » (no); « y'en a une mais c'est pas moi qui l'a faite », « un peu sur
    Etsy », or one of the question's own `signs` (« on a pignon sur rue ») (yes), or words
    `against` it (« juste en boutique » to « vendez-vous en ligne? ») (no). The first clause
    decides when it can; a question or « j'ai pas compris » is no answer."""
    folded = fold(text)
    if not folded or _NOT_AN_ANSWER.search(text.casefold()):
        return None
    if any(re.search(rf"\b{re.escape(s)} (?:rien|pas|plus|jamais)\b", folded) for s in signs):
        return Answer.NO  # « on a une liste mais on envoie rien »
    for part in (first_clause(text), folded):
        if _NEGATED.search(part) or any(re.search(rf"\b{re.escape(w)}", part) for w in against):
            return Answer.NO
        if _HAS_ONE.search(part) or any(re.search(rf"\b{re.escape(s)}", part) for s in signs):
            return Answer.YES
    return None


def is_unsure(text: str) -> bool:
    """ "Je ne sais pas", in all the ways merchants write it."""
    return plain_yes_no(text) is Answer.UNSURE


def first_clause(text: str) -> str:
    """The folded text up to its first comma, full stop or « mais »."""
    return fold(_CLAUSE.split(text.casefold())[0])


def opens_unsure(text: str) -> bool:
    """ "Je ne sais pas" as the first clause (« aucune idée, c'est mon neveu qui gère ça »)."""
    return is_unsure(text) or is_unsure(first_clause(text))


def mentions_unsure(text: str) -> bool:
    """ "Je ne sais pas" anywhere in the message (« un kiosque, je sais pas si ça compte »)."""
    folded = f" {fold(text)} "
    return any(f" {phrase} " in folded for phrase in _UNSURE if len(phrase) > 3)
