"""Reading the request form's answers: contacts, skips, yes/no, relationship."""

import pytest

from conversation.form_answers import (is_skip, looks_like_a_name, parse_contact,
                             relationship_of, yes_or_no)


@pytest.mark.parametrize("text, expected", [
    ("jo.bloggs@example.com", ("email", "jo.bloggs@example.com")),
    (" Jo_B+kids@mail.example.co.uk. ", ("email", "Jo_B+kids@mail.example.co.uk")),
    ("07123 456789", ("phone", "+447123456789")),
    ("+44 7911 123456", ("phone", "+447911123456")),
    ("(01603) 223000", ("phone", "+441603223000")),
    ("0344 800 8020", ("phone", "+443448008020")),
])
def test_valid_contacts_are_recognised_and_normalised(text, expected):
    assert parse_contact(text) == expected


@pytest.mark.parametrize("text", [
    "jo.bloggs@", "jo at example dot com", "@example.com", "0770090", "12345678901",
    "+1 202 555 0143", "ring me", "", "07123 456789 or jo@example.com",
])
def test_anything_else_is_not_a_contact(text):
    assert parse_contact(text) is None


@pytest.mark.parametrize("text", ["skip", "Skip.", "I'd rather not say", "anonymous",
                                  "I want to stay anonymous", "prefer not to say"])
def test_skips(text):
    assert is_skip(text)


def test_a_name_is_not_a_skip():
    assert not is_skip("Sam Smith")


@pytest.mark.parametrize("text, answer", [("yes", True), ("Yeah!", True), ("ok", True),
                                          ("no", False), ("nope", False),
                                          ("maybe", None), ("Jo", None)])
def test_yes_or_no(text, answer):
    assert yes_or_no(text) is answer


@pytest.mark.parametrize("text, label", [
    ("Parent or guardian", "parent"), ("im his mum", "parent"), ("Nan", "parent"),
    ("Young person", "young_person"), ("its me, im 15", "young_person"),
    ("Care leaver", "care_leaver"), ("i was in care", "care_leaver"),
    ("foster carer", "carer"), ("Carer", "carer"),
    ("Other", "other"), ("his solicitor", "other"), ("xyz", "other"),
])
def test_relationships(text, label):
    assert relationship_of(text) == label


@pytest.mark.parametrize("text, ok", [("Sam", True), ("Mrs O'Neill-Smith", True),
                                      ("why do you need my name?", False),
                                      ("jo@example.com", False), ("", False),
                                      ("I was wondering if you could tell me what", False),
                                      # an initial or a surname that is also a word
                                      ("Fault Tester A", True), ("Mary I Jones", True),
                                      ("Jo Be", True), ("Thanks So Much", False),
                                      ("sarah thanks so much", False)])
def test_names(text, ok):
    assert looks_like_a_name(text) is ok
