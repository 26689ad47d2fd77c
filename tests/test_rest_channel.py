"""The README's promise over HTTP: `rasa run` with the REST channel keeps the contract."""

import json
import urllib.error
import urllib.request

import pytest


@pytest.fixture(scope="module")
def rest_url(rasa_rest_url):
    return rasa_rest_url


def post(url, body: bytes):
    request = urllib.request.Request(
        url + "/webhooks/rest/webhook", data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read() or b"null")


def ask(url, sender, message):
    return post(url, json.dumps({"sender": sender, "message": message}).encode())


def test_the_readme_call_returns_the_sharing_answer(rest_url):
    status, messages = ask(rest_url, "a", "who do you share my data with")
    assert status == 200
    assert messages, "a failing turn answers 200 with an empty list"
    sections = [m["custom"]["section"] for m in messages if "custom" in m]
    assert sections == ["sharing"]
    # The REST channel sends the text and the custom payload as separate messages.
    assert any("Who we share your information with" in m.get("text", "") for m in messages)


@pytest.mark.parametrize(
    "message,section",
    [("hello", "chitchat"), ("i want to kill myself", "safeguarding"),
     ("how do i pay my council tax", "out_of_scope"), ("what are my rights", "rights")],
)
def test_every_turn_has_exactly_one_section(rest_url, message, section):
    _, messages = ask(rest_url, f"turn-{section}", message)
    assert [m["custom"]["section"] for m in messages if "custom" in m] == [section]


def test_the_http_api_is_off(rest_url):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(rest_url + "/conversations/a/tracker", timeout=10)
    assert error.value.code == 404


def test_a_request_goes_through_the_form_over_rest(rest_url, case_store, mail_sink):
    from evaluation.heldout import sections_of

    turns = ["I want a copy of everything you hold on me", "Jo Bloggs",
             "jo.bloggs@example.com", "Care leaver", "yes"]
    for message in turns:
        status, messages = ask(rest_url, "rest-request", message)
        assert status == 200 and messages
        assert sections_of(messages) == ["handoff:access"], (message, messages)
    reference = next(m["custom"]["reference"] for m in messages
                     if "reference" in (m.get("custom") or {}))
    case = case_store.get(reference)
    assert case["contact_detail"] == "jo.bloggs@example.com"
    assert len(mail_sink.wait_for_subject(reference)) == 1
