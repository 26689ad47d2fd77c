"""Safeguarding first: a phrase safety net on top of the intent classifier.

A message that may be a disclosure (a child at risk, abuse, self-harm) must never get a
notice answer. The classifier catches most of them; the phrases in
`components/safety_phrases.yml` catch the clear cases it might miss, and a safeguarding
intent anywhere near the top of the ranking wins over everything else.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

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
    """The safety phrases (components/safety_phrases.yml): harm described, always routed
    unless long over; harm named, routed unless asked about as records, taught or
    studied, or long over, and not now."""

    acts: List[re.Pattern]
    topics: List[re.Pattern] = field(default_factory=list)
    about_records: List[re.Pattern] = field(default_factory=list)
    still_happening: List[re.Pattern] = field(default_factory=list)
    talking_about: List[re.Pattern] = field(default_factory=list)
    in_the_past: List[re.Pattern] = field(default_factory=list)
    over_now: List[re.Pattern] = field(default_factory=list)
    records_named: List[re.Pattern] = field(default_factory=list)
    generic: List[re.Pattern] = field(default_factory=list)
    figures_of_speech: List[re.Pattern] = field(default_factory=list)
    jest: List[re.Pattern] = field(default_factory=list)


def load_patterns(path: Path) -> Phrases:
    with path.open(encoding="utf-8") as handle:
        phrases = yaml.safe_load(handle)

    def compiled(key: str) -> List[re.Pattern]:
        return [re.compile(p, re.IGNORECASE) for p in phrases.get(key) or []]

    return Phrases(compiled("patterns"), compiled("topics"), compiled("about_records"),
                   compiled("still_happening"), compiled("talking_about"),
                   compiled("in_the_past"), compiled("over_now"), compiled("records_named"),
                   compiled("generic"), compiled("figures_of_speech"), compiled("jest"))


def _first(patterns: List[re.Pattern], text: str) -> Optional[str]:
    return next((p.pattern for p in patterns if p.search(text)), None)


def folded(text: str) -> str:
    """Apostrophes and spacing folded, so that "don't"/"dont" and "self  harm" match alike."""
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("'", ""))


# Where one sentence ends and the next begins (sentences_of and sentence_spans agree).
SENTENCE_GAP = re.compile(r"(?<=[.?!;])\s+|\n+")


def sentences_of(text: str) -> List[str]:
    return [s for s in SENTENCE_GAP.split(text) if s.strip()]


def going_on(phrases: Phrases, message: str) -> bool:
    """Something in the message says it is happening now or again. "Are those missing
    episodes still on his file?" asks about the record, not the harm."""
    return any(_first(phrases.still_happening, s) and not _first(phrases.records_named, s)
               for s in sentences_of(message))


def long_over(phrases: Phrases, message: str, sentence: str) -> bool:
    """What the sentence tells happened in the past, and the message says it is over
    (the writer is an adult now, the child is safe or doing well), with nothing saying
    it goes on: "I was in care in the 90s because my dad used to hit us. I'm 40 now"."""
    return bool(_first(phrases.in_the_past, sentence) and _first(phrases.over_now, message)
                and not going_on(phrases, message))


def without_figures(phrases: Phrases, sentence: str) -> str:
    """The sentence without its figures of speech ("I could strangle him", "my phone's
    gone missing"): what is left is read for harm."""
    for pattern in phrases.figures_of_speech:
        sentence = pattern.sub(" ", sentence)
    return sentence


def not_a_concern_now(phrases: Phrases, message: str, sentence: str) -> bool:
    """A sentence the classifier may put near safeguarding that tells of no one at risk
    now: long over, about a lesson, research or a role, about any child rather than one,
    or saying the child is safe now; with no phrase of harm in it."""
    if going_on(phrases, message) or (_first(phrases.acts, sentence)
                                      and not long_over(phrases, message, sentence)):
        return False
    return bool(long_over(phrases, message, sentence) or _first(phrases.talking_about, sentence)
                or _first(phrases.generic, sentence) or _first(phrases.over_now, sentence)
                or _first(phrases.figures_of_speech, sentence))


def act_in(phrases: Phrases, text: str) -> Optional[str]:
    """The phrase of harm done or risk now in the text, unless it is long over."""
    text = folded(text)
    # Read sentence by sentence: "How long do you keep referral records? Asking because
    # my son carries a knife" names the harm outside the question.
    for sentence in sentences_of(text):
        act = _first(phrases.acts, without_figures(phrases, sentence))
        if act and not long_over(phrases, text, sentence):
            return act
    return None


