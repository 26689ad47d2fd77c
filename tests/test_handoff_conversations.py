"""Requests reach an officer: whole conversations through the trained assistant.

The agent runs in-process with the real action server, a throwaway case database and a
local SMTP sink (conftest.py); every check reads what a family would see and what the
officer would get.
"""

import itertools
from datetime import datetime

import pytest
from sqlalchemy import func, select

from core.request_types import REQUEST_TYPES
from casework.cases import OUTCOMES
from casework.deadlines import due_date
from casework.tables import cases

conversation_numbers = itertools.count(1)


def new_sender(name):
    return f"{name}-{next(conversation_numbers)}"


def reply_with_section(messages):
    [custom] = [m["custom"] for m in messages if "section" in (m.get("custom") or {})]
    return custom


def text_of(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def case_count(store, conversation_id):
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(cases)
                            .where(cases.c.conversation_id == conversation_id)).scalar()


def confirmed(chat, sender, consent="yes"):
    """Answer the contact question, check the summary shown, and send it."""
    summary = chat.say(sender, consent)
    assert "Before I send this to an officer" in text_of(summary)
    assert [b["title"] for m in summary for b in m.get("buttons", [])] == [
        "Send my request", "Change something", "Cancel"]
    return chat.say(sender, "Send")


def test_a_copy_of_everything_leads_through_the_form_to_a_case(chat, case_store, mail_sink):
    sender = new_sender("access")
    first = chat.say(sender, "I want a copy of everything you hold on me")
    assert reply_with_section(first) == {**reply_with_section(first),
                                         "section": "handoff", "request": "access"}
    assert "one calendar month" in text_of(first)
    assert "What name should the officer use" in text_of(first)

    assert "How can the officer reach you" in text_of(chat.say(sender, "Jo Bloggs"))
    assert "Who are you in this" in text_of(chat.say(sender, "jo.bloggs@example.com"))
    assert "Can an officer contact you" in text_of(chat.say(sender, "Care leaver"))
    summary = chat.say(sender, "yes")
    # The check before sending shows what the officer will get.
    for shown in ("a copy of your records", "Jo Bloggs", "jo.bloggs@example.com",
                  "Care leaver"):
        assert shown in text_of(summary)
    done = chat.say(sender, "Send")
    custom = reply_with_section(done)
    # What happens next: the ID check and how they will hear.
    assert "check who you are" in text_of(done) and "by email" in text_of(done)
    assert custom["section"] == "handoff" and custom["request"] == "access"
    reference = custom["reference"]
    assert reference.startswith("CS-") and reference in text_of(done)

    case = case_store.get(reference)
    assert case["request"] == "access" and case["status"] == "open"
    assert (case["contact_name"], case["contact_detail"], case["contact_kind"],
            case["relationship"], case["contact_consent"]) == (
        "Jo Bloggs", "jo.bloggs@example.com", "email", "care_leaver", True)
    said = [line["text"] for line in case["transcript"] if line["from"] == "family"]
    assert said[0] == "I want a copy of everything you hold on me"
    assert custom["due_date"] == case["due_date"]
    assert len(mail_sink.wait_for_subject(reference)) == 1


@pytest.mark.parametrize("message, request_type", [
    ("my date of birth is wrong on my file, please correct it", "rectification"),
    ("I want you to delete my son's records", "erasure"),
    ("I don't want his photo used any more", "withdraw_consent"),
    ("I want to complain about how you handled my information", "complaint"),
    ("get me a real person", "human"),
    ("please stop using my information until you've checked whether the report is true",
     "restriction"),
    ("I object to you using my family's details for your research projects", "objection"),
    ("can you send all my records to the council in leeds where we live now",
     "portability"),
])
def test_each_request_type_is_recognised_and_confirmed(chat, message, request_type):
    messages = chat.say(new_sender(request_type), message)
    custom = reply_with_section(messages)
    assert (custom["section"], custom["request"]) == ("handoff", request_type)
    assert "skip" in text_of(messages).lower()


@pytest.mark.parametrize("request_type", REQUEST_TYPES)
def test_every_request_type_makes_its_case_with_its_deadline(chat, case_store, request_type):
    """The button for each request (its intent), through the whole form, to the case."""
    sender = new_sender(f"full-{request_type}")
    chat.say(sender, f"/request_{request_type}")
    for answer in ("Sam", "07911 123456", "Carer"):
        chat.say(sender, answer)
    custom = reply_with_section(confirmed(chat, sender))
    assert (custom["section"], custom["request"]) == ("handoff", request_type)
    case = case_store.get(custom["reference"])
    rule = case_store.settings["requests"][request_type]
    assert case["request"] == request_type and case["priority_name"] == rule["priority"]
    assert case["due_date"] == due_date(rule["deadline"], datetime.fromisoformat(
        case["created_at"])).isoformat()
    assert (case["contact_detail"], case["relationship"]) == ("+447911123456", "carer")


def test_a_bad_email_or_phone_is_asked_again_then_accepted(chat, case_store):
    sender = new_sender("reask")
    chat.say(sender, "i want to make a complaint")
    chat.say(sender, "skip")
    again = chat.say(sender, "jo at example dot com")
    assert "does not look like an email address or a UK phone number" in text_of(again)
    assert reply_with_section(again)["section"] == "handoff"
    again = chat.say(sender, "0770")
    assert "does not look like" in text_of(again)
    assert "Who are you in this" in text_of(chat.say(sender, "07123 456789"))
    chat.say(sender, "Parent or guardian")
    done = confirmed(chat, sender)
    case = case_store.get(reply_with_section(done)["reference"])
    assert (case["contact_name"], case["contact_detail"], case["contact_kind"]) == (
        None, "+447123456789", "phone")
    assert case["request"] == "complaint" and case["priority_name"] == "high"


