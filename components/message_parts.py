"""The first NLU component: a long or compound message is also read part by part.

For a message of several sentences or questions (conversation/segments.py), each part
is added to the batch as a message of its own, marked with the message it belongs to,
so that every featurizer, the classifier, the fallback and the term extractor see each
part as they would see a short question. The ConversationReader, further down the
pipeline, gathers the parts back into their message.
"""

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.stateless import StatelessComponent
from conversation.segments import part_spans

PART_OF = "part_of"  # index, in the batch, of the message a part belongs to
PART_SPAN = "part_span"
# Set on the whole message by the ConversationReader, read by the safety net: each
# part's verdict, and whether a short message was read whole.
PARTS = "parts"
READ_WHOLE = "read_whole"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class MessagePartsSplitter(StatelessComponent):
    """Adds each part of a many-part message to the batch (prediction only)."""

    def process(self, messages: List[Message]) -> List[Message]:
        parts = []
        for index, message in enumerate(messages):
            text = message.get(TEXT) or ""
            if message.get(PART_OF) is not None or text.startswith("/"):
                continue  # a button's payload is read by Rasa's RegexMessageHandler
            spans = part_spans(text)
            if len(spans) < 2:
                continue
            parts += [Message(data={TEXT: text[start:end], PART_OF: index,
                                    PART_SPAN: (start, end)})
                      for start, end in spans]
        return messages + parts
