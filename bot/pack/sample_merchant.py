"""An eligible merchant's answers (`sample_merchant.yml`): what the product's own measures (the
booking turns of a candidate model) and the end-to-end tests answer to each question, so they
follow the program's questions, territory and sectors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.pack.loader import TEXT, Reader, in_current_pack

FILE = "sample_merchant.yml"
FORMS = ("intake", "diagnostic")
_QUESTION = re.compile(r"utter_ask_[a-z0-9_]+")


@dataclass(frozen=True)
class SampleMerchant:
    intake: tuple[tuple[str, str], ...]  # (the question's response, the answer), in order
    diagnostic: tuple[tuple[str, str], ...]


def load(folder: Path) -> SampleMerchant:
    """`folder/sample_merchant.yml`, validated: each form a mapping of `utter_ask_…` responses to
    a non-empty answer; raises `PackError` listing every problem."""
    reader, root = Reader.open(folder, FILE)
    top = reader.mapping(root, "", None) if root is not None else {}
    for name in top:
        if name not in FORMS:
            reader.error(top[name], name, f"unknown form (known: {', '.join(FORMS)})")
    forms: dict[str, tuple[tuple[str, str], ...]] = {}
    for form in FORMS:
        found = reader.mapping(top.get(form), form, root) if root is not None else {}
        answers = []
        for question, node in found.items():
            if not _QUESTION.fullmatch(question):
                reader.error(node, f"{form}.{question}", "should name a question's response, "
                             "such as utter_ask_email")  # fmt: skip
            answer = reader.check(node, f"{form}.{question}", TEXT)
            if answer is not None:
                answers.append((question, str(answer)))
        forms[form] = tuple(answers)
    reader.done()
    return SampleMerchant(**forms)


def current_sample_merchant() -> SampleMerchant:
    """The sample merchant of the pack `PROGRAM_DIR` names, read at call time."""
    return in_current_pack(load)
