"""The web chat in a real browser: Debian's Chromium, headless, driven by Playwright.

The whole stack runs: the demo page and chat server (web/), `rasa run` over REST, the
action server, a throwaway case database and a mail sink (conftest.py). Screenshots of
each step go to build/screenshots/. `make browser` installs Chromium and axe-core.
"""

import re
import time

from sqlalchemy import create_engine, text

from tests.browser_support import AXE, ask, axe_scan, open_chat, shot, sign_in
from tests.casework_support import new_case
from tests.conftest import MEASURED


def test_a_question_gets_its_answer_and_source_then_the_exact_wording(page):
    open_chat(page)
    ask(page, "who do you share my data with")
    page.locator(".pa-source").last.wait_for()
    answer = page.locator(".pa-bot").last
    assert "Who we share your information with" in answer.inner_text()
    shot(page, "01-answer-with-source")
    answer.get_by_role("button", name="Show the exact wording").click()
    page.get_by_text("The notice says:").wait_for()
    shot(page, "02-exact-wording")


def test_the_safety_messages_numbers_are_tap_to_call_links(page):
    open_chat(page)
    ask(page, "I want to kill myself")
    page.get_by_text("Your safety matters most").wait_for()
    message = page.locator(".pa-bot").last
    calls = {link.get_attribute("href") for link in message.locator("a.pa-tel").all()}
    assert {"tel:999", "tel:116123", "tel:08001111", "tel:03448008020"} <= calls
    you = page.locator(".pa-you").last
    assert you.locator("a").count() == 0  # what the family typed stays plain text
    shot(page, "02b-safety-message-with-call-links")


def test_a_rights_request_through_the_form_gives_a_reference(page):
    open_chat(page)
    ask(page, "I want a copy of everything you hold on me")
    page.get_by_text("What name should the officer use?").wait_for()
    ask(page, "Jo Bloggs")
    page.get_by_text("How can the officer reach you?").wait_for()
    ask(page, "not an email")
    page.get_by_text("does not look like an email address").wait_for()
    ask(page, "jo.bloggs@example.com")
    page.get_by_role("button", name="Care leaver").click()
    page.get_by_role("button", name="Yes", exact=True).click()
    page.get_by_text("Before I send this to an officer").wait_for()
    page.get_by_role("button", name="Send my request", exact=True).click()
    page.get_by_text(re.compile(r"Your reference is CS-\d{4}-\d{6}")).wait_for()
    shot(page, "03-request-reference")


def test_the_conversation_survives_a_reload_and_can_be_forgotten(page, tracker_store_url):
    open_chat(page)
    ask(page, "how long do you keep my records")
    page.locator(".pa-source").last.wait_for()
    # The id the server issued is `<id>.<signature>`; Rasa knows the conversation by <id>.
    conversation = page.evaluate(
        "JSON.parse(sessionStorage.getItem('privacy-assistant-chat')).id").split(".")[0]
    page.reload()
    assert "how long do you keep my records" in page.locator(".pa-log").inner_text()
    engine = create_engine(tracker_store_url)
    count = "SELECT COUNT(*) FROM events WHERE sender_id = :s"
    with engine.connect() as conn:
        assert conn.execute(text(count), {"s": conversation}).scalar() > 0
    page.get_by_role("button", name="Forget this conversation").click()
    page.get_by_role("button", name="Yes, delete this conversation").click()
    page.get_by_text("Your conversation has been deleted").wait_for()
    with engine.connect() as conn:
        assert conn.execute(text(count), {"s": conversation}).scalar() == 0
    assert "how long do you keep" not in page.locator(".pa-log").inner_text()
    shot(page, "04-forgotten")


def test_an_id_the_server_did_not_issue_is_replaced_and_never_in_a_url(page):
    # A tab from before ids were signed (or from before a key change) holds an id the
    # server refuses (401): the widget asks for a new one and sends the message again.
    page.evaluate("""sessionStorage.setItem('privacy-assistant-chat', JSON.stringify(
        {id: 'made-up-conversation-1', open: false, messages: [], after: 0,
         live: false}))""")
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    page.reload()
    open_chat(page)
    ask(page, "how long do you keep my records")
    page.locator(".pa-source").last.wait_for()
    issued = page.evaluate("JSON.parse(sessionStorage.getItem('privacy-assistant-chat')).id")
    assert issued != "made-up-conversation-1" and len(issued.split(".")) == 2
    assert any("/chat/api/updates" in url for url in urls)
    assert not any(issued.split(".")[0] in url or "made-up" in url for url in urls)


