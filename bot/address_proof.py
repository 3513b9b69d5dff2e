"""Which addresses a conversation may have its transcript e-mailed to: the one given in its
intake, or one that received a six-digit code and gave it back (then for a day). The code is
kept hashed, for `CODE_LIFETIME`, in the store of the abuse limits (`bot.throttle`)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from bot.throttle import TRANSCRIPT_CODE_TRIES, Throttle

CODE_LIFETIME = 600  # seconds
PROVEN_FOR = 86400


def _digest(conversation_id: str, email: str, code: str) -> str:
    return hashlib.sha256(f"{conversation_id}:{email.lower()}:{code}".encode()).hexdigest()


def is_proven(throttle: Throttle, conversation_id: str, email: str) -> bool:
    key = throttle.key("proven", f"{conversation_id}:{email}")
    return throttle.store.get(key) is not None


def issue_code(throttle: Throttle, conversation_id: str, email: str) -> str:
    """A new code for `email` in the conversation (an earlier one is void); return it."""
    code = f"{secrets.randbelow(10**6):06d}"
    key = throttle.key("transcript_code", conversation_id)
    throttle.store.put(key, _digest(conversation_id, email, code), CODE_LIFETIME)
    return code


def check_code(throttle: Throttle, conversation_id: str, email: str, typed: str) -> bool:
    """Whether `typed` is the code sent to `email`; then the address is proven for a day and
    the code spent. Wrong tries count against `TRANSCRIPT_CODE_TRIES`."""
    if throttle.reached(TRANSCRIPT_CODE_TRIES, conversation_id):
        return False
    key = throttle.key("transcript_code", conversation_id)
    expected = throttle.store.get(key)
    digits = "".join(c for c in typed if c.isdigit())
    if expected is None or not hmac.compare_digest(
        expected, _digest(conversation_id, email, digits)
    ):
        throttle.hit(TRANSCRIPT_CODE_TRIES, conversation_id)
        return False
    throttle.store.delete(key)
    throttle.store.put(throttle.key("proven", f"{conversation_id}:{email}"), "1", PROVEN_FOR)
    return True
