"""Words that change the safety message: self-harm, and asking for a secret."""

import pytest

from conversation.safety_wording import asks_for_secrecy, speaks_of_self_harm


@pytest.mark.parametrize("text", [
    "I want to kill myself",
    "i keep cutting myself when he shouts",
    "sometimes i dont want to be alive anymore",
    "I’m going to take all my pills tonight",
    "i have been self harming since year 8",
    "im suicidal",
    "i just wanna die",
])
def test_words_of_self_harm_are_seen(text):
    assert speaks_of_self_harm(text)


@pytest.mark.parametrize("text", [
    "my stepdad hits me",
    "do you keep records of self-referrals",
    "how long do you keep my file",
    "he said he would kill me",  # harm from someone else: the safety message, no more
])
def test_other_messages_do_not_speak_of_self_harm(text):
    assert not speaks_of_self_harm(text)


@pytest.mark.parametrize("text", [
    "please don't tell him I said",
    "dont tell my mum",
    "you won't tell anyone will you",
    "can you keep this a secret",
    "promise not to say anything",
    "don’t let him know it was me",
])
def test_a_wish_for_secrecy_is_seen(text):
    assert asks_for_secrecy(text)


@pytest.mark.parametrize("text", [
    "who do you tell about my information",
    "will the school be told",
    "my dad hits me",
])
def test_other_messages_do_not_ask_for_secrecy(text):
    assert not asks_for_secrecy(text)
