"""The Rasa version our patches of Rasa internals were written for, and the guards they run.

Where Rasa 3.6 leaves no public extension point, a module here replaces or wraps one of its
internal functions. Each such module lists what it patches in a `PATCHED` table (dotted name of
the Rasa function -> SHA-256 of its source in Rasa 3.6.21) and calls `require_rasa_version`
when it is installed, so that another Rasa refuses to start with a clear message instead of
running our code against internals it was not written for. `tests/model/test_remote_actions.py`
checks the table against the installed Rasa.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import rasa

PATCHED_RASA_VERSION = "3.6.21"


def require_rasa_version(patch: str) -> None:
    """Refuse to run the patch module `patch` on a Rasa other than the one it was written for."""
    found = str(rasa.__version__)
    if found != PATCHED_RASA_VERSION:
        raise RuntimeError(
            f"{patch} patches Rasa {PATCHED_RASA_VERSION} internals; found {found}: "
            f"compare the functions listed in {patch}.PATCHED with Rasa {found}'s, adapt the "
            "patch, then update their source hashes and PATCHED_RASA_VERSION in "
            "rasa_components/patching.py"
        )


def wrap(patch: str, owner: Any, name: str, wrapper: Callable[[Any], Any]) -> None:
    """Replace `owner.name` by `wrapper(original)`, once, and only on the Rasa the patch module
    `patch` was written for (installing it twice wraps once)."""
    require_rasa_version(patch)
    original = getattr(owner, name)
    if getattr(original, "__wrapped_by__", None) == patch:
        return
    wrapped = wrapper(original)
    wrapped.__wrapped_by__ = patch
    setattr(owner, name, wrapped)


def resolve(dotted: str) -> Any:
    """The object named `module.path.Class.attribute`."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            found = getattr(found, name)
        return found
    raise ImportError(dotted)


def source_sha256(function: Any) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def changed_sources(patched: Mapping[str, str]) -> list[str]:
    """The patched Rasa functions whose source differs from the one the patch was written for
    (call it before the patch is installed)."""
    return [name for name, digest in patched.items() if source_sha256(resolve(name)) != digest]
