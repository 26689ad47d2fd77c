"""Sign-in and sign-out of the officers' queue and the staff workbench (issue 16).

Signing out ends the session on the server, not just in the browser: a copied cookie is
refused afterwards, and so is every cookie of a user whose password was changed. Logins
hash passwords off the event loop, a bounded number at a time, so a burst of wrong
passwords cannot stall the site; and wrong passwords lock an address (and an address with
a name), never a name by itself, so nobody can lock a real officer out by name alone.
"""

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from core.settings import PROJECT_ROOT
from tests.casework_support import running_web_server, settings_file_with

CHROMIUM = Path("/usr/bin/chromium")

AREAS = [("officer", "demo", "demo-password"), ("staff", "staff", "staff-password")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The web site on a database of its own; trusts X-Forwarded-For, so that tests can
    sign in "from" different addresses. Yields (base URL, database URL)."""
    tmp = tmp_path_factory.mktemp("logins")
    database = f"sqlite:///{tmp / 'cases.sqlite3'}"
    settings = settings_file_with(
        tmp, lambda s: s["rate_limits"].__setitem__("trust_forwarded_for", True))
    with running_web_server(ASSISTANT_DATABASE_URL=database,
                            ASSISTANT_SETTINGS=settings) as base:
        yield base, database, settings


def sign_in(base, area, username, password, address="10.1.0.1"):
    """A form sign-in; the session cookie's value."""
    session = requests.Session()
    reply = session.post(f"{base}/{area}/login", timeout=30,
                         data={"username": username, "password": password},
                         headers={"X-Forwarded-For": address}, allow_redirects=False)
    assert reply.status_code in (302, 303), reply.text
    return reply.cookies[f"{area}_session"]


def replay(base, area, cookie):
    """The area's start page and JSON API with nothing but the raw cookie."""
    headers = {"Cookie": f"{area}_session={cookie}"}
    page = requests.get(f"{base}/{area}/", headers=headers, timeout=10,
                        allow_redirects=False)
    api = requests.get(f"{base}/{area}/api/{'cases' if area == 'officer' else 'reviews'}",
                       headers=headers, timeout=10)
    return page, api


# -- item 1: signing out signs out ----------------------------------------------------


@pytest.mark.parametrize("area,username,password", AREAS)
def test_a_replayed_cookie_is_refused_after_sign_out(site, area, username, password):
    base, _, _ = site
    cookie = sign_in(base, area, username, password)
    page, api = replay(base, area, cookie)
    assert page.status_code == 200 and api.status_code == 200  # the cookie works

    out = requests.post(f"{base}/{area}/logout", headers={"Cookie": f"{area}_session={cookie}"},
                        timeout=10, allow_redirects=False)
    assert out.status_code in (302, 303)
    cleared = out.headers["Set-Cookie"]
    assert f"Path=/{area}" in cleared and "Max-Age=0" in cleared, cleared

    page, api = replay(base, area, cookie)
    assert page.status_code in (302, 303) and page.headers["Location"].endswith("/login")
    assert api.status_code == 401


def test_a_new_password_ends_the_users_sessions(site):
    base, database, settings = site
    officer = sign_in(base, "officer", "demo", "demo-password")
    member = sign_in(base, "staff", "staff", "staff-password")
    changed = subprocess.run(
        [sys.executable, "-m", "web", "set-password", "demo"], cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "ASSISTANT_DATABASE_URL": database,
             "ASSISTANT_SETTINGS": settings, "OFFICER_PASSWORD": "demo-password"},
        capture_output=True, text=True, timeout=60)
    assert changed.returncode == 0, changed.stderr
    page, api = replay(base, "officer", officer)
    assert page.status_code in (302, 303) and api.status_code == 401
    page, api = replay(base, "staff", member)  # another area's user keeps their session
    assert page.status_code == 200 and api.status_code == 200


@pytest.mark.parametrize("area,username,password", AREAS)
def test_sign_out_in_a_real_browser(site, area, username, password):
    # Playwright is a requirement: missing, the browser test fails, it does not skip.
    from playwright import sync_api
    assert CHROMIUM.exists(), "run `make browser` (installs Debian's chromium)"
    base, _, _ = site
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-background-networking"])
        try:
            context = browser.new_context()
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{base}/{area}/login")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_text(f"Signed in as {username}").wait_for()
            [cookie] = [c for c in context.cookies() if c["name"] == f"{area}_session"]
            assert cookie["path"] == f"/{area}" and cookie["httpOnly"]

            page.get_by_role("button", name="Sign out").click()
            page.wait_for_url(f"{base}/{area}/login")
            assert [c for c in context.cookies() if c["name"] == f"{area}_session"] == []
            page.goto(f"{base}/{area}/")
            assert page.url == f"{base}/{area}/login"
            # The copied cookie is dead on the server too.
            replayed, _ = replay(base, area, cookie["value"])
            assert replayed.status_code in (302, 303)
        finally:
            browser.close()


