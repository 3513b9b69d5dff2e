"""Understanding merchants' free-text answers: e-mail, phone, postal code, yes/no, sector, numbers.

Each parser returns the normalised value, or raises `NotUnderstood` with a short French
explanation of the expected answer.
"""

from __future__ import annotations

import re
from enum import Enum

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.text import fold
from bot.vocabulary import Answer, find_yes_no


class NotUnderstood(ValueError):
    """The answer could not be read; `str()` says in French what is expected."""


def find_email(text: str) -> str | None:
    """The first e-mail-looking token in `text`, or None."""
    match = re.search(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+", text)
    return match.group(0).rstrip(".") if match else None


def parse_email(text: str) -> str:
    candidate = find_email(text) or text.strip()
    try:
        return str(validate_email(candidate, check_deliverability=False).normalized)
    except EmailNotValidError:
        raise NotUnderstood("une adresse courriel complète, par exemple nom@exemple.com") from None


def parse_phone(text: str) -> str:
    """A Canadian or US phone number in E.164 form (+14185551234)."""
    for match in phonenumbers.PhoneNumberMatcher(text, "CA"):
        number = match.number
        if phonenumbers.is_valid_number(number) and number.country_code == 1:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise NotUnderstood("un numéro de téléphone à 10 chiffres, par exemple 418 555-1234")


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
        raise NotUnderstood("un code postal canadien comme G1K 3A5")
    return code


def parse_yes_no(text: str) -> Answer:
    """Yes, no or "not sure", as merchants say them ("ouais", "pantoute", "chu pas sûr")."""
    answer = find_yes_no(text)
    if answer is None:
        raise NotUnderstood("oui ou non (ou « je ne sais pas »)")
    return answer


class Sector(Enum):
    RETAIL = "commerce de détail"
    ACCOMMODATION = "hébergement"
    RESTAURANT = "restauration"
    SERVICES = "services"
    OTHER = "autre"


_SECTOR_WORDS: dict[Sector, tuple[str, ...]] = {
    Sector.RETAIL: (
        "detail", "boutique", "magasin", "depanneur", "epicerie", "librairie", "quincaillerie",
        "fleuriste", "pharmacie", "vetement", "bijouterie", "boulangerie", "patisserie",
        "fromagerie", "boucherie", "poissonnerie", "animalerie", "friperie", "cadeaux",
        "chaussures", "commerce", "vente", "marche", "retail", "papeterie", "sport",
    ),
    Sector.ACCOMMODATION: (
        "hebergement", "gite", "hotel", "auberge", "motel", "couette", "b b", "bnb",
        "chalet", "camping", "logement touristique",
    ),
    Sector.RESTAURANT: (
        "restauration", "restaurant", "resto", "cafe", "bistro", "bar", "brasserie",
        "pizzeria", "casse croute", "traiteur", "microbrasserie", "cantine", "creperie",
        "food truck", "buvette",
    ),
    Sector.SERVICES: (
        "service", "coiffure", "coiffeur", "salon", "esthetique", "garage", "mecanique",
        "nettoyeur", "spa", "clinique", "comptable", "photographe", "studio", "agence",
        "massotherapie", "barbier", "toilettage", "reparation", "cordonnerie", "gym",
        "entrainement", "atelier", "imprimerie", "ecole",
    ),
}  # fmt: skip


def parse_sector(text: str) -> Sector:
    """The program's sector for a free-text answer ("dépanneur", "gîte", "resto"...)."""
    folded = f" {fold(text)} "
    if folded.strip() in {"autre", "autres", "other"}:
        return Sector.OTHER
    for sector, words in _SECTOR_WORDS.items():
        if any(f" {word}" in folded for word in words):
            return sector
    return Sector.OTHER


_NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "cent": 100, "demi": 0.5,
}  # fmt: skip


def parse_count(text: str) -> int:
    """A number of employees: "5", "cinq", "juste moi" (1), "une dizaine" (10)."""
    folded = fold(text)
    if re.search(r"\b(juste moi|moi seul|seulement moi|moi meme|aucun employe|personne)\b", folded):
        return 1
    if "dizaine" in folded:
        return 10
    digits = re.findall(r"\d+", folded)
    if digits:
        return max(int(d) for d in digits)
    words = [_NUMBER_WORDS[w] for w in folded.split() if w in _NUMBER_WORDS]
    if words:
        return int(max(words))
    raise NotUnderstood("un nombre, par exemple 3 (ou « juste moi »)")


def parse_hours_per_week(text: str) -> float:
    """Time per week: "2 h", "2 heures", "30 minutes", "une heure et demie", "1h30"."""
    folded = fold(text).replace(",", ".")
    match = re.search(r"(\d+(?:\.\d+)?)\s*h(?:eures?|rs?)?\s*(\d{2})?\b", folded)
    if match:
        hours = float(match.group(1)) + (int(match.group(2)) / 60 if match.group(2) else 0)
    elif m := re.search(r"(\d+)\s*min", folded):
        hours = int(m.group(1)) / 60
    elif m := re.search(r"\b(\w+) heures?\b", folded):
        if m.group(1) not in _NUMBER_WORDS:
            raise NotUnderstood("un nombre d'heures par semaine, par exemple 2 h")
        hours = float(_NUMBER_WORDS[m.group(1)])
    elif re.search(r"\b\d+(\.\d+)?\b", folded):
        hours = float(re.findall(r"\d+(?:\.\d+)?", folded)[0])
    else:
        raise NotUnderstood("un nombre d'heures par semaine, par exemple 2 h")
    if "demi" in folded and "demi" not in folded.split()[:1]:
        hours += 0.5
    if hours > 80:
        raise NotUnderstood("un nombre d'heures par semaine réaliste, par exemple 2 h")
    return round(hours, 2)
