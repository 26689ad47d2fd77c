"""Find the recipients and kinds of data a message names, from the notice data.

"Will my GP be told?" names the recipient `nhs`; "do you keep my religion?" names the
data kind `religion`. The words people use for each (`terms`) live beside the notice
wording in data/notice/sections.yml, so a change of the notice is a change of data.
Like spaCy's EntityRuler, the longest match wins and values are the terms' ids.
"""

import re
from typing import Any, Dict, List, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.notice import Notice, load_notice

Pattern = Tuple[re.Pattern, str, str]  # compiled term, entity name, term id


def compile_patterns(notice: Notice) -> List[Pattern]:
    patterns = [
        (word, kind, term.id)
        for kind, terms in notice.terms.items()
        for term in terms.values()
        for word in term.terms
    ]
    patterns.sort(key=lambda p: len(p[0]), reverse=True)  # longest first
    return [
        (re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE), kind, term_id)
        for word, kind, term_id in patterns
    ]


def find_terms(patterns: List[Pattern], text: str) -> List[Dict[str, Any]]:
    """Non-overlapping matches per entity name, in text order."""
    taken: Dict[str, List[Tuple[int, int]]] = {}
    found = []
    for pattern, kind, term_id in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            spans = taken.setdefault(kind, [])
            if any(start < e and s < end for s, e in spans):
                continue
            spans.append((start, end))
            found.append(
                {
                    "entity": kind,
                    "value": term_id,
                    "start": start,
                    "end": end,
                    "text": match.group(0),
                    "confidence_entity": 1.0,
                }
            )
    return sorted(found, key=lambda e: e["start"])


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class NoticeTermExtractor(GraphComponent, EntityExtractorMixin):
    """Extracts `recipient` and `data_kind` entities named in the notice data."""

    def __init__(self, patterns: List[Pattern]) -> None:
        self._patterns = patterns

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "NoticeTermExtractor":
        return cls(compile_patterns(load_notice()))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = find_terms(self._patterns, message.get(TEXT) or "")
            entities = self.add_extractor_name(entities)
            message.set(
                ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True
            )
        return messages
