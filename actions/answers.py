"""Answers from the privacy notice, and its exact wording on request."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from actions.notice import load_notice
from actions.replies import clarify_reply, section_answer, wording_reply
from actions.settings import load_settings


class ActionAnswerFromNotice(Action):
    """Answer the section the question is about (the intent names the section)."""

    def name(self) -> Text:
        return "action_answer_from_notice"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        notice = load_notice()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent not in notice.sections:
            # Only reachable through a misconfigured rule: ask rather than guess.
            ranking = tracker.latest_message.get("intent_ranking", [])
            max_topics = load_settings()["clarify"]["max_topics"]
            send(dispatcher, clarify_reply(notice, ranking, max_topics))
            return []
        entities = tracker.latest_message.get("entities", [])
        reply = section_answer(notice, intent, entities)
        send(dispatcher, reply)
        return [SlotSet("last_section", reply.section)]


class ActionShowWording(Action):
    """Quote the notice behind the asked section, or behind the last answer."""

    def name(self) -> Text:
        return "action_show_wording"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        asked = next(tracker.get_latest_entity_values("section"), None)
        section_id = asked or tracker.get_slot("last_section")
        send(dispatcher, wording_reply(load_notice(), section_id))
        return []
