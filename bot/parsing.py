"""Understanding merchants' free-text answers: e-mail, phone, postal code, yes/no, sector, numbers.

Each parser returns the normalised value, or raises `NotUnderstood` with a short French
explanation of the expected answer.
"""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot import quantities
from bot.pack.eligibility import Sector, current_eligibility
from bot.text import fold, typo_tolerant
from bot.vocabulary import Answer, find_yes_no, lean_yes_no, mentions_unsure


class NotUnderstood(ValueError):
    """The answer could not be read; `str()` says in French what is expected."""


def find_email(text: str) -> str | None:
    """The first e-mail-looking token in `text`, or None."""
    match = re.search(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+", text)
    return match.group(0).rstrip(".") if match else None


_AT = re.compile(r"\s+(?:arobas|arobase|a commercial|at)\s+", re.I)  # « nom arobas gmail.com »


def parse_email(text: str) -> str:
    text = _AT.sub("@", text)
    candidate = find_email(text) or text.strip()
    try:
        return str(validate_email(candidate, check_deliverability=False).normalized)
    except EmailNotValidError:
        raise NotUnderstood("une adresse courriel complète") from None


_DIGIT_WORDS = {
    "zero": "0", "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6",
    "sept": "7", "huit": "8", "neuf": "9",
}  # fmt: skip


def _spelled_digits(text: str) -> str:
    """« quatre un huit, cinq cinq cinq… » in digits when the text spells ten digits or more."""
    words = fold(text).split()
    if sum(w in _DIGIT_WORDS for w in words) < 10:
        return text
    return " ".join(_DIGIT_WORDS.get(w, w) for w in words)


def parse_phone(text: str) -> str:
    """A Canadian or US phone number in E.164 form (+14185551234)."""
    for match in phonenumbers.PhoneNumberMatcher(_spelled_digits(text), "CA"):
        number = match.number
        if phonenumbers.is_valid_number(number) and number.country_code == 1:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise NotUnderstood("un numéro de téléphone à 10 chiffres")


_POSTAL = re.compile(
    r"\b([ABCEGHJ-NPRSTVXY])\s*(\d)\s*([A-Z])\s*-?\s*(\d)\s*([A-Z])\s*(\d)\b", re.I
)


def find_postal_code(text: str) -> str | None:
    """A Canadian postal code in `text`, normalised as "G1K 3A5", or None."""
    match = _POSTAL.search(text)
    if not match:
        return None
    code = "".join(match.groups()).upper()
    if any(letter in "DFIOQU" for letter in code[0::2]):
        return None
    return f"{code[:3]} {code[3:]}"


def parse_postal_code(text: str) -> str:
    code = find_postal_code(text)
    if code is None:
        raise NotUnderstood("un code postal canadien")
    return code


def parse_yes_no(text: str, signs: tuple[str, ...] = (), against: tuple[str, ...] = ()) -> Answer:
    """Yes, no or "not sure", as merchants say them ("ouais", "pantoute", "chu pas sûr", "je
    pense pas"), `signs` and `against` being words that say yes or no to this question
    (`lean_yes_no`)."""
    answer = find_yes_no(text)
    if answer is None and mentions_unsure(text):
        return Answer.UNSURE
    if answer is None:
        answer = lean_yes_no(text, signs, against)
    if answer is None:
        raise NotUnderstood("oui ou non (ou « je ne sais pas »)")
    return answer


def parse_sector(text: str) -> Sector:
    """The program's sector for a free-text answer ("dépanneur", "gîte", "resto"...), as the
    pack's `eligibility.yml` names them; its `other` sector when none is found."""
    pack = current_eligibility()
    folded = fold(text)
    if folded in pack.other.names:
        return pack.other
    if find_yes_no(text) or folded in {"lol", "ok", "euh", "hmm", "bof", "ca depend"}:
        raise NotUnderstood(pack.expected)
    for sector in pack.sectors:  # « boulangerie-café, les gens mangent sur place »
        if any(re.search(sign, folded) for sign in sector.signs):
            return sector
    for sector in pack.sectors:  # the sector named as such wins over what the business does
        if any(f" {w}" in f" {folded} " for w in sector.names):
            return sector  # « retail, on vend des vélos pis on fait la réparation »
    for sector in pack.tried:  # « hôtel boutique » is a hotel, « on répare » a service
        if typo_tolerant(folded, sector.synonyms, shortest=6):
            return sector
    return pack.other


def parse_count(text: str) -> int:
    """People working in the business, owner included: "5", "vingt-cinq", "juste moi" (1),
    "moi pis ma blonde" (2), "une dizaine" (10), "3 employés depuis 2019" (3)."""
    count = quantities.headcount(text)
    if count is None:
        raise NotUnderstood("le nombre de personnes, vous compris")
    return count


def parse_hours_per_week(text: str) -> float:
    """Time per week in hours: "2 h", "1h30", "une demi-heure", "quinze minutes"."""
    found = quantities.hours(text)
    if found is None:
        raise NotUnderstood("un temps par semaine, en heures ou en minutes (80 heures au plus)")
    return round(found, 2)
