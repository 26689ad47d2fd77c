"""The assistant's settings: facts beyond the notice, read once from one YAML file."""

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS_FILE = PROJECT_ROOT / "settings" / "assistant.yml"


@lru_cache(maxsize=None)
def load_settings() -> Dict[str, Any]:
    """Return the settings; `ASSISTANT_SETTINGS` may point at another file."""
    path = Path(os.environ.get("ASSISTANT_SETTINGS", DEFAULT_SETTINGS_FILE))
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
