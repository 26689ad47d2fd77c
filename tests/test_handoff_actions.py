"""The handoff actions, run as the action server runs them, on a throwaway database."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.case_access import case_store
from actions.handoff import (ActionFinishRequest, ActionStartRequest,
                             ValidateHandoffForm)
from casework.tables import cases, outbox
from processes.servers import free_port


@pytest.fixture(autouse=True)
def throwaway_database(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{tmp_path / 'cases.sqlite3'}")
    monkeypatch.setenv("ASSISTANT_SMTP_PORT", str(free_port()))  # nobody listens


def tracker(intent="request_access", slots=None, text="", events=None):
    return Tracker(
        sender_id="family-1", slots=slots or {},
        latest_message={"intent": {"name": intent, "confidence": 0.9}, "entities": [],
                        "text": text, "intent_ranking": []},
        events=events or [{"event": "user", "text": "send me my file", "timestamp": 1e9,
                           "parse_data": {"intent": {"name": intent}}}],
        paused=False, followup_action=None,
        active_loop={"name": "handoff_form"}, latest_action_name="action_listen",
    )


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return dispatcher.messages, events


def count(table):
    with case_store().engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


FILLED = {"request": "access", "request_id": "r-1", "contact_name": "given",
          "contact_detail": "given", "contact_kind": "email",
          "relationship": "parent", "contact_consent": "yes"}


def keep_filled_answers():
    from actions.case_access import pending_answers

    pending_answers().keep("r-1", "family-1", contact_name="Sam",
                           contact_detail="sam@example.com", contact_kind="email")


def test_starting_a_request_sets_its_type_and_a_fresh_submission_id():
    messages, events = run(ActionStartRequest(), tracker("request_erasure"))
    assert messages[0]["custom"] == {"section": "handoff", "request": "erasure"}
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["request"] == "erasure" and len(slots["request_id"]) == 32
    assert slots["contact_name"] is None


def test_submitting_twice_makes_one_case_and_one_mail():
    keep_filled_answers()
    first, _ = run(ActionFinishRequest(), tracker(slots=FILLED))
    second, events = run(ActionFinishRequest(), tracker(slots=FILLED))
    assert first[0]["custom"]["reference"] == second[0]["custom"]["reference"]
    assert count(cases) == 1 and count(outbox) == 1
    assert SlotSet("case_reference", first[0]["custom"]["reference"]) in events
    case = case_store().get(first[0]["custom"]["reference"])
    assert (case["contact_name"], case["contact_detail"]) == ("Sam", "sam@example.com")
    from actions.case_access import pending_answers

    assert pending_answers().answers("r-1")["contact_detail"] is None  # moved to the case


def test_no_contact_or_no_consent_makes_no_case_and_says_how_to_write_in():
    for slots in ({**FILLED, "contact_detail": "skipped"}, {**FILLED, "contact_consent": "no"}):
        messages, _ = run(ActionFinishRequest(), tracker(slots=slots))
        assert "in writing" in messages[0]["text"] and messages[0]["custom"]["case"] is False
    assert count(cases) == 0


def test_a_database_failure_still_gives_the_family_a_way_forward(monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", "sqlite:////nonexistent/dir/cases.sqlite3")
    messages, _ = run(ActionFinishRequest(), tracker(slots=FILLED))
    assert "could not pass this on" in messages[0]["text"]
    assert "in writing" in messages[0]["text"]


def test_a_cancelled_request_makes_no_case_and_clears_the_answers():
    messages, events = run(ActionFinishRequest(),
                           tracker(slots={**FILLED, "request_cancelled": True}))
    assert "Nothing has been sent" in messages[0]["text"]
    assert messages[0]["custom"]["section"] == "handoff"
    assert SlotSet("contact_name", None) in events and SlotSet("request_id", None) in events
    assert count(cases) == 0


def validate(slot, value, requested=None, **slots):
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateHandoffForm(), f"validate_{slot}")
    asked = tracker(slots={"requested_slot": requested or slot, "request_id": "r-9", **slots})
    return method(value, dispatcher, asked, {}), dispatcher.messages


def test_the_message_that_starts_the_form_answers_no_question():
    for slot in ("contact_name", "contact_detail", "relationship", "contact_consent"):
        assert validate(slot, "I want a copy of my file", requested="none") == (
            {slot: None}, [])


def test_the_form_accepts_skips_and_re_asks_bad_contacts():
    assert validate("contact_name", "skip")[0] == {"contact_name": "skipped"}
    result, messages = validate("contact_detail", "not an email")
    assert result == {"contact_detail": None} and "does not look like" in messages[0]["text"]
    # The slot only says "given": the number waits outside the conversation store.
    assert validate("contact_detail", "07911 123456")[0] == {
        "contact_detail": "given", "contact_kind": "phone"}
    from actions.case_access import pending_answers

    assert pending_answers().answers("r-9")["contact_detail"] == "+447911123456"
    assert validate("contact_name", "Sam Smith")[0] == {"contact_name": "given"}
    assert pending_answers().answers("r-9")["contact_name"] == "Sam Smith"
    # Skipping the contact ends the questions: nobody could reply.
    assert validate("contact_detail", "skip")[0] == {
        "contact_detail": "skipped", "relationship": "skipped", "contact_consent": "skipped",
        "confirm_send": "skipped"}
    assert validate("contact_consent", "maybe")[0] == {"contact_consent": None}
    # A first "no" is explained and asked once more: no dead end.
    result, messages = validate("contact_consent", "no")
    assert result == {"contact_consent": None, "consent_checked": True}
    assert "cannot send it" in messages[0]["text"]
    # Nobody may reply: there is nothing to send, so no check before sending.
    assert validate("contact_consent", "no", consent_checked=True)[0] == {
        "contact_consent": "no", "confirm_send": "skipped"}


def test_cancel_ends_the_form_from_any_question_but_a_skip_does_not():
    for slot in ("contact_name", "contact_detail", "relationship", "contact_consent"):
        assert validate(slot, "cancel")[0] == {slot: None, "requested_slot": None,
                                               "request_cancelled": True}
        assert validate(slot, "/stop")[0]["request_cancelled"] is True
    assert validate("contact_name", "I'd rather not say")[0] == {"contact_name": "skipped"}
    assert validate("contact_consent", "yes")[0] == {"contact_consent": "yes"}


def test_when_will_i_hear_asked_mid_form_says_nothing_is_sent_yet():
    from actions.after_request import ActionCaseStatus

    messages, events = run(ActionCaseStatus(), tracker(
        "case_status", slots={"request": "access", "requested_slot": "contact_consent"},
        text="when will i hear back"))
    [message] = messages
    assert message["custom"]["section"] == "handoff"
    assert message["custom"]["request"] == "access"
    assert "not been sent yet" in message["text"]
    assert "one calendar month" in message["text"]
    assert events == []
