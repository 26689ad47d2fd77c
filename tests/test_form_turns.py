"""While the request form asks: an answer, a question, "carry on" or "cancel"."""

import pytest

from conversation.form_answers import name_in
from conversation.form_turns import read_form_turn


@pytest.mark.parametrize("text, asked, intent, expected", [
    ("Jade Thompson", "contact_name", "greet", "inform"),
    ("my name is Daniel Okafor", "contact_name", "nlu_fallback", "inform"),
    ("thanks", "contact_name", "thanks", "inform"),  # not a name: the form asks again
    ("how long will you keep my email?", "contact_detail", "retention", None),
    ("Before I give my name, who will see this?", "contact_name", "sharing", None),
    ("jo at example dot com", "contact_detail", "nlu_fallback", "inform"),
    ("07700 900123", "contact_detail", "nlu_fallback", "inform"),
    ("carry on", "contact_name", "stop", "resume"),
    ("yes go on", "contact_name", "resume", "resume"),
    ("yes go on", "contact_consent", "resume", "inform"),  # a yes to this question
    ("cancel", "relationship", "inform", "stop"),
    ("actually no cancel", "relationship", "chitchat", "stop"),
    ("skip", "contact_name", "inform", "inform"),
    ("Send", "confirm_send", "nlu_fallback", "inform"),
    ("Change something", "confirm_send", "nlu_fallback", "inform"),
    ("I want to complain instead", "contact_name", "request_complaint", None),
    ("my stepdad hits me", "contact_name", "safeguarding", None),
    ("so when do i hear something", "contact_consent", "nlu_fallback", "case_status"),
    ("how?", "contact_name", "nlu_fallback", "resume"),  # by answering these questions
    ("what happens next?", "relationship", "nlu_fallback", "case_status"),
])
def test_what_a_message_is_while_the_form_asks(text, asked, intent, expected):
    assert read_form_turn(text, intent, asked) == expected


def test_nothing_changes_when_no_form_asks():
    assert read_form_turn("Jade Thompson", "greet", None) is None


@pytest.mark.parametrize("text, name", [
    ("Jo Bloggs", "Jo Bloggs"), ("its Sam", "Sam"), ("ok fine its me. Kayla", "Kayla"),
    ("Mrs O'Neill-Smith", "Mrs O'Neill-Smith"), ("thanks", None), ("hmm", None),
    ("what do you need it for?", None), ("its about the plan for my son", None),
])
def test_a_name_must_look_like_a_name(text, name):
    assert name_in(text) == name
