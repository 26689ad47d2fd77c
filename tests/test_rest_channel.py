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
    from core.labels import sections_of

    turns = ["I want a copy of everything you hold on me", "Jo Bloggs",
             "jo.bloggs@example.com", "Care leaver", "yes", "Send"]
    for message in turns:
        status, messages = ask(rest_url, "rest-request", message)
        assert status == 200 and messages
        assert sections_of(messages) == ["handoff:access"], (message, messages)
    reference = next(m["custom"]["reference"] for m in messages
                     if "reference" in (m.get("custom") or {}))
    case = case_store.get(reference)
    assert case["contact_detail"] == "jo.bloggs@example.com"
    assert len(mail_sink.wait_for_subject(reference)) == 1


def send(url, payload):
    request = urllib.request.Request(
        url + "/webhooks/rest/webhook", data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("X-Replayed"), json.loads(response.read())


def test_a_message_sent_twice_with_one_id_runs_once(rest_url, tracker_store_url):
    from sqlalchemy import create_engine, text

    first = {"sender": "retried", "message": "how long do you keep my file", "message_id": "m-1"}
    replayed, replies = send(rest_url, first)
    assert replayed is None and [m["custom"]["section"] for m in replies if "custom" in m] == ["retention"]
    replayed, again = send(rest_url, first)
    assert replayed == "true" and again == replies
    # A new id is a new turn, even with the same words.
    replayed, third = send(rest_url, {**first, "message_id": "m-2"})
    assert replayed is None and third == replies
    engine = create_engine(tracker_store_url)
    with engine.connect() as conn:
        user_turns = conn.execute(text(
            "SELECT count(*) FROM events WHERE sender_id = 'retried' AND type_name = 'user'")).scalar()
    engine.dispose()
    assert user_turns == 2


def test_a_replayed_turn_keeps_buttons_and_text_apart(rest_url):
    payload = {"sender": "retried-buttons", "message": "what are my rights", "message_id": "r-1"}
    _, replies = send(rest_url, payload)
    assert any(m.get("buttons") for m in replies)
    _, again = send(rest_url, payload)
    assert again == replies


@pytest.mark.parametrize("body", [
    {"sender": "x"}, {"message": "hi"}, {"sender": 5, "message": "hi"},
    {"sender": "x", "message": "hi", "message_id": 7},
    {"sender": "x", "message": "hi", "message_id": "m" * 101}, ["not", "an", "object"]])
def test_a_malformed_request_is_told_what_to_send(rest_url, body):
    with pytest.raises(urllib.error.HTTPError) as error:
        send(rest_url, body)
    assert error.value.code == 400
    assert "error" in json.loads(error.value.read())


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_a_blank_message_is_asked_to_type_a_question(rest_url, blank):
    _, replies = ask(rest_url, "blank", blank)
    assert [m["custom"]["section"] for m in replies if "custom" in m] == ["fallback"]
    assert any("type your question" in m.get("text", "") for m in replies)
