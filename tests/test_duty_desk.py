"""The duty desk: safety concerns go to the duty workers' queue, not the officers'; who is
on duty for live chats; a family who asks to talk now waits there until a worker joins;
cases are assigned to a colleague with a signed note."""

import asyncio
from datetime import timedelta

import pytest
import requests
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from casework.database import utc_now
from casework.duty import ON_DUTY_FOR, WAITING_FOR, DutyRota
from casework.mail import case_mail
from casework.tables import duty_workers, officers
from processes.servers import free_port
from tests.casework_support import new_case, running_web_server, signed_in, store_in
from web.auth.accounts import set_password


def test_a_worker_is_on_duty_only_while_available_and_their_page_is_open(tmp_path):
    rota = DutyRota(store_in(tmp_path, free_port()).engine)
    now = utc_now()
    assert rota.on_duty(now) == []
    rota.set_available("sam", True, now)
    rota.set_available("kit", False, now)
    assert rota.on_duty(now) == ["sam"]
    later = now + ON_DUTY_FOR + timedelta(seconds=1)
    assert rota.on_duty(later) == []  # the page stopped saying it was open
    assert rota.seen("sam", later) is True and rota.on_duty(later) == ["sam"]
    rota.set_available("sam", False, later)
    assert rota.on_duty(later) == [] and rota.seen("sam", later) is False


def test_a_family_waits_until_a_worker_joins_and_asking_again_keeps_its_place(tmp_path):
    store = store_in(tmp_path, free_port())
    case = store.open_case(new_case("child-1:safeguarding", request="safeguarding"))
    rota = DutyRota(store.engine)
    now = utc_now()
    rota.ask_to_talk("child-1", case["id"], now)
    rota.ask_to_talk("child-1", case["id"], now + timedelta(minutes=1))
    waiting = rota.waiting(now + timedelta(minutes=2))
    assert [w["reference"] for w in waiting] == [case["reference"]]
    assert waiting[0]["requested_at"] == now.isoformat()  # its first place in the line
    rota.answered("child-1", "sam")
    assert rota.waiting() == []
    rota.ask_to_talk("child-1", case["id"])  # asks again after the chat: waits again
    assert len(rota.waiting()) == 1
    assert rota.waiting(utc_now() + WAITING_FOR + timedelta(seconds=1)) == []


def test_a_safety_concern_is_mailed_to_the_duty_team_with_a_duty_queue_link(tmp_path):
    store = store_in(tmp_path, free_port())
    settings = store.settings
    concern = store.open_case(new_case("c:safeguarding", request="safeguarding"))
    access = store.open_case(new_case("a:1", request="access"))
    duty_mail, officers_mail = (case_mail(concern, settings, utc_now()),
                                case_mail(access, settings, utc_now()))
    assert duty_mail["recipient"] == settings["safeguarding"]["duty_mail"]
    assert f"/duty/cases/{concern['reference']}" in duty_mail["body"]
    assert "the duty queue" in duty_mail["body"]
    assert officers_mail["recipient"] == settings["mail"]["team_address"]
    assert f"/officer/cases/{access['reference']}" in officers_mail["body"]
    assert settings["safeguarding"]["duty_mail"] != settings["mail"]["team_address"]


@pytest.fixture(scope="module")
def desks(tmp_path_factory):
    """The site on a database with a safety concern and an access request, two officers
    and two duty workers; yields (site URL, store, concern, access)."""
    store = store_in(tmp_path_factory.mktemp("desks"), free_port())
    concern = store.open_case(new_case("child-1:safeguarding", request="safeguarding"))
    access = store.open_case(new_case("parent-1:1", request="access"))
    set_password(store.engine, "alex", "alex-password-1", table=officers)
    set_password(store.engine, "robin", "robin-password-1", table=duty_workers)
    with running_web_server(ASSISTANT_DATABASE_URL=str(store.engine.url)) as site:
        yield site, store, concern, access


def test_each_desk_sees_only_its_own_cases_behind_its_own_login(desks):
    site, _, concern, access = desks
    officer = signed_in(f"{site}/officer", "demo", "demo-password")
    duty = signed_in(f"{site}/duty", "duty", "duty-password")
    assert [c["reference"] for c in officer.get(f"{site}/officer/api/cases",
                                                timeout=10).json()["cases"]] == [
        access["reference"]]
    assert [c["reference"] for c in duty.get(f"{site}/duty/api/cases",
                                             timeout=10).json()["cases"]] == [
        concern["reference"]]
    # Another desk's case is not found, by page or by API.
    assert officer.get(f"{site}/officer/cases/{concern['reference']}",
                       timeout=10).status_code == 404
    assert officer.get(f"{site}/officer/api/cases/{concern['reference']}",
                       timeout=10).status_code == 404
    assert duty.get(f"{site}/duty/api/cases/{access['reference']}",
                    timeout=10).status_code == 404
    assert officer.post(f"{site}/officer/api/cases/{concern['reference']}/take",
                        json={}, timeout=10).status_code == 404
    # An officer's login is not a duty worker's, nor the other way round.
    assert requests.post(f"{site}/duty/api/login", timeout=10, json={
        "username": "demo", "password": "demo-password"}).status_code == 401
    assert officer.get(f"{site}/duty/api/cases", timeout=10).status_code == 401
    page = duty.get(f"{site}/duty/", timeout=10).text
    assert "Duty queue" in page and "Take live chats" in page


