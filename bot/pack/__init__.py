"""The program pack (`program/`): the program's facts as data, loaded and validated."""

from bot.pack.loader import (
    TEXT,
    Check,
    Identity,
    Pack,
    PackError,
    Reader,
    current_pack,
    in_current_pack,
    load_pack,
)


def identity() -> Identity:
    """The current pack's identity, read at call time (`in_current_pack`)."""
    return current_pack().identity


__all__ = [
    "TEXT",
    "Check",
    "Identity",
    "Pack",
    "PackError",
    "Reader",
    "current_pack",
    "identity",
    "in_current_pack",
    "load_pack",
]
