"""Recipients and kinds of data found in messages, from the notice data."""

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.notice import load_notice
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
