"""Replies built from the notice data: specific answers, wording, safety, not sure."""

import pytest

from core.notice import load_notice
from actions.replies import (
    clarify_reply,
    out_of_scope_reply,
    confidentiality_reply,
    safeguarding_reply,
    section_answer,
    wording_reply,
)
from core.settings import load_settings

notice = load_notice()
settings = load_settings()


def recipient(value):
    return {"entity": "recipient", "value": value}


def data_kind(value):
    return {"entity": "data_kind", "value": value}


def test_a_listed_recipient_gets_a_specific_yes():
    reply = section_answer(notice, "sharing", [recipient("police")])
    assert reply.text.startswith("Yes, this can happen.")
    assert "the police" in reply.text
    assert reply.section == "sharing"
    assert reply.custom["terms"] == ["police"]


def test_a_recipient_named_by_a_synonym_is_found():
    # The extractor gives ids; a raw word (e.g. from a button) is resolved too.
    reply = section_answer(notice, "sharing", [recipient("GP")])
    assert "the NHS and other health agencies" in reply.text


def test_a_recipient_the_notice_does_not_list_is_said_to_be_not_listed():
    reply = section_answer(notice, "sharing", [recipient("employer")])
    assert "does not mention your employer" in reply.text
    assert "Yes" not in reply.text
    assert reply.section == "sharing"


def test_listed_and_unlisted_recipients_together():
    reply = section_answer(notice, "sharing", [recipient("nhs"), recipient("landlord")])
    assert "lists the NHS and other health agencies" in reply.text
    assert "does not mention your landlord" in reply.text


def test_taxi_drivers_are_answered_from_the_processors_section():
    reply = section_answer(notice, "sharing", [recipient("transport")])
    assert reply.section == "processors"
    assert "Norse Ltd" in reply.text


def test_a_listed_kind_of_data_gets_a_specific_answer_with_its_section():
    reply = section_answer(notice, "data_collected", [data_kind("religion")])
    assert "religious or philosophical beliefs" in reply.text
    assert reply.section == "special_category"
    # Sensitive data is collected only when relevant: not a plain yes.
    assert "only when it is relevant" in reply.text and not reply.text.startswith("Yes")
    assert section_answer(notice, "data_collected", [data_kind("date_of_birth")]
                          ).text.startswith("Yes, it can be.")


def test_a_member_of_a_listed_group_is_not_turned_into_a_yes():
    gp = {"entity": "recipient", "value": "nhs", "role": "example", "text": "GP"}
    reply = section_answer(notice, "sharing", [gp])
    assert reply.text.startswith("The notice does not mention GP by name, but it lists "
                                 "the NHS and other health agencies")
    assert "Yes" not in reply.text


def test_a_topic_the_notice_never_mentions_says_so_with_what_is_nearest():
    reply = section_answer(notice, "automated_decisions", [
        {"entity": "topic", "value": "ai"}])
    assert reply.text.startswith("The notice does not mention AI")
    assert "we do not make automated decisions" in reply.text
    assert reply.extra["silent"] == "ai" and reply.section == "automated_decisions"


def test_a_body_the_notice_data_does_not_know_is_named_back_honestly():
    other = {"entity": "other_recipient", "value": "unlisted", "text": "my son's football club"}
    reply = section_answer(notice, "sharing", [other])
    assert reply.text.startswith("The notice does not mention your son's football club")


def test_a_compound_answer_keeps_each_source_and_names_every_section():
    from actions.replies import combined_reply

    reply = combined_reply([section_answer(notice, "sharing"),
                            section_answer(notice, "retention")])
    assert reply.custom["section"] == "sharing"
    assert reply.custom["sections"] == ["sharing", "retention"]
    assert reply.text.count("Source: privacy notice") == 2
    assert [b["title"] for b in reply.buttons] == [
        "Exact wording: Who we share your information with",
        "Exact wording: How long will we keep your personal information for"]


def test_a_kind_of_data_the_notice_does_not_list():
    reply = section_answer(notice, "data_collected", [data_kind("political_opinions")])
    assert "does not mention political opinions" in reply.text
    assert reply.section == "data_collected"


def test_entities_are_ignored_where_the_question_is_about_something_else():
    # "how long do you keep my religion?" is a retention question.
    reply = section_answer(notice, "retention", [data_kind("religion")])
    assert reply.text.startswith(notice.section("retention").answer)


def test_unknown_entity_values_fall_back_to_the_section_answer():
    reply = section_answer(notice, "sharing", [recipient("martians")])
    assert reply.text.startswith(notice.section("sharing").answer)


