"""Sending a Reply through Rasa: one message, with its `custom` contract."""

from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import Reply


def turn_has_section(tracker: Optional[Tracker]) -> bool:
    """Whether a reply since the person's last message already named its section."""
    if tracker is None:
        return False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and "section" in (
            (event.get("data") or {}).get("custom") or {}
        ):
            return True
    return False


def send(
    dispatcher: CollectingDispatcher, reply: Reply, tracker: Optional[Tracker] = None
) -> None:
    """Send the reply; when given the tracker, name the section once per turn only.

    A turn can have several replies (a request's confirmation, then the form's first
    question), but SECTIONS.md wants exactly one message with `custom.section`.
    """
    custom = reply.custom
    if turn_has_section(tracker):
        custom = {k: v for k, v in custom.items() if k not in ("section", "request")}
    dispatcher.utter_message(
        text=reply.text, buttons=reply.buttons or None, json_message=custom or None
    )
