"""Replies that are not a notice section: safety, other services, not sure."""

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.case_access import case_store, deliver_mail_soon, transcript_of
from actions.answers import answer_parts
from actions.dispatch import send
from core.notice import load_notice
from actions.replies import (clarify_reply, confidentiality_reply, out_of_scope_reply,
                             safeguarding_reply)
from core.settings import load_settings
from casework.cases import NewCase
from casework.duty import DutyRota
from conversation.safety_wording import asks_for_secrecy, speaks_of_self_harm

logger = logging.getLogger(__name__)


class ActionSafeguarding(Action):
    """The fixed safety message, before anything else; then an urgent case for officers."""

    def name(self) -> Text:
        return "action_safeguarding"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        settings, text = load_settings(), tracker.latest_message.get("text") or ""
        secrecy = asks_for_secrecy(text)
        if secrecy and tracker.get_slot("last_section") == "safeguarding":
            reply = confidentiality_reply(settings)  # the safety message was just shown
        else:
            reply = safeguarding_reply(settings, self_harm=speaks_of_self_harm(text),
                                       secrecy=secrecy)
        send(dispatcher, reply, tracker)
        try:
            open_safeguarding_case(tracker)
        except Exception:  # noqa: BLE001 - the safety message must go out regardless
            logger.exception("could not open the urgent case for %s", tracker.sender_id)
        # The next message is read against the concern ("will she get in trouble?").
        return [SlotSet("last_section", "safeguarding"), SlotSet("last_terms", [])]


def open_safeguarding_case(tracker: Tracker) -> None:
    """One alert per conversation (casework/cases.py, record_disclosure): a later
    disclosure adds to it, or reopens it when it was closed; the team is mailed when a case
    opens or reopens."""
    store = case_store()
    what = store.record_disclosure(NewCase(
        submission_key=safeguarding_key(tracker),
        conversation_id=tracker.sender_id,
        request="safeguarding",
        transcript=transcript_of(tracker),
    ))
    if what != "added":
        deliver_mail_soon(store)


def safeguarding_key(tracker: Tracker) -> str:
    return f"{tracker.sender_id}:safeguarding"


def ask_for_duty_worker(tracker: Tracker) -> bool:
    """After a concern, the family asked to talk to someone now: when a duty worker is on
    duty, the conversation waits on the duty queue for one to join it. Whether one is."""
    try:
        store = case_store()
        rota = DutyRota(store.engine)
        case = store.by_submission(safeguarding_key(tracker))
        if case is None or case["status"] == "closed" or not rota.on_duty():
            return False
        rota.ask_to_talk(tracker.sender_id, case["id"])
        return True
    except Exception:  # noqa: BLE001 - the phone numbers go out regardless
        logger.exception("could not ask the duty queue for %s", tracker.sender_id)
        return False


class ActionOutOfScope(Action):
    """Say politely what the assistant covers and where to look instead."""

    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        # Also a complaint about a service rather than data (its own route), and the
        # other parts of a compound message.
        events = answer_parts(dispatcher, tracker, domain)
        if events is None:
            send(dispatcher, out_of_scope_reply(load_notice(), load_settings()), tracker)
        return events or []


class ActionClarify(Action):
    """Below the confidence threshold: offer the likely topics as buttons."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        ranking = tracker.latest_message.get("intent_ranking", [])
        max_topics = load_settings()["clarify"]["max_topics"]
        send(dispatcher, clarify_reply(load_notice(), ranking, max_topics))
        return []
