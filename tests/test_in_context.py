"""A short question read after the last answer's question (no model)."""

from components.conversation_reader import notice_facts
from conversation.followups import Context
from conversation.in_context import context_questions, text_in_context
from conversation.reading import Verdict, read_message

facts = notice_facts()


def verdict(text, ranking):
    """A verdict whose intent is the first of `ranking` [(intent, confidence), …]."""
    return Verdict(text, ranking[0][0], ranking[0][1],
                   [{"name": n, "confidence": c} for n, c in ranking], [], 0, len(text))


def test_every_topic_that_can_be_answered_last_has_a_question_standing_for_it():
    assert set(context_questions()) == facts.sections | {"rights"}


def test_only_a_short_question_after_an_answer_is_read_in_context():
    question = context_questions()["sharing"]
    assert text_in_context("Without asking me first?", "sharing") == \
        f"{question} Without asking me first?"
    assert text_in_context("ok thanks", "sharing") is None  # not a question
    assert text_in_context("Without asking me first?", None) is None  # nothing before
    assert text_in_context("Without asking me first?", "safeguarding") is None
    long = "and would they pass any of that on to the school or the doctor or the police or anyone else at all?"
    assert text_in_context(long, "sharing") is None


def test_context_decides_what_the_message_alone_leaves_unclear():
    text = "Without asking me first?"
    alone = verdict(text, [("nlu_fallback", 0.5), ("consent", 0.4), ("sharing", 0.3)])
    in_context = verdict("…", [("sharing", 0.95), ("consent", 0.05)])
    reading = read_message(alone, [], Context(last_section="sharing"), facts, in_context)
    assert reading.intent == "sharing"
    assert any("last answer" in v for v in reading.via)


def test_a_clear_question_keeps_its_own_reading_whatever_the_context():
    text = "Does any of it get sent abroad?"
    alone = verdict(text, [("international", 0.97), ("special_category", 0.02)])
    in_context = verdict("…", [("special_category", 0.99)])
    reading = read_message(alone, [], Context(last_section="special_category"), facts,
                           in_context)
    assert reading.intent == "international"


def test_context_never_invents_a_reading_the_message_alone_did_not_have():
    text = "going back to it, would any of that come to the school as well?"
    alone = verdict(text, [("sharing", 0.64), ("sources", 0.2), ("purpose", 0.1)])
    in_context = verdict("…", [("data_collected", 0.99)])
    reading = read_message(alone, [], Context(last_section="data_collected"), facts,
                           in_context)
    assert reading.intent == "sharing"


def test_an_unclear_reading_in_context_changes_nothing():
    alone = verdict("can i make you delete my records?", [("rights", 0.63), ("retention", 0.3)])
    in_context = verdict("…", [("retention", 0.59), ("rights", 0.4)])
    assert read_message(alone, [], Context(last_section="retention"), facts,
                        in_context).intent == "rights"
