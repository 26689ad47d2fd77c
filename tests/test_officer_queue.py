"""The officers' queue over real HTTP: login, list, open, take, note, close.

Nothing is shown, and nothing changes, without a login.
"""

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
import requests

from processes.servers import free_port
from tests.casework_support import new_case, running_web_server, signed_in, store_in
from web.times import local_day, local_time


@pytest.fixture(scope="module")
def queue(tmp_path_factory):
    """The queue server on a database with three cases; yields (base URL, store)."""
    tmp = tmp_path_factory.mktemp("queue")
    store = store_in(tmp, free_port())
    store.open_case(new_case("a:1", request="access", contact_name="Sam <b>Smith</b>",
                             contact_detail="sam@example.com", contact_kind="email",
                             relationship="care_leaver", contact_consent=True))
    store.open_case(new_case("b:1", request="safeguarding"))  # the duty queue's, not theirs
    store.open_case(new_case("c:1", request="complaint"))
    store.open_case(new_case("d:1", request="human", urgent=True))  # asked after a concern
    with running_web_server(ASSISTANT_DATABASE_URL=str(store.engine.url)) as site:
        yield f"{site}/officer", store


def officers_cases(store, status="active"):
    """The cases on the officers' desk: the safety concerns are the duty queue's."""
    return [c for c in store.list_cases(status) if c["request"] != "safeguarding"]


def logged_in(base):
    return signed_in(base, "demo", "demo-password")


def test_nothing_is_shown_without_a_login(queue):
    base, _ = queue
    assert requests.get(f"{base}/api/cases", timeout=10).status_code == 401
    page = requests.get(f"{base}/", timeout=10, allow_redirects=False)
    assert page.status_code in (302, 303) and page.headers["Location"].endswith("/login")
    wrong = requests.post(f"{base}/api/login", json={"username": "demo", "password": "x"},
                          timeout=10)
    assert wrong.status_code == 401


def test_the_queue_lists_open_cases_most_urgent_first(queue):
    base, _ = queue
    cases = logged_in(base).get(f"{base}/api/cases", timeout=10).json()["cases"]
    assert [c["request"] for c in cases] == ["human", "complaint", "access"]
    assert cases[0]["priority_name"] == "urgent"
    assert all("transcript" not in c for c in cases)


def test_an_officer_takes_notes_and_closes_a_case(queue):
    base, store = queue
    session = logged_in(base)
    reference = officers_cases(store)[-1]["reference"]  # the access request
    case = session.get(f"{base}/api/cases/{reference}", timeout=10).json()
    assert case["contact_detail"] == "sam@example.com"
    assert case["transcript"][0]["text"] == "send me my file"
    taken = session.post(f"{base}/api/cases/{reference}/take", timeout=10).json()
    assert taken["status"] == "in_progress" and taken["assigned_to"] == "demo"
    noted = session.post(f"{base}/api/cases/{reference}/notes",
                         json={"text": "ID checked"}, timeout=10).json()
    assert noted["notes"][-1]["text"] == "ID checked"
    closed = session.post(f"{base}/api/cases/{reference}/close",
                          json={"outcome": "completed"}, timeout=10)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = session.post(f"{base}/api/cases/{reference}/close",
                         json={"outcome": "completed"}, timeout=10)
    assert again.status_code == 409
    assert store.get(reference)["status"] == "closed"


def test_changes_need_the_csrf_token_and_valid_input(queue):
    base, store = queue
    session = logged_in(base)
    reference = officers_cases(store)[0]["reference"]
    token = session.headers.pop("X-CSRF-Token")
    assert session.post(f"{base}/api/cases/{reference}/take", timeout=10).status_code == 403
    session.headers["X-CSRF-Token"] = token
    bad = session.post(f"{base}/api/cases/{reference}/close", json={"outcome": "meh"},
                       timeout=10)
    assert bad.status_code == 400 and "outcome must be one of" in bad.json()["error"]
    assert session.get(f"{base}/api/cases/CS-1999-000001", timeout=10).status_code == 404


def test_the_pages_show_the_case_and_escape_what_families_typed(queue):
    base, store = queue
    session = requests.Session()
    login = session.post(f"{base}/login", data={"username": "demo",
                                                "password": "demo-password"}, timeout=10)
    assert login.status_code == 200 and "Cases" in login.text
    reference = officers_cases(store, "all")[-1]["reference"]
    page = session.get(f"{base}/cases/{reference}", timeout=10).text
    assert "Sam &lt;b&gt;Smith&lt;/b&gt;" in page and "<b>Smith</b>" not in page
    assert "Care leaver" in page and "send me my file" in page


def test_the_queue_page_shows_first_words_plain_times_and_contact(queue):
    base, store = queue
    session = signed_in_page(base)
    page = session.get(f"{base}/?status=all", timeout=10).text
    case = officers_cases(store, "all")[0]
    assert local_time(case["created_at"]) in page and case["created_at"] not in page
    assert local_day(case["due_date"]) in page
    assert "send me my file" in page  # the family's first words
    assert "<td>given</td>" in page and "<td>none</td>" in page


