"""Safeguarding first: a phrase safety net on top of the intent classifier.

A message that may be a disclosure (a child at risk, abuse, self-harm) must never get a
notice answer. The classifier catches most of them; the phrases in
`components/safety_phrases.yml` catch the clear cases it might miss, and a safeguarding
intent anywhere near the top of the ranking wins over everything else.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import re
import yaml

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.message_parts import PARTS, READ_WHOLE

SAFEGUARDING = "safeguarding"
NLU_FALLBACK = "nlu_fallback"
DEFAULT_PHRASES_FILE = Path(__file__).with_name("safety_phrases.yml")


@dataclass
class Phrases:
    """The safety phrases (components/safety_phrases.yml): harm described, always routed;
    harm named, routed unless asked about as records or the past, and not now."""

    acts: List[re.Pattern]
    topics: List[re.Pattern] = field(default_factory=list)
    about_records: List[re.Pattern] = field(default_factory=list)
    still_happening: List[re.Pattern] = field(default_factory=list)


def load_patterns(path: Path) -> Phrases:
    with path.open(encoding="utf-8") as handle:
        phrases = yaml.safe_load(handle)

    def compiled(key: str) -> List[re.Pattern]:
        return [re.compile(p, re.IGNORECASE) for p in phrases.get(key) or []]

    return Phrases(compiled("patterns"), compiled("topics"), compiled("about_records"),
                   compiled("still_happening"))


def _first(patterns: List[re.Pattern], text: str) -> Optional[str]:
    return next((p.pattern for p in patterns if p.search(text)), None)


def matching_pattern(phrases: Phrases, text: str) -> Optional[str]:
    """The phrase that routes the text to safeguarding, or None."""
    # Fold apostrophes and spacing so "don't"/"dont" and "self  harm" match alike.
    folded = re.sub(r"\s+", " ", text.replace("’", "'").replace("'", ""))
    act = _first(phrases.acts, folded)
    if act:
        return act
    # The framing is read sentence by sentence: "How long do you keep referral records?
    # Asking because my son carries a knife" names the harm outside the question.
    for sentence in re.split(r"(?<=[.?!;])\s+|\n+", folded):
        topic = _first(phrases.topics, sentence)
        if topic and (_first(phrases.still_happening, sentence)
                      or not _first(phrases.about_records, sentence)):
            return topic
    return None


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class SafeguardingSafetyNet(GraphComponent):
    """Routes possible disclosures to `safeguarding`, whatever the classifier said."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # A safeguarding intent ranked this high, with at least this confidence,
            # wins: a false alarm costs a safety message, a miss costs much more.
            # config.yml sets the project's values (chosen on tuning data).
            "max_rank": 2,
            "min_confidence": 0.3,
            # A sentence of a longer message is judged more strictly: on its own, a
            # sentence of background ("he is fostered with me now", "sorry if that
            # sounds paranoid") often has safeguarding second or weakly first, and the
            # phrases and the whole of a short message still catch the clear cases.
            "part_max_rank": 1,
            "part_min_confidence": 0.5,
            # A short message of several sentences is judged whole only when one of its
            # sentences has safeguarding this likely among its top `max_rank`.
            "part_support": 0.05,
            "phrases_file": None,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config
        phrases_file = config.get("phrases_file") or DEFAULT_PHRASES_FILE
        self._patterns = load_patterns(Path(phrases_file))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafeguardingSafetyNet":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            reason = self._reason(message)
            if reason:
                self._route_to_safeguarding(message, reason)
        return messages

    def _reason(self, message: Message) -> Optional[str]:
        text = message.get(TEXT) or ""
        phrase = matching_pattern(self._patterns, text)
        if phrase:
            return f"phrase: {phrase}"
        parts = message.get(PARTS)
        if parts:
            # A long message is judged by what each of its sentences says: the
            # classifier's verdict on the whole of a long letter is noise. A short one
            # (read whole) by its sentences and by the whole.
            for number, part in enumerate(parts, start=1):
                if self._ranked_high(part.get("ranking") or [], self._config["part_max_rank"],
                                     self._config["part_min_confidence"]):
                    return f"classifier, part {number}"
            if not message.get(READ_WHOLE):
                return None
            if len(parts) > 1 and not any(
                    self._ranked_high(part.get("ranking") or [], self._config["max_rank"],
                                      self._config["part_support"]) for part in parts):
                # Two or more sentences, none of them near safeguarding on its own: the
                # whole's safeguarding score comes from the mix of words, not from what
                # any sentence says ("I'm a youth worker. One of our lads asked me if you
                # can see his police record").
                return None
        if self._ranked_high(message.get(INTENT_RANKING_KEY) or [], self._config["max_rank"],
                             self._config["min_confidence"]):
            return "classifier"
        return None

    @staticmethod
    def _ranked_high(ranking: List[Dict[str, Any]], max_rank: int, min_confidence: float) -> bool:
        real = [c for c in ranking if c.get("name") != NLU_FALLBACK]  # not a real intent
        return any(
            candidate.get("name") == SAFEGUARDING
            and candidate.get("confidence", 0.0) >= min_confidence
            for candidate in real[:max_rank]
        )

    @staticmethod
    def _route_to_safeguarding(message: Message, reason: str) -> None:
        ranking = message.get(INTENT_RANKING_KEY) or []
        others = [c for c in ranking if c.get("name") != SAFEGUARDING]
        top = {"name": SAFEGUARDING, "confidence": 1.0}
        message.set(INTENT, top, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top] + others, add_to_output=True)
        message.set("safety_net", reason, add_to_output=True)