def test_the_wording_quotes_the_notice_including_the_list():
    reply = wording_reply(notice, "sharing")
    assert reply.section == "sharing"
    assert "“Police”" in reply.text
    assert "“NHS and other health agencies”" in reply.text
    assert reply.text.count("“Police”") == 1


def test_wording_without_an_earlier_answer_asks_for_a_question():
    reply = wording_reply(notice, None)
    assert reply.section == "fallback"
    assert "ask" in reply.text.lower() or "know" in reply.text.lower()


def test_the_safety_message_gives_every_number_from_the_settings():
    reply = safeguarding_reply(settings)
    s = settings["safeguarding"]
    for number in (s["emergency_number"], s["council_concerns_number"],
                   s["childline_number"]):
        assert number in reply.text
    assert reply.section == "safeguarding"
    # The only offer is to reach a person; no topic buttons distract from safety.
    assert [b["payload"] for b in reply.buttons] == ["/request_human"]


def test_the_safety_message_adds_a_self_harm_line_and_an_honest_word_on_secrets():
    s = settings["safeguarding"]
    plain = safeguarding_reply(settings)
    assert s["self_harm_number"] not in plain.text
    with_self_harm = safeguarding_reply(settings, self_harm=True)
    lines = with_self_harm.text.splitlines()
    assert f"{s['self_harm_line']} on {s['self_harm_number']}" in lines[2]  # after 999
    assert s["childline_number"] in with_self_harm.text
    secret = safeguarding_reply(settings, secrecy=True)
    assert "can't promise to keep it a secret" in secret.text
    assert secret.text.startswith("Your safety matters most")


def test_after_the_safety_message_a_wish_for_secrecy_gets_the_honest_answer_alone():
    reply = confidentiality_reply(settings)
    s = settings["safeguarding"]
    assert "can't promise to keep it a secret" in reply.text
    assert s["emergency_number"] in reply.text and s["childline_number"] in reply.text
    assert "Your safety matters most" not in reply.text
    assert reply.section == "safeguarding"


def test_out_of_scope_says_where_to_look_and_offers_topics():
    reply = out_of_scope_reply(notice, settings)
    assert settings["council"]["website"] in reply.text
    assert reply.section == "out_of_scope"
    assert len(reply.buttons) == 3


@pytest.mark.parametrize("max_topics", [1, 3])
def test_clarify_offers_at_most_the_likely_topics(max_topics):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "retention", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
        {"name": "storage", "confidence": 0.1},
        {"name": "rights", "confidence": 0.05},
        {"name": "sharing", "confidence": 0.01},
    ]
    reply = clarify_reply(notice, ranking, max_topics)
    assert reply.section == "fallback"
    payloads = [b["payload"] for b in reply.buttons]
    assert payloads == ["/retention", "/storage", "/rights"][:max_topics]


def test_clarify_with_no_known_topic_still_asks_again():
    reply = clarify_reply(notice, [{"name": "greet", "confidence": 0.3}], 3)
    assert reply.buttons == []
    assert "other words" in reply.text


def test_an_unlisted_kind_of_data_is_what_a_question_of_another_section_is_silent_on():
    # "are calls recorded, and how long are the recordings kept?" read as retention
    reply = section_answer(notice, "retention", [data_kind("recordings")])
    assert "does not mention" in reply.text
    assert reply.section == "data_collected"
    # a listed kind of data beside it keeps the question's own section
    reply = section_answer(notice, "retention", [data_kind("recordings"), data_kind("religion")])
    assert reply.text.startswith(notice.section("retention").answer)


def service(value):
    return {"entity": "service", "value": value}


def test_a_service_the_notice_names_gets_what_it_says_of_it():
    reply = section_answer(notice, "purpose", [service("operation encompass")])
    assert reply.text.startswith("The notice lists Operation Encompass")
    assert reply.section == "purpose"
    assert reply.custom["terms"] == ["operation_encompass"]


def test_who_gets_data_for_a_service_comes_from_the_sharing_list():
    reply = section_answer(notice, "sharing", [service("supporting families")])
    assert "government bodies that pay for it" in reply.text
    assert "Department for Education" in reply.text
    assert reply.section == "sharing"


def test_a_service_without_a_sharing_line_leaves_the_sharing_answer_as_it_was():
    plain = section_answer(notice, "sharing", [])
    assert section_answer(notice, "sharing", [service("operation encompass")]).text == plain.text
    # A recipient named as well is what the question asks about.
    reply = section_answer(notice, "sharing", [service("supporting families"), recipient("police")])
    assert reply.text.startswith("Yes, this can happen.")


def test_services_are_quoted_in_the_exact_wording_of_their_section():
    wording = " ".join(notice.wording("purpose"))
    assert "Operation Encompass" in wording and "Supporting Families Programme" in wording
