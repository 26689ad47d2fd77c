"""The faster action-response check accepts and refuses exactly what Rasa's does."""

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

import components  # noqa: F401  (installs the speed-up)
from speedups.action_response_validation import _validate_action_result

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "section", "value": "sharing"}],
     "responses": [{"text": "hello", "custom": {"section": "sharing"}}]},
    {},
]
INVALID = [
    {"events": [{"event": "slot"}]},  # a slot event needs a name
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": [1, 2]},
]


def test_it_is_the_one_rasa_uses():
    assert RemoteAction._validate_action_result is _validate_action_result


@pytest.mark.parametrize("result", VALID)
def test_accepts_what_rasa_accepts(result):
    validate(result, RemoteAction.action_response_format_spec())
    assert _validate_action_result(None, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_refuses_what_rasa_refuses_with_the_same_error(result):
    with pytest.raises(ValidationError) as rasa_error:
        validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError) as ours:
        _validate_action_result(None, result)
    assert ours.value.message.startswith(rasa_error.value.message)
    assert "Failed to validate Action server response" in ours.value.message
