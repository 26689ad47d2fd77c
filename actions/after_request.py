"""After a request is passed on: "what happens now?", "what was my reference?", and new
contact details for the request (which change that case, not open another)."""

import logging
import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import request_replies as replies
from actions.case_access import case_store, deliver_mail_soon
from actions.dispatch import send
from core.settings import load_settings
from conversation.form_answers import parse_contact
from conversation.form_turns import REQUEST_FORM

logger = logging.getLogger(__name__)

EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE_IN_TEXT = re.compile(r"(?:\+44|0)[\d\s()\-.]{9,16}\d")


def contact_in(text: str) -> Optional[Tuple[str, str]]:
    """The first valid email address or UK phone number anywhere in a message."""
    for pattern in (EMAIL_IN_TEXT, PHONE_IN_TEXT):
        for match in pattern.finditer(text or ""):
            contact = parse_contact(match.group(0))
            if contact:
                return contact
    return None


def latest_case(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The request made in this conversation: the one just made, else the newest."""
    store = case_store()
    reference = tracker.get_slot("case_reference")
    if not reference:
        references = store.references_for(tracker.sender_id)
        reference = references[-1] if references else None
    return store.get(reference) if reference else None


class ActionCaseStatus(Action):
    """Answer questions about the request from the case itself."""

    def name(self) -> Text:
        return "action_case_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        if tracker.active_loop_name == REQUEST_FORM and not tracker.get_slot("case_reference"):
            # Asked mid-form: nothing is sent yet; the form then asks its question again.
            send(dispatcher, replies.not_sent_yet_reply(tracker.get_slot("request") or "human",
                                                        load_settings()), tracker)
            return []
        try:
            case = latest_case(tracker)
        except Exception:  # noqa: BLE001 - a way forward, never a backend error
            logger.exception("could not read the case of %s", tracker.sender_id)
            case = None
        if case is None or case["request"] == "safeguarding":
            send(dispatcher, replies.no_case_reply(), tracker)
            return []
        send(dispatcher, replies.case_status_reply(case, load_settings()), tracker)
        return [SlotSet("case_reference", case["reference"])]


class ActionUpdateContact(Action):
    """New contact details: change them on the case and tell the officer."""

    def name(self) -> Text:
        return "action_update_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        try:
            case = latest_case(tracker)
        except Exception:  # noqa: BLE001
            logger.exception("could not read the case of %s", tracker.sender_id)
            case = None
        if case is None or case["request"] == "safeguarding":
            send(dispatcher, replies.no_case_reply(), tracker)
            return [SlotSet("awaiting_contact", False)]
        contact = contact_in(tracker.latest_message.get("text") or "")
        if contact is None:
            if tracker.get_slot("awaiting_contact"):
                dispatcher.utter_message(text=replies.RE_ASK["contact_detail"])
            send(dispatcher, replies.ask_new_contact_reply(case["request"],
                                                          case["reference"]), tracker)
            return [SlotSet("awaiting_contact", True)]
        kind, detail = contact
        try:
            store = case_store()
            store.update_contact(case["reference"], kind, detail)
        except Exception:  # noqa: BLE001
            logger.exception("could not change the contact of %s", case["reference"])
            send(dispatcher, replies.failed_reply(case["request"], load_settings()), tracker)
            return [SlotSet("awaiting_contact", False)]
        deliver_mail_soon(store)
        send(dispatcher, replies.contact_updated_reply(case["request"], case["reference"],
                                                       kind), tracker)
        return [SlotSet("awaiting_contact", False)]
