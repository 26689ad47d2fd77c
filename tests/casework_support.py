"""Helpers for tests that need a case database or an SMTP sink of their own."""

import os
import subprocess
import sys
from contextlib import contextmanager
from typing import Any, Dict, Iterator

from core.settings import PROJECT_ROOT, load_settings
from casework.cases import CaseStore, NewCase
from casework.database import engine_for
from processes.servers import free_port, wait_until_healthy


def signed_in(area_url: str, username: str, password: str):
    """A requests session signed in to an area (`…/officer`, `…/staff`) through its JSON
    login, carrying the CSRF header its API asks for."""
    import requests

    session = requests.Session()
    reply = session.post(f"{area_url}/api/login", timeout=10,
                         json={"username": username, "password": password})
    assert reply.status_code == 200, reply.text
    session.headers["X-CSRF-Token"] = reply.json()["csrf_token"]
    return session


def settings_with_smtp_port(port: int) -> Dict[str, Any]:
    settings = dict(load_settings())
    settings["mail"] = {**settings["mail"], "smtp_host": "127.0.0.1", "smtp_port": port,
                        "retry_after_seconds": 1}
    return settings


def store_in(tmp_path, smtp_port: int) -> CaseStore:
    engine = engine_for(f"sqlite:///{tmp_path / 'cases.sqlite3'}")
    return CaseStore(engine, settings_with_smtp_port(smtp_port))


def new_case(key: str = "conv-1:abc", request: str = "access", **details: Any) -> NewCase:
    return NewCase(
        submission_key=key, conversation_id=key.split(":")[0], request=request,
        transcript=details.pop("transcript",
                               [{"from": "family", "text": "send me my file", "at": None}]),
        **details,
    )


def settings_file_with(folder, change) -> str:
    """A copy of settings/assistant.yml, changed by `change(settings)`, for a server."""
    import yaml

    settings = yaml.safe_load((PROJECT_ROOT / "settings" / "assistant.yml").read_text())
    change(settings)
    path = folder / "assistant.yml"
    path.write_text(yaml.safe_dump(settings))
    return str(path)


@contextmanager
def running_web_server(**env: str) -> Iterator[str]:
    """`python -m web` on a free port in development mode; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "web", "--port", str(port)], cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT),
             "ASSISTANT_MODE": "development", **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(f"{base}/health", process, timeout=60)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
