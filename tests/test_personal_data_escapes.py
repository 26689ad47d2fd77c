"""Security review, issue 16, item 6: personal data that escaped redaction.

The case transcript and the live chat are redacted as the conversation store is (one
redactor, redaction/); the contact details a family chose to give stay on the case, in
their own fields. Numbers shaped like UK phone numbers are redacted even when the phone
library calls them invalid.
"""

import asyncio
import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.case_access import case_store, pending_answers, transcript_of
from actions.handoff import ActionFinishRequest
from actions.route_replies import ActionSafeguarding
from casework.live import LiveChats
from casework.tables import cases, live_messages
from processes.servers import free_port
from redaction.redactor import redact
from redaction.tracker_store import FORM_ANSWER, SUMMARY
from tests.casework_support import new_case, store_in

SECRETS = ["Jo Bloggs", "Bloggs", "07911 123456", "07911123456", "jo.bloggs@example.com",
           "943 476 5919", "07700 900123", "Sam Smith", "sam@example.com"]


@pytest.fixture(autouse=True)
def throwaway_database(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{tmp_path / 'cases.sqlite3'}")
    monkeypatch.setenv("ASSISTANT_SMTP_PORT", str(free_port()))  # nobody listens


def user(text, intent="safeguarding", at=1e9):
    return {"event": "user", "text": text, "timestamp": at,
            "parse_data": {"intent": {"name": intent}, "entities": [], "text": text}}


def bot(text, **custom):
    return {"event": "bot", "text": text, "timestamp": 1e9, "data": {"custom": custom}}


def slot(name, value):
    return {"event": "slot", "name": name, "value": value, "timestamp": 1e9}


def tracker(events, intent="safeguarding", slots=None, sender="family-7"):
    latest = next(e for e in reversed(events) if e["event"] == "user")
    return Tracker(
        sender_id=sender, slots=slots or {},
        latest_message={"intent": {"name": intent, "confidence": 0.9}, "entities": [],
                        "text": latest["text"], "intent_ranking": []},
        events=events, paused=False, followup_action=None, active_loop={},
        latest_action_name="action_listen")


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return dispatcher.messages, events


def stored_transcripts():
    """The transcript column as it is in the database, not as the store returns it."""
    with case_store().engine.connect() as conn:
        return "\n".join(conn.execute(select(cases.c.transcript)).scalars())


def leaked(text):
    return [s for s in SECRETS if s in text]


DISCLOSURE = ("My name is Jo Bloggs and my stepdad hits me. Call me on 07911 123456 "
              "or jo.bloggs@example.com")


# -- (a) the transcript of a case ------------------------------------------------------

def test_a_safeguarding_case_opened_by_a_disclosure_keeps_no_personal_data():
    """The disclosure is this turn's message: the store has not redacted it yet."""
    messages, _ = run(ActionSafeguarding(), tracker([user(DISCLOSURE)]))
    assert messages, "the safety message still goes out"
    stored = stored_transcripts()
    assert stored and leaked(stored) == []
    text = json.loads(stored)[0]["text"]
    assert text == ("My name is <name> and my stepdad hits me. Call me on <phone number> "
                    "or <email>")


def test_a_later_disclosure_appended_to_the_case_keeps_no_personal_data():
    first = [user("my mum's boyfriend hurts me")]
    run(ActionSafeguarding(), tracker(first))
    later = first + [bot("If a child is in danger now, call 999."),
                     user("he is at 07700 900123, his name is Dave Jones")]
    run(ActionSafeguarding(), tracker(later))
    stored = stored_transcripts()
    assert "Dave Jones" not in stored and leaked(stored) == []
    lines = json.loads(stored)
    assert [line["text"] for line in lines] == [
        "my mum's boyfriend hurts me", "If a child is in danger now, call 999.",
        "he is at <phone number>, his name is <name>"]


def request_conversation():
    """A request whose opening message carries an NHS number, the form's answers and
    the check before sending (which shows the name and email back)."""
    return [
        user("I want a copy of my son's file, his NHS number is 943 476 5919",
             intent="request_access"),
        bot("I can pass that to an officer."),
        slot("requested_slot", "contact_name"),
        bot("What name should the officer use?"),
        user("Sam Smith", intent="inform"),
        slot("contact_name", "Sam Smith"),  # Rasa sets the raw answer before validation
        slot("contact_name", "given"),
        slot("requested_slot", "contact_detail"),
        bot("How can the officer reach you?"),
        user("sam@example.com", intent="inform"),
        slot("requested_slot", "confirm_send"),
        bot("I will send: Sam Smith, sam@example.com", personal=True),
        user("Send", intent="affirm"),
    ]


def test_a_request_case_keeps_the_contact_it_was_given_but_not_in_its_transcript():
    pending_answers().keep("r-7", "family-7", contact_name="Sam Smith",
                           contact_detail="sam@example.com", contact_kind="email")
    filled = {"request": "access", "request_id": "r-7", "contact_name": "given",
              "contact_detail": "given", "contact_kind": "email",
              "relationship": "parent", "contact_consent": "yes"}
    messages, _ = run(ActionFinishRequest(),
                      tracker(request_conversation(), intent="affirm", slots=filled))
    reference = messages[0]["custom"]["reference"]
    stored = stored_transcripts()
    assert leaked(stored) == []
    texts = [line["text"] for line in json.loads(stored)]
    assert texts[0] == "I want a copy of my son's file, his NHS number is <NHS number>"
    assert texts.count(FORM_ANSWER) == 2 and SUMMARY in texts
    # The officer can still reach the family, through what they chose to give.
    case = case_store().get(reference)
    assert (case["contact_name"], case["contact_detail"]) == ("Sam Smith", "sam@example.com")


def test_the_transcript_is_redacted_as_the_conversation_store_redacts_it():
    """One policy: each line is what the redacting tracker store keeps of the event."""
    from rasa.shared.core.events import Event

    from redaction.tracker_store import redacted_events

    events = request_conversation()
    stored = [e for e in redacted_events([Event.from_parameters(e) for e in events], 0)
              if e.type_name in ("user", "bot")]
    assert [line["text"] for line in transcript_of(tracker(events))] == [
        e.text for e in stored]


def test_the_case_store_redacts_what_the_family_said_whoever_built_the_transcript(tmp_path):
    store = store_in(tmp_path, free_port())
    raw = new_case("raw:1", request="safeguarding")
    raw.transcript = [{"from": "family", "text": DISCLOSURE, "at": None},
                      {"from": "assistant", "text": "Call Childline on 0800 1111.",
                       "at": None}]
    reference = store.open_case(raw)["reference"]
    store.add_to_transcript(reference, raw.transcript + [
        {"from": "family", "text": "or ring +44 7700 900123", "at": None}])
    with store.engine.connect() as conn:
        stored = conn.execute(select(cases.c.transcript)).scalar()
    assert leaked(stored) == [] and "+44 7700 900123" not in stored
    # The assistant's own words (the council's and helplines' numbers) stay as sent.
    assert "Call Childline on 0800 1111." in stored


# -- (b) the live chat -----------------------------------------------------------------

def test_live_chat_messages_are_stored_redacted(tmp_path):
    store = store_in(tmp_path, free_port())
    reference = store.open_case(new_case("fam-9:r1"))["reference"]
    live = LiveChats(store.engine)
    live.start(reference, "alex")
    live.from_officer(reference, "alex", "Is 07911 123456 still your number?")
    assert live.from_family("fam-9", "no, it's 07700 900123 or jo.bloggs@example.com. "
                                     "My name is Jo Bloggs") is True
    with store.engine.connect() as conn:
        stored = "\n".join(conn.execute(select(live_messages.c.text)).scalars())
    assert leaked(stored) == []
    said = [m["text"] for m in live.state(reference)["messages"]]
    assert said[1:] == ["Is <phone number> still your number?",
                        "no, it's <phone number> or <email>. My name is <name>"]
    # The family sees the officer's message as it was kept.
    assert live.messages_for_family("fam-9", 0)[-1]["text"] == (
        "Is <phone number> still your number?")


# -- (c) phone-shaped numbers ----------------------------------------------------------

@pytest.mark.parametrize("typed, stored", [
    ("call me on 07700 900123", "call me on <phone number>"),
    ("or +44 7700 900123", "or <phone number>"),
    ("+44 (0)7700 900123 after six", "<phone number> after six"),
    ("07700900123", "<phone number>"),
    ("ring (07700) 900-123 please", "ring <phone number> please"),
    ("0044 7700 900 123", "<phone number>"),
    ("mine is 07700 900123 2015 was when", "mine is <phone number> 2015 was when"),
])
def test_numbers_shaped_like_uk_phones_are_redacted_even_if_unallocated(typed, stored):
    assert redact(typed) == stored


@pytest.mark.parametrize("typed", [
    "my reference is CS-2026-000123", "is CS-2026-000123 overdue",
    "call 999", "the Samaritans are on 116 123", "do you keep records for 25 years",
    "NHS 9434765918 has a wrong check digit", "I wrote 3 times in 2026",
    "order 1234567890123 arrived",
])
def test_references_short_numbers_and_other_digits_are_kept(typed):
    assert redact(typed) == typed


def test_the_councils_and_helplines_numbers_are_kept_so_an_officer_can_give_them(tmp_path):
    store = store_in(tmp_path, free_port())
    reference = store.open_case(new_case("fam-10:r1"))["reference"]
    live = LiveChats(store.engine)
    live.start(reference, "alex")
    live.from_officer(reference, "alex",
                      "Ring us on 0344 800 8020 (+44 344 800 8020), or Childline on 0800 1111. "
                      "Is 07911 123456 still yours?")
    said = live.messages_for_family("fam-10", 0)[-1]["text"]
    assert said == ("Ring us on 0344 800 8020 (+44 344 800 8020), or Childline on 0800 1111. "
                    "Is <phone number> still yours?")
