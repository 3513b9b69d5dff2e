"""A person's mails in the outbox (`var/outbox`, its retries and `failed/`): found and removed."""

from __future__ import annotations

from collections.abc import Iterable
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path


def _text(path: Path) -> str:
    """The mail's headers and every text part, decoded (a name may be quoted-printable)."""
    mail = message_from_bytes(path.read_bytes(), EmailMessage, policy=default)
    parts = [str(value) for value in mail.values()]
    for part in mail.walk():
        if part.get_content_maintype() == "text":
            content = part.get_content()
            parts.append(
                content.decode(errors="replace") if isinstance(content, bytes) else content
            )
    return "\n".join(parts).casefold()


def mails_naming(outbox: Path, needles: Iterable[str]) -> list[Path]:
    """The outbox's mails (retried and failed ones too) that contain one of `needles`."""
    wanted = [needle.casefold() for needle in needles if needle and len(needle) >= 5]
    if not outbox.is_dir() or not wanted:
        return []
    paths = sorted(outbox.glob("*.eml")) + sorted(outbox.glob("failed/*.eml"))
    return [path for path in paths if any(needle in _text(path) for needle in wanted)]


def remove_mails(outbox: Path, needles: Iterable[str]) -> int:
    """Remove those mails with their retry schedules; return how many."""
    mails = mails_naming(outbox, needles)
    for path in mails:
        for companion in (path.with_suffix(".retry.json"), path.with_suffix(".retry.sending")):
            companion.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
    return len(mails)
