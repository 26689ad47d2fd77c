"""The staff workbench's API (real HTTP, real model) and the review loop into data/."""

import shutil
import time

import pytest
import requests

from processes.servers import free_port
from tests.casework_support import signed_in, store_in
from curation.protected import protected_questions
from curation.reviews import NLU, ReviewError, Reviews


def staff_session(site_url):
    return signed_in(f"{site_url}/staff", "staff", "staff-password")


def test_only_staff_logins_open_the_workbench(site_url):
    assert requests.post(f"{site_url}/staff/api/try", json={"question": "hi"},
                         timeout=10).status_code == 401
    officer = requests.post(f"{site_url}/staff/api/login",
                            json={"username": "demo", "password": "demo-password"}, timeout=10)
    assert officer.status_code == 401  # an officer's account is not a staff account
    page = requests.get(f"{site_url}/staff/", timeout=10, allow_redirects=False)
    assert page.status_code in (302, 303)


def test_a_question_shows_the_answer_and_why(site_url):
    result = staff_session(site_url).post(
        f"{site_url}/staff/api/try", json={"question": "will my GP be told about us"},
        timeout=120).json()
    assert result["section"] == "sharing"
    assert result["intent"]["name"] == "sharing" and 0 < result["intent"]["confidence"] <= 1
    assert len(result["ranking"]) >= 2
    assert any(e["entity"] == "recipient" for e in result["entities"])
    [action] = result["actions"]
    assert action["action"] == "action_answer_from_notice"
    assert action["policy"] == "RulePolicy" and action["rules"]
    assert "Source:" in result["reply"][0]["text"]


def test_a_try_runs_the_real_actions_but_opens_no_case_and_mails_no_one(
        site_url, case_store, mail_sink):
    """Trying a safety message (which opens an urgent case for a family) on the workbench
    uses a practice case store: the real one and the team's mailbox stay as they were."""
    cases_before = case_store.list_cases("all")
    mail_before = len(mail_sink.messages)
    session = staff_session(site_url)
    result = session.post(f"{site_url}/staff/api/try",
                          json={"question": "my stepdad hits me and I am scared to go home"},
                          timeout=120).json()
    assert result["section"] == "safeguarding"
    assert any(a["action"] == "action_safeguarding" for a in result["actions"])
    request = session.post(f"{site_url}/staff/api/try",
                           json={"question": "I want a copy of all my records"},
                           timeout=120).json()
    assert request["section"] == "handoff:access"
    time.sleep(2)  # mail goes in the background: give it the time it would take
    assert case_store.list_cases("all") == cases_before
    assert len(mail_sink.messages) == mail_before
    page = session.get(f"{site_url}/staff/", timeout=10).text
    assert "opens no real case and mails no one" in page


def test_a_compound_question_shows_its_parts_and_how_each_was_read(site_url):
    result = staff_session(site_url).post(
        f"{site_url}/staff/api/try",
        json={"question": "Hello. Who do you share it with, and how long do you keep it?"},
        timeout=120).json()
    assert [(p["intent"], p["answered"]) for p in result["parts"]] == [
        ("greet", False), ("sharing", True), ("retention", True)]
    assert result["parts"][1]["text"] == "Who do you share it with"


def test_a_verdict_is_saved_as_a_review_item(site_url):
    session = staff_session(site_url)
    saved = session.post(f"{site_url}/staff/api/reviews", json={
        "question": "do u tell my ex where we live now", "answered": "reporter_identity",
        "intent": "reporter_identity", "confidence": 0.61, "verdict": "wrong",
        "expected": "sharing"}, timeout=10)
    assert saved.status_code == 201 and saved.json()["status"] == "new"
    bad = session.post(f"{site_url}/staff/api/reviews", json={
        "question": "x", "answered": "sharing", "verdict": "wrong", "expected": "nonsense"},
        timeout=10)
    assert bad.status_code == 400 and "choose the section" in bad.json()["error"]
    items = session.get(f"{site_url}/staff/api/reviews?status=new", timeout=10).json()["items"]
    assert any(i["question"] == "do u tell my ex where we live now" for i in items)
    del session.headers["X-CSRF-Token"]
    assert session.post(f"{site_url}/staff/api/try", json={"question": "hi"},
                        timeout=10).status_code == 403


@pytest.fixture
def reviews_and_data(tmp_path):
    nlu = tmp_path / "data" / "nlu"
    shutil.copytree(NLU, nlu)
    return Reviews(store_in(tmp_path, free_port()).engine), nlu


def add(reviews, question, expected, verdict="wrong", answered="sharing"):
    return reviews.add(question, answered, answered, 0.5, verdict, expected, "sam")["id"]


def test_only_approved_items_become_training_examples(reviews_and_data):
    reviews, nlu = reviews_and_data
    new = add(reviews, "r u gonna tell my ex where we live now", "sharing", verdict="right")
    wrong = add(reviews, "can i stop u using my kids pics on facebook", "handoff:withdraw_consent")
    rejected = add(reviews, "is this chat recorded or what", "chat_privacy")
    reviews.decide(new, approve=True)
    reviews.decide(wrong, approve=True)
    reviews.decide(rejected, approve=False)
    lines = reviews.apply(protected_questions(), nlu)
    assert len(lines) == 2
    sharing = (nlu / "sections" / "sharing.yml").read_text()
    assert sharing.rstrip().endswith("- r u gonna tell my ex where we live now")
    consent = (nlu / "requests" / "request_withdraw_consent.yml").read_text()
    assert "- can i stop u using my kids pics on facebook" in consent
    assert "is this chat recorded or what" not in (nlu / "chat_privacy.yml").read_text()
    assert [i["status"] for i in reviews.list()] == ["applied", "applied", "rejected"]
    with pytest.raises(ReviewError, match="already"):
        reviews.decide(new, approve=True)
    import yaml

    for path in nlu.rglob("*.yml"):
        yaml.safe_load(path.read_text())  # every file still parses


