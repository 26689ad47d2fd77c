"""Follow-ups read against the last answer; a complete question is never bent."""

import pytest

from components.conversation_reader import notice_facts
from conversation.followups import Context, is_service_complaint, resolve, right_named

facts = notice_facts()


def read(text, last=None, intent="nlu_fallback", entities=(), confident=False, **context):
    found = resolve(text, intent, list(entities), Context(last_section=last, **context),
                    facts.follow_ups, facts.term_sections, confident=confident)
    return found and found.intent


GP = {"entity": "recipient", "value": "nhs", "text": "GP", "role": "example"}
RELIGION = {"entity": "data_kind", "value": "religion", "text": "religion"}


def test_a_bare_recipient_after_a_sharing_answer_is_a_sharing_question():
    assert read("and the GP?", "sharing", entities=[GP]) == "sharing"


def test_a_bare_recipient_after_sources_asks_where_information_comes_from():
    assert read("and the GP?", "sources", entities=[GP]) == "sources"


def test_a_bare_kind_of_data_goes_to_its_own_section():
    assert read("what about my religion", "data_collected", entities=[RELIGION]) == \
        "special_category"


def test_a_bare_service_the_notice_names_goes_to_what_it_is_used_for():
    encompass = {"entity": "service", "value": "operation_encompass",
                 "text": "operation encompass"}
    assert read("and operation encompass?", "sharing", entities=[encompass]) == "purpose"


@pytest.mark.parametrize("last, expected", [
    ("sharing", "legal_basis"), ("data_collected", "purpose"),
    ("imagination_library", "imagination_library")])
def test_why_after_an_answer_gives_the_reason_the_notice_gives(last, expected):
    assert read("why?", last) == expected
    assert read("how come", last, intent="purpose", confident=True) == expected


def test_how_long_is_retention_unless_the_topic_has_its_own_time():
    assert read("for how long?", "sharing") == "retention"
    assert read("how long do they keep it for?", "imagination_library") == \
        "imagination_library"


def test_anyone_else_is_the_same_topic_again():
    assert read("anyone else?", "sharing") == "sharing"


def test_the_same_for_another_person_answers_the_same_section():
    found = resolve("is that the same for my daughter?", "nlu_fallback", [],
                    Context(last_section="retention"), facts.follow_ups,
                    facts.term_sections)
    assert found.intent == "retention"
    assert {"entity": "person", "value": "my daughter"} in found.entities


def test_refusing_is_consent_after_consent_else_must_provide():
    assert read("and if I say no?", "consent") == "consent"
    assert read("what if I refuse?", "sharing") == "must_provide"


def test_how_do_i_do_that_after_a_right_starts_that_request():
    assert read("ok how do I do that then?", "rights", last_right="erasure") == \
        "request_erasure"
    assert read("how would she ask for it to be deleted then", "retention") == \
        "request_erasure"


@pytest.mark.parametrize("text", ["How would I go about that then?", "how could we do it",
                                  "how does she go about it", "how should I ask for it"])
def test_how_to_cues_take_any_asking_verb_and_person(text):
    assert read(text, "rights", last_right="access") == "request_access"


@pytest.mark.parametrize("text, intent", [
    ("why do you need my religion?", "special_category"),
    ("do the police give you information about me?", "sources"),
    ("how long do you keep adoption files for people adopted in the 1990s", "retention"),
])
def test_a_complete_question_keeps_its_own_topic(text, intent):
    entities = [{"entity": "recipient", "value": "police", "text": "police"}] \
        if "police" in text else []
    assert read(text, "sharing", intent=intent, entities=entities, confident=True) in (
        None, intent)


def test_a_follow_up_with_nothing_before_it_asks():
    assert read("anyone else?", None, intent="follow_up") == "nlu_fallback"


def test_which_right_a_question_names():
    assert right_named("can I get my file deleted?") == "erasure"
    assert right_named("can I see my file?") == "access"
    assert right_named("what are my rights?") is None


@pytest.mark.parametrize("text, service", [
    ("I want to complain about my social worker, she is rude", True),
    ("my leaving care PA never turns up, how do i complain", True),
    ("i want to put in a complaint, my social worker sent my file to the wrong person", False),
    ("I want to complain about how you handled my data", False),
])
def test_a_complaint_about_a_service_is_told_from_one_about_data(text, service):
    assert is_service_complaint(text) is service


def test_what_the_last_answer_covers_follows_it_when_the_classifier_cannot_place_it():
    assert read("Does that include things about his birth family?", "data_collected") == \
        "data_collected"
    assert read("and does it cover emails?", "storage") == "storage"
    # a sure classifier keeps its own topic; nothing before it, nothing to follow
    assert read("does that include the police?", "retention", intent="sharing",
                confident=True) is None
    assert read("Does that include things about his birth family?", None) is None


def test_who_sees_it_is_sharing_and_vague_asks_for_it_again_plainly():
    assert read("whos even allowed to see it", "rights") == "sharing"
    # a few words are read against the conversation, however sure the classifier is
    assert read("who can see it", "storage", intent="chat_privacy", confident=True) == "sharing"
    assert read("who can see what i type in this chat", "storage", intent="chat_privacy",
                confident=True) is None
    assert read("thats a bit vague isnt it", "retention") == "retention"


def test_a_one_word_how_counts_only_alone():
    from conversation.followups import resolve

    assert resolve("Can I restrict how you process my data?", "rights", [], Context(), {}, {},
                   confident=True) is None
    assert resolve("how?", "nlu_fallback", [], Context(last_section="rights",
                                                       last_right="access"), {}, {}
                   ).intent == "request_access"
