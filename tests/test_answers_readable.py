"""Answers families can use: short, plain, sourced, and saying nothing new."""

import re

import pytest
import textstat
import yaml

from core.notice import load_notice, normalise
from actions.replies import SHOW_WORDING, section_answer, source_line
from tests.conftest import PROJECT_ROOT

notice = load_notice()
MAX_WORDS = 80
MAX_GRADE = 9.0

SPECIFIC_QUESTIONS = [
    ("sharing", [{"entity": "recipient", "value": "police"}]),
    ("sharing", [{"entity": "recipient", "value": "employer"}]),
    ("sharing", [{"entity": "recipient", "value": "nhs"},
                 {"entity": "recipient", "value": "education"}]),
    ("special_category", [{"entity": "data_kind", "value": "religion"}]),
    ("data_collected", [{"entity": "data_kind", "value": "biometrics"}]),
    ("criminal_data", [{"entity": "data_kind", "value": "criminal"}]),
    ("sharing", [{"entity": "recipient", "value": "nhs", "role": "example", "text": "GP"}]),
    ("sharing", [{"entity": "other_recipient", "value": "unlisted",
                  "text": "my child's football club"}]),
    ("retention", [{"entity": "person", "value": "my daughter"}]),
]


def body_of(text: str) -> str:
    return text.rsplit("\n\nSource:", 1)[0]


def all_answers():
    for section_id in sorted(notice.sections):
        yield section_id, section_answer(notice, section_id)
    for section_id, entities in SPECIFIC_QUESTIONS:
        yield f"{section_id}+{entities[0]['value']}", section_answer(
            notice, section_id, entities
        )


def silent_answers():
    """Every answer that says the notice does not mention something."""
    for topic in sorted(notice.terms["topic"].values(), key=lambda t: t.id):
        reply = section_answer(notice, topic.section, [{"entity": "topic", "value": topic.id}])
        assert reply.extra.get("silent") == topic.id
        yield f"silent:{topic.id}", reply


def service_answers():
    """What the notice says of each service it names, and who gets data for it."""
    for service in sorted(notice.terms["service"].values(), key=lambda t: t.id):
        entities = [{"entity": "service", "value": service.id}]
        yield f"service:{service.id}", section_answer(notice, service.section, entities)
        if service.shared:
            yield f"service:{service.id}:shared", section_answer(notice, "sharing", entities)


ANSWERS = dict(all_answers()) | dict(silent_answers()) | dict(service_answers())


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_answer_is_short(name):
    words = len(ANSWERS[name].text.split())
    assert words <= MAX_WORDS, f"{name}: {words} words"


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_answer_reads_at_grade_9_or_lower(name):
    grade = textstat.flesch_kincaid_grade(body_of(ANSWERS[name].text))
    assert grade <= MAX_GRADE, f"{name}: Flesch-Kincaid grade {grade:.1f}"


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_answer_ends_with_its_source_and_offers_the_wording(name):
    reply = ANSWERS[name]
    title = notice.section(reply.section).title
    assert reply.text.endswith(source_line(title))
    # Where the notice is silent, a person is offered too.
    expected = [SHOW_WORDING] + (["Talk to a person"] if reply.extra.get("silent")
                                 and name.startswith("silent:") else [])
    assert [b["title"] for b in reply.buttons] == expected
    assert reply.custom["section"] == reply.section


@pytest.mark.parametrize("section_id", sorted(notice.sections))
def test_every_number_in_an_answer_is_in_the_notice_wording(section_id):
    # A cheap guard against saying what the notice does not: figures (ages, months,
    # years of Acts) must come from the quoted wording.
    wording = normalise(" ".join(notice.wording(section_id)))
    for number in re.findall(r"\d+", notice.section(section_id).answer):
        assert number in wording, f"{section_id}: {number} is not in its quotes"


def domain_responses():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    for name, variants in domain["responses"].items():
        for variant in variants:
            yield name, variant


@pytest.mark.parametrize("name,variant", list(domain_responses()))
def test_domain_responses_are_short_plain_and_keep_the_contract(name, variant):
    text = variant["text"]
    assert len(text.split()) <= MAX_WORDS, name
    assert textstat.flesch_kincaid_grade(body_of(text)) <= MAX_GRADE, name
    assert variant["custom"]["section"] in {"chitchat", "rights", "chat_privacy"}
