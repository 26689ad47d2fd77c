"""Validate the action server's responses with a validator built once.

Rasa 3.6 checks every response of the action server against its JSON schema with
`jsonschema.validate`, which first checks the (large) schema itself against the
meta-schema, on every call: about 14 ms per custom action on this machine, against
0.4 ms with the validator built once. Under load that was the largest part of a turn
(`python -m bench.profile_turn`). The check and its error are unchanged.
"""

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response "
        "from the Action endpoint is valid. For more information about the format "
        f"visit {DOCS_BASE_URL}/custom-actions")
    raise error


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]

