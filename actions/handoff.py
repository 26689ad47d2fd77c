"""Passing a rights request, or a wish to talk to a person, to a human officer.

A request intent starts `handoff_form` (rules in data/rules/handoff.yml); the form asks
only what an officer needs, each question skippable; the submit action opens the case.
"""

import logging
import uuid
from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import replies as replies_for_safety
from actions import request_replies as replies
from core.request_types import REQUEST_TYPES
from actions.answers import answer_parts, part_replies
from actions.case_access import case_store, deliver_mail_soon, pending_answers, transcript_of
from actions.dispatch import send, turn_has_section
from actions.replies import combined_reply
from actions.route_replies import ask_for_duty_worker
from core.settings import load_settings
from casework.cases import NewCase
from conversation.form_answers import (RELATIONSHIP_LABELS, is_cancel, is_skip, name_in,
                                       parse_contact, plain, relationship_of, yes_or_no)
from conversation.form_turns import is_resume
from conversation.safety_wording import speaks_of_self_harm

logger = logging.getLogger(__name__)

FORM_SLOTS = ("contact_name", "contact_detail", "relationship", "contact_consent",
              "confirm_send")
REQUEST_INTENTS = tuple(f"request_{kind}" for kind in REQUEST_TYPES)
SKIPPED = "skipped"
# The slot only says a personal answer was given; the answer itself waits outside the
# conversation store (casework/pending.py), which keeps a redacted copy of the chat.
GIVEN = "given"


def request_of(tracker: Tracker) -> str:
    return tracker.get_slot("request") or "human"


def raised_safeguarding(tracker: Tracker) -> bool:
    return any(e.get("event") == "user"
               and (e.get("parse_data") or {}).get("intent", {}).get("name") == "safeguarding"
               for e in tracker.events)


class ActionRights(Action):
    """The data protection rights, each in a sentence (or the one right asked about),
    and an offer to start a request; remembers the right for "how do I do that?"."""

    def name(self) -> Text:
        return "action_rights"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        events = answer_parts(dispatcher, tracker, domain)
        if events is None:  # the intent was not `rights` (a rule's test, a button)
            send(dispatcher, replies.rights_reply(load_settings()), tracker)
            return [SlotSet("last_section", "rights")]
        return events


class ActionStartRequest(Action):
    """Confirm the request in plain words, say what happens next, then the form asks."""

    def name(self) -> Text:
        return "action_start_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name", "")
        request = intent.removeprefix("request_")
        if request not in REQUEST_TYPES:
            request = "human"
        if request == "human" and raised_safeguarding(tracker):
            # After a concern, "talk to someone" is help, not a data request: who to
            # call and when, and no form asking a child for a name or an email. The
            # rule would start the form next; the follow-up listens instead.
            said = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
            send(dispatcher, replies_for_safety.talk_now_reply(
                load_settings(), self_harm=any(speaks_of_self_harm(t) for t in said),
                on_duty=ask_for_duty_worker(tracker)), tracker)
            return [FollowupAction("action_listen"), SlotSet("last_section", "safeguarding")]
        # A question asked with the request ("how long do you keep it? and I'd like a
        # copy") is answered first, in the same message.
        answers, memory = part_replies(tracker, domain, skip=REQUEST_INTENTS)
        start = replies.start_reply(request, load_settings())
        send(dispatcher, combined_reply(answers + [start]), tracker)
        fresh = [SlotSet("request", request), SlotSet("request_id", uuid.uuid4().hex),
                 SlotSet("case_reference", None), SlotSet("request_cancelled", False),
                 SlotSet("change_requested", False), SlotSet("consent_checked", False)]
        return memory + fresh + [SlotSet(slot, None) for slot in FORM_SLOTS]


def asking_again(tracker: Tracker, slot: str) -> bool:
    """The form asks the same question after answering something else this turn, or
    when the family said "carry on"."""
    if tracker.get_slot("requested_slot") != slot:
        return False
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return turn_has_section(tracker) or intent == "resume"


def _ask_action(slot: str) -> type:
    class AskAction(Action):
        def name(self) -> Text:
            return f"action_ask_{slot}"

        async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: DomainDict) -> List[Dict[Text, Any]]:
            reply = replies.question_reply(slot, request_of(tracker),
                                           again=asking_again(tracker, slot))
            send(dispatcher, reply, tracker)
            return []

    AskAction.__name__ = f"ActionAsk_{slot}"
    AskAction.__doc__ = f"The form's question for `{slot}`."
    return AskAction


ASK_ACTIONS = [_ask_action(slot) for slot in FORM_SLOTS if slot != "confirm_send"]


