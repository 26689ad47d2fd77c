"""Replies that are not a notice section: safety, other services, not sure."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.dispatch import send
from actions.notice import load_notice
from actions.replies import clarify_reply, out_of_scope_reply, safeguarding_reply
from actions.settings import load_settings


class ActionSafeguarding(Action):
    """The fixed safety message, before anything else."""

    def name(self) -> Text:
        return "action_safeguarding"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        send(dispatcher, safeguarding_reply(load_settings()))
        return []


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
        send(dispatcher, out_of_scope_reply(load_notice(), load_settings()))
        return []


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
