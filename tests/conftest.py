"""Shared fixtures: one trained model, one action server, one agent per test session."""

import asyncio
import os
import shutil
import tempfile
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

from core.settings import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "current.tar.gz"

def pytest_configure(config):
    """No test writes to the real case database or mails anyone: in-process code gets a
    throwaway database and a mail port nobody listens on (fixtures may override)."""

    from processes.servers import free_port

    scratch = Path(tempfile.mkdtemp(prefix="assistant-test-cases-"))
    os.environ["ASSISTANT_DATABASE_URL"] = f"sqlite:///{scratch / 'cases.sqlite3'}"
    os.environ["ASSISTANT_SMTP_HOST"] = "127.0.0.1"
    os.environ["ASSISTANT_SMTP_PORT"] = str(free_port())


RASA_LOG = Path(tempfile.gettempdir()) / f"assistant-test-rasa-run-{os.getpid()}.log"
BROKER_LOG = Path(tempfile.gettempdir()) / f"assistant-test-broker-{os.getpid()}.jsonl"

# Figures that tests measured, printed at the end of the run whatever the outcome.
MEASURED: List[str] = []


def pytest_terminal_summary(terminalreporter):
    for block in MEASURED:
        terminalreporter.write_line(block)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The project's model, trained once (Rasa reuses its cache when nothing changed)."""
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "--fixed-model-name", "current",
         "--out", "models"],
        cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL,
    )
    assert MODEL.exists()
    return MODEL


@pytest.fixture(scope="session")
def mail_sink():
    """A local SMTP server for the whole session; tests read `mail_sink.messages`."""
    from casework.mail_sink import MailSink
    from processes.servers import free_port

    with MailSink(free_port()) as sink:
        yield sink


@pytest.fixture(scope="session")
def case_database_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('cases') / 'cases.sqlite3'}"


@pytest.fixture(scope="session")
def case_store(case_database_url, mail_sink):
    """The store the action server writes to, for checking rows."""
    from casework.cases import CaseStore
    from casework.database import engine_for
    from tests.casework_support import settings_with_smtp_port

    return CaseStore(engine_for(case_database_url),
                     settings_with_smtp_port(mail_sink.controller.port))


@pytest.fixture(scope="session")
def action_server_url(case_database_url, mail_sink) -> str:
    from processes.servers import running_action_server

    with running_action_server(database_url=case_database_url,
                               smtp_port=mail_sink.controller.port) as url:
        yield url


@pytest.fixture(scope="session")
def event_loop_for_agent():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


class Chat:
    """Talks to the in-process agent the way the REST channel does."""

    def __init__(self, agent: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.agent = agent
        self.loop = loop

    def say(self, sender: str, text: str) -> List[Dict[str, Any]]:
        return self.loop.run_until_complete(
            self.agent.handle_text(text, sender_id=sender)
        ) or []

    def section(self, sender: str, text: str) -> str:
        from core.labels import sections_of

        sections = sections_of(self.say(sender, text))
        assert len(sections) == 1, f"{text!r} got sections {sections}"
        return sections[0]

    def parse(self, text: str) -> Dict[str, Any]:
        return self.loop.run_until_complete(self.agent.parse_message(text))


@pytest.fixture(scope="session")
def chat(trained_model, action_server_url, event_loop_for_agent) -> Chat:
    from channels.agent import load_agent

    agent = load_agent(trained_model, action_server_url)
    return Chat(agent, event_loop_for_agent)


@pytest.fixture(scope="session")
def tracker_store_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('trackers') / 'trackers.sqlite3'}"


@pytest.fixture(scope="session")
def rasa_rest_url(trained_model, action_server_url, tracker_store_url, tmp_path_factory):
    """A real `rasa run` with the REST channel, its actions and an SQL tracker store."""
    from processes.servers import (action_endpoint_yaml, backend_environment, free_port,
                                   rasa_server_command, wait_until_healthy)

    endpoints = tmp_path_factory.mktemp("rest") / "endpoints.yml"
    endpoints.write_text(
        action_endpoint_yaml(action_server_url) +
        "tracker_store:\n  type: redaction.tracker_store.RedactingSQLTrackerStore\n"
        "  dialect: sqlite\n"
        f'  db: "{tracker_store_url.removeprefix("sqlite:///")}"\n'
        # What an event broker would be sent (Rasa's file broker, one JSON event a line).
        f'event_broker:\n  type: file\n  path: "{BROKER_LOG}"\n'
    )
    port = free_port()
    log = RASA_LOG.open("w")  # read by tests that check nothing personal is logged
    process = subprocess.Popen(
        rasa_server_command(trained_model, port, endpoints),
        cwd=PROJECT_ROOT,
        env={**os.environ, **backend_environment(), "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/", process, timeout=120)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def site_url(rasa_rest_url, case_database_url, tracker_store_url, mail_sink,
             trained_model, action_server_url, tmp_path_factory):
    """The web server (demo page, chat API, officers' queue) wired to the real Rasa."""

    from tests.casework_support import running_web_server, settings_file_with

    # Every browser and fuzz test comes from 127.0.0.1: lift the per-address limit.
    folder = tmp_path_factory.mktemp("site")
    settings = settings_file_with(folder, lambda s: s[
        "rate_limits"].update(per_conversation_per_minute=100_000,
                              per_address_per_minute=100_000))
    # Review items applied from the workbench go to a copy of the training data.
    shutil.copytree(PROJECT_ROOT / "data" / "nlu", folder / "nlu")
    with running_web_server(
            ASSISTANT_SETTINGS=settings, ASSISTANT_DATABASE_URL=case_database_url,
            ASSISTANT_TRACKER_STORE_URL=tracker_store_url, ASSISTANT_RASA_URL=rasa_rest_url,
            ASSISTANT_MODEL=str(trained_model),
            ASSISTANT_SMTP_PORT=str(mail_sink.controller.port),
            ASSISTANT_TRAINING_DATA=str(folder / "nlu")) as base:
        yield base


# -- the browser tests (tests/browser_support.py has their helpers) --------------------

@pytest.fixture(scope="module")
def browser():
    # Playwright is a requirement (requirements.txt): missing, these tests fail, never skip.
    from playwright import sync_api

    from tests.browser_support import CHROMIUM, SHOTS

    assert CHROMIUM.exists(), "run `make browser` (installs Debian's chromium)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url):
    # bypass_csp: axe-core is injected as a script, which the site's CSP rightly refuses.
    context = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(site_url + "/")
    yield page
    context.close()