def test_cancel_ends_the_form_and_leaves_no_case(chat, case_store):
    sender = new_sender("cancel")
    chat.say(sender, "please delete everything you have about my family")
    chat.say(sender, "Sam")
    stopped = chat.say(sender, "cancel")
    assert "Nothing has been sent" in text_of(stopped)
    assert reply_with_section(stopped)["section"] == "handoff"
    assert case_count(case_store, sender) == 0
    # The conversation goes on normally afterwards.
    assert reply_with_section(chat.say(sender, "how long do you keep records"))[
        "section"] == "retention"


def test_staying_anonymous_is_told_how_to_write_in_and_makes_no_case(chat, case_store):
    sender = new_sender("anonymous")
    chat.say(sender, "I want to see my records")
    chat.say(sender, "I'd rather not say")
    reply = chat.say(sender, "I want to stay anonymous")
    assert "in writing" in text_of(reply)
    assert reply_with_section(reply)["case"] is False
    assert case_count(case_store, sender) == 0


def test_my_stepdad_hits_me_gets_the_safety_message_first(chat, case_store, mail_sink):
    sender = new_sender("safety")
    messages = chat.say(sender, "my stepdad hits me")
    assert messages[0]["text"].startswith("Your safety matters most")
    assert reply_with_section(messages)["section"] == "safeguarding"
    assert "999" in messages[0]["text"] and "0800 1111" in messages[0]["text"]
    [case] = [c for c in case_store.list_cases() if c["conversation_id"] == sender]
    assert case["priority_name"] == "urgent" and case["request"] == "safeguarding"
    mails = mail_sink.wait_for_subject(case["reference"])
    assert len(mails) == 1 and mails[0]["Subject"].startswith("URGENT")


def test_a_disclosure_after_the_alert_was_closed_reopens_it_and_mails_the_team(
        chat, case_store, mail_sink):
    sender = new_sender("safety-again")
    chat.say(sender, "my stepdad hits me")
    [case] = [c for c in case_store.list_cases() if c["conversation_id"] == sender]
    mail_sink.wait_for_subject(case["reference"])
    chat.say(sender, "he did it again last night")  # while open: the same alert
    assert [c["reference"] for c in case_store.list_cases("all")
            if c["conversation_id"] == sender] == [case["reference"]]
    case_store.close(case["reference"], "alex", OUTCOMES[0])
    messages = chat.say(sender, "he hit me again today and i am scared")
    assert messages[0]["text"].startswith("Your safety matters most")
    reopened = case_store.get(case["reference"])
    assert reopened["status"] == "open"
    said = [line["text"] for line in reopened["transcript"] if line["from"] == "family"]
    assert said[0] == "my stepdad hits me" and said[-1].startswith("he hit me again today")
    mails = mail_sink.wait_for_subject(f"case {case['reference']} reopened")
    assert len(mails) == 1 and mails[0]["Subject"].startswith("URGENT")


def test_words_of_self_harm_add_a_self_harm_line_to_the_safety_message(chat):
    messages = chat.say(new_sender("self-harm"), "I want to kill myself")
    assert messages[0]["text"].startswith("Your safety matters most")
    assert "116 123" in messages[0]["text"] and "0800 1111" in messages[0]["text"]


def test_please_dont_tell_him_gets_an_honest_answer_not_the_safety_message_again(chat):
    sender = new_sender("secret")
    chat.say(sender, "my mums boyfriend hurts me when shes out")
    messages = chat.say(sender, "please don't tell him I said")
    said = text_of(messages)
    assert "can't promise to keep it a secret" in said
    assert "Your safety matters most" not in said and "0800 1111" in said


def test_talk_to_someone_after_a_concern_says_who_to_call_and_asks_nothing(chat, case_store):
    sender = new_sender("talk-now")
    chat.say(sender, "my stepdad hits me")
    messages = chat.say(sender, "/request_human")  # the "Talk to someone now" button
    said = text_of(messages)
    assert "you don't have to give your name" in said
    assert "0344 800 8020" in said and "0800 1111" in said and "999" in said
    assert "What name should the officer use" not in said and "email" not in said.lower()
    assert reply_with_section(messages)["section"] == "safeguarding"
    after = chat.say(sender, "who do you share my data with?")  # the chat goes on
    assert reply_with_section(after)["section"] == "sharing"
    assert len([c for c in case_store.list_cases("all") if c["conversation_id"] == sender]) == 1


def test_safety_comes_first_in_the_middle_of_a_request(chat, case_store):
    sender = new_sender("safety-in-form")
    chat.say(sender, "i want to talk to someone")
    messages = chat.say(sender, "my mums boyfriend hurts me when shes out")
    assert messages[0]["text"].startswith("Your safety matters most")
    assert reply_with_section(messages)["section"] == "safeguarding"
    # The form goes on: the name question is asked again, and the request is urgent.
    assert "What name should the officer use" in text_of(messages)
    chat.say(sender, "skip")
    chat.say(sender, "07911 123456")
    chat.say(sender, "Young person")
    reference = reply_with_section(confirmed(chat, sender))["reference"]
    assert case_store.get(reference)["priority_name"] == "urgent"
