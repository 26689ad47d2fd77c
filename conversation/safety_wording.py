"""What a message of concern says about itself, beyond raising the alarm: words of
self-harm, and a wish that someone not be told (data/conversation/safety_cues.yml)."""

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Pattern

import yaml

from core.settings import PROJECT_ROOT

CUES_FILE = PROJECT_ROOT / "data" / "conversation" / "safety_cues.yml"


@lru_cache(maxsize=None)
def safety_cues(path: Path = CUES_FILE) -> Dict[str, List[Pattern]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {kind: [re.compile(p, re.IGNORECASE) for p in patterns]
            for kind, patterns in data.items()}


def _says(kind: str, text: str) -> bool:
    plain = text.replace("’", "'")
    return any(p.search(plain) for p in safety_cues()[kind])


def speaks_of_self_harm(text: str) -> bool:
    return _says("self_harm", text)


def asks_for_secrecy(text: str) -> bool:
    return _says("secrecy", text)
