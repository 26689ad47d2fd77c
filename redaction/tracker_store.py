"""Rasa's SQL tracker store, keeping only a redacted copy of what families type.

Set in endpoints.yml. The classifier and the actions see the original message during
its turn; what is saved (and streamed to any event broker) has personal data replaced
by placeholders, and the request form's answers (a name, an email or phone number)
replaced entirely: those are kept on the case, not in the conversation.
"""

import copy
from typing import Any, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from redaction.logs import install_log_redaction
from redaction.redactor import redact

FORM_ANSWER = "<answer kept on the case>"
# A message typed in answer to these questions is personal as a whole.
PERSONAL_QUESTIONS = {"contact_name", "contact_detail"}
KEPT_AS_MARKERS = (None, "given", "skipped")


def redacted(tracker: DialogueStateTracker) -> DialogueStateTracker:
    copied = copy.deepcopy(tracker)
    asking: Optional[str] = None
    for event in copied.events:
        if isinstance(event, SlotSet):
            if event.key == "requested_slot":
                asking = event.value
            elif event.key in PERSONAL_QUESTIONS and event.value not in KEPT_AS_MARKERS:
                # Rasa fills the slot with the raw answer before validation replaces it.
                event.value = FORM_ANSWER
            elif isinstance(event.value, str):
                event.value = redact(event.value)
        elif isinstance(event, UserUttered) and event.text:
            text = FORM_ANSWER if asking in PERSONAL_QUESTIONS else redact(event.text)
            _replace_text(event, text)
    return copied


def _replace_text(event: UserUttered, text: str) -> None:
    event.text = text
    if isinstance(event.parse_data, dict):
        event.parse_data["text"] = text
        for entity in event.parse_data.get("entities") or []:
            if isinstance(entity, dict) and entity.get("entity") not in ("recipient",
                                                                         "data_kind"):
                entity["value"] = redact(str(entity.get("value", "")))


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rasa has configured logging by now: keep debug logs free of personal data too.
        install_log_redaction()

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(redacted(tracker))
