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

from core.notice import Notice, load_notice

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
            if kind == "recipient" and _what_it_is_about(text, start, end):
                continue
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


# "everything about my family", "my family's details": whom the information is about.
ABOUT_BEFORE = re.compile(
    r"(?<!what )(?<!how )(?<!and )\b(?:about|on|regarding|concerning)\s+"
    r"(?:(?:my|our|your|his|her|their|the)\s+)?$", re.IGNORECASE)
POSSESSIVE_AFTER = re.compile(r"^['’]s?\b")


def _what_it_is_about(text: str, start: int, end: int) -> bool:
    """A recipient word that names whom the information is about, not who gets it."""
    return bool(ABOUT_BEFORE.search(text[max(0, start - 40):start])
                or POSSESSIVE_AFTER.match(text[end:end + 3]))


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
# "will <someone> find out?", "does Ofsted get copies?": the one who would learn it, as
# the subject of the question.
ASKED_SUBJECT = re.compile(
    r"(?i:\b(?:will|would|could|can|do|does|did|might|may|has|have|is|are)\s+)"
    r"(?P<object>(?i:(?:my|our|his|her|their|the)\s+)[\w'’ -]{2,50}?"
    r"|[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|of|and))*)"
    r"(?i:\s+(?:ever|also|still|then|actually|be\s+able\s+to|get\s+to)\b)*"
    r"(?i:\s+(?:(?:get|be)\s+(?:told|informed|sent|given|notified)|find\s+out|hear\s+about"
    r"|get\s+(?:a\s+copy|copies|access|hold\s+of|any|anything)|have\s+access|see|know"
    r"|read|access|receive|look\s+at|learn)\b)")
# Whom a question is about, not who would be told: "can my son see his file?" asks a right.
DATA_SUBJECTS = set("""
    son sons daughter daughters child children kid kids baby babies boy boys girl girls
    grandson granddaughter grandchild grandchildren stepson stepdaughter stepchild
    twins nephew niece brother sister brothers sisters i we you they he she it
    family
""".split())
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
    matches = [(m, False) for m in SHARE_OBJECT.finditer(text)]
    matches += [(m, True) for m in ASKED_SUBJECT.finditer(text)]
    for match, as_subject in matches:
        start, end = match.span("object")
        if any(e["start"] < end and start < e["end"] for e in known + found
               if e["entity"] in ("recipient", "other_recipient")):
            continue
        words = re.findall(r"[\w']+", match.group("object").lower())
        if not words or len(words) > 6 or all(w in GENERIC_OBJECTS for w in words):
            continue
        someone_elses = re.search(r"\w['’]s\b", match.group("object"))  # "my ex's sisters"
        if as_subject and words[-1] in DATA_SUBJECTS | GENERIC_OBJECTS and not someone_elses:
            continue
        found.append({"entity": "other_recipient", "value": "unlisted", "start": start,
                      "end": end, "text": match.group("object"), "confidence_entity": 1.0})
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
