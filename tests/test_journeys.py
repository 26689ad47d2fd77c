"""The journeys of the people behind the chat, in a real browser, on the whole stack.

A child's disclosure with nobody on duty, then with a duty worker on duty who joins the
chat; a new disclosure after the case was closed; an officer triaging a queue of 200
cases; an officer assigning, noting and closing; staff approving a review item. Each
journey's screenshots go to build/screenshots/journeys/ (docs/screenshots/ keeps a copy).
"""

import re
import time
from datetime import datetime, timedelta, timezone

import pytest

from casework.duty import DutyRota
from casework.tables import officers
from tests.browser_support import SHOTS, ask, open_chat, sign_in
from tests.casework_support import new_case
from web.auth.accounts import set_password

JOURNEYS = SHOTS / "journeys"
DISCLOSURE = "my stepdad hits me when mum is at work and im scared to go home"


def snap(page, name):
    JOURNEYS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(JOURNEYS / f"{name}.png"), full_page=False)


def wait_until(check, timeout=15.0):
    """Poll `check` (the pages' CSP forbids wait_for_function's eval)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return check()


def disclose(page, text=DISCLOSURE):
    ask(page, text)
    page.get_by_text("Your safety matters most.").last.wait_for()


@pytest.fixture
def family(browser, site_url):
    """A family's phone-sized page with the chat open."""
    context = browser.new_context(viewport={"width": 400, "height": 860})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(site_url + "/")
    open_chat(page)
    yield page
    context.close()


def test_a_child_who_asks_to_talk_with_nobody_on_duty_is_told_whom_to_call(family,
                                                                           case_store):
    assert DutyRota(case_store.engine).on_duty() == []
    disclose(family)
    family.get_by_role("button", name="Talk to someone now").last.click()
    reply = family.get_by_text(re.compile("Nobody from the Children's Advice and Duty "
                                          "Service is in this chat right now"))
    reply.wait_for()
    calls = family.locator(".pa-bot").last.locator('a[href^="tel:"]')
    assert calls.count() >= 3  # the duty service, Childline, 999
    assert "email" not in family.locator(".pa-bot").last.inner_text().lower()
    assert family.get_by_label("Your question").is_visible()  # no form: just the chat
    snap(family, "01-nobody-on-duty-whom-to-call")


def test_a_child_talks_to_a_duty_worker_then_a_new_disclosure_reopens_the_case(
        browser, family, site_url, case_store, mail_sink):
    duty = sign_in(browser, site_url, "duty", "duty", "duty-password")
    duty.get_by_role("button", name="Take live chats").click()
    duty.get_by_text("You are on duty for live chats while this page is open.").wait_for()

    disclose(family)
    family.get_by_role("button", name="Talk to someone now").last.click()
    family.get_by_text(re.compile("will join this chat in a moment")).wait_for()
    snap(family, "02-duty-worker-will-join")

    alert = duty.get_by_role("alert").filter(has_text="waiting to talk to someone now")
    alert.wait_for(timeout=20_000)  # the duty page asks every 5 s
    assert wait_until(lambda: duty.title().startswith("(1) Waiting to talk"))
    snap(duty, "03-duty-queue-a-family-is-waiting")
    reference = re.search(r"CS-\d{4}-\d{6}", alert.inner_text()).group(0)
    assert case_store.get(reference)["request"] == "safeguarding"

    duty.locator("#waiting").get_by_role("link", name=reference).click()
    duty.get_by_role("button", name="Take over the chat").click()
    family.get_by_text("A duty worker from the council has joined this chat.").wait_for()
    duty.get_by_label("Message to the family").fill(
        "Hi, I'm Robin from the duty team. Are you safe where you are right now?")
    duty.get_by_role("button", name="Send to the family").click()
    family.locator(".pa-officer", has_text="Are you safe where you are").wait_for()
    ask(family, "yes im at my nans")
    duty.locator(".live-family", has_text="im at my nans").wait_for()
    snap(family, "04-child-talking-to-the-duty-worker")
    snap(duty, "05-duty-worker-in-the-live-chat")

    duty.get_by_role("button", name="Hand back to the assistant").click()
    family.get_by_text("The assistant will answer again").wait_for()
    duty.reload()
    duty.get_by_label("Close with outcome").select_option("referred")
    duty.get_by_label("Yes, close this case with this outcome").check()
    duty.get_by_role("button", name="Close case").click()
    duty.get_by_text(re.compile("Closed the case: referred")).wait_for()
    assert case_store.get(reference)["status"] == "closed"

    # Days later in the same chat: a new disclosure opens the closed case again.
    disclose(family, "hes started again, he hit my little brother last night")
    assert wait_until(lambda: case_store.get(reference)["status"] == "open")
    reopened = mail_sink.wait_for_subject(f"case {reference} reopened")
    assert reopened and reopened[-1]["To"] == case_store.settings["safeguarding"]["duty_mail"]
    duty.reload()
    duty.get_by_text(re.compile("Reopened: a new message of concern")).wait_for()
    transcript = duty.locator("table").last.inner_text()
    assert "im scared to go home" in transcript and "hit my little brother" in transcript
    snap(duty, "06-case-reopened-by-a-new-disclosure")
    duty.get_by_role("link", name="Back to the queue").click()
    duty.get_by_role("button", name="Stop taking live chats").click()
    duty.get_by_text("You are not taking live chats.").wait_for()
    duty.context.close()


