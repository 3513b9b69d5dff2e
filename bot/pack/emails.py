"""The e-mails and invitation texts of the pack (`program/emails.yml`): templates whose `$name`
placeholders (`string.Template`) the code fills. Each template may use only the placeholders its
code supplies (`EMAILS`, `PARTS`, plus `COMMON`): a misspelt one is a `file:line` error at load,
never an e-mail with a hole."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Template

from yaml.nodes import Node, ScalarNode

from bot.pack.loader import Check, Reader, current_pack, in_current_pack

# Every template may use these: the identity's brand, operator and program name, and the
# `signature` part (itself without `signature`).
COMMON = ("brand", "operator", "program", "signature")

# What the code supplies to each e-mail (a subject and a body), besides COMMON.
EMAILS: dict[str, tuple[str, ...]] = {
    "session_booked": ("contact", "when", "details", "how_to_change"),
    "session_moved": ("contact", "when", "was", "why", "details", "how_to_change"),
    "session_cancelled": ("contact", "when", "why", "website"),
    "session_reminder": (
        "contact",
        "when",
        "time",
        "advisor",
        "mode",
        "place",
        "reference",
        "website",
    ),
    "advisor_session_booked": ("business", "when", "mode", "place", "reference"),
    "advisor_session_moved": ("business", "when", "mode", "place", "reference"),
    "advisor_session_cancelled": ("business", "when", "mode", "place", "reference"),
    "advisor_session_erased": ("when", "reference"),
    "team_new_lead": ("business", "decision", "priority", "link"),
    "team_review_requested": ("business", "decision", "priority", "link"),
    "team_callback_requested": ("business", "decision", "priority", "link"),
    "team_digest_one": ("count", "date", "since", "leads"),
    "team_digest_many": ("count", "date", "since", "leads"),
    "review_overturned": (
        "contact",
        "business",
        "reviewer",
        "at",
        "reason",
        "website",
        "privacy",
    ),
    "review_upheld": ("contact", "business", "reviewer", "at", "reason", "website", "privacy"),
    "contact_team": ("workspace",),
    "transcript_code": ("code", "minutes"),
    "transcript": ("who", "lines", "website"),
    "merchant_mail": ("contact", "writer"),
    "password_reset": ("name", "link", "expires"),
    "privacy_code": ("code", "minutes"),
    "privacy_access": (),
    "privacy_erased": ("cancelled",),
    "privacy_withdrawn": ("cancelled",),
}

# What the code supplies to each part (a text put in an e-mail or an invitation), besides COMMON.
PARTS: dict[str, tuple[str, ...]] = {
    "signature": (),
    "session_details": ("when", "minutes", "advisor", "mode", "place", "reference"),
    "how_to_change": ("website",),
    "reason": ("reason",),
    "advisor_lead": ("contact", "email", "phone", "decision", "score", "brief"),
    "unknown_business": (),
    "unknown_decision": (),
    "no_brief": (),
    "no_decision": (),
    "digest_line": ("business", "decision", "score", "link"),
    "privacy_contact": ("email",),
    "transcript_assistant": (),
    "transcript_assistant_and_team": (),
    "speaker_merchant": (),
    "speaker_bot": (),
    "speaker_notice": (),
    "speaker_team": (),
    "merchant_mail_footer": (),
    "erasure_cancelled_session": ("references",),
    "invitation_summary": ("business",),
    "invitation_summary_unknown": (),
    "invitation_description": ("reference",),
    "calendar_name": ("name",),
    "calendar_summary": ("business",),
    "calendar_summary_held": ("business",),
    "calendar_summary_no_show": ("business",),
    "calendar_unknown_business": (),
    "calendar_mode": ("mode", "place"),
    "calendar_lead": ("link",),
}

FILE = "emails.yml"
_TEXT: Check = (lambda v: isinstance(v, str) and v.strip() != "", "a non-empty text")


@dataclass(frozen=True)
class Email:
    subject: Template
    body: Template


@dataclass(frozen=True)
class Emails:
    """Every e-mail (`emails`) and part (`parts`) of the pack, by name."""

    emails: tuple[tuple[str, Email], ...]
    parts: tuple[tuple[str, Template], ...]

    def email(self, name: str) -> Email:
        return dict(self.emails)[name]

    def part(self, name: str) -> Template:
        return dict(self.parts)[name]


def load(folder: Path) -> Emails:
    """`folder/emails.yml`, validated: every template present, placeholders only among those
    the code supplies; raises `PackError` listing every problem."""
    reader, root = Reader.open(folder, FILE)
    top = reader.mapping(root, "", None) if root is not None else {}
    for name in top:
        if name not in {"emails", "parts"}:
            reader.error(top[name], name, "unknown section (known: emails, parts)")
    emails: list[tuple[str, Email]] = []
    for name, node in _named(reader, root, top, "emails", EMAILS).items():
        path, key = f"emails.{name}", reader.keys[f"emails.{name}"]
        found = reader.mapping(node, path, key)
        fields = reader.section(key, found, path, {"subject": _TEXT, "body": _TEXT})
        allowed = (*COMMON, *EMAILS[name])
        if set(fields) == {"subject", "body"}:
            subject, body = (
                _template(reader, found[k], f"{path}.{k}", allowed) for k in ("subject", "body")
            )
            emails.append((name, Email(subject, body)))
    parts: list[tuple[str, Template]] = []
    for name, node in _named(reader, root, top, "parts", PARTS).items():
        if reader.check(node, f"parts.{name}", _TEXT) is not None:
            allowed = COMMON[:-1] if name == "signature" else (*COMMON, *PARTS[name])
            parts.append((name, _template(reader, node, f"parts.{name}", allowed)))
    reader.done()
    return Emails(tuple(emails), tuple(parts))


def _named(
    reader: Reader,
    root: Node | None,
    top: dict[str, Node],
    section: str,
    known: dict[str, tuple[str, ...]],
) -> dict[str, Node]:
    """The templates of `section`, each name known; a missing one points to the section."""
    if root is None:
        return {}
    found = reader.mapping(top.get(section), section, root)
    for name in found:
        if name not in known:
            known_names = ", ".join(known)
            reader.error(
                found[name], f"{section}.{name}", f"unknown {section[:-1]} (known: {known_names})"
            )
    if found:
        for name in known:
            if name not in found:
                reader.error(reader.keys[section], f"{section}.{name}", "missing")
    return {name: node for name, node in found.items() if name in known}


def _template(reader: Reader, node: Node, path: str, allowed: tuple[str, ...]) -> Template:
    """The template of a text node; each unknown placeholder or lone `$` an error on its line."""
    text = str(reader.value(node))
    template = Template(text)
    block = isinstance(node, ScalarNode) and node.style == "|"
    for match in template.pattern.finditer(text):
        name = match.group("named") or match.group("braced")
        if match.group("escaped") is not None or (name in allowed):
            continue
        line = node.start_mark.line + 1 + (text.count("\n", 0, match.start()) + 1 if block else 0)
        problem = (
            f"unknown placeholder ${name} (known: {', '.join('$' + a for a in allowed)})"
            if name
            else "a $ that starts no placeholder (write $$ for a dollar sign)"
        )
        reader.errors.append((line, f"{reader.shown}:{line}: {path}: {problem}"))
    return template


def current_emails() -> Emails:
    """The e-mails of the pack `PROGRAM_DIR` names, read at call time."""
    return in_current_pack(load)


def _common() -> dict[str, object]:
    identity = current_pack().identity
    values: dict[str, object] = {
        "brand": identity.brand,
        "operator": identity.operator,
        "program": identity.name,
    }
    values["signature"] = current_emails().part("signature").substitute(values)
    return values


def _filled(
    template: Template, name: str, known: tuple[str, ...], values: dict[str, object]
) -> str:
    if set(values) != set(known):
        raise TypeError(f"{name}: the code supplies {sorted(values)}, expected {sorted(known)}")
    return template.substitute({**_common(), **values})


def email(name: str, /, **values: object) -> tuple[str, str]:
    """The subject and body of e-mail `name`, filled with `values` (exactly its placeholders)."""
    template = current_emails().email(name)
    return (
        _filled(template.subject, name, EMAILS[name], values),
        _filled(template.body, name, EMAILS[name], values),
    )


def part(name: str, /, **values: object) -> str:
    """Part `name` (a text put in an e-mail or an invitation), filled with `values`."""
    return _filled(current_emails().part(name), name, PARTS[name], values)