def test_an_unknown_or_tampered_session_is_refused(tmp_path):
    from casework.database import engine_for
    from casework.tables import officers
    from web.auth.sessions import Signer
    from web.auth.logins import LoginArea

    engine = engine_for(f"sqlite:///{tmp_path / 'cases.sqlite3'}")
    area = LoginArea(engine, officers, "/officer", Signer("x" * 32), False)
    token = area.start_session("demo")
    assert area.session_user(token) == "demo"
    assert area.session_user(token.replace("demo", "root", 1)) is None
    forged = Signer("x" * 32).session_token("demo", "not-a-session-we-made")
    assert area.session_user(forged) is None  # signed, but no such session stored
    area.end_session(token)
    assert area.session_user(token) is None


def test_an_existing_database_gets_the_sessions_table(tmp_path):
    from sqlalchemy import create_engine, inspect

    from casework.database import engine_for
    from casework.tables import login_sessions, metadata, officers
    from web.auth.accounts import set_password
    from web.auth.sessions import Signer
    from web.auth.logins import LoginArea

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    before = [t for t in metadata.sorted_tables if t is not login_sessions]
    metadata.create_all(create_engine(url), tables=before)  # a database from before
    set_password(create_engine(url), "demo", "demo-password")
    engine = engine_for(url)
    assert "login_sessions" in inspect(engine).get_table_names()
    area = LoginArea(engine, officers, "/officer", Signer("y" * 32), False)
    assert area.session_user(area.start_session("demo")) == "demo"


# -- item 4: logins cannot stall the site, or lock an officer out by name -------------


def test_the_site_answers_while_many_wrong_logins_run(site):
    base, _, _ = site
    attempts = 40

    def wrong_login(number):
        return requests.post(f"{base}/officer/api/login", timeout=120,
                             json={"username": f"officer-{number}", "password": "guess"},
                             headers={"X-Forwarded-For": f"10.40.{number}.1"}).status_code

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=attempts) as pool:
        storm = [pool.submit(wrong_login, n) for n in range(attempts)]
        time.sleep(0.3)  # the logins are on their way
        asked = time.monotonic()
        health = requests.get(f"{base}/health", timeout=120)
        health_seconds = time.monotonic() - asked
        statuses = [f.result() for f in storm]
    storm_seconds = time.monotonic() - started
    print(f"\n{attempts} concurrent wrong logins took {storm_seconds:.2f} s; "
          f"/health meanwhile answered in {health_seconds:.3f} s")
    assert health.status_code == 200
    assert set(statuses) <= {401, 503} and 401 in statuses
    # Hashing on the event loop made the health check wait for most of the storm.
    assert health_seconds < max(storm_seconds / 4, 0.05), (health_seconds, storm_seconds)


def test_a_name_locked_from_one_address_still_signs_in_from_another(site):
    base, _, _ = site

    def login(password, address):
        return requests.post(f"{base}/officer/api/login", timeout=30,
                             json={"username": "demo", "password": password},
                             headers={"X-Forwarded-For": address})

    for _ in range(8):
        assert login("wrong-password", "203.0.113.66").status_code == 401
    locked = login("demo-password", "203.0.113.66")
    assert locked.status_code == 401 and "Too many" in locked.json()["error"]
    assert login("demo-password", "198.51.100.7").status_code == 200


def test_the_throttle_locks_an_address_that_tries_many_names():
    from web.auth.logins import LoginThrottle

    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for number in range(throttle.address_limit):
        assert not throttle.locked("192.0.2.9", f"name-{number}")
        throttle.failed("192.0.2.9", f"name-{number}")
    assert throttle.locked("192.0.2.9", "someone-else")
    assert not throttle.locked("192.0.2.10", "name-1")  # other addresses are not
    now[0] += throttle.lockout_seconds + 1
    assert not throttle.locked("192.0.2.9", "someone-else")  # and it wears off


def test_the_throttle_memory_is_bounded():
    from web.auth.logins import LoginThrottle

    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0], max_entries=500)
    for number in range(20_000):
        throttle.failed(f"10.{number // 250}.{number % 250}.1", f"name-{number}")
        now[0] += 0.001
    assert throttle.size() <= 3 * 500
    # The latest failures are kept (they are the ones that matter).
    for _ in range(throttle.pair_limit):
        throttle.failed("10.200.0.1", "demo")
    assert throttle.locked("10.200.0.1", "demo")
    now[0] += throttle.lockout_seconds + 1
    throttle.failed("10.201.0.1", "demo")  # expired entries are swept
    assert throttle.size() <= 3


def test_password_checks_are_bounded_and_excess_is_refused_at_once():
    import asyncio

    from web.auth.logins import BoundedHasher, LoginBusy

    release = threading.Event()
    hasher = BoundedHasher(threads=1, max_waiting=3)

    async def scenario():
        running = [asyncio.ensure_future(hasher.run(release.wait, 10)) for _ in range(3)]
        await asyncio.sleep(0.05)
        started = time.monotonic()
        with pytest.raises(LoginBusy):
            await hasher.run(release.wait, 10)
        refused_in = time.monotonic() - started
        release.set()
        assert await asyncio.gather(*running) == [True, True, True]
        return refused_in

    assert asyncio.run(scenario()) < 1.0