@pytest.fixture
def queue_of_200(case_store):
    """Two hundred cases over the past month: every officer's type, some taken by alex,
    some closed, the oldest overdue."""
    set_password(case_store.engine, "alex", "alex-password-1", table=officers)
    kinds = ["access", "erasure", "complaint", "rectification", "human"]
    now = datetime.now(timezone.utc)
    for number in range(200):
        received = now - timedelta(hours=5 * number)
        case = case_store.open_case(new_case(
            f"triage-{number}:1", request=kinds[number % 5],
            transcript=[{"from": "family", "text": f"message number {number} about my file",
                         "at": received.isoformat()}],
            contact_detail="x@example.com" if number % 3 else None), now=received)
        if number % 4 == 0:
            case_store.take(case["reference"], "alex")
        if number % 9 == 0:
            case_store.close(case["reference"], "alex", "completed")
    return case_store


def test_an_officer_triages_a_queue_of_200_cases(browser, site_url, queue_of_200):
    officer = sign_in(browser, site_url, "officer", "demo", "demo-password")
    label = queue_of_200.settings["requests"]["complaint"]["label"]
    officer.get_by_label("Type").select_option("complaint")
    officer.get_by_label("Due", exact=True).select_option("overdue")
    officer.get_by_role("button", name="Show cases").click()
    rows = officer.locator("tbody tr")
    rows.first.wait_for()
    assert rows.count() > 0
    for row in rows.all():
        cells = row.locator("td").all_inner_texts()
        assert cells[2] == label and "overdue" in cells[5]
    snap(officer, "07-triage-overdue-complaints")

    officer.get_by_role("link", name="Clear").click()
    officer.get_by_label("Officer").select_option("alex")
    officer.get_by_role("button", name="Show cases").click()
    assert all(row.locator("td").last.inner_text() == "alex" for row in rows.all())
    officer.get_by_role("link", name="Clear").click()
    officer.get_by_role("link", name="Received").click()
    caption = officer.locator("caption").inner_text()
    assert "sorted by newest first" in caption and "page 1 of" in caption
    newest = max((c for c in queue_of_200.list_cases("active")
                  if c["request"] != "safeguarding"), key=lambda c: c["created_at"])
    assert newest["reference"] in rows.first.inner_text()
    officer.get_by_role("link", name="Next page").click()
    assert "page 2 of" in officer.locator("caption").inner_text()

    wanted = [c for c in queue_of_200.list_cases("active")
              if c["request"] != "safeguarding"][-1]["reference"]
    officer.get_by_label("Reference").fill(wanted[-6:])
    officer.get_by_role("button", name="Show cases").click()
    officer.get_by_role("link", name=wanted).wait_for()
    snap(officer, "08-triage-search-by-reference")
    officer.context.close()


