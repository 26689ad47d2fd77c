"""The browser tests' common parts: Debian's Chromium, headless, driven by Playwright;
signing in to an area; screenshots; axe-core.

Screenshots go to build/screenshots/ (docs/screenshots/ keeps a copy of the journeys'
for the documentation). `make browser` installs Chromium and axe-core.
"""

from pathlib import Path

from core.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT_ROOT / "build" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = PROJECT_ROOT / "build" / "screenshots"


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def open_chat(page):
    page.get_by_role("button", name="Ask about your data").click()
    return page.get_by_label("Your question")


def ask(page, question):
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")


def sign_in(browser, site_url, area, username, password, bypass_csp=False):
    """A new browser page signed in to an area ("officer", "duty", "staff")."""
    page = browser.new_context(viewport={"width": 1200, "height": 900},
                               bypass_csp=bypass_csp).new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{site_url}/{area}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site_url}/{area}/")
    return page


def axe_scan(page):
    """axe-core's WCAG 2.0-2.2 A/AA rules on the page as it stands."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
        return {violations: r.violations.map(v => ({id: v.id, nodes: v.nodes.length,
                                                   help: v.help})),
                passes: r.passes.length};
    }""")
