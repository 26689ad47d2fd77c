"""Rasa and the action server: loopback only, the action server only for Rasa, bodies capped.

The servers here are started by the same command builders as `make run` and the
production profile (processes/servers.py), so what holds here holds there.
"""

import json
import socket

import pytest
import requests

from core.settings import ACTION_TOKEN_HEADER, MAX_REQUEST_BYTES, PROJECT_ROOT, action_token


# What the review sent: an action call that opens an urgent case with a made-up transcript.
FORGED_CALL = {
    "next_action": "action_safeguarding", "sender_id": "forged", "version": "3.6.2",
    "tracker": {"sender_id": "forged", "slots": {}, "latest_message": {
        "text": "FORGED-TRANSCRIPT", "intent": {"name": "safeguarding"}}, "events": []},
    "domain": {},
}


def non_loopback_address() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 9))  # no packet is sent: this only picks a route
            address = probe.getsockname()[0]
        except OSError:
            address = ""
    if not address or address.startswith("127."):
        pytest.skip("this machine has no address other than loopback")
    return address


def reachable(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=2):
            return True
    except OSError:
        return False


def port_of(url: str) -> int:
    return int(url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])


def test_the_action_server_refuses_calls_without_the_shared_secret(action_server_url,
                                                                    case_store):
    for headers in ({}, {ACTION_TOKEN_HEADER: "guessed"}, {ACTION_TOKEN_HEADER: ""}):
        reply = requests.post(action_server_url, json=FORGED_CALL, headers=headers, timeout=30)
        assert reply.status_code == 401, (headers, reply.status_code, reply.text[:200])
        assert "FORGED" not in reply.text
    listing = action_server_url.rsplit("/", 1)[0] + "/actions"
    assert requests.get(listing, timeout=30).status_code == 401
    allowed = requests.get(listing, headers={ACTION_TOKEN_HEADER: action_token()}, timeout=30)
    assert allowed.status_code == 200 and {"name": "action_safeguarding"} in allowed.json()
    assert case_store.references_for("forged") == []


def test_the_action_servers_errors_do_not_repeat_what_it_was_sent(action_server_url):
    headers = {ACTION_TOKEN_HEADER: action_token(), "Content-Type": "application/json"}
    malformed = requests.post(action_server_url, data='{"SECRET-BODY": ', headers=headers,
                              timeout=30)
    assert malformed.status_code == 400, malformed.text[:200]
    assert "SECRET-BODY" not in malformed.text
    broken = requests.post(action_server_url, headers=headers, timeout=30, data=json.dumps(
        {"next_action": "action_safeguarding", "version": "3.6.2",
         "tracker": "SECRET-TRACKER", "domain": "SECRET-DOMAIN"}))
    assert 400 <= broken.status_code < 600, broken.status_code
    assert "SECRET-" not in broken.text, broken.text[:300]


def test_rasa_and_the_action_server_listen_on_loopback_only(action_server_url, rasa_rest_url):
    address = non_loopback_address()
    for url in (action_server_url, rasa_rest_url):
        port = port_of(url)
        assert reachable("127.0.0.1", port), url
        assert not reachable(address, port), f"{url} answers on {address}"


def test_bodies_over_the_limit_are_refused_by_every_server(action_server_url, rasa_rest_url,
                                                           site_url):
    too_big = json.dumps({"sender": "big", "message": "x" * (MAX_REQUEST_BYTES + 1)})
    rasa = requests.post(f"{rasa_rest_url}/webhooks/rest/webhook", data=too_big, timeout=60,
                         headers={"Content-Type": "application/json"})
    assert rasa.status_code == 413, rasa.status_code
    site = requests.post(f"{site_url}/chat/api/message", data=too_big, timeout=60,
                         headers={"Content-Type": "application/json"})
    assert site.status_code == 413, site.status_code
    # A tracker is bigger than a message: the action server allows more, but not 100 MB.
    actions = requests.post(action_server_url, data=b"x" * (4 * 1024 * 1024), timeout=60,
                            headers={ACTION_TOKEN_HEADER: action_token()})
    assert actions.status_code == 413, actions.status_code


def test_the_endpoints_file_sends_the_secret_to_an_action_server_on_loopback(monkeypatch):
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.setenv("ASSISTANT_ACTION_TOKEN", "this-runs-secret")
    # As `rasa run` reads it: the variable is expanded (a quoted "${…}" would not be).
    action = read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "action_endpoint")
    assert action.url.startswith("http://127.0.0.1:")
    assert action.headers == {ACTION_TOKEN_HEADER: "this-runs-secret"}
