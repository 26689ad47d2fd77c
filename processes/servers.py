"""Start the project's action server for a scoring run or a test session."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import yaml

from core.settings import (ACTION_TOKEN_VARIABLE, MAX_REQUEST_BYTES, PROJECT_ROOT,
                           action_endpoint, action_token)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str, body: Optional[bytes] = None, timeout: float = 3) -> bool:
    """Whether the URL answers 2xx now: a GET, or a JSON POST of `body`."""
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"} if body else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return 200 <= response.status < 300
    except OSError:
        return False


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float,
                       body: Optional[bytes] = None) -> None:
    """Wait until our child server answers (see healthy); fail early if it exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {url}")
        if healthy(url, body, timeout=5 if body else 1):
            return
        time.sleep(0.3)
    raise TimeoutError(f"the server did not answer {url} in {timeout:.0f} s")


def backend_environment() -> Dict[str, str]:
    """What Rasa and the action server are started with: loopback and a body limit.

    Both are Sanic apps, which read SANIC_* variables into their config."""
    return {"SANIC_HOST": "127.0.0.1", "SANIC_REQUEST_MAX_SIZE": str(MAX_REQUEST_BYTES)}


def rasa_server_command(model: Path, port: int, endpoints: Path, *extra: str) -> List[str]:
    """`rasa run` as every launcher starts it: on loopback, with the REST channel."""
    return [sys.executable, "-m", "rasa", "run", "--model", str(model),
            "--interface", "127.0.0.1", "--port", str(port),
            "--credentials", str(PROJECT_ROOT / "credentials.yml"),
            "--endpoints", str(endpoints), *extra]


def action_server_command(port: int) -> List[str]:
    """The project's action server (actions/server.py), on loopback by default."""
    return [sys.executable, "-m", "actions.server", "--port", str(port)]


def action_endpoint_yaml(url: str) -> str:
    """The `action_endpoint` lines of an endpoints.yml for an action server of this run."""
    return yaml.safe_dump({"action_endpoint": action_endpoint(url)}, sort_keys=False)


@contextmanager
def running_action_server(
    timeout: float = 60, database_url: Optional[str] = None, smtp_port: Optional[int] = None
) -> Iterator[str]:
    """Yield the webhook URL of a fresh action server on a free port.

    Its cases go to `database_url`, by default a throwaway SQLite file, and its mail to
    `smtp_port` on this machine, by default a port nobody listens on: scoring runs never
    touch the real case database or mail the team.
    """
    port = free_port()
    command = action_server_command(port)
    scratch = tempfile.TemporaryDirectory(prefix="assistant-cases-")
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "ASSISTANT_DATABASE_URL": database_url
        or f"sqlite:///{Path(scratch.name) / 'cases.sqlite3'}",
        "ASSISTANT_SMTP_HOST": "127.0.0.1",
        "ASSISTANT_SMTP_PORT": str(smtp_port or free_port()),
        ACTION_TOKEN_VARIABLE: action_token(),  # Rasa's side reads the same one
        **backend_environment(),
    }
    # Its log goes to a file, not a pipe nobody reads: a server that lives as long as the
    # site (the workbench's practice server) would block once a pipe filled.
    log_path = Path(scratch.name) / "actions.log"
    log = log_path.open("w")
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=log)
    try:
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}/health", process, timeout)
        except (RuntimeError, TimeoutError) as error:
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
            raise RuntimeError(f"the action server did not start: {error}\n{tail}") from error
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        scratch.cleanup()
