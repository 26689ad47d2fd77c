"""Rasa's SQL tracker store, keeping only a redacted copy of what families type.

Set in endpoints.yml. The classifier and the actions see the original message during
its turn; what is saved (and streamed to any event broker) has personal data replaced
by placeholders, and the request form's answers (a name, an email or phone number)
replaced entirely: those are kept on the case, not in the conversation. What is kept of
each event is decided in redaction/conversation.py, which the case transcript uses too.
"""

import copy
import inspect
from typing import Any, Iterator, List, Optional, Sequence

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, TrackerEventDiffEngine

# FORM_ANSWER and the rest are also read from here (tests, bench/).
from redaction.conversation import (CONTACT_INTENTS, FORM_ANSWER,  # noqa: F401
                                    KEPT_AS_MARKERS, PERSONAL_QUESTIONS, SUMMARY, bot_text,
                                    custom_of, intent_of, next_question, redact_entities,
                                    slot_value, user_text)
from redaction.logs import install_log_redaction


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
        if isinstance(event, SlotSet):
            asking = next_question(asking, "slot", slot=event.key, value=event.value)
        elif isinstance(event, BotUttered):
            asking = next_question(asking, "bot", custom=custom_of(event.data))
        elif isinstance(event, UserUttered):
            asking = next_question(asking, "user")
    return copies


def _redact(event: Event, asking: Optional[str]) -> None:
    if isinstance(event, SlotSet):
        event.value = slot_value(event.key, event.value)
    elif isinstance(event, UserUttered) and event.text:
        _replace_text(event, user_text(event.text, asking, intent_of(event.parse_data)))
    elif isinstance(event, BotUttered):
        event.text = bot_text(event.text, custom_of(event.data))


def _replace_text(event: UserUttered, text: str) -> None:
    event.text = text
    if isinstance(event.parse_data, dict):
        event.parse_data["text"] = text
        redact_entities(event.parse_data.get("entities"))


def _private_sqlite_file(*args: Any, **kwargs: Any) -> None:
    """An SQLite conversation store (var/trackers.sqlite3) is made readable by its owner
    only, before SQLAlchemy makes it with the umask's mode."""
    from casework.private_files import private_sqlite

    bound = inspect.signature(SQLTrackerStore.__init__).bind(None, *args, **kwargs)
    bound.apply_defaults()
    options = bound.arguments
    if options["dialect"] == "sqlite" and not options["host"] and options["db"]:
        private_sqlite(f"sqlite:///{options['db']}")


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Only the events a save adds are copied and redacted (Rasa writes only those);
    copying the whole conversation on every save grew with its length."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _private_sqlite_file(*args, **kwargs)
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
