"""Personal data typed into the chat is not stored: redaction, and what reaches the store."""

import json

import pytest
import requests
from sqlalchemy import create_engine, text

from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

from redaction.redactor import redact
from redaction.tracker_store import FORM_ANSWER, redacted_events
from tests.conftest import BROKER_LOG, MEASURED, RASA_LOG


@pytest.mark.parametrize("typed, stored", [
    ("my son's NHS number is 943 476 5919", "my son's NHS number is <NHS number>"),
    ("NHS no 9434765919!", "NHS no <NHS number>!"),
    ("call me on 07911 123456", "call me on <phone number>"),
    ("or +44 1603 223000", "or <phone number>"),
    ("email jo.bloggs@example.co.uk please", "email <email> please"),
    ("we live at nr1 2dh", "we live at <postcode>"),
    ("12 High Street, Norwich NR2 4AB", "12 High Street, Norwich <postcode>"),
    ("his date of birth is 12/03/2015", "his date of birth is <date>"),
    ("she was born on 3rd March 2015", "she was born on <date>"),
])
def test_personal_data_is_replaced(typed, stored):
    assert redact(typed) == stored


@pytest.mark.parametrize("typed", [
    "who do you share my data with", "NHS 9434765918 has a wrong check digit",
    "do you keep records for 25 years", "I may ask again in may",
])
def test_ordinary_text_is_left_alone(typed):
    assert redact(typed) == typed


def test_only_the_new_events_are_copied_and_redacted():
    events = [
        UserUttered("my NHS number is 943 476 5919", parse_data={"text": "x"}),
        ActionExecuted("action_listen"),
        SlotSet("requested_slot", "contact_name"),
        UserUttered("Jo Bloggs", parse_data={"text": "Jo Bloggs"}),
        SlotSet("contact_name", "Jo Bloggs"),
        SlotSet("requested_slot", "relationship"),
        UserUttered("born 12/03/2015", parse_data={"text": "born 12/03/2015"}),
    ]
    new = redacted_events(events, start=3)
    # The form was asking for a name when "Jo Bloggs" came: it is replaced whole.
    assert [getattr(e, "text", None) for e in new] == [FORM_ANSWER, None, None,
                                                        "born <date>"]
    assert new[0].parse_data["text"] == FORM_ANSWER and new[1].value == FORM_ANSWER
    # The turn's own events keep the original (the actions still read them), and the
    # events before `start` are not copied again.
    assert events[3].text == "Jo Bloggs" and events[4].value == "Jo Bloggs"
    assert events[0].text == "my NHS number is 943 476 5919"
    assert len(redacted_events(events, start=0)) == len(events)
    assert redacted_events(events, start=len(events)) == []


PERSONAL = {
    "nhs": ("my daughter's NHS number is 943 476 5919, will the school see it?",
            "9434765919", "943 476 5919"),
    "postcode": ("we live at NR2 4AB, do you share our address with the police", "NR2 4AB"),
    "birth": ("his date of birth is 12/03/2015, how long do you keep his records",
              "12/03/2015"),
    "name": ("Jo Bloggs",),
    "email": ("jo.bloggs@example.com",),
}


def test_a_conversation_full_of_personal_data_leaves_none_in_the_store_log_or_broker(
        rasa_rest_url, tracker_store_url, case_store):
    sender = "redaction-test"
    said = [PERSONAL["nhs"][0], PERSONAL["postcode"][0], PERSONAL["birth"][0],
            "I want a copy of everything you hold on me", "Jo Bloggs",
            "jo.bloggs@example.com", "Parent or guardian", "yes", "Send"]
    for message in said:
        reply = requests.post(f"{rasa_rest_url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": message}, timeout=60)
        assert reply.status_code == 200 and reply.json()
    reference = next(m["custom"]["reference"] for m in reply.json()
                     if "reference" in (m.get("custom") or {}))
    engine = create_engine(tracker_store_url)
    with engine.connect() as conn:
        stored = "\n".join(row[0] for row in conn.execute(
            text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender}))
    secrets = ["9434765919", "943 476 5919", "NR2 4AB", "12/03/2015", "Jo Bloggs",
               "jo.bloggs@example.com", "Bloggs"]
    assert stored and [s for s in secrets if s in stored] == []
    log = RASA_LOG.read_text(errors="replace")
    assert [s for s in secrets if s in log] == []
    broker = [line for line in BROKER_LOG.read_text().splitlines() if sender in line]
    assert len(broker) >= len(said), "every user turn reaches the event broker"
    assert [s for s in secrets if any(s in line for line in broker)] == []
    assert any("<NHS number>" in line for line in broker)
    placeholders = sorted({p for p in ("<NHS number>", "<postcode>", "<date>",
                                       "<answer kept on the case>",
                                       "<summary of the request, kept on the case>")
                           if p in stored})
    MEASURED.append("Redaction: the stored conversation has " + ", ".join(placeholders)
                    + " where the family typed an NHS number, a postcode, a date of birth, "
                    "a name and an email, and the check shown before sending; none of them in "
                    "the store, the Rasa log or the event broker's output")
    assert len(placeholders) == 5
    # The officer still gets what the family chose to give, on the case.
    case = case_store.get(reference)
    assert (case["contact_name"], case["contact_detail"]) == ("Jo Bloggs",
                                                              "jo.bloggs@example.com")
    # And the classifier saw the original text: the NHS question was about sharing.
    user_events = [json.loads(row) for row in stored.splitlines() if '"event": "user"' in row]
    assert user_events[0]["parse_data"]["intent"]["name"] == "sharing"


def test_even_a_debug_log_holds_no_personal_data(trained_model, action_server_url, tmp_path):
    """`rasa run --debug` logs every message and its parse: the log filter redacts them."""
    import os
    import subprocess

    from processes.servers import (action_endpoint_yaml, free_port, rasa_server_command,
                                   wait_until_healthy)
    from tests.conftest import PROJECT_ROOT

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        action_endpoint_yaml(action_server_url) +
        "tracker_store:\n  type: redaction.tracker_store.RedactingSQLTrackerStore\n"
        f'  dialect: sqlite\n  db: "{tmp_path / "trackers.sqlite3"}"\n')
    port, log = free_port(), tmp_path / "rasa-debug.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            rasa_server_command(trained_model, port, endpoints, "--debug"),
            cwd=PROJECT_ROOT, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
            stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}/", process, timeout=120)
            reply = requests.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook", json={
                "sender": "debug-log", "message":
                    "my NHS number is 943 476 5919, email jo.bloggs@example.com"}, timeout=60)
            assert reply.status_code == 200 and reply.json()
        finally:
            process.terminate()
            process.wait(timeout=20)
    written = log.read_text(errors="replace")
    assert "<NHS number>" in written  # the message was logged, redacted
    assert "943 476 5919" not in written and "jo.bloggs@example.com" not in written
