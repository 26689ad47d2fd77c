"""The site's pages: a style policy with no inline styles, and HSTS in production.

Styles live in files, so the Content-Security-Policy can refuse inline ones; a real
browser (without Playwright's CSP bypass) checks that nothing on the pages is refused and
that the style sheets still apply.
"""

import re

import requests

from core.settings import PROJECT_ROOT
from tests.casework_support import running_web_server

TEMPLATES = [*PROJECT_ROOT.glob("web/queue/templates/*.html"),
             *PROJECT_ROOT.glob("web/staff/templates/*.html"),
             *PROJECT_ROOT.glob("web/chat/templates/*.html")]
PAGES = ["/", "/officer/login", "/staff/login"]
INLINE_STYLE = re.compile(r"<style|\sstyle=", re.I)


def test_no_template_has_an_inline_style():
    assert TEMPLATES
    inline = [str(path.relative_to(PROJECT_ROOT)) for path in TEMPLATES
              if INLINE_STYLE.search(path.read_text(encoding="utf-8"))]
    assert inline == []


def test_the_policy_refuses_inline_styles_on_every_page(site_url):
    for page in PAGES:
        response = requests.get(site_url + page, timeout=30)
        assert response.status_code == 200, page
        policy = response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy and "default-src 'self'" in policy, policy
        assert not INLINE_STYLE.search(response.text), page
        # Development is plain HTTP on loopback: no HSTS there.
        assert "Strict-Transport-Security" not in response.headers


def test_pages_keep_their_styles_under_the_policy_in_a_real_browser(site_url):
    # Playwright is a requirement: missing, the browser test fails, it does not skip.
    from playwright import sync_api
    from tests.browser_support import CHROMIUM

    assert CHROMIUM.exists(), "run `make browser` (installs Debian's chromium)"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox"])
        try:
            page = browser.new_page()  # no bypass_csp: the policy applies as for families
            refused = []
            page.on("console", lambda message: refused.append(message.text)
                    if "Content Security Policy" in message.text else None)
            for path in PAGES:
                page.goto(site_url + path)
                page.wait_for_load_state("load")
                font = page.evaluate("getComputedStyle(document.body).fontFamily")
                assert "Arial" in font, (path, font)  # the page's own style sheet applied
            assert refused == []
        finally:
            browser.close()


def test_production_pages_tell_browsers_to_use_tls_only(tmp_path):
    with running_web_server(ASSISTANT_MODE="production", ASSISTANT_OFFICER_SECRET="s" * 40,
                            ASSISTANT_DATABASE_URL=f"sqlite:///{tmp_path / 'cases.sqlite3'}"
                            ) as base:
        response = requests.get(base + "/officer/login", timeout=30)
    hsts = response.headers.get("Strict-Transport-Security", "")
    assert re.fullmatch(r"max-age=(\d+); includeSubDomains", hsts), hsts
    assert int(hsts.split("=")[1].split(";")[0]) >= 180 * 24 * 3600
