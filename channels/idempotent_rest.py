"""Rasa's REST channel, made safe to retry.

With several Rasa replicas behind a load balancer, a replica can die after it has stored
a turn but before its reply reaches the family; the client then cannot tell whether to
send the message again. A client that gives each message a `message_id` can: sending the
same id again never runs the turn twice. If the conversation already holds a message with
that id, the replies it got are sent back as they were (from the stored bot events);
otherwise the turn runs as usual. The check and the turn hold the conversation's lock
(the lock store is shared by the replicas), so two copies of one message cannot both run.

Without a `message_id` the channel behaves exactly like Rasa's `rest` channel, at the same
address (/webhooks/rest/webhook). A turn that fails (the lock store or the tracker store
unreachable, say) answers 503 with a reason instead of Rasa's empty 200, so that a client
knows to try again. A blank message is not a turn: it gets a "please type your question"
reply (the classifiers have nothing to work on).
"""

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

MAX_MESSAGE_ID_LENGTH = 100


def stored_bot_events(tracker: Optional[DialogueStateTracker], message_id: Text) -> Optional[List[BotUttered]]:
    """The bot's events that answered the user message `message_id`, or None if no
    message with that id is in the conversation."""
    if tracker is None:
        return None
    answered: Optional[List[BotUttered]] = None
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if answered is not None:
                break
            if event.message_id == message_id:
                answered = []
        elif answered is not None and isinstance(event, BotUttered):
            answered.append(event)
    return answered


async def replay(sender_id: Text, events: List[BotUttered]) -> List[Dict[Text, Any]]:
    """The REST messages the events were sent as, split as Rasa's output channel does."""
    collector = CollectingOutputChannel()
    for event in events:
        message = {key: value for key, value in (event.data or {}).items() if value}
        message["text"] = event.text
        await collector.send_response(sender_id, message)
    return collector.messages


class IdempotentRestInput(RestInput):
    """`rest`, plus `message_id` for safe retries (see the module's docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("idempotent_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else None
            if body is None or not isinstance(body.get("sender"), str) or not isinstance(body.get("message"), str):
                return response.json(
                    {"error": 'send JSON like {"sender": "<conversation id>", "message": "<text>"}'},
                    status=400)
            message_id = body.get("message_id")
            if message_id is not None and (not isinstance(message_id, str)
                                           or not 0 < len(message_id) <= MAX_MESSAGE_ID_LENGTH):
                return response.json(
                    {"error": f"message_id must be a string of 1 to {MAX_MESSAGE_ID_LENGTH} characters"},
                    status=400)
            if not body["message"].strip():
                return response.json(await nothing_typed(body["sender"]))
            collector = CollectingOutputChannel()
            message = UserMessage(
                body["message"], collector, body["sender"],
                input_channel=self._extract_input_channel(request),
                metadata=self.get_metadata(request), message_id=message_id)
            try:
                if message_id is None:
                    await on_new_message(message)
                else:
                    earlier = await handle_once(request.app.ctx.agent, message)
                    if earlier is not None:
                        return response.json(earlier, headers={"X-Replayed": "true"})
            except Exception:  # the reason is logged; the client is told to try again
                logger.exception("the turn failed for a conversation")
                return response.json(
                    {"error": "the assistant could not answer just now: please send the message again"},
                    status=503)
            return response.json(collector.messages)

        return webhook


async def nothing_typed(sender_id: Text) -> List[Dict[Text, Any]]:
    """The reply to a blank message, which is not a turn: there is nothing to classify."""
    collector = CollectingOutputChannel()
    await collector.send_response(sender_id, {
        "text": "I didn't get a message there. Please type your question.",
        "custom": {"section": "fallback"}})
    return collector.messages


async def handle_once(agent: Any, message: UserMessage) -> Optional[List[Dict[Text, Any]]]:
    """Run the turn unless the conversation already has it; then return its replies."""
    async with agent.lock_store.lock(message.sender_id):
        tracker = await agent.tracker_store.retrieve(message.sender_id)
        earlier = stored_bot_events(tracker, message.message_id)
        if earlier is not None:
            return await replay(message.sender_id, earlier)
        await agent.processor.handle_message(message)
        return None