def test_closing_from_the_page_needs_a_chosen_outcome_and_a_confirmation(queue):
    base, store = queue
    session = signed_in_page(base)
    reference = officers_cases(store, "active")[-1]["reference"]
    csrf = re.search(r'name="csrf" value="([^"]+)"',
                     session.get(f"{base}/cases/{reference}", timeout=10).text).group(1)
    unconfirmed = session.post(f"{base}/cases/{reference}/close", timeout=10,
                               data={"csrf": csrf, "outcome": "completed"})
    assert "tick the box to confirm" in unconfirmed.text
    assert store.get(reference)["status"] != "closed"
    no_outcome = session.post(f"{base}/cases/{reference}/close", timeout=10,
                              data={"csrf": csrf, "outcome": "", "confirm": "yes"})
    assert "outcome must be one of" in no_outcome.text
    assert store.get(reference)["status"] != "closed"


def test_times_read_plainly_in_the_councils_time_zone():
    assert local_time("2026-07-01T07:57:16.812130+00:00") == "Wed 1 Jul 2026, 08:57"  # BST
    assert local_time("2026-12-01T07:57:16+00:00") == "Tue 1 Dec 2026, 07:57"
    assert local_day("2026-12-25") == "Fri 25 Dec 2026"
    assert local_time(None) == "–"


def signed_in_page(base):
    session = requests.Session()
    assert session.post(f"{base}/login", data={"username": "demo", "password": "demo-password"},
                        timeout=10).status_code == 200
    return session


@pytest.fixture(scope="module")
def big_queue(tmp_path_factory):
    """A queue of 120 cases of every type, some taken, some closed, some overdue."""
    tmp = tmp_path_factory.mktemp("big-queue")
    store = store_in(tmp, free_port())
    kinds = ["access", "erasure", "complaint", "safeguarding", "human"]
    for number in range(120):
        received = datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(hours=5 * number)
        case = store.open_case(new_case(f"q{number}:1", request=kinds[number % 5],
                                        contact_detail="x@example.com" if number % 2 else None),
                               now=received)
        if number % 7 == 0:
            store.take(case["reference"], "demo")
        if number % 11 == 0:
            store.close(case["reference"], "alex", "completed")
    with running_web_server(ASSISTANT_DATABASE_URL=str(store.engine.url)) as site:
        yield f"{site}/officer", store


def test_the_queue_filters_searches_sorts_and_pages(big_queue):
    base, store = big_queue
    session = logged_in(base)
    every = session.get(f"{base}/api/cases?status=all&per_page=500", timeout=10).json()
    # The 24 safety concerns are on the duty queue, not the officers'.
    assert every["total"] == 96 and len(every["cases"]) == 50  # one page of fifty
    assert "safeguarding" not in {c["request"] for c in every["cases"]}
    complaints = session.get(f"{base}/api/cases?request=complaint", timeout=10).json()
    assert complaints["total"] == len([c for c in officers_cases(store, "active")
                                       if c["request"] == "complaint"])
    assert {c["request"] for c in complaints["cases"]} == {"complaint"}
    mine = session.get(f"{base}/api/cases?assigned=demo", timeout=10).json()["cases"]
    assert mine and all(c["assigned_to"] == "demo" for c in mine)
    overdue = session.get(f"{base}/api/cases?due=overdue&status=all", timeout=10).json()
    assert overdue["total"] > 0 and all(c["overdue"] for c in overdue["cases"])
    reference = officers_cases(store, "all")[37]["reference"]
    found = session.get(f"{base}/api/cases?status=all&reference={reference[-4:]}",
                        timeout=10).json()["cases"]
    assert reference in [c["reference"] for c in found]
    newest = session.get(f"{base}/api/cases?status=all&sort=received", timeout=10).json()
    times = [c["created_at"] for c in newest["cases"]]
    assert times == sorted(times, reverse=True)
    last = session.get(f"{base}/api/cases?status=all&page=2", timeout=10).json()
    assert len(last["cases"]) == 46
    assert session.get(f"{base}/api/cases?sort=nonsense", timeout=10).status_code == 400


def test_the_queue_page_offers_filters_sort_links_and_pages(big_queue):
    base, _ = big_queue
    session = signed_in_page(base)
    page = session.get(f"{base}/?status=all&sort=due", timeout=10).text
    assert "96 cases, page 1 of 2; sorted by due date" in page
    assert 'aria-sort="ascending"' in page and "Next page" in page
    assert "page=2" in page and "sort=due" in page
    bad = session.get(f"{base}/?priority=whenever", timeout=10).text
    assert "priority is one of" in bad and "cases" in bad


def test_the_filtered_list_exports_as_csv_without_personal_details(big_queue):
    base, store = big_queue
    session = signed_in_page(base)
    export = session.get(f"{base}/export.csv?status=all&request=access", timeout=10)
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0][:4] == ["reference", "request", "priority", "status"]
    assert len(rows) - 1 == len([c for c in officers_cases(store, "all") if c["request"] == "access"])
    assert "x@example.com" not in export.text and "send me my file" not in export.text
    assert requests.get(f"{base}/export.csv", timeout=10,
                        allow_redirects=False).status_code in (302, 303)  # login first
