"""Faster checking of the action server's responses, with the same rules.

Rasa 3.6 checks every action server response with `jsonschema.validate`, which re-checks the
large, constant response schema against the JSON Schema meta-schema and builds a new validator
on each call: about a fifth of the Rasa server's CPU under load (py-spy, see
docs/BENCHMARKS.md). `install()` makes `RemoteAction` build that validator once; valid responses
pass and invalid ones raise the same `ValidationError` with the same message.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


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
    RemoteAction._validate_action_result = _validate_action_result
