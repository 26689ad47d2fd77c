"""The custom actions, run as the action server runs them: events and messages."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerFromNotice, ActionShowWording
from actions.route_replies import ActionClarify, ActionOutOfScope, ActionSafeguarding


def tracker(intent, text="", entities=(), slots=None, ranking=()):
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={
            "intent": {"name": intent, "confidence": 0.9},
            "entities": list(entities),
            "text": text,
            "intent_ranking": list(ranking),
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return dispatcher.messages, events


def only_custom(messages):
    assert len(messages) == 1
    return messages[0]["custom"]


def test_answer_action_answers_the_intents_section_and_remembers_it():
    messages, events = run(ActionAnswerFromNotice(), tracker("retention"))
    assert only_custom(messages)["section"] == "retention"
    assert "retention schedule" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == '/show_wording{"section":"retention"}'
    assert events == [SlotSet("last_section", "retention"), SlotSet("last_terms", [])]


def test_answer_action_uses_the_entities_of_the_message():
    entities = [{"entity": "recipient", "value": "police", "start": 20, "end": 26}]
    messages, events = run(
        ActionAnswerFromNotice(), tracker("sharing", "do you share with police", entities)
    )
    assert "Yes, this can happen" in messages[0]["text"]
    assert events == [SlotSet("last_section", "sharing"),
                      SlotSet("last_terms", ["recipient:police"])]


def test_specific_answer_remembers_the_section_it_came_from():
    entities = [{"entity": "data_kind", "value": "religion"}]
    _, events = run(ActionAnswerFromNotice(), tracker("data_collected", "", entities))
    assert events == [SlotSet("last_section", "special_category"),
                      SlotSet("last_terms", ["data_kind:religion"])]


def test_show_wording_uses_the_button_section_first():
    t = tracker(
        "show_wording",
        entities=[{"entity": "section", "value": "storage"}],
        slots={"last_section": "sharing"},
    )
    messages, events = run(ActionShowWording(), t)
    assert only_custom(messages)["section"] == "storage"
    assert "Liquid Logic and Synergy" in messages[0]["text"]
    assert events == []


def test_show_wording_falls_back_to_the_last_answer():
    messages, _ = run(ActionShowWording(), tracker("show_wording", slots={"last_section": "changes"}))
    assert only_custom(messages) == {"section": "changes", "title": "Changes to this privacy notice", "wording": True}


@pytest.mark.parametrize(
    "action,section",
    [(ActionSafeguarding(), "safeguarding"), (ActionOutOfScope(), "out_of_scope")],
)
def test_route_actions_send_one_message_with_their_section(action, section):
    messages, events = run(action, tracker("x"))
    assert only_custom(messages)["section"] == section
    # the safety message is remembered, so that "will she get in trouble?" stays on it
    remembered = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert remembered == ({"last_section": "safeguarding", "last_terms": []}
                          if section == "safeguarding" else {})


def test_clarify_action_offers_the_ranked_topics():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "storage", "confidence": 0.3},
        {"name": "retention", "confidence": 0.2},
    ]
    messages, _ = run(ActionClarify(), tracker("nlu_fallback", ranking=ranking))
    assert only_custom(messages)["section"] == "fallback"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/storage", "/retention"]


def test_answer_action_never_guesses_for_an_intent_that_is_not_a_section():
    messages, events = run(ActionAnswerFromNotice(), tracker("greet"))
    assert only_custom(messages)["section"] == "fallback"
    assert events == []
