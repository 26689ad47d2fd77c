"""Rasa's SQL tracker store, keeping only a redacted copy of what families type.

Set in endpoints.yml. The classifier and the actions see the original message during
its turn; what is saved (and streamed to any event broker) has personal data replaced
by placeholders, and the request form's answers (a name, an email or phone number)
replaced entirely: those are kept on the case, not in the conversation.
"""

import copy
from typing import Any, Iterator, List, Optional, Sequence

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, TrackerEventDiffEngine

from redaction.logs import install_log_redaction
from redaction.redactor import redact

FORM_ANSWER = "<answer kept on the case>"
SUMMARY = "<summary of the request, kept on the case>"
# Messages that give new contact details for a request are personal as a whole.
CONTACT_INTENTS = {"update_contact"}
# A message typed in answer to these questions is personal as a whole.
PERSONAL_QUESTIONS = {"contact_name", "contact_detail", "new_contact"}
KEPT_AS_MARKERS = (None, "given", "skipped")


def redacted_events(events: Sequence[Event], start: int) -> List[Event]:
    """Redacted copies of events[start:], the ones not yet stored or streamed. The
    earlier events were redacted when they were saved; they are only read here, for
    which question the request form was asking."""
    asking: Optional[str] = None
    copies = []
    for index, event in enumerate(events):
        if index >= start:
            # A copy: the classifier and the actions of this turn keep the original.
            event = copy.deepcopy(event)
            _redact(event, asking)
            copies.append(event)
        if isinstance(event, SlotSet) and event.key == "requested_slot":
            asking = event.value
        elif isinstance(event, BotUttered) and _custom(event).get("asking") == "new_contact":
            asking = "new_contact"  # the next message is the new contact
        elif isinstance(event, UserUttered) and asking == "new_contact":
            asking = None
    return copies


def _custom(event: BotUttered) -> dict:
    custom = (event.data or {}).get("custom")
    return custom if isinstance(custom, dict) else {}


def _redact(event: Event, asking: Optional[str]) -> None:
    if isinstance(event, SlotSet):
        if event.key in PERSONAL_QUESTIONS and event.value not in KEPT_AS_MARKERS:
            # Rasa fills the slot with the raw answer before validation replaces it.
            event.value = FORM_ANSWER
        elif event.key != "requested_slot" and isinstance(event.value, str):
            event.value = redact(event.value)
    elif isinstance(event, UserUttered) and event.text:
        intent = ((event.parse_data or {}).get("intent") or {}).get("name")
        personal = asking in PERSONAL_QUESTIONS or intent in CONTACT_INTENTS
        _replace_text(event, FORM_ANSWER if personal else redact(event.text))
    elif isinstance(event, BotUttered) and _custom(event).get("personal"):
        # The check before sending shows the family their own name and contact.
        event.text = SUMMARY


def _replace_text(event: UserUttered, text: str) -> None:
    event.text = text
    if isinstance(event.parse_data, dict):
        event.parse_data["text"] = text
        for entity in event.parse_data.get("entities") or []:
            if isinstance(entity, dict) and entity.get("entity") not in ("recipient",
                                                                         "data_kind"):
                entity["value"] = redact(str(entity.get("value", "")))
                if "text" in entity:
                    entity["text"] = redact(str(entity["text"]))


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Only the events a save adds are copied and redacted (Rasa writes only those);
    copying the whole conversation on every save grew with its length."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rasa has configured logging by now: keep debug logs free of personal data too.
        install_log_redaction()

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        new = sum(1 for _ in super()._additional_events(session, tracker))
        return iter(redacted_events(tracker.events, len(tracker.events) - new))

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        if self.event_broker is None:
            return
        old = await self.retrieve(tracker.sender_id)
        new = TrackerEventDiffEngine.event_difference(old, tracker)
        await self._stream_new_events(
            self.event_broker, redacted_events(tracker.events, len(tracker.events) - len(new)),
            tracker.sender_id)
