"""Answers from the privacy notice, and its exact wording on request.

A message may ask more than one thing ("who do you share it with, and how long do you
keep it?"): the ConversationReader lists its parts in the parse (`parts`), and each
part that asks something gets its answer, in order, in one reply.
"""

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from core.notice import Notice, load_notice
from actions.replies import (Reply, clarify_reply, combined_reply, out_of_scope_reply,
                             section_answer, wording_reply)
from actions.request_replies import rights_reply, service_complaint_reply
from core.settings import load_settings
from conversation.followups import TERM_ENTITIES, right_named


def asked_parts(tracker: Tracker) -> List[Tuple[str, List[Dict[str, Any]], str]]:
    """(intent, entities, text) of every part the message asks, in order; the whole
    message as one part when it has no parts."""
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    parts = [p for p in message.get("parts") or [] if p.get("answered")]
    if not parts:
        return [((message.get("intent") or {}).get("name") or "",
                 list(message.get("entities") or []), text)]
    found = []
    for part in parts:
        # A part's entities carry offsets into the message (the text is kept once);
        # flags carried from the conversation (a person, a follow-up) have none.
        entities = [{**e, "text": text[e["start"]:e["end"]]} if "start" in e else dict(e)
                    for e in part.get("entities") or []]
        found.append((part["intent"], entities, text[part["start"]:part["end"]]))
    return found


def domain_text(domain: Dict[str, Any], response: str) -> Optional[str]:
    variants = (domain.get("responses") or {}).get(response) or []
    return " ".join(variants[0]["text"].split()) if variants else None


def reply_for(intent: str, entities: List[Dict[str, Any]], text: str, notice: Notice,
              settings: Dict[str, Any], domain: Dict[str, Any],
              whole: str = "") -> Optional[Reply]:
    """The reply to one part; None for a part another action answers (a request)."""
    if intent in notice.sections:
        return section_answer(notice, intent, entities)
    if intent == "rights":
        how_to = any(e.get("entity") == "follow_up" and e.get("value") == "how_to"
                     for e in entities)
        # "Some of it is wrong. Can she have that put right?": the right may be named in
        # another sentence of the message.
        right = right_named(text) or right_named(whole)
        return rights_reply(settings, right, how_to=how_to)
    if intent == "out_of_scope":
        if any(e.get("entity") == "complaint" for e in entities):
            return service_complaint_reply(settings)
        return out_of_scope_reply(notice, settings)
    # Replies written in domain.yml, when they are one part of a compound message.
    response, section = {"chat_privacy": ("utter_chat_privacy", "chat_privacy"),
                         "bot_challenge": ("utter_bot_challenge", "chitchat")}.get(
        intent, (None, None))
    written = domain_text(domain, response) if response else None
    return Reply(text=written, section=section) if written else None


def memory_of(replies: List[Reply], text: str) -> List[Dict[str, Any]]:
    """Slots for the next turn's follow-ups: the last topic, terms and right."""
    notice = load_notice()
    last = next((r for r in reversed(replies)
                 if r.section in notice.sections or r.section == "rights"), None)
    if last is None:
        return []
    terms = [f"{kind}:{term}" for term in last.extra.get("terms", [])
             for kind in TERM_ENTITIES if notice.find_term(kind, term)]
    events = [SlotSet("last_section", last.section), SlotSet("last_terms", terms)]
    if last.section == "rights":
        events.append(SlotSet("last_right", last.extra.get("right") or right_named(text)))
    return events


def part_replies(tracker: Tracker, domain: Dict[str, Any], skip: Tuple[str, ...] = ()
                 ) -> Tuple[List[Reply], List[Dict[str, Any]]]:
    """The answers to every part the message asks (but intents in `skip`), and the
    slots that remember them for the next turn."""
    notice, settings = load_notice(), load_settings()
    whole = (tracker.latest_message or {}).get("text") or ""
    replies, texts = [], []
    for intent, entities, text in asked_parts(tracker):
        if intent in skip:
            continue
        reply = reply_for(intent, entities, text, notice, settings, domain, whole)
        if reply is not None:
            replies.append(reply)
            texts.append(text)
    return replies, (memory_of(replies, texts[-1]) if replies else [])


def answer_parts(dispatcher: CollectingDispatcher, tracker: Tracker,
                 domain: Dict[str, Any]) -> Optional[List[Dict[str, Any]]]:
    """Send the answers to every part the message asks, as one message, and return
    the slots that remember them; None when no part has an answer here."""
    replies, events = part_replies(tracker, domain)
    if not replies:
        return None
    send(dispatcher, combined_reply(replies), tracker)
    return events


class ActionAnswerFromNotice(Action):
    """Answer the section the question is about (the intent names the section)."""

    def name(self) -> Text:
        return "action_answer_from_notice"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[str, Any]]:
        events = answer_parts(dispatcher, tracker, domain)
        if events is not None:
            return events
        # Only reachable through a misconfigured rule: ask rather than guess.
        ranking = tracker.latest_message.get("intent_ranking", [])
        max_topics = load_settings()["clarify"]["max_topics"]
        send(dispatcher, clarify_reply(load_notice(), ranking, max_topics), tracker)
        return []


class ActionShowWording(Action):
    """Quote the notice behind the asked section, or behind the last answer."""

    def name(self) -> Text:
        return "action_show_wording"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[str, Any]]:
        asked = next(tracker.get_latest_entity_values("section"), None)
        section_id = asked or tracker.get_slot("last_section")
        send(dispatcher, wording_reply(load_notice(), section_id), tracker)
        return []
