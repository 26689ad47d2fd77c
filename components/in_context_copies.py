"""Adds, for a short question after an answer, a copy of it read in context.

The copy is the message after the question the last answer stands for
(conversation/in_context.py). It goes through every featurizer and the classifier like
the message itself; the ConversationReader compares the two readings and drops the
copy, so nothing after it (the safety net, the dialogue) ever sees it.
"""

from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.message_parts import PART_OF
from components.stateless import StatelessComponent
from conversation.form_turns import REQUEST_FORM
from conversation.in_context import text_in_context

IN_CONTEXT_OF = "in_context_of"  # index, in the batch, of the message it is a copy of


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class InContextCopies(StatelessComponent):
    """A copy of each short question, after the last answer's question (prediction only)."""

    def process(self, messages: List[Message],
                tracker: Optional[DialogueStateTracker] = None) -> List[Message]:
        if tracker is None or tracker.active_loop_name == REQUEST_FORM:
            return messages  # an answer to the form is read by the form's rules
        last_topic = tracker.get_slot("last_section")
        copies = []
        for index, message in enumerate(messages):
            if message.get(PART_OF) is not None or any(
                    m.get(PART_OF) == index for m in messages):
                continue  # a message of several parts is read part by part
            text = text_in_context(message.get(TEXT) or "", last_topic)
            if text:
                copies.append(Message(data={TEXT: text, IN_CONTEXT_OF: index}))
        return messages + copies
