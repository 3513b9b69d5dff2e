"""Personal information masked out of a merchant's message before it is kept for learning:
e-mail addresses, phone numbers, Canadian postal codes, street addresses and the names given in
that conversation (its slots), each replaced by a placeholder a reader understands."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.log_privacy import PHONE, POSTAL_CODE
from bot.text import fold, fold_with_positions

EMAIL_MASK, PHONE_MASK, POSTAL_MASK = "[courriel]", "[téléphone]", "[code postal]"
NAME_MASK, ADDRESS_MASK = "[nom]", "[adresse]"
# The slots whose values name a person or a business, or locate them; what replaces them.
NAME_SLOTS = ("contact_name", "business_name", "association_name", "privacy_value")
PERSONAL_SLOTS = {**dict.fromkeys(NAME_SLOTS, NAME_MASK), "address": ADDRESS_MASK,
                  "email": EMAIL_MASK, "phone": PHONE_MASK}  # fmt: skip
# The whole address, then whatever looks like one: an e-mail is found before its parts are.
EMAIL = re.compile(r"(?<![\w.%+-])[\w%+-][\w.%+-]*@(?:[\w-]+\.)+[A-Za-z]{2,}(?![\w-])")
PLACEHOLDER = re.compile(r"\[(?:courriel|téléphone|code postal|nom|adresse)\]")
SHORTEST_WORD = 3  # a name's single words shorter than this are not masked alone


def names_of(slots: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """The personal values set in a conversation ((slot, value) pairs) as {value: placeholder};
    a person's name also word by word (« Tremblay » alone names Marie Tremblay too), a
    business's only whole (« Café » alone names nobody)."""
    found: dict[str, str] = {}
    for slot, value in slots:
        placeholder = PERSONAL_SLOTS.get(slot)
        if placeholder and isinstance(value, str) and value.strip():
            found[value.strip()] = placeholder
            if slot == "contact_name":
                words = fold(value).split()
                found |= {w: NAME_MASK for w in words if len(words) > 1 and len(w) >= SHORTEST_WORD}
    return found


def _mask_values(text: str, values: Mapping[str, str]) -> str:
    """`text` with the values found in it, case, accents and punctuation aside and on word
    boundaries, replaced by their placeholder (longest values first)."""
    wanted = sorted(
        ((fold(value), placeholder) for value, placeholder in values.items() if fold(value)),
        key=lambda pair: -len(pair[0]),
    )
    for form, placeholder in wanted:
        folded, positions = fold_with_positions(text)
        kept = [m.span() for m in PLACEHOLDER.finditer(text)]
        spans = [
            (positions[m.start()], positions[m.end() - 1] + 1)
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(form)}(?![a-z0-9])", folded)
        ]
        for start, end in reversed(spans):  # from the end: the earlier spans stay right
            if not any(start < k_end and k_start < end for k_start, k_end in kept):
                text = f"{text[:start]}{placeholder}{text[end:]}"
    return text


def mask(text: str, values: Mapping[str, str] | None = None) -> str:
    """`text` without personal information: e-mails, phones, postal codes, then `values` (the
    conversation's own, `names_of`) replaced by placeholders."""
    text = EMAIL.sub(EMAIL_MASK, text)
    text = PHONE.sub(PHONE_MASK, text)
    text = POSTAL_CODE.sub(POSTAL_MASK, text)
    return _mask_values(text, values or {})