def test_duplicates_conflicts_and_held_out_questions_are_reported_not_added(reviews_and_data):
    reviews, nlu = reviews_and_data
    from curation.protected import heldout_files, load_questions
    from curation.reviews import training_examples

    known = training_examples(nlu)
    example, intent = next((t, i) for t, i in known.items() if i == "retention")
    other = next(t for t, i in known.items() if i == "sharing")
    held_out, label = load_questions(heldout_files()[0])[0]
    ids = [add(reviews, example, "retention", verdict="right", answered="retention"),
           add(reviews, other, "retention"),
           add(reviews, held_out, label, verdict="right", answered=label),
           add(reviews, "hiya", "chitchat", verdict="right", answered="chitchat")]
    for item_id in ids:
        reviews.decide(item_id, approve=True)
    before = {p: p.read_text() for p in nlu.rglob("*.yml")}
    outcomes = reviews.apply(protected_questions(), nlu)
    assert "duplicate" in outcomes[0]
    assert "conflict, already an example of sharing" in outcomes[1]
    assert "held-out" in outcomes[2]
    assert "not a single intent" in outcomes[3]
    assert {p: p.read_text() for p in nlu.rglob("*.yml")} == before


@pytest.fixture
def review_site(tmp_path):
    """The site (no model needed) on a database of its own, writing applied items to a
    copy of data/nlu/; yields (site URL, reviews, the copy)."""
    from tests.casework_support import running_web_server

    nlu = tmp_path / "data" / "nlu"
    shutil.copytree(NLU, nlu)
    store = store_in(tmp_path, free_port())
    with running_web_server(ASSISTANT_DATABASE_URL=str(store.engine.url),
                            ASSISTANT_TRAINING_DATA=str(nlu)) as site:
        yield site, Reviews(store.engine), nlu


def csrf_of(page: str) -> str:
    import re
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_staff_approve_reject_and_apply_review_items_in_the_browser_pages(review_site):
    site, reviews, nlu = review_site
    fresh = reviews.add("can the school see what u wrote about my son", "sharing",
                        "sharing", 0.4, "right", None, "sam")["id"]
    doomed = reviews.add("is this chat recorded or what", "sharing", "sharing", 0.3,
                         "wrong", "chat_privacy", "sam")["id"]
    from curation.reviews import training_examples
    sharing = next(t for t, i in training_examples(nlu).items() if i == "sharing")
    clash = reviews.add(sharing, "sharing", "sharing", 0.5, "wrong", "retention",
                        "kit")["id"]  # already an example of sharing: a conflict
    session = staff_session(site)
    page = session.get(f"{site}/staff/reviews", timeout=10).text
    assert "would be added as an example of sharing" in page
    assert "not added: conflict, already an example of sharing" in page
    csrf = csrf_of(page)
    for item, decision in ((fresh, "approve"), (doomed, "reject"), (clash, "approve")):
        done = session.post(f"{site}/staff/reviews/{item}/{decision}", timeout=10,
                            data={"csrf": csrf})
        assert done.status_code == 200 and f"{decision.rstrip('e')}ed." in done.text.lower()
    again = session.post(f"{site}/staff/reviews/{doomed}/approve", data={"csrf": csrf},
                         timeout=10)
    assert again.status_code == 400 and "already rejected" in again.text
    assert "<html" in again.text.lower()  # the styled page, not a bare error
    before = (nlu / "sections" / "sharing.yml").read_text()
    applied = session.post(f"{site}/staff/reviews/apply", data={"csrf": csrf}, timeout=30)
    assert "Applied: each item" in applied.text
    after = (nlu / "sections" / "sharing.yml").read_text()
    assert after.count("can the school see what u wrote about my son") == 1
    assert before != after and "is this chat recorded or what" not in after
    assert [i["status"] for i in reviews.list()] == ["applied", "rejected", "refused"]
    assert (NLU / "sections" / "sharing.yml").read_text().count(
        "can the school see what u wrote about my son") == 0  # the project's data untouched
    assert session.post(f"{site}/staff/reviews/apply", data={"csrf": "forged"},
                        timeout=10).status_code == 403


def test_a_review_saved_without_its_section_shows_the_styled_page(review_site):
    site, _, _ = review_site
    session = staff_session(site)
    csrf = csrf_of(session.get(f"{site}/staff/", timeout=10).text)
    refused = session.post(f"{site}/staff/review", timeout=10, data={
        "csrf": csrf, "question": "do u tell my ex", "answered": "sharing",
        "verdict": "wrong", "expected": ""})
    assert refused.status_code == 400
    assert "Not saved: choose the section" in refused.text
    assert 'href="/staff/static/workbench.css"' in refused.text
    assert 'value="do u tell my ex"' in refused.text
