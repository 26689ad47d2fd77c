"""The actions' way into casework: the store, the transcript, mail in the background."""

import asyncio
import logging
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, List

from rasa_sdk import Tracker

from core.settings import load_settings
from casework.cases import CaseStore
from casework.database import database_url, engine_for
from casework.mail import deliver_pending
from casework.pending import PendingAnswers
from redaction.conversation import redacted_event_dicts

logger = logging.getLogger(__name__)


@lru_cache(maxsize=None)
def _store_for(url: str) -> CaseStore:
    return CaseStore(engine_for(url), load_settings())


def case_store() -> CaseStore:
    """Built on first use, so that importing the actions connects to nothing."""
    return _store_for(database_url())


def pending_answers() -> PendingAnswers:
    """Where the request form's personal answers wait for the case (casework/pending.py)."""
    return PendingAnswers(case_store().engine)


def transcript_of(tracker: Tracker) -> List[Dict[str, Any]]:
    """The conversation so far, as the officer will read it: redacted as the conversation
    store keeps it. The store has not saved this turn yet (the message that opened the
    case, typed a moment ago), so nothing here relies on it having been redacted; the
    contact details the family gave travel on the case, in their own fields."""
    lines = []
    for event in redacted_event_dicts(tracker.events):
        kind = event.get("event")
        if kind not in ("user", "bot") or not event.get("text"):
            continue
        when = event.get("timestamp")
        lines.append({
            "from": "family" if kind == "user" else "assistant",
            "text": event["text"],
            "at": (datetime.fromtimestamp(when, timezone.utc).isoformat()
                   if when else None),
        })
    return lines


def deliver_mail_soon(store: CaseStore) -> None:
    """Try the team's mail now, without making the family wait for the mail server.

    Whatever fails stays in the outbox for the mail worker (casework.mail_worker).
    """
    def deliver() -> None:
        try:
            deliver_pending(store.engine, store.settings)
        except Exception:  # noqa: BLE001 - the worker retries; log, never raise
            logger.exception("mail delivery failed; it stays in the outbox")

    try:
        asyncio.get_running_loop().run_in_executor(None, deliver)
    except RuntimeError:
        deliver()