class ActionAskConfirmSend(Action):
    """Before anything is sent: what will be sent, with Send / Change something /
    Cancel; or, after "Change something", what to change."""

    def name(self) -> Text:
        return "action_ask_confirm_send"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        request = request_of(tracker)
        if tracker.get_slot("change_requested"):
            send(dispatcher, replies.change_reply(request), tracker)
            return []
        try:
            kept = pending_answers().answers(tracker.get_slot("request_id")
                                             or tracker.sender_id)
        except Exception:  # noqa: BLE001 - show what we can rather than fail the turn
            logger.exception("could not read the form answers of %s", tracker.sender_id)
            kept = {}
        relationship = given(tracker, "relationship")
        answers = {
            "contact_name": kept.get("contact_name") if given(tracker, "contact_name") else None,
            "contact_detail": kept.get("contact_detail"),
            "relationship": RELATIONSHIP_LABELS.get(relationship, relationship),
        }
        send(dispatcher, replies.summary_reply(request, answers, load_settings()), tracker)
        return []


CHANGE_FIELDS = (
    ("contact_detail", ("contact", "email", "phone", "number", "reach", "mobile", "address")),
    ("relationship", ("who i am", "who im", "relationship", "role", "who i", "carer",
                      "parent")),
    ("contact_name", ("name",)),
)
SEND_WORDS = {"send", "send it", "yes send", "yes send it", "send please", "submit",
              "send my request", "nothing send my request",
              "nothing send it", "nothing", "all good", "looks good", "thats right",
              "correct", "its right", "fine"}


def field_to_change(text: str) -> Optional[str]:
    words = plain(text)
    for slot, cues in CHANGE_FIELDS:
        if any(cue in words for cue in cues):
            return slot
    return None


def resuming(tracker: Tracker) -> bool:
    """"carry on": the form asks its question again, with nothing to say about it."""
    intent = tracker.latest_message.get("intent", {}).get("name")
    return intent == "resume" or is_resume(tracker.latest_message.get("text") or "")


def wants_to_stop(value: Any, tracker: Tracker) -> bool:
    """"cancel", the Cancel button, or a message the classifier reads as stopping."""
    intent = tracker.latest_message.get("intent", {}).get("name")
    return is_cancel(value) or intent == "stop"


def cancelled(slot: str) -> Dict[Text, Any]:
    # No requested slot ends the form; action_finish_request then says it stopped.
    return {slot: None, "requested_slot": None, "request_cancelled": True}


def keep_answer(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str,
                **answers: str) -> Dict[Text, Any]:
    try:
        pending_answers().keep(tracker.get_slot("request_id") or tracker.sender_id,
                               tracker.sender_id, **answers)
    except Exception:  # noqa: BLE001 - ask again rather than lose the answer
        logger.exception("could not keep a form answer for %s", tracker.sender_id)
        dispatcher.utter_message(text="Sorry, I could not save that. Please type it again.")
        return {slot: None}
    return {slot: GIVEN}


def asked(tracker: Tracker, slot: str) -> bool:
    """Whether the form asked for this slot: when the form starts, Rasa offers the
    request message itself to every from_text slot, and that is nobody's answer."""
    return tracker.get_slot("requested_slot") == slot