def test_a_worker_goes_on_duty_and_joins_a_waiting_familys_chat(desks):
    site, store, concern, _ = desks
    duty = signed_in(f"{site}/duty", "robin", "robin-password-1")
    assert duty.get(f"{site}/duty/api/rota", timeout=10).json()["available"] is False
    state = duty.post(f"{site}/duty/api/rota", json={"available": True}, timeout=10).json()
    assert state["available"] is True and "robin" in state["on_duty"]
    DutyRota(store.engine).ask_to_talk("child-1", concern["id"])
    waiting = duty.get(f"{site}/duty/api/rota", timeout=10).json()["waiting"]
    assert [w["reference"] for w in waiting] == [concern["reference"]]
    live = duty.post(f"{site}/duty/api/cases/{concern['reference']}/live/start", json={},
                     timeout=10).json()
    assert live["live"] is True
    assert live["messages"][-1]["text"] == "A duty worker from the council has joined this chat."
    assert duty.get(f"{site}/duty/api/rota", timeout=10).json()["waiting"] == []
    assert store.get(concern["reference"])["assigned_to"] == "robin"
    ended = duty.post(f"{site}/duty/api/cases/{concern['reference']}/live/end", json={},
                      timeout=10)
    assert ended.status_code == 200, ended.text
    assert ended.json()["live"] is False
    assert ended.json()["messages"][-1]["text"].startswith("The duty worker has left")
    off = duty.post(f"{site}/duty/api/rota", json={"available": False}, timeout=10).json()
    assert "robin" not in off["on_duty"]


def test_an_officer_assigns_a_case_to_a_colleague_with_a_signed_note(desks):
    site, store, _, access = desks
    officer = signed_in(f"{site}/officer", "demo", "demo-password")
    url = f"{site}/officer/api/cases/{access['reference']}/assign"
    case = officer.post(url, json={"to": "alex"}, timeout=10).json()
    assert case["assigned_to"] == "alex" and case["status"] == "in_progress"
    assert case["notes"][-1] == {**case["notes"][-1], "author": "demo",
                                 "text": "Assigned the case to alex."}
    stranger = officer.post(url, json={"to": "robin"}, timeout=10)  # a duty worker
    assert stranger.status_code == 400 and "no account on this queue" in stranger.text
    back = officer.post(url, json={"to": ""}, timeout=10).json()
    assert back["assigned_to"] is None and back["status"] == "open"
    assert back["notes"][-1]["text"].startswith("Put the case back in the queue")
    page = officer.get(f"{site}/officer/cases/{access['reference']}", timeout=10).text
    assert '<option value="alex"' in page and "Assign to" in page


def talk_now_tracker():
    said = {"event": "user", "text": "my stepdad hits me", "timestamp": 1e9,
            "parse_data": {"intent": {"name": "safeguarding"}}}
    return Tracker(
        sender_id="child-9", slots={},
        latest_message={"intent": {"name": "request_human", "confidence": 0.9},
                        "entities": [], "text": "/request_human", "intent_ranking": []},
        events=[said], paused=False, followup_action=None, active_loop={},
        latest_action_name="action_listen")


def test_talk_now_waits_for_a_worker_on_duty_and_else_gives_the_numbers(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{tmp_path / 'cases.sqlite3'}")
    monkeypatch.setenv("ASSISTANT_SMTP_PORT", str(free_port()))  # nobody listens
    from actions.case_access import case_store
    from actions.handoff import ActionStartRequest
    from actions.route_replies import open_safeguarding_case

    def talk_now():
        dispatcher = CollectingDispatcher()
        events = asyncio.run(ActionStartRequest().run(dispatcher, talk_now_tracker(), {}))
        return dispatcher.messages[0]["text"], events

    open_safeguarding_case(talk_now_tracker())
    rota = DutyRota(case_store().engine)
    text, events = talk_now()
    assert text.startswith("Nobody from the Children's Advice and Duty Service is in this "
                           "chat right now")
    assert "0800 1111" in text and rota.waiting() == []
    assert not any(e.get("name") == "handoff_form" for e in events)  # no form, no email
    rota.set_available("robin", True)
    text, _ = talk_now()
    assert "will join this chat in a moment" in text and "0800 1111" in text
    assert [w["conversation_id"] for w in rota.waiting()] == ["child-9"]
