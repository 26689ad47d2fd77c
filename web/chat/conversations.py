"""Passing a family's message to Rasa, and forgetting a conversation on request."""

import asyncio
import logging
import os
import re
import uuid
from typing import Any, Dict, List

import aiohttp
from sqlalchemy import create_engine, inspect, text

from casework.database import tracker_store_url

logger = logging.getLogger(__name__)
MAX_TEXT = 1000
# JSON can carry a lone surrogate ("\\ud800"), which is no character: Rasa fails on it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Rasa reads a message that starts with "/" (after its own strip()) as an intent with
# entities, "/request_access{...}", skipping the classifier. Only the chat's own buttons
# may send one (web/chat/signing.py); typed text loses its leading slashes.
LEADING_SLASHES = re.compile(r"^[\s/]+")
UNAVAILABLE = ("Sorry, the assistant is not available right now. Please try again in a "
               "few minutes. If a child is in danger, call 999.")


def printable(text: str) -> str:
    """The text with each lone surrogate replaced by U+FFFD, the replacement character."""
    return LONE_SURROGATE.sub("\ufffd", text)


def as_typed_text(text: str) -> str:
    """What the family typed, as text Rasa's classifier reads and never as an intent:
    '/request_access{"x": 1}' becomes 'request_access{"x": 1}', '/' becomes '' (which
    the REST channel answers with "please type your question")."""
    return LEADING_SLASHES.sub("", text)


def rasa_url(settings: Dict[str, Any]) -> str:
    return os.environ.get("ASSISTANT_RASA_URL", settings["rasa"]["url"]).rstrip("/")


async def ask_rasa(settings: Dict[str, Any], conversation_id: str, message: str,
                   attempts: int = 3) -> List[Dict[str, Any]]:
    """The assistant's replies over Rasa's REST channel; a friendly message on failure.

    A Rasa replica can die mid-turn behind the load balancer: the message is sent again
    with the same message_id, which the channel (channels/idempotent_rest.py) never runs
    twice.
    """
    url = f"{rasa_url(settings)}/webhooks/rest/webhook"
    payload = {"sender": conversation_id, "message": message, "message_id": uuid.uuid4().hex}
    for attempt in range(1, attempts + 1):
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
                async with http.post(url, json=payload) as response:
                    if 200 <= response.status < 300:
                        replies = await response.json()
                        if replies:
                            return replies
                    logger.warning("Rasa answered %s with %s (attempt %d of %d)", response.status,
                                   "no messages" if response.status < 300 else "an error",
                                   attempt, attempts)
                    if response.status < 500:
                        break
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            logger.warning("Rasa could not be reached (attempt %d of %d): %s",
                           attempt, attempts, error)
        if attempt < attempts:
            await asyncio.sleep(0.5 * attempt)
    return [{"text": UNAVAILABLE, "custom": {"section": "fallback", "error": True}}]


def forget_in_rasa(settings: Dict[str, Any], conversation_id: str) -> int:
    """Delete the conversation's events from Rasa's SQL tracker store; rows deleted."""
    engine = create_engine(tracker_store_url(settings), future=True)
    try:
        if not inspect(engine).has_table("events"):
            return 0
        with engine.begin() as conn:
            return conn.execute(text("DELETE FROM events WHERE sender_id = :sender"),
                                {"sender": conversation_id}).rowcount
    finally:
        engine.dispose()
