"""Helpers for tests that need a case database or an SMTP sink of their own."""

from typing import Any, Dict

from actions.settings import load_settings
from casework.cases import CaseStore, NewCase
from casework.database import engine_for


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
        transcript=[{"from": "family", "text": "send me my file", "at": None}],
        **details,
    )
