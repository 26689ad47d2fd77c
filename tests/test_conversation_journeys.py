"""Whole conversations through the trained assistant and the real action server:
follow-ups, long and compound messages, honest silence, and forms that listen."""

import itertools

from sqlalchemy import select

from casework.tables import case_notes, cases

numbers = itertools.count(1)


def sender(name):
    return f"journey-{name}-{next(numbers)}"


def custom_of(messages):
    [custom] = [m["custom"] for m in messages if "section" in (m.get("custom") or {})]
    return custom


def text_of(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def test_a_bare_recipient_why_and_how_long_follow_the_last_answer(chat):
    who = sender("follow")
    assert chat.section(who, "who do you share my son's information with") == "sharing"
    police = chat.say(who, "and the police?")
    assert custom_of(police)["section"] == "sharing"
    assert "the police" in text_of(police)
    assert chat.section(who, "why?") == "legal_basis"
    assert chat.section(who, "for how long?") == "retention"


def test_the_same_for_another_person_answers_the_same_section_for_them(chat):
    who = sender("person")
    assert chat.section(who, "how long do you keep my records") == "retention"
    again = chat.say(who, "is that the same for my daughter?")
    assert custom_of(again)["section"] == "retention"
    assert "does not say anything different for your daughter" in text_of(again)


def test_an_unclear_short_question_is_read_after_the_last_answers_question(chat):
    asked = "could I ask you not to tell them then?"
    assert chat.section(sender("alone"), asked) != "reporter_identity"
    who = sender("leaning")
    assert chat.section(who, "if I report a family will they find out it was me") == \
        "reporter_identity"
    assert chat.section(who, asked) == "reporter_identity"


def test_a_fresh_question_is_not_bent_by_the_one_before(chat):
    who = sender("fresh")
    assert chat.section(who, "who do you share my data with") == "sharing"
    assert chat.section(who, "where is my information stored") == "storage"


def test_two_questions_in_one_message_get_both_answers_with_their_sources(chat):
    messages = chat.say(sender("compound"),
                        "Who do you share it with and how long do you keep it?")
    custom = custom_of(messages)
    assert custom["sections"] == ["sharing", "retention"]
    text = text_of(messages)
    assert "“Who we share your information with”" in text
    assert "“How long will we keep your personal information for”" in text


def test_a_long_calm_message_is_answered_not_sent_to_999(chat, case_store):
    who = sender("long")
    messages = chat.say(who, (
        "Good afternoon. I am a foster carer and I have looked after two brothers for "
        "three years now, and our local authority has recently changed some of its "
        "paperwork, so I would like to understand the position properly before our next "
        "review meeting in the spring. Could you please tell me who you share their "
        "information with?"))
    assert custom_of(messages)["section"] == "sharing"
    assert "999" not in text_of(messages)
    assert not [c for c in case_store.list_cases() if c["conversation_id"] == who]


def test_a_disclosure_buried_in_a_long_message_still_comes_first(chat):
    messages = chat.say(sender("buried"), (
        "Hello, I'm 14 and my form tutor said this site explains what social workers "
        "write down. We moved house last year and I started a new school. My mum's "
        "boyfriend hits me when she is at work. What do you keep about me?"))
    assert custom_of(messages)["section"] == "safeguarding"
    assert messages[0]["text"].startswith("Your safety matters most")


def test_where_the_notice_is_silent_it_says_so_and_never_yes_or_no(chat):
    messages = chat.say(sender("silent"), "do you sell my kids data to companies?")
    text = text_of(messages)
    assert text.startswith("The notice does not mention selling information")
    assert "Yes" not in text.split("\n")[0] and not text.startswith("No")
    assert custom_of(messages)["section"] == "sharing"


def test_a_body_the_notice_does_not_name_is_not_turned_into_a_yes(chat):
    messages = chat.say(sender("unnamed"), "do you share my details with Ofsted?")
    assert "does not mention Ofsted" in text_of(messages)
    assert "Yes, this can happen" not in text_of(messages)


def test_a_question_mid_form_is_answered_and_the_form_asks_again(chat):
    who = sender("interrupt")
    chat.say(who, "I want a copy of my file")
    messages = chat.say(who, "wait, how long will you keep my email address?")
    assert custom_of(messages)["section"] == "retention"
    assert "Back to your request: What name should the officer use?" in text_of(messages)
    resumed = chat.say(who, "carry on")
    assert "What name should the officer use?" in text_of(resumed)
    assert custom_of(resumed)["section"] == "handoff"


def test_a_thank_you_or_a_question_is_not_taken_as_a_name(chat):
    who = sender("not-a-name")
    chat.say(who, "I want a copy of my file")
    again = chat.say(who, "thanks")
    assert "I only need a name here" in text_of(again)
    assert "How can the officer reach you" in text_of(chat.say(who, "my name is Sam Jones"))


def test_change_something_before_sending_then_send(chat, case_store):
    who = sender("change")
    for message in ("please delete my son's records", "Sam Jones", "sam@example.com",
                    "Parent or guardian", "yes"):
        chat.say(who, message)
    change = chat.say(who, "Change something")
    assert "What would you like to change?" in text_of(change)
    assert "How can the officer reach you" in text_of(chat.say(who, "change contact"))
    summary = chat.say(who, "sam.jones@example.com")
    assert "sam.jones@example.com" in text_of(summary)
    done = chat.say(who, "Send")
    case = case_store.get(custom_of(done)["reference"])
    assert (case["request"], case["contact_detail"]) == ("erasure", "sam.jones@example.com")


def test_after_the_reference_the_case_answers_and_new_contact_details_update_it(
        chat, case_store, mail_sink):
    who = sender("after")
    for message in ("I want a copy of my file", "Jo Bloggs", "jo@example.com",
                    "Care leaver", "yes"):
        chat.say(who, message)
    reference = custom_of(chat.say(who, "Send"))["reference"]
    status = chat.say(who, "what was my reference again?")
    assert custom_of(status)["section"] == "handoff" and reference in text_of(status)
    changed = chat.say(who, "my phone number has changed, it's 07700 900123 now")
    assert custom_of(changed)["contact_updated"] is True
    case = case_store.get(reference)
    assert (case["contact_kind"], case["contact_detail"]) == ("phone", "+447700900123")
    with case_store.engine.connect() as conn:
        case_id = conn.execute(select(cases.c.id).where(cases.c.reference == reference)
                               ).scalar()
        notes = conn.execute(select(case_notes.c.text).where(case_notes.c.case_id == case_id)
                             ).scalars().all()
    assert any("new phone contact" in n for n in notes)
    assert mail_sink.wait_for_subject(f"New contact details for {reference}")
    assert len(case_store.references_for(who)) == 1  # no second request


def test_how_do_i_do_that_after_a_right_starts_that_request(chat):
    who = sender("how-to")
    assert chat.section(who, "do I have the right to get my records deleted?") == "rights"
    messages = chat.say(who, "ok how do I do that then?")
    custom = custom_of(messages)
    assert (custom["section"], custom["request"]) == ("handoff", "erasure")


def test_a_complaint_about_a_social_worker_goes_to_the_service_complaints_route(chat):
    messages = chat.say(sender("service"),
                        "I want to complain about my social worker, she is always rude to me")
    custom = custom_of(messages)
    assert (custom["section"], custom["route"]) == ("out_of_scope", "service_complaint")
    assert "complaints procedure" in text_of(messages)