class ValidateHandoffForm(FormValidationAction):
    """Check each answer; a bad one is re-asked with an example, "skip" always works."""

    def name(self) -> Text:
        return "validate_handoff_form"

    def validate_contact_name(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not asked(tracker, "contact_name"):
            return {"contact_name": None}
        if resuming(tracker):
            return {"contact_name": None}
        if is_skip(value):
            return {"contact_name": SKIPPED}
        if wants_to_stop(value, tracker):
            return cancelled("contact_name")
        name = name_in(value)
        if name:
            return keep_answer(dispatcher, tracker, "contact_name", contact_name=name)
        dispatcher.utter_message(text=replies.RE_ASK["contact_name"])
        return {"contact_name": None}

    def validate_contact_detail(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not asked(tracker, "contact_detail"):
            return {"contact_detail": None}
        if resuming(tracker):
            return {"contact_detail": None}
        if is_skip(value):
            # No way to reply: nothing more to ask; the submit step says how to write in.
            return {"contact_detail": SKIPPED, "relationship": SKIPPED,
                    "contact_consent": SKIPPED, "confirm_send": SKIPPED}
        if wants_to_stop(value, tracker):
            return cancelled("contact_detail")
        contact = parse_contact(value)
        if contact is None:
            dispatcher.utter_message(text=replies.RE_ASK["contact_detail"])
            return {"contact_detail": None}
        kind, detail = contact
        return {**keep_answer(dispatcher, tracker, "contact_detail",
                              contact_detail=detail, contact_kind=kind),
                "contact_kind": kind}

    def validate_relationship(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not asked(tracker, "relationship"):
            return {"relationship": None}
        if resuming(tracker):
            return {"relationship": None}
        if is_skip(value):
            return {"relationship": SKIPPED}
        if wants_to_stop(value, tracker):
            return cancelled("relationship")
        return {"relationship": relationship_of(value)}

    def validate_contact_consent(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not asked(tracker, "contact_consent"):
            return {"contact_consent": None}
        if resuming(tracker) and yes_or_no(value) is None:
            return {"contact_consent": None}
        answer = yes_or_no(value)
        if answer is None and wants_to_stop(value, tracker):
            return cancelled("contact_consent")
        if answer is None and is_skip(value):
            answer = False
        if answer is None:
            dispatcher.utter_message(text=replies.RE_ASK["contact_consent"])
            return {"contact_consent": None}
        if not answer and not tracker.get_slot("consent_checked"):
            # Once, in case "no" meant "not by phone" or "not yet": no dead end.
            dispatcher.utter_message(text=replies.CONSENT_NEEDED)
            return {"contact_consent": None, "consent_checked": True}
        if not answer:
            # Nobody may reply: nothing to send; the submit step says how to write in.
            return {"contact_consent": "no", "confirm_send": SKIPPED}
        return {"contact_consent": "yes"}

    def validate_confirm_send(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not asked(tracker, "confirm_send"):
            return {"confirm_send": None}
        if wants_to_stop(value, tracker):
            return cancelled("confirm_send")
        if resuming(tracker):
            return {"confirm_send": None}
        field = field_to_change(value)
        if field:
            return {field: None, "confirm_send": None, "change_requested": False}
        words = plain(value)
        if words.startswith("change") or words in ("edit", "something") \
                or yes_or_no(value) is False:
            return {"confirm_send": None, "change_requested": True}
        if words in SEND_WORDS or yes_or_no(value) is True:
            return {"confirm_send": "send", "change_requested": False}
        dispatcher.utter_message(text=replies.RE_ASK["confirm_send"])
        return {"confirm_send": None}


def given(tracker: Tracker, slot: str) -> Optional[str]:
    value = tracker.get_slot(slot)
    return None if value in (None, SKIPPED) else value


def forget_answers(request_id: str) -> None:
    try:
        pending_answers().discard(request_id)
    except Exception:  # noqa: BLE001 - the family has their answer; log it for staff
        logger.exception("could not discard the form answers of %s", request_id)


class ActionFinishRequest(Action):
    """When the form ends: open the case (once per submission), tell the family its
    reference and mail the team; or, if they cancelled or gave no contact, say so."""

    def name(self) -> Text:
        return "action_finish_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        settings, request = load_settings(), request_of(tracker)
        reset = ([SlotSet(s, None) for s in FORM_SLOTS]
                 + [SlotSet("requested_slot", None), SlotSet("request_cancelled", False),
                    SlotSet("change_requested", False)])
        request_id = tracker.get_slot("request_id") or tracker.sender_id
        if tracker.get_slot("request_cancelled"):
            forget_answers(request_id)
            send(dispatcher, replies.cancelled_reply(request), tracker)
            return reset + [SlotSet("request_id", None)]
        if not given(tracker, "contact_detail") or tracker.get_slot("contact_consent") != "yes":
            forget_answers(request_id)
            send(dispatcher, replies.no_contact_reply(request, settings), tracker)
            return reset
        try:
            store = case_store()
            answers = pending_answers().answers(request_id)
            new = NewCase(
                submission_key=f"{tracker.sender_id}:{request_id}",
                conversation_id=tracker.sender_id,
                request=request,
                transcript=transcript_of(tracker),
                contact_name=answers["contact_name"] if given(tracker, "contact_name") else None,
                contact_detail=answers["contact_detail"],
                contact_kind=answers["contact_kind"],
                relationship=given(tracker, "relationship"),
                contact_consent=True,
                urgent=raised_safeguarding(tracker),
            )
            case = store.open_case(new)
        except Exception:  # noqa: BLE001 - the family must get a way forward, not an error
            logger.exception("could not open a case for %s", tracker.sender_id)
            send(dispatcher, replies.failed_reply(request, settings), tracker)
            return reset
        forget_answers(request_id)
        deliver_mail_soon(store)
        due = date.fromisoformat(case["due_date"])
        send(dispatcher, replies.case_reply(request, case["reference"], due, settings,
                                            case.get("contact_kind")), tracker)
        return reset + [SlotSet("case_reference", case["reference"])]
