"""Reading a message part by part: sentences, questions inside a sentence, run-ons."""

import pytest

from conversation.segments import is_question, part_spans, split_parts


def test_a_short_question_is_one_part():
    assert split_parts("who do you share my data with?") == ["who do you share my data with?"]


def test_two_questions_joined_by_and_are_two_parts():
    assert split_parts("Who do you share it with and how long do you keep it?") == [
        "Who do you share it with", "how long do you keep it?"]


def test_a_list_of_recipients_is_not_split():
    assert split_parts("do you share with the police and the school?") == [
        "do you share with the police and the school?"]


def test_a_letter_is_cut_into_sentences_and_the_question_is_found():
    text = ("Good afternoon. I am a foster carer and I have looked after two brothers for "
            "three years now. Could you please tell me who you share their information "
            "with? Kind regards, Sam")
    parts = split_parts(text)
    assert parts[0] == "Good afternoon."
    questions = [p for p in parts if is_question(p)]
    assert questions == ["Could you please tell me who you share their information with?"]


def test_abbreviations_do_not_end_a_sentence():
    assert split_parts("Dr. Smith told me to ask. Who sees it?") == [
        "Dr. Smith told me to ask.", "Who sees it?"]


def test_a_long_run_on_message_is_cut_into_pieces():
    text = ("hi there i was wondering who you share my sons information with because he has "
            "just started at a new school and i am worried that they will know everything "
            "about our family and also how long do you keep it")
    parts = split_parts(text)
    assert len(parts) >= 3
    assert parts[-1].endswith("how long do you keep it")
    assert all(len(p.split()) <= 28 for p in parts)


def test_bullets_and_numbers_are_dropped_from_parts():
    assert split_parts("My questions:\n1. What do you keep?\n- Who sees it?") == [
        "My questions:", "What do you keep?", "Who sees it?"]


@pytest.mark.parametrize("part, asks", [
    ("what do you keep", True), ("is my data shared", True), ("I want a copy of my file", True),
    ("She wants to know who gets to see her records", True),
    ("we should be grateful if you would confirm the lawful basis", True),
    ("when she is on lates he gets angry", False), ("which gave me a bit of a turn", False),
    ("I am a foster carer", False), ("Kind regards, Helen", False),
    ("ok will do ta", False), ("I'll let them do it themselves, thanks", False),
    ("will it be deleted", True), ("so does that go to his school", True),
    ("my partner has MS, is her health information recorded", True),
    ("I am a foster carer, the children are settled", False),
])
def test_questions_and_requests_are_told_from_background(part, asks):
    assert is_question(part) is asks


def test_spans_point_at_the_parts_in_the_original_text():
    text = "Hello.  Who sees it?\nAnd why?"
    assert [text[s:e] for s, e in part_spans(text)] == ["Hello.", "Who sees it?", "And why?"]
