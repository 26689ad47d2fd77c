"""Recipients and kinds of data found in messages, from the notice data."""

import pytest

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from core.notice import load_notice
from components.notice_terms import NoticeTermExtractor, compile_patterns, find_terms

patterns = compile_patterns(load_notice())


def values(text):
    return [(e["entity"], e["value"]) for e in find_terms(patterns, text)]


def test_synonyms_map_to_the_notice_term():
    assert values("will my GP be told?") == [("recipient", "nhs")]
    assert values("do u tell the doctors") == [("recipient", "nhs")]
    assert values("does DWP get it") == [("recipient", "dwp")]


def test_kinds_of_data_are_found():
    assert values("do you keep my religion?") == [("data_kind", "religion")]
    assert values("is his ADHD on file") == [("data_kind", "health")]


def test_the_longest_term_wins_and_words_are_whole():
    assert values("the youth offending team") == [("recipient", "youth_offending")]
    assert values("the schoolteacher") == []  # "school" inside a word
    assert values("mental health team") == [
        ("recipient", "nhs"), ("data_kind", "health")
    ]


def test_offsets_point_at_the_words_typed():
    text = "Do you share with the Police?"
    [entity] = find_terms(patterns, text)
    assert text[entity["start"]:entity["end"]] == "the Police"


def test_the_component_adds_entities_with_its_name():
    extractor = NoticeTermExtractor(patterns)
    message = Message(data={TEXT: "do you share with my employer or the police"})
    extractor.process([message])
    found = message.get(ENTITIES)
    assert [e["value"] for e in found] == ["employer", "police"]
    assert {e["extractor"] for e in found} == {"NoticeTermExtractor"}


def unnamed(text):
    return [e["text"] for e in find_terms(patterns, text) if e["entity"] == "other_recipient"]


@pytest.mark.parametrize("text, who", [
    ("do you share my details with my sons football club?", "my sons football club"),
    ("Will my ex find out where we live?", "my ex"),
    ("will my ex's mum and sisters get told anything?", "my ex's mum and sisters"),
    ("does my neighbour know about it", "my neighbour"),
])
def test_someone_the_notice_does_not_list_is_found_with_the_words_typed(text, who):
    assert unnamed(text) == [who]


@pytest.mark.parametrize("text", [
    "can my son see his file?",  # a right, asked for the child
    "Can they see it?",
    "Do you tell anyone?",
    "will the school find out?",  # a recipient the notice lists
])
def test_whom_a_question_is_about_is_not_an_unlisted_recipient(text):
    assert unnamed(text) == []


@pytest.mark.parametrize("text", [
    "the interpreter company, they see everything about my family?",
    "Is my family's data shared with the school?",
])
def test_the_family_the_information_is_about_is_not_a_recipient(text):
    assert ("recipient", "family") not in values(text)


def test_the_family_as_a_recipient_is_still_found():
    assert ("recipient", "family") in values("will you tell my family?")


@pytest.mark.parametrize("text", ["what about the school?", "and about my GP?",
                                  "how about his school"])
def test_what_about_a_recipient_still_names_it(text):
    assert any(kind == "recipient" for kind, _ in values(text))
