"""The chat server's API without a browser: bad input, Rasa down, live chat hand-over."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from casework.cases import CaseConflict, CaseError
from casework.live import LiveChats
from processes.servers import free_port
from tests.casework_support import (new_case, running_web_server, settings_file_with,
                                     store_in)

ALLOWED = "https://www.council.example"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The web server with Rasa unreachable (a port nobody listens on)."""
    tmp = tmp_path_factory.mktemp("chat")
    store = store_in(tmp, free_port())
    settings = settings_file_with(
        tmp, lambda s: s["web"]["chat"].update(allowed_origins=[ALLOWED]))
    with running_web_server(
            ASSISTANT_SETTINGS=settings, ASSISTANT_DATABASE_URL=str(store.engine.url),
            ASSISTANT_RASA_URL=f"http://127.0.0.1:{free_port()}",
            ASSISTANT_TRACKER_STORE_URL=f"sqlite:///{tmp / 'trackers.sqlite3'}") as base:
        yield base, store


@pytest.fixture(scope="module")
def fake_rasa():
    """A stand-in for Rasa's REST channel that keeps what it was sent. Like Rasa, it
    fails (503) on text Rasa cannot handle: a lone surrogate."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append(body)
            message = body["message"]
            if any("\ud800" <= c <= "\udfff" for c in message):
                status, reply = 503, {"error": "the assistant could not answer just now"}
            else:
                status, reply = 200, [{
                    "recipient_id": body["sender"], "text": f"You said {message}",
                    "buttons": [{"title": "Talk to a person", "payload": "/request_human"}]}]
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    rasa = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=rasa.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{rasa.server_port}", received
    rasa.shutdown()


@pytest.fixture(scope="module")
def relayed(tmp_path_factory, fake_rasa):
    """The web server in front of the stand-in Rasa; yields (base URL, what Rasa got)."""
    tmp = tmp_path_factory.mktemp("relayed")
    store = store_in(tmp, free_port())
    rasa_url, received = fake_rasa
    with running_web_server(
            ASSISTANT_DATABASE_URL=str(store.engine.url), ASSISTANT_RASA_URL=rasa_url,
            ASSISTANT_TRACKER_STORE_URL=f"sqlite:///{tmp / 'trackers.sqlite3'}") as base:
        yield base, received


def new_conversation(base):
    """A conversation id issued (and signed) by the chat server."""
    reply = requests.post(base + "/chat/api/conversations", json={}, timeout=10)
    assert reply.status_code == 201, reply.text
    return reply.json()["conversation"]


def sender_of(conversation):
    """The id Rasa and the case database know the conversation by (before the '.')."""
    return conversation.split(".")[0]


def send(base, conversation, timeout=40, **body):
    return requests.post(base + "/chat/api/message", json=body, timeout=timeout,
                         headers={"X-Conversation": conversation})


def poll(base, conversation, after):
    return requests.get(base + "/chat/api/updates", params={"after": after}, timeout=10,
                        headers={"X-Conversation": conversation})


def forget(base, conversation):
    return requests.delete(base + "/chat/api/conversation", timeout=10,
                           headers={"X-Conversation": conversation})


def test_the_demo_page_shows_the_notice_and_one_script_tag(server):
    base, _ = server
    page = requests.get(base + "/", timeout=10).text
    assert "What we use the personal data for" in page
    assert page.count('<script src="/chat/widget.js"') == 1
    assert "Toggle mobile menu" not in page and "Facebook icon" not in page
    assert requests.get(base + "/chat/widget.js", timeout=10).status_code == 200


@pytest.mark.parametrize("body, reason", [
    ({"text": "  "}, "empty"),
    ({}, "empty"),
    ({"text": 42}, "empty"),
])
def test_bad_messages_are_refused_clearly(server, body, reason):
    base, _ = server
    reply = send(base, new_conversation(base), **body)
    assert reply.status_code == 400 and reason in reply.json()["error"]


def test_when_rasa_is_down_the_family_gets_a_way_forward(server):
    base, _ = server
    reply = send(base, new_conversation(base), text="hello")
    assert reply.status_code == 200
    [message] = reply.json()["messages"]
    assert "not available right now" in message["text"] and "999" in message["text"]


def test_a_too_long_message_gets_a_clear_reply_and_is_not_processed(server):
    base, _ = server
    reply = send(base, new_conversation(base), text="a" * 1001, timeout=10)
    assert reply.status_code == 200
    [message] = reply.json()["messages"]
    assert "too long" in message["text"] and "not available" not in message["text"]


def test_a_flood_from_one_conversation_is_slowed_down_with_a_clear_message(server):
    base, _ = server
    conversation = new_conversation(base)
    statuses = []
    for number in range(25):
        reply = send(base, conversation, text=f"hello {number}")
        statuses.append(reply.status_code)
    assert statuses[:20] == [200] * 20 and set(statuses[20:]) == {429}
    assert "very quickly" in reply.json()["messages"][0]["text"]


def test_only_configured_origins_may_call_the_chat_api(server):
    base, _ = server
    preflight = {"Access-Control-Request-Method": "POST"}
    ok = requests.options(base + "/chat/api/message", timeout=10,
                          headers={"Origin": ALLOWED, **preflight})
    assert ok.status_code == 204 and ok.headers["Access-Control-Allow-Origin"] == ALLOWED
    other = requests.options(base + "/chat/api/message", timeout=10,
                             headers={"Origin": "https://evil.example", **preflight})
    assert other.status_code == 403 and "Access-Control-Allow-Origin" not in other.headers
    page = requests.get(base + "/", timeout=10)
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"


def test_forgetting_a_conversation_without_cases_is_fine(server):
    base, _ = server
    reply = forget(base, new_conversation(base))
    assert reply.json() == {"forgotten": True, "cases_kept": 0}


def test_live_chat_takes_over_and_hands_back(tmp_path):
    store = store_in(tmp_path, free_port())
    reference = store.open_case(new_case("fam-1:r1"))["reference"]
    live = LiveChats(store.engine)
    assert live.from_family("fam-1", "hello?") is False  # nobody there: the assistant answers
    with pytest.raises(CaseConflict):
        live.from_officer(reference, "alex", "hi")  # not started
    live.seen("fam-1")
    state = live.start(reference, "alex")
    assert state["live"] and state["online"]
    with pytest.raises(CaseConflict):
        live.start(reference, "sam")  # someone else is already talking to them
    live.from_officer(reference, "alex", "Hello, I'm Alex")
    assert live.from_family("fam-1", "thanks") is True
    with pytest.raises(CaseError):
        live.from_officer(reference, "alex", "   ")
    said = live.messages_for_family("fam-1", after=0)
    assert [m["from"] for m in said] == ["notice", "officer"]  # not the family's own
    assert live.messages_for_family("fam-1", after=said[-1]["id"]) == []
    state = live.hand_back(reference, "alex")
    assert not state["live"]
    assert [m["from"] for m in state["messages"]] == ["notice", "officer", "family", "notice"]
    assert live.from_family("fam-1", "back to the bot") is False


# -- unhandled input (issue 16, item 7) ---------------------------------------------


@pytest.mark.parametrize("after", [str(10 ** 30), str(2 ** 63), "\u00b2", "-1", "12abc"])
def test_updates_after_a_number_out_of_range_is_a_clear_400(server, after):
    base, _ = server
    conversation = new_conversation(base)
    reply = poll(base, conversation, after)
    assert reply.status_code == 400 and "after" in reply.json()["error"]
    assert poll(base, conversation, str(2 ** 63 - 1)).status_code == 200


def test_a_lone_surrogate_gets_a_sensible_reply_not_not_available(relayed):
    base, received = relayed
    reply = requests.post(base + "/chat/api/message", timeout=40,
                          headers={"Content-Type": "application/json",
                                   "X-Conversation": new_conversation(base)},
                          data=b'{"text": "hello \\ud800 there"}')
    assert reply.status_code in (200, 400)
    [message] = reply.json()["messages"]
    assert "not available" not in message["text"]
    assert not any("\ud800" in r["message"] for r in received)


@pytest.mark.parametrize("body", [b'{"text": ',
                                  b"\xff\xfe not utf-8", b"[1, 2]", b'"just a string"'])
def test_a_malformed_json_body_is_a_clear_400(server, body):
    base, _ = server
    reply = requests.post(base + "/chat/api/message", data=body, timeout=10,
                          headers={"Content-Type": "application/json",
                                   "X-Conversation": new_conversation(base)})
    assert reply.status_code == 400
    assert "JSON" in reply.json()["error"]


# -- the conversation id is a credential (issue 16, item 8) ---------------------------


def test_conversation_ids_are_issued_signed_and_refused_otherwise(server):
    base, _ = server
    first, second = new_conversation(base), new_conversation(base)
    assert first != second and sender_of(first) != sender_of(second)
    assert send(base, first, text="hello").status_code == 200
    assert poll(base, first, 0).status_code == 200
    forged = [
        "conv-1234abcd",                             # any id a client makes up
        sender_of(first),                            # the id without its signature
        sender_of(first) + "." + second.split(".")[1],  # another conversation's signature
        first[:-1] + ("0" if first[-1] != "0" else "1"),  # a changed signature
        first + "x", "",
    ]
    for conversation in forged:
        for reply in (send(base, conversation, text="hello"), poll(base, conversation, 0),
                      forget(base, conversation)):
            assert reply.status_code == 401, (conversation, reply.status_code)
            assert "POST /chat/api/conversations" in reply.json()["error"]


def test_the_conversation_never_travels_in_a_url(server):
    base, _ = server
    conversation = new_conversation(base)
    in_body = requests.post(base + "/chat/api/message", timeout=10,
                            json={"conversation": conversation, "text": "hello"})
    assert in_body.status_code == 401
    in_query = requests.get(base + "/chat/api/updates", timeout=10,
                            params={"conversation": conversation, "after": 0})
    assert in_query.status_code == 401
    in_path = requests.delete(base + f"/chat/api/conversations/{conversation}", timeout=10)
    assert in_path.status_code in (404, 405)


def test_forgetting_says_how_many_cases_are_kept_but_not_which(server):
    base, store = server
    conversation = new_conversation(base)
    reference = store.open_case(new_case(f"{sender_of(conversation)}:r1"))["reference"]
    reply = forget(base, conversation)
    assert reply.json() == {"forgotten": True, "cases_kept": 1}
    assert reference not in reply.text


# -- cross-site and typed payloads (issue 16, item 5) -------------------------------


def test_the_chat_api_takes_only_json_bodies(server):
    base, _ = server
    conversation = new_conversation(base)
    for content_type in ["text/plain", "application/x-www-form-urlencoded",
                         "multipart/form-data; boundary=x", None]:
        headers = {"X-Conversation": conversation}
        if content_type:
            headers["Content-Type"] = content_type
        for path in ["/chat/api/message", "/chat/api/conversations"]:
            reply = requests.post(base + path, data=b'{"text": "hello"}', headers=headers,
                                  timeout=10)
            assert reply.status_code == 415, (path, content_type, reply.status_code)
            assert "application/json" in reply.json()["error"]
    reply = requests.post(base + "/chat/api/message", data=b'{"text": "hello"}', timeout=40,
                          headers={"X-Conversation": conversation,
                                   "Content-Type": "application/json; charset=utf-8"})
    assert reply.status_code == 200


def test_pages_of_other_origins_may_not_call_the_chat_api(server):
    base, _ = server
    conversation = new_conversation(base)

    def calls(origin):
        headers = {"Origin": origin} if origin else {}
        with_id = {**headers, "X-Conversation": conversation}
        return [
            requests.post(base + "/chat/api/conversations", json={}, headers=headers,
                          timeout=10),
            requests.post(base + "/chat/api/message", json={"text": "a" * 1001},
                          headers=with_id, timeout=10),
            requests.get(base + "/chat/api/updates", headers=with_id, timeout=10),
            requests.delete(base + "/chat/api/conversation", headers=with_id, timeout=10),
        ]

    for origin in ["https://evil.example", "null", base.replace("127.0.0.1", "localhost"),
                   ALLOWED + ".evil.example"]:
        for reply in calls(origin):
            assert reply.status_code == 403, (origin, reply.request.method, reply.url)
            assert "Access-Control-Allow-Origin" not in reply.headers
    for origin in [base, ALLOWED, None]:  # the site itself, a listed site, no browser
        for reply in calls(origin):
            assert reply.status_code in (200, 201), (origin, reply.request.method, reply.url)
    [*_, forgotten] = calls(ALLOWED)
    assert forgotten.headers["Access-Control-Allow-Origin"] == ALLOWED
    preflight = requests.options(base + "/chat/api/updates", timeout=10, headers={
        "Origin": ALLOWED, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "x-conversation"})
    assert "X-Conversation" in preflight.headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("typed, forwarded", [
    ('/request_access{"x":1}', 'request_access{"x":1}'),
    ("  //restart", "restart"),
    ("/ /stop", "stop"),
    ("/", ""),
    ("what does /request_access do", "what does /request_access do"),
])
def test_typed_intents_reach_rasa_as_ordinary_text(relayed, typed, forwarded):
    base, received = relayed
    reply = send(base, new_conversation(base), text=typed)
    assert reply.status_code == 200 and reply.json()["messages"]
    assert received[-1]["message"] == forwarded


def test_only_the_servers_own_buttons_send_intents(relayed):
    base, received = relayed
    conversation, other = new_conversation(base), new_conversation(base)
    [message] = send(base, conversation, text="hello").json()["messages"]
    [button] = message["buttons"]
    assert button["title"] == "Talk to a person"
    token = button["payload"]
    assert "/request_human" not in token  # the intent itself never reaches the browser
    pressed = send(base, conversation, button=token)
    assert pressed.status_code == 200 and received[-1]["message"] == "/request_human"
    assert received[-1]["sender"] == sender_of(conversation)
    [other_message] = send(base, other, text="hello").json()["messages"]
    forwarded = len(received)
    for forged in ["/request_human", token[:-1] + ("0" if token[-1] != "0" else "1"),
                   other_message["buttons"][0]["payload"], "", 42, None]:
        body = {"button": forged} if forged is not None else {"button": None, "text": ""}
        reply = send(base, conversation, **body)
        assert reply.status_code == 400, forged
        if forged is not None:
            [refusal] = reply.json()["messages"]
            assert "button" in refusal["text"] and "not available" not in refusal["text"]
    assert len(received) == forwarded  # none of them reached Rasa
