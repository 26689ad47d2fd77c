"""The retry-safe REST channel's pieces, without a server."""

import asyncio

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.idempotent_rest import replay, stored_bot_events


def tracker_with(events):
    return DialogueStateTracker.from_events("c", events)


def test_finds_only_the_replies_to_that_message():
    tracker = tracker_with([
        UserUttered("hello", message_id="a"), BotUttered("Hi there"),
        ActionExecuted("action_listen"),
        UserUttered("who gets my data", message_id="b"),
        BotUttered("We share it with…", data={"custom": {"section": "sharing"}}),
        UserUttered("thanks", message_id="c"), BotUttered("You're welcome"),
    ])
    assert [e.text for e in stored_bot_events(tracker, "b")] == ["We share it with…"]
    assert [e.text for e in stored_bot_events(tracker, "a")] == ["Hi there"]
    assert stored_bot_events(tracker, "missing") is None
    assert stored_bot_events(None, "a") is None


def test_a_message_that_got_no_reply_yet_is_still_known():
    tracker = tracker_with([UserUttered("hello", message_id="a")])
    assert stored_bot_events(tracker, "a") == []


def test_replay_splits_text_and_custom_as_the_rest_channel_does():
    events = [BotUttered("Answer", data={"custom": {"section": "sharing"}, "buttons": None}),
              BotUttered("Pick one", data={"buttons": [{"title": "Yes", "payload": "/affirm"}]})]
    assert asyncio.run(replay("c", events)) == [
        {"recipient_id": "c", "text": "Answer"},
        {"recipient_id": "c", "custom": {"section": "sharing"}},
        {"recipient_id": "c", "text": "Pick one", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
    ]
