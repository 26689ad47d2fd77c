"""Reads each message in its conversation, after the classifier and before the safety net.

Rasa hands an NLU component's `process` the conversation's tracker when it asks for one,
so this component sees what the assistant answered last (slots `last_section`,
`last_terms`, `last_right`, `case_reference`) and which question the request form is
asking. From that and the classifier's verdicts on the message and its parts
(components/message_parts.py) it sets the intent the dialogue rules act on
(conversation/reading.py, conversation/form_turns.py) and records why, for staff.
"""

from functools import lru_cache
from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from core.notice import load_notice
from core.request_types import REQUEST_TYPES
from components.in_context_copies import IN_CONTEXT_OF
from components.message_parts import PART_OF, PART_SPAN, PARTS, READ_WHOLE
from components.stateless import StatelessComponent
from conversation.followups import FALLBACK, Context
from conversation.form_turns import REQUEST_FORM, read_form_turn
from conversation.reading import NoticeFacts, Verdict, read_message

READING = "reading"


@lru_cache(maxsize=None)
def notice_facts() -> NoticeFacts:
    notice = load_notice()
    return NoticeFacts(
        sections=set(notice.sections),
        requests={f"request_{kind}" for kind in REQUEST_TYPES},
        follow_ups={s.id: dict(s.follow_ups) for s in notice.sections.values()},
        term_sections={(kind, term.id): term.section
                       for kind, terms in notice.terms.items() for term in terms.values()},
        unlisted=frozenset((kind, term.id) for kind, terms in notice.terms.items()
                           for term in terms.values() if not term.listed),
    )


def context_of(tracker: Optional[DialogueStateTracker]) -> Context:
    if tracker is None:
        return Context()
    terms = tracker.get_slot("last_terms") or []
    return Context(
        last_section=tracker.get_slot("last_section"),
        last_terms=tuple(terms) if isinstance(terms, list) else (),
        last_right=tracker.get_slot("last_right"),
        case_reference=tracker.get_slot("case_reference"),
        awaiting_contact=bool(tracker.get_slot("awaiting_contact")),
    )


def asked_slot(tracker: Optional[DialogueStateTracker]) -> Optional[str]:
    """The slot the request form is asking for, if the form is active."""
    if tracker is None or tracker.active_loop_name != REQUEST_FORM:
        return None
    return tracker.get_slot("requested_slot")


def verdict_of(message: Message, offset: int = 0, end: Optional[int] = None) -> Verdict:
    intent = message.get(INTENT) or {}
    text = message.get(TEXT) or ""
    return Verdict(
        text=text,
        intent=intent.get("name") or FALLBACK,
        confidence=float(intent.get("confidence") or 0.0),
        ranking=list(message.get(INTENT_RANKING_KEY) or []),
        entities=[{**e, "start": e["start"] + offset, "end": e["end"] + offset}
                  if "start" in e and "end" in e else dict(e)
                  for e in message.get(ENTITIES) or []],
        start=offset, end=len(text) + offset if end is None else end,
    )


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class ConversationReader(StatelessComponent):
    """Follow-ups, parts of long and compound messages, and answers to the form."""

    def process(self, messages: List[Message],
                tracker: Optional[DialogueStateTracker] = None) -> List[Message]:
        wholes = []
        for index, message in enumerate(messages):
            if message.get(PART_OF) is not None or message.get(IN_CONTEXT_OF) is not None:
                continue
            parts = [m for m in messages if m.get(PART_OF) == index]
            copy = next((m for m in messages if m.get(IN_CONTEXT_OF) == index), None)
            self._read(message, parts, copy, tracker)
            wholes.append(message)
        return wholes

    @staticmethod
    def _read(message: Message, parts: List[Message], copy: Optional[Message],
              tracker: Optional[DialogueStateTracker]) -> None:
        text = message.get(TEXT) or ""
        if not text or text.startswith("/"):
            return
        verdicts = [verdict_of(p, *p.get(PART_SPAN)) for p in parts]
        reading = read_message(verdict_of(message), verdicts, context_of(tracker),
                               notice_facts(),
                               in_context=verdict_of(copy) if copy is not None else None)
        intent, confidence, via = reading.intent, reading.confidence, list(reading.via)
        asked = asked_slot(tracker)
        in_form = read_form_turn(
            text, intent, asked, request=tracker.get_slot("request") if tracker else None,
            ranking=message.get(INTENT_RANKING_KEY) or [],
            sections=notice_facts().sections)
        if in_form:
            intent, confidence = in_form, 1.0
            via.append(f"the request form asks for {asked}: {in_form}")
        message.set(INTENT, {"name": intent, "confidence": confidence},
                    add_to_output=True)
        message.set(ENTITIES, reading.entities, add_to_output=True)
        if reading.parts:
            if reading.whole:
                message.set(READ_WHOLE, True, add_to_output=True)
            else:
                # The classifier's ranking of a long message means nothing (it is sure
                # of nonsense); the parts' rankings stand in for it, for the clarifying
                # question. The safety net reads each part's own.
                message.set(INTENT_RANKING_KEY, reading.ranking, add_to_output=True)
            message.set(PARTS, [p.as_output() for p in reading.parts], add_to_output=True)
        if via:
            message.set(READING, via, add_to_output=True)