def test_an_officer_takes_over_and_hands_back(browser, page, site_url):
    open_chat(page)
    ask(page, "can i talk to a real person please")
    page.get_by_text("What name should the officer use?").wait_for()
    ask(page, "Sam")
    ask(page, "07911 123456")  # typed before the last answer came: sent after it
    page.get_by_role("button", name="Parent or guardian").click()
    page.get_by_role("button", name="Yes", exact=True).click()
    page.get_by_role("button", name="Send my request", exact=True).click()
    reference = re.search(r"CS-\d{4}-\d{6}", page.get_by_text(
        re.compile(r"Your reference is CS-")).inner_text()).group(0)

    officer = sign_in(browser, site_url, "officer", "demo", "demo-password")
    officer.get_by_label("Reference").fill(reference)  # the queue's search
    officer.get_by_role("button", name="Show cases").click()
    officer.get_by_role("link", name=reference).click()
    officer.get_by_text("The family has the chat open now.").wait_for()
    officer.get_by_role("button", name="Take over the chat").click()
    page.get_by_text("You are now talking to a person from the council").wait_for()

    officer.get_by_label("Message to the family").fill("Hello Sam, I'm Alex from the council.")
    sent = time.monotonic()
    officer.get_by_role("button", name="Send to the family").click()
    page.locator(".pa-officer", has_text="I'm Alex from the council").wait_for()
    delay = time.monotonic() - sent
    # Measured, not asserted (the machines are noisy): the widget polls every second.
    MEASURED.append(f"Live takeover: the officer's message reached the family's chat "
                    f"in {delay:.2f} s")
    shot(page, "05-officer-message-in-chat")

    ask(page, "thank you, can you ring me after 3")
    officer.locator(".live-family", has_text="can you ring me after 3").wait_for()
    deadline = time.monotonic() + 10  # the page's CSP forbids wait_for_function's eval
    while not officer.title().startswith("(1) New message from the family") \
            and time.monotonic() < deadline:
        time.sleep(0.2)
    assert officer.title().startswith("(1) New message from the family"), officer.title()
    assert officer.get_by_role("alert").filter(has_text="New message from the family").count()
    officer.get_by_label("Message to the family").click()  # the officer is back: cleared
    assert not officer.title().startswith("(")
    shot(officer, "06-officer-sees-the-family")
    bots_before = page.locator(".pa-bot").count()
    time.sleep(1)
    assert page.locator(".pa-bot").count() == bots_before  # the assistant stayed silent

    # The family closes the panel; what the officer writes then is counted on the launcher.
    page.get_by_role("button", name="Close the chat").click()
    officer.get_by_label("Message to the family").fill("I will ring you at 3.")
    officer.get_by_role("button", name="Send to the family").click()
    launcher = page.locator(".pa-launcher")
    page.locator(".pa-badge", has_text="1").wait_for()
    assert "1 new message from a person at the council" in launcher.get_attribute("aria-label")
    shot(page, "06b-unread-officer-message-on-the-launcher")
    launcher.click()
    page.locator(".pa-officer", has_text="I will ring you at 3").wait_for()
    assert page.locator(".pa-badge").is_hidden()

    officer.get_by_role("button", name="Hand back to the assistant").click()
    page.get_by_text("The assistant will answer again").wait_for()
    ask(page, "how long do you keep my records")
    page.locator(".pa-source").last.wait_for()
    officer.context.close()


def tab_back_to(page, label):
    """Shift+Tab from the input until the newest button with this label has focus."""
    page.get_by_label("Your question").focus()
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.textContent") == label:
            return
    raise AssertionError(f"no button {label!r} reached by keyboard")


