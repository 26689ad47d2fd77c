"""The assistant's settings: facts beyond the notice, read once from one YAML file."""

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS_FILE = PROJECT_ROOT / "settings" / "assistant.yml"


# Blocks of an older settings file, and where their keys went (settings/assistant.yml).
RENAMED_BLOCKS = {
    "officer": "web (mode, host, port; public_url is now the site's address, without "
               "/officer/)",
    "webchat": "web.chat (title, poll_seconds, allowed_origins) and rasa (url, "
               "tracker_store_url)",
    "workbench": "web.staff (model)",
}


class SettingsError(ValueError):
    """A settings file that cannot be used, with what to change."""


@lru_cache(maxsize=None)
def load_settings() -> Dict[str, Any]:
    """Return the settings; `ASSISTANT_SETTINGS` may point at another file."""
    path = Path(os.environ.get("ASSISTANT_SETTINGS", DEFAULT_SETTINGS_FILE))
    with path.open(encoding="utf-8") as handle:
        settings = yaml.safe_load(handle)
    old = [f"`{block}:` is now {RENAMED_BLOCKS[block]}" for block in RENAMED_BLOCKS
           if block in (settings or {})]
    if old:
        raise SettingsError(f"{path}: " + "; ".join(old))
    return settings


# Rasa sends this header with every action call; the action server refuses calls without
# it, so that nothing else on the machine or the network can open cases or mail the team.
ACTION_TOKEN_HEADER = "X-Action-Token"
ACTION_TOKEN_VARIABLE = "ASSISTANT_ACTION_TOKEN"


def action_token() -> str:
    """The shared secret of Rasa and its action server for this run of processes.

    Launchers call this before starting either: when the environment has none, a fresh
    one is put there, so every process started afterwards inherits the same one.
    """
    token = os.environ.get(ACTION_TOKEN_VARIABLE)
    if not token:
        token = os.environ[ACTION_TOKEN_VARIABLE] = secrets.token_hex(32)
    return token


def action_endpoint(url: str, token: Optional[str] = None) -> Dict[str, Any]:
    """An endpoints.yml `action_endpoint` that sends the shared secret (by default this
    run's, see action_token)."""
    return {"url": url, "headers": {ACTION_TOKEN_HEADER: token or action_token()}}

# The largest request body any of the project's servers accepts (Sanic's default is 100 MB):
# a family's message is at most a few thousand characters.
MAX_REQUEST_BYTES = 64 * 1024
