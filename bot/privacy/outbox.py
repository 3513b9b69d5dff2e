"""A person's mails in the outbox folder (`var/outbox`) and in the mail retry queue (queued or
given up): found and removed."""

from __future__ import annotations

from collections.abc import Iterable
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from sqlalchemy.orm import Session

from bot.storage import mail_queue


def _text(raw: bytes) -> str:
    """The mail's headers and every text part, decoded (a name may be quoted-printable)."""
    mail = message_from_bytes(raw, EmailMessage, policy=default)
    parts = [str(value) for value in mail.values()]
    for part in mail.walk():
        if part.get_content_maintype() == "text":
            content = part.get_content()
            parts.append(
                content.decode(errors="replace") if isinstance(content, bytes) else content
            )
    return "\n".join(parts).casefold()


def _wanted(needles: Iterable[str]) -> list[str]:
    return [needle.casefold() for needle in needles if needle and len(needle) >= 5]


def _names(raw: bytes, wanted: list[str]) -> bool:
    text = _text(raw)
    return any(needle in text for needle in wanted)


def mails_naming(outbox: Path, needles: Iterable[str]) -> list[Path]:
    """The outbox folder's mails that contain one of `needles`."""
    wanted = _wanted(needles)
    if not outbox.is_dir() or not wanted:
        return []
    return [path for path in sorted(outbox.glob("*.eml")) if _names(path.read_bytes(), wanted)]


def remove_mails(outbox: Path, needles: Iterable[str]) -> int:
    """Remove those mails from the folder; return how many."""
    mails = mails_naming(outbox, needles)
    for path in mails:
        path.unlink(missing_ok=True)
    return len(mails)


def remove_queued_mails(session: Session, needles: Iterable[str]) -> int:
    """Remove the retry queue's mails (waiting or given up) that contain one of `needles`."""
    wanted = _wanted(needles)
    if not wanted:
        return 0
    ids = [mail_id for mail_id, raw in mail_queue.all_mails(session) if _names(raw, wanted)]
    mail_queue.remove(session, ids)
    return len(ids)