def test_the_whole_flow_by_keyboard_alone(page):
    page.keyboard.press("Tab")  # the skip link
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "pa-launcher":
            break
    assert page.evaluate("document.activeElement.textContent") == "Ask about your data"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "pa-input"
    page.keyboard.type("what are my rights")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Get a copy of my records").wait_for()
    # From the input, Shift+Tab walks back through the suggested replies.
    tab_back_to(page, "Talk to a person")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    page.keyboard.press("Enter")
    page.get_by_text("What name should the officer use?").wait_for()
    page.keyboard.type("Sam")
    page.keyboard.press("Enter")
    page.get_by_text("How can the officer reach you?").wait_for()
    page.keyboard.type("sam@example.com")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Carer").wait_for()
    tab_back_to(page, "Carer")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Yes", exact=True).wait_for()
    tab_back_to(page, "Yes")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Send my request", exact=True).wait_for()
    tab_back_to(page, "Send my request")
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"Your reference is CS-")).wait_for()
    shot(page, "07-keyboard-only")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.className") == "pa-launcher"


def test_it_reflows_at_320_pixels(browser, site_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(site_url + "/")
    open_chat(page)
    ask(page, "who do you share my data with")
    page.locator(".pa-source").last.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    shot(page, "08-320px")
    context.close()


def test_axe_finds_no_violations_with_a_conversation_open(page):
    assert AXE.exists(), "run `make browser` (installs axe-core from npm)"
    open_chat(page)
    ask(page, "what are my rights")
    page.get_by_role("button", name="Talk to a person").wait_for()
    result = axe_scan(page)
    MEASURED.append(f"axe-core: {len(result['violations'])} violations, "
                    f"{result['passes']} rules passed (WCAG 2.0-2.2 A/AA tags)")
    shot(page, "09-axe-scan")
    assert result["violations"] == []


def test_staff_try_a_question_and_mark_it_in_the_workbench(browser, site_url):
    staff = sign_in(browser, site_url, "staff", "staff", "staff-password")
    staff.set_default_timeout(60_000)  # the first question loads the model
    staff.get_by_label("Question, as a family would type it").fill("how long do u keep stuff")
    staff.get_by_role("button", name="Ask").click()
    staff.get_by_role("heading", name="Why").wait_for()
    assert "retention" in staff.locator("table").first.inner_text()
    assert "RulePolicy" in staff.get_by_role("table").last.inner_text()
    shot(staff, "10-staff-workbench")
    staff.get_by_role("radio", name="Wrong").check()
    staff.get_by_label("If wrong: the section it should have come from").select_option("storage")
    staff.get_by_role("button", name="Save for review").click()
    staff.get_by_text(re.compile(r"Saved as review item \d+")).wait_for()
    staff.context.close()


def test_axe_finds_no_violations_on_the_queues_the_case_pages_and_the_workbench(
        browser, site_url, case_store):
    assert AXE.exists(), "run `make browser` (installs axe-core from npm)"
    reference = case_store.open_case(new_case("axe-scan:1", contact_name="Sam"))["reference"]
    concern = case_store.open_case(new_case("axe-scan:2", request="safeguarding",
                                            urgent=True))["reference"]
    # The areas' CSP forbids the inline script axe is injected as: lifted for the scan only.
    officer = sign_in(browser, site_url, "officer", "demo", "demo-password", bypass_csp=True)
    officer.get_by_role("heading", name="Cases").wait_for()
    found = {"queue": axe_scan(officer)["violations"]}
    officer.goto(f"{site_url}/officer/cases/{reference}")
    officer.get_by_role("heading", name="Live chat with the family").wait_for()
    found["case page"] = axe_scan(officer)["violations"]
    officer.context.close()
    duty = sign_in(browser, site_url, "duty", "duty", "duty-password", bypass_csp=True)
    duty.get_by_role("button", name="Take live chats").wait_for()
    found["duty queue"] = axe_scan(duty)["violations"]
    duty.goto(f"{site_url}/duty/cases/{concern}")
    duty.get_by_role("heading", name="Live chat with the family").wait_for()
    found["duty case page"] = axe_scan(duty)["violations"]
    duty.context.close()
    staff = sign_in(browser, site_url, "staff", "staff", "staff-password", bypass_csp=True)
    staff.set_default_timeout(120_000)
    staff.get_by_label("Question, as a family would type it").fill("who sees my file")
    staff.get_by_role("button", name="Ask").click()
    staff.get_by_role("heading", name="Why").wait_for()
    found["workbench"] = axe_scan(staff)["violations"]
    staff.context.close()
    assert found == {"queue": [], "case page": [], "duty queue": [], "duty case page": [],
                     "workbench": []}
