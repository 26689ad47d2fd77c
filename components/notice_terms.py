"""Find the recipients and kinds of data a message names, from the notice data.

"Will my GP be told?" names the recipient `nhs`; "do you keep my religion?" names the
data kind `religion`. The words people use for each (`terms`) live beside the notice
wording in data/notice/sections.yml, so a change of the notice is a change of data.
Like spaCy's EntityRuler, the longest match wins and values are the terms' ids.
"""

import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.notice import Notice, load_notice

# compiled term, entity name, term id, role ("example": in a listed group, not named)
Pattern = Tuple[re.Pattern, str, str, Optional[str]]
EXAMPLE = "example"


def compile_patterns(notice: Notice) -> List[Pattern]:
    patterns = [
        (word, kind, term.id, role)
        for kind, terms in notice.terms.items()
        for term in terms.values()
        for words, role in ((term.terms, None), (term.examples, EXAMPLE))
        for word in words
    ]
    patterns.sort(key=lambda p: len(p[0]), reverse=True)  # longest first
    return [
        (re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE), kind, term_id,
         role)
        for word, kind, term_id, role in patterns
    ]


def find_terms(patterns: List[Pattern], text: str) -> List[Dict[str, Any]]:
    """Non-overlapping matches per entity name, in text order."""
    taken: Dict[str, List[Tuple[int, int]]] = {}
    found = []
    for pattern, kind, term_id, role in patterns:
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
                    **({"role": role} if role else {}),
                }
            )
    return sorted(found, key=lambda e: e["start"]) + unnamed_recipients(text, found)


# "do you share my details with <someone>": who, when no recipient the notice data knows
# is named in it. The answer then says the notice does not mention them.
SHARE_OBJECT = re.compile(
    r"\b(?:share[sd]?|sharing|pass(?:es|ed|ing)?|give[sn]?|gave|giving|send(?:s|ing)?|"
    r"sent|sell(?:s|ing)?|sold|disclose[sd]?|disclosing|tell(?:s|ing)?|told|show(?:s|n|ed)?|"
    r"hand(?:s|ed)?|provide[sd]?|release[sd]?|forward(?:s|ed)?|transfer(?:s|red)?|"
    r"report(?:s|ed)?|leak(?:s|ed)?)\b(?:\s+[\w']+){0,4}?\s+(?:with|to)\s+"
    r"(?P<object>[\w'’ -]{2,60}?)\s*(?=$|[?.!,;:]|\s+(?:and|or|if|when|without|because|"
    r"about|so|unless|for|too|as|at|in|on|after|before|then|ever|now|please|pls|or not)\b)",
    re.IGNORECASE)
GENERIC_OBJECTS = set("""
    a an the my our your his her their its this that these those any some other others
    anyone anybody someone somebody everyone everybody people person them him her me us
    you it who whom else outside organisation organisations organization organizations
    agency agencies body bodies party parties third services service council councils
    authority authorities department departments social worker workers family families
    consent permission agreement knowledge approval own each all more whoever where what
    which know do see get do be help make use
""".split())


def unnamed_recipients(text: str, known: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    found = []
    for match in SHARE_OBJECT.finditer(text):
        start, end = match.span("object")
        if any(e["start"] < end and start < e["end"] for e in known
               if e["entity"] == "recipient"):
            continue
        words = re.findall(r"[\w']+", match.group("object").lower())
        if not words or len(words) > 6 or all(w in GENERIC_OBJECTS for w in words):
            continue
        found.append({"entity": "other_recipient", "value": "unlisted", "start": start,
                      "end": end, "confidence_entity": 1.0})
    return found


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
