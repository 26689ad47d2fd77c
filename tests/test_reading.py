"""Reading a whole message from its parts' verdicts and the conversation (no model)."""

from components.conversation_reader import notice_facts
from conversation.followups import Context
from conversation.reading import Verdict, read_message

facts = notice_facts()


def verdict(text, intent, confidence=0.9, start=0):
    ranking = [{"name": intent, "confidence": confidence},
               {"name": "nlu_fallback", "confidence": 1 - confidence}]
    return Verdict(text, intent, confidence, ranking, [], start, start + len(text))


def test_a_follow_up_part_of_a_short_message_is_read_against_the_conversation():
    question, aside = "OK, how would she go about it?", " I'll be sitting with her."
    whole = verdict(question + aside, "rights")
    parts = [verdict(question, "rights", 0.6),
             verdict(aside.strip(), "background", 0.95, len(question) + 1)]
    reading = read_message(whole, parts, Context(last_section="rights",
                                                 last_right="rectification"), facts)
    assert reading.intent == "request_rectification"
    assert not reading.whole


def test_a_short_message_that_asks_one_thing_is_read_whole():
    first, second = "the social worker got loads wrong.", " i want it changed"
    whole = verdict(first + second, "request_rectification")
    parts = [verdict(first, "background", 0.8),
             verdict(second.strip(), "request_rectification", 0.6, len(first) + 1)]
    reading = read_message(whole, parts, Context(), facts)
    assert reading.intent == "request_rectification"
    assert reading.whole


AFTER_SAFETY = Context(last_section="safeguarding")


def test_after_the_safety_message_a_worry_about_the_concern_gets_safety_again():
    text = "will she get in trouble if someone finds out"
    reading = read_message(verdict(text, "reporter_identity", 0.6), [], AFTER_SAFETY, facts)
    assert reading.intent == "safeguarding"
    assert read_message(verdict("why?", "nlu_fallback", 0.3), [], AFTER_SAFETY,
                        facts).intent == "safeguarding"


def test_after_the_safety_message_a_thank_you_or_a_new_question_is_itself():
    assert read_message(verdict("ok thanks", "thanks"), [], AFTER_SAFETY, facts).intent == \
        "thanks"
    text = "who do you share my data with"
    assert read_message(verdict(text, "sharing"), [], AFTER_SAFETY, facts).intent == "sharing"
    # a question of its own that would also read as a bare follow-up ("how long…")
    text = "how long do you keep my file"
    assert read_message(verdict(text, "retention"), [], AFTER_SAFETY, facts).intent == \
        "retention"
    assert read_message(verdict("how long for?", "retention", 0.5), [], AFTER_SAFETY,
                        facts).intent == "safeguarding"
    # the same worry, with no safety message before it, is a notice question
    worry = "will she get in trouble if someone finds out"
    assert read_message(verdict(worry, "reporter_identity", 0.6), [], Context(
        last_section="sharing"), facts).intent == "reporter_identity"


def test_the_one_plain_question_among_statements_is_read_alone():
    first, second = "I am waiting for my asylum claim.", " do you give my details to the Home Office?"
    whole = verdict(first + second, "nlu_fallback", 0.5)
    parts = [verdict(first, "background", 0.95),
             verdict(second.strip(), "sharing", 0.83, len(first) + 1)]
    reading = read_message(whole, parts, Context(), facts)
    assert reading.intent == "sharing"
    assert not reading.whole


def test_a_short_message_read_whole_when_its_question_is_no_surer():
    first, second = "We are moving to Wales.", " can you send our file to the new council?"
    whole = verdict(first + second, "request_portability", 0.8)
    parts = [verdict(first, "background", 0.9),
             verdict(second.strip(), "sharing", 0.85, len(first) + 1)]
    assert read_message(whole, parts, Context(), facts).intent == "request_portability"


def test_an_unplaced_question_after_a_statement_is_about_the_statement():
    first, second = "I've got a spent conviction from when I was 19.", \
        " Do you keep that kind of thing on file?"
    third = " And is any of it sent abroad?"
    whole = verdict(first + second + third, "criminal_data", 0.6)
    unsure = Verdict(second.strip(), "nlu_fallback", 0.5, [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "criminal_data", "confidence": 0.45}], [], len(first) + 1,
        len(first + second))
    parts = [verdict(first, "criminal_data", 0.87), unsure,
             verdict(third.strip(), "international", 0.95, len(first + second) + 1)]
    reading = read_message(whole, parts, Context(), facts)
    assert [p.intent for p in reading.answered] == ["criminal_data", "international"]


def test_a_sure_question_about_something_else_is_answered_beside_the_others():
    first, second = "what do you use all this info for?", \
        " also how do i appeal my brothers secondary school place"
    whole = verdict(first + second, "purpose", 0.9)
    parts = [verdict(first, "purpose", 0.99),
             verdict(second.strip(), "out_of_scope", 0.95, len(first) + 1)]
    reading = read_message(whole, parts, Context(), facts)
    assert [p.intent for p in reading.answered] == ["purpose", "out_of_scope"]
