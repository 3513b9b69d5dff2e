"""The pack's `intake.yml`: the eligibility intake's labels, examples, buttons and the words
that name its fields (`bot.intake` builds the form from them and the code's readers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node

from bot.pack.loader import TEXT, Reader, in_current_pack
from bot.text import fold

FILE = "intake.yml"
# The form's questions, in the order they are asked (their readers are bot/intake.py's).
QUESTIONS = (
    "business_name", "contact_name", "contact_role", "email", "phone", "address",
    "municipality", "storefront", "sector", "sector_detail", "sdc_member", "association_name",
    "employees", "hours_per_week", "readiness", "impact",
)  # fmt: skip
YES_NO_QUESTIONS = ("storefront", "sdc_member")  # the ones with `signs`
READINESS = ("now", "soon", "exploring")  # bot.eligibility.Readiness, by name
Choice = tuple[str, str]  # a button: (title, payload)


@dataclass(frozen=True)
class QuestionText:
    """What the merchant reads of a question besides its text, and how they name it."""

    name: str
    label: str
    example: str
    words: tuple[str, ...] = ()  # folded
    buttons: tuple[Choice, ...] = ()
    choices: tuple[Choice, ...] = ()
    signs: tuple[str, ...] = ()  # folded: words that say yes


@dataclass(frozen=True)
class IntakeTexts:
    questions: tuple[QuestionText, ...]  # in QUESTIONS' order
    yes_no: tuple[Choice, ...]
    readiness_shown: tuple[tuple[str, str], ...]  # (readiness name, as shown)
    opening: str
    closing: str
    correct_example: str

    def question(self, name: str) -> QuestionText:
        return next(q for q in self.questions if q.name == name)


def _choices(reader: Reader, node: Node | None, path: str) -> tuple[Choice, ...]:
    """Buttons: a title alone (its own payload) or {title, payload}."""
    found: list[Choice] = []
    for item in reader.sequence(node, path, None) if node is not None else ():
        if isinstance(item, MappingNode):
            button = reader.section(item, reader.mapping(item, path, None), path,
                                    {"title": TEXT, "payload": TEXT})  # fmt: skip
            if len(button) == 2:
                found.append((str(button["title"]), str(button["payload"])))
        elif (title := reader.check(item, path, TEXT)) is not None:
            found.append((str(title), str(title)))
    return tuple(found)


def _words(reader: Reader, node: Node | None, path: str) -> tuple[str, ...]:
    found: list[str] = []
    for item in reader.sequence(node, path, None) if node is not None else ():
        word = reader.check(item, path, TEXT)
        if word is None:
            continue
        folded = fold(str(word))
        if not folded or folded in found:
            reader.error(item, path, f"{word!r} is {'given twice' if folded else 'no word'}")
        else:
            found.append(folded)
    return tuple(found)


def _question(reader: Reader, name: str, node: Node, parent: Node | None) -> QuestionText:
    path = f"questions.{name}"
    lists = ("words", "buttons", "choices", *(("signs",) if name in YES_NO_QUESTIONS else ()))
    fields = reader.mapping(node, path, parent)
    known = ("label", "example", *lists)
    for key, value in fields.items():
        if key not in known:
            where = reader.keys.get(f"{path}.{key}", value)
            reader.error(where, f"{path}.{key}", f"unknown key (known: {', '.join(known)})")
    plain = {k: v for k, v in fields.items() if k in ("label", "example")}
    values = reader.section(reader.keys.get(path), plain, path, {"label": TEXT, "example": TEXT})
    if fields and not plain:
        reader.error(reader.keys.get(path), f"{path}.label", "missing (a non-empty text)")
    return QuestionText(
        name=name,
        label=str(values.get("label", "")),
        example=str(values.get("example", "")),
        words=_words(reader, fields.get("words"), f"{path}.words"),
        buttons=_choices(reader, fields.get("buttons"), f"{path}.buttons"),
        choices=_choices(reader, fields.get("choices"), f"{path}.choices"),
        signs=_words(reader, fields.get("signs"), f"{path}.signs"),
    )


def load(folder: Path) -> IntakeTexts:
    """The pack's `intake.yml` in `folder`, validated; raises `PackError`."""
    reader, root = Reader.open(folder, FILE)
    top = reader.mapping(root, "", None) if root is not None else {}
    known = ("questions", "yes_no", "readiness_shown", "recap")
    for name in top:
        if name not in known:
            where = reader.keys.get(name, top[name])
            reader.error(where, name, f"unknown section (known: {', '.join(known)})")
    for name in known:
        if root is not None and name not in top:
            reader.error(root, name, "missing")
    given = reader.mapping(top.get("questions"), "questions", root) if "questions" in top else {}
    for name, node in given.items():
        if name not in QUESTIONS:
            where = reader.keys.get(f"questions.{name}", node)
            reader.error(
                where, f"questions.{name}", f"unknown question (known: {', '.join(QUESTIONS)})"
            )
    parent = reader.keys.get("questions")
    for name in QUESTIONS:
        if "questions" in top and name not in given:
            reader.error(parent, f"questions.{name}", "missing")
    questions = tuple(_question(reader, n, given[n], parent) for n in QUESTIONS if n in given)
    shown = reader.section(
        reader.keys.get("readiness_shown"),
        reader.mapping(top["readiness_shown"], "readiness_shown", root)
        if "readiness_shown" in top
        else {},
        "readiness_shown",
        {name: TEXT for name in READINESS},
    )
    recap = reader.section(
        reader.keys.get("recap"),
        reader.mapping(top["recap"], "recap", root) if "recap" in top else {},
        "recap",
        {"opening": TEXT, "closing": TEXT, "correct_example": TEXT},
    )
    yes_no = _choices(reader, top.get("yes_no"), "yes_no")
    if "yes_no" in top and len(yes_no) != 3:
        reader.error(
            top["yes_no"], "yes_no", "should hold three buttons: yes, no, « je ne sais pas »"
        )
    reader.done()
    return IntakeTexts(
        questions=questions,
        yes_no=yes_no,
        readiness_shown=tuple((name, str(shown[name])) for name in READINESS),
        opening=str(recap["opening"]),
        closing=str(recap["closing"]),
        correct_example=str(recap["correct_example"]),
    )


def current_intake() -> IntakeTexts:
    """The intake section of the pack `PROGRAM_DIR` names, read at call time."""
    return in_current_pack(load)
