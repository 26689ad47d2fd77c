"""A short question read in context: classified again after the last answer's question.

The classifier was trained on questions that stand alone. "Without asking me first?",
"what sort of projects?" or "so would stuff from us count?" are unclear alone, and the
cue rules (conversation/followups.py) cannot list every way of asking. So a short
message after an answer is also classified with the question that answer stands for in
front of it (data/conversation/context_questions.yml): "who do you share my
information with? Without asking me first?". That reading is taken only when the
message alone is unclear, the reading in context is clear, and it is one the classifier
already thought likely for the message alone: context chooses among the message's own
readings and never invents one, and a clear fresh question keeps its own.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional, Sequence

import yaml

from core.settings import PROJECT_ROOT
from conversation.segments import is_question

QUESTIONS_FILE = (PROJECT_ROOT / "data" / "conversation"
                  / "context_questions.yml")
FALLBACK = "nlu_fallback"
FOLLOW_UP = "follow_up"
# Up to this many words a message may lean on the last answer.
CONTEXT_WORDS = 15
# Alone, the classifier is less sure than this (or fell back)…
UNCLEAR = 0.8
# …and in context at least this sure…
CLEAR = 0.8
# …of a reading that was among the message's own top few.
OWN_READINGS = 3


@lru_cache(maxsize=None)
def context_questions(path: Path = QUESTIONS_FILE) -> Dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(topic): str(question).strip() for topic, question in data["questions"].items()}


def text_in_context(text: str, last_topic: Optional[str]) -> Optional[str]:
    """The message after the question the last answer stands for, or None when the
    message is not one that can lean on it."""
    question = context_questions().get(last_topic or "")
    text = (text or "").strip()
    if not question or not text or text.startswith("/"):
        return None
    if len(text.split()) > CONTEXT_WORDS or not is_question(text):
        return None
    return f"{question} {text}"


def reading_in_context(alone_intent: str, alone_confidence: float,
                       alone_ranking: Sequence[Dict[str, Any]], context_intent: str,
                       context_confidence: float) -> Optional[str]:
    """The intent the message has in context, when context should decide it."""
    if context_intent not in context_questions() or context_intent == alone_intent:
        return None
    unclear = alone_intent in (FALLBACK, FOLLOW_UP) or alone_confidence < UNCLEAR
    if not unclear or context_confidence < CLEAR:
        return None
    own = [r.get("name") for r in alone_ranking if r.get("name") != FALLBACK][:OWN_READINGS]
    return context_intent if context_intent in own else None
