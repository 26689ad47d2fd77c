"""What of a conversation is kept, message by message: one policy for every copy.

The conversation store (tracker_store.py) applies it to Rasa's events as they are saved;
the case transcript (actions/case_access.py) to the events the action server is given, whose
latest turn the store has not redacted yet. Free text is redacted (redactor.py); an
answer to a personal question of the request form (a name, an email or phone number)
and a message giving new contact details are replaced whole: the family's answers are
kept on the case, in their own fields, not in the conversation.
"""

import copy
from typing import Any, Dict, List, Optional, Sequence

from redaction.redactor import redact

FORM_ANSWER = "<answer kept on the case>"
SUMMARY = "<summary of the request, kept on the case>"
# Messages that give new contact details for a request are personal as a whole.
CONTACT_INTENTS = {"update_contact"}
# A message typed in answer to these questions is personal as a whole.
PERSONAL_QUESTIONS = {"contact_name", "contact_detail", "new_contact"}
KEPT_AS_MARKERS = (None, "given", "skipped")


def next_question(asking: Optional[str], kind: str, slot: Optional[str] = None,
                  value: Any = None, custom: Optional[Dict[str, Any]] = None) -> Optional[str]:
    """The question the form is asking after an event (`kind` is user, bot or slot)."""
    if kind == "slot" and slot == "requested_slot":
        return value
    if kind == "bot" and (custom or {}).get("asking") == "new_contact":
        return "new_contact"  # the next message is the new contact
    if kind == "user" and asking == "new_contact":
        return None
    return asking


def user_text(text: str, asking: Optional[str], intent: Optional[str]) -> str:
    """What is kept of a family's message, typed while the form asked `asking`."""
    if asking in PERSONAL_QUESTIONS or intent in CONTACT_INTENTS:
        return FORM_ANSWER
    return redact(text)


def slot_value(slot: str, value: Any) -> Any:
    if slot in PERSONAL_QUESTIONS and value not in KEPT_AS_MARKERS:
        # Rasa fills the slot with the raw answer before validation replaces it.
        return FORM_ANSWER
    if slot != "requested_slot" and isinstance(value, str):
        return redact(value)
    return value


def bot_text(text: Optional[str], custom: Optional[Dict[str, Any]]) -> Optional[str]:
    # The check before sending shows the family their own name and contact.
    return SUMMARY if (custom or {}).get("personal") else text


def redact_entities(entities: Any) -> None:
    """The values of the entities found in a message, redacted in place (the recipient
    and the kind of data asked about are words of the notice, not personal)."""
    for entity in entities or []:
        if isinstance(entity, dict) and entity.get("entity") not in ("recipient",
                                                                     "data_kind"):
            entity["value"] = redact(str(entity.get("value", "")))
            if "text" in entity:
                entity["text"] = redact(str(entity["text"]))


def custom_of(data: Any) -> Dict[str, Any]:
    custom = (data or {}).get("custom") if isinstance(data, dict) else None
    return custom if isinstance(custom, dict) else {}


def intent_of(parse_data: Any) -> Optional[str]:
    return (((parse_data or {}).get("intent") or {}).get("name")
            if isinstance(parse_data, dict) else None)


def redacted_event_dicts(events: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Redacted copies of events in their JSON form (as the action server gets them):
    user messages, the assistant's personal messages and slot values."""
    asking: Optional[str] = None
    copies = []
    for event in events:
        event = copy.deepcopy(event)
        kind = event.get("event")
        if kind == "user" and event.get("text"):
            intent = intent_of(event.get("parse_data"))
            event["text"] = user_text(event["text"], asking, intent)
            if isinstance(event.get("parse_data"), dict):
                event["parse_data"]["text"] = event["text"]
                redact_entities(event["parse_data"].get("entities"))
        elif kind == "bot":
            event["text"] = bot_text(event.get("text"), custom_of(event.get("data")))
        elif kind == "slot":
            event["value"] = slot_value(event.get("name"), event.get("value"))
        asking = next_question(asking, kind, slot=event.get("name"), value=event.get("value"),
                               custom=custom_of(event.get("data")))
        copies.append(event)
    return copies