def sentence_spans(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each sentence of the text, as sentences_of splits it."""
    spans, start = [], 0
    for gap in SENTENCE_GAP.finditer(text):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def topics_in(phrases: Phrases, text: str) -> List[Tuple[int, int, str]]:
    """(start, end, phrase) of each sentence naming a harm, unless the sentence is about
    a lesson or a role, about records or any child, or long over."""
    message, found = folded(text), []
    for start, end in sentence_spans(text):
        sentence = folded(text[start:end])
        topic = _first(phrases.topics, without_figures(phrases, sentence))
        if not topic or _first(phrases.talking_about, sentence):
            continue
        if _first(phrases.still_happening, sentence) or not (
                _first(phrases.about_records, sentence) or _first(phrases.generic, sentence)
                or long_over(phrases, message, sentence)):
            found.append((start, end, topic))
    return found


def topic_in(phrases: Phrases, text: str) -> Optional[str]:
    found = topics_in(phrases, text)
    return found[0][2] if found else None


def matching_pattern(phrases: Phrases, text: str) -> Optional[str]:
    """The phrase that routes the text to safeguarding, or None (a named harm taken
    alone, without the classifier's support that the safety net asks of it)."""
    return act_in(phrases, text) or topic_in(phrases, text)


def asks_about_the_past(phrases: Phrases, text: str) -> bool:
    """A sentence the classifier put near safeguarding, that tells of something long over
    or asks about records of the past: "Who sees a record that says my child self-harmed
    in 2019?"."""
    whole = folded(text)
    return long_over(phrases, whole, whole) or bool(
        _first(phrases.in_the_past, whole) and _first(phrases.about_records, whole)
        and not _first(phrases.still_happening, whole))


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
            # A harm named (a topic phrase) routes only with this much safeguarding among
            # the classifier's top three for its sentence; 0 routes it on the phrase alone.
            "topic_support": 0.0,
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
        act = act_in(self._patterns, text)
        if act:
            return f"phrase: {act}"
        parts = message.get(PARTS)
        whole = message.get(INTENT_RANKING_KEY) or []
        for start, end, topic in topics_in(self._patterns, text):
            if self._supports(text, start, end, topic, parts or [], whole,
                              bool(message.get(READ_WHOLE))):
                return f"phrase: {topic}"
        if parts:
            # A long message is judged by what each of its sentences says: the
            # classifier's verdict on the whole of a long letter is noise. A short one
            # (read whole) by its sentences and by the whole.
            for number, part in enumerate(parts, start=1):
                if self._ranked_high(part.get("ranking") or [], self._config["part_max_rank"],
                                     self._config["part_min_confidence"]) \
                        and not self._no_concern_now(text, part):
                    return f"classifier, part {number}"
            if not message.get(READ_WHOLE):
                return None
            if len(parts) > 1 and not any(
                    self._ranked_high(part.get("ranking") or [], self._config["max_rank"],
                                      self._config["part_support"])
                    and not self._no_concern_now(text, part) for part in parts):
                # Two or more sentences, none of them near safeguarding on its own (or
                # only one telling of something long over): the whole's safeguarding
                # score comes from the mix of words, not from what any sentence says
                # ("I'm a youth worker. One of our lads asked me if you can see his
                # police record").
                return None
        if self._ranked_high(message.get(INTENT_RANKING_KEY) or [], self._config["max_rank"],
                             self._config["min_confidence"]):
            if len(sentences_of(folded(text))) == 1 and asks_about_the_past(self._patterns, text):
                # One sentence about something long over, or records of it: the words
                # of the harm are not a concern now (a phrase still catches one).
                return None
            return "classifier"
        return None

    def _supports(self, text: str, start: int, end: int, topic: str,
                  parts: List[Dict[str, Any]], whole: List[Dict[str, Any]],
                  read_whole: bool) -> bool:
        """A named harm routes when the classifier has safeguarding among its top three,
        with at least `topic_support`, for a part of the message that holds the phrase
        (or for the whole, when it is short or not read in parts): a harm named in a
        question about records, a lesson or a joke has it far below. A phrase no part
        holds was not classified: the phrase alone routes it."""
        support = self._config["topic_support"]
        if support <= 0:
            return True
        pattern = re.compile(topic, re.IGNORECASE)
        holding = [p.get("ranking") or [] for p in parts
                   if p.get("start", 0) < end and p.get("end", 0) > start
                   and pattern.search(folded(text[p["start"]:p["end"]]))]
        if parts and not holding:
            return True
        rankings = holding + ([whole] if read_whole or not parts else [])
        return any(self._ranked_high(r, 3, support) for r in rankings)

    def _no_concern_now(self, text: str, part: Dict[str, Any]) -> bool:
        if "start" not in part or "end" not in part:
            return False
        sentence = folded(text[part["start"]:part["end"]])
        if _first(self._patterns.jest, sentence) and len(sentences_of(folded(text))) > 1 \
                and not act_in(self._patterns, sentence):
            # "Teenagers! Anyway, …": an aside before the question.
            return True
        return not_a_concern_now(self._patterns, folded(text), sentence)

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