def test_an_officer_assigns_notes_and_closes_a_case(browser, site_url, case_store):
    set_password(case_store.engine, "alex", "alex-password-1", table=officers)
    reference = case_store.open_case(new_case("assign-journey:1", request="rectification",
                                              contact_name="Sam"))["reference"]
    officer = sign_in(browser, site_url, "officer", "demo", "demo-password")
    officer.goto(f"{site_url}/officer/cases/{reference}")
    officer.get_by_label("Assign to").select_option("alex")
    officer.get_by_role("button", name="Assign", exact=True).click()
    officer.get_by_text("Assigned the case to alex.").wait_for()
    officer.get_by_label("Add a note").fill("Rang the family: they will send the school "
                                            "report that shows the right date of birth.")
    officer.get_by_role("button", name="Add note").click()
    officer.get_by_text(re.compile("will send the school report")).wait_for()

    officer.get_by_role("button", name="Close case").click()  # no outcome chosen yet
    assert case_store.get(reference)["status"] != "closed"
    officer.get_by_label("Close with outcome").select_option("completed")
    officer.get_by_role("button", name="Close case").click()  # not confirmed yet
    assert case_store.get(reference)["status"] != "closed"
    officer.get_by_label("Yes, close this case with this outcome").check()
    officer.get_by_role("button", name="Close case").click()
    officer.get_by_text(re.compile("Closed the case: completed")).wait_for()
    notes = case_store.get(reference)["notes"]
    assert [(n["author"], n["text"][:22]) for n in notes] == [
        ("demo", "Assigned the case to a"), ("demo", "Rang the family: they "),
        ("demo", "Closed the case: compl")]
    snap(officer, "09-assigned-noted-closed-with-its-audit-trail")
    officer.context.close()


def test_staff_approve_a_review_item_and_apply_it_from_the_workbench(browser, site_url):
    staff = sign_in(browser, site_url, "staff", "staff", "staff-password")
    staff.set_default_timeout(120_000)  # the first try starts the practice server
    staff.get_by_label("Question, as a family would type it").fill(
        "does the school nurse get told what is in my sons file")
    staff.get_by_role("button", name="Ask").click()
    staff.get_by_role("heading", name="Why").wait_for()
    answered = staff.locator('input[name="answered"]').get_attribute("value")
    staff.get_by_role("radio", name="Wrong").check()
    staff.get_by_label("If wrong: the section it should have come from").select_option(
        "retention" if answered == "sharing" else "sharing")
    staff.get_by_role("button", name="Save for review").click()
    saved = staff.get_by_text(re.compile(r"Saved as review item \d+"))
    item = re.search(r"item (\d+)", saved.inner_text()).group(1)

    staff.get_by_role("link", name="review items").first.click()
    row = staff.locator(f"#item-{item}")
    assert "would be added as an example of" in row.inner_text()
    staff.get_by_role("button", name=f"Approve item {item}").click()
    staff.get_by_text("Approved.").wait_for()
    assert "approved" in staff.locator(f"#item-{item}").inner_text()
    snap(staff, "10-staff-approved-a-review-item")
    staff.get_by_role("button", name=re.compile(r"Add the \d+ approved item")).click()
    staff.get_by_text(re.compile("Applied: each item")).wait_for()
    assert re.search(r"added to \S+\.yml as ", staff.locator(f"#item-{item}").inner_text())
    snap(staff, "11-staff-applied-the-approved-item")
    staff.context.close()
