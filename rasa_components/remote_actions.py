"""Faster checking of the action server's responses, with the same rules.

Rasa 3.6 checks every action server response with `jsonschema.validate`, which re-checks the
large, constant response schema against the JSON Schema meta-schema and builds a new validator
on each call: about a fifth of the Rasa server's CPU under load (py-spy, see
docs/BENCHMARKS.md). `install()` makes `RemoteAction` build that validator once; valid responses
pass and invalid ones raise the same `ValidationError` with the same message. It replaces a
Rasa 3.6.21 internal, so it refuses to install on another Rasa (`rasa_components/patching.py`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

from rasa_components.patching import require_rasa_version

# The Rasa function this module replaces, with the SHA-256 of its source in Rasa 3.6.21.
PATCHED = {
    "rasa.core.actions.action.RemoteAction._validate_action_result": (
        "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"
    ),
}


@lru_cache(maxsize=1)
def _validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    kind = validators.validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            "For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    """Replace Rasa's check of action server responses (only on the Rasa it was written for)."""
    require_rasa_version(__name__)
    RemoteAction._validate_action_result = _validate_action_result
