"""A follow-up, read against the conversation: "and the GP?", "why?", "for how long?".

A message is taken as a follow-up only when it is bare: once its cue ("why", "anyone
else", "is that the same for…"), the recipient or kind of data it names, the person it
names and words with no topic of their own are taken away, nothing is left. A fresh,
complete question always has something left, so context never bends it.
The cue words live in data/conversation/cues.yml; what each follow-up leads to
(`follow_ups` of a section) in data/notice/sections.yml.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

from core.settings import PROJECT_ROOT

CUES_FILE = PROJECT_ROOT / "data" / "conversation" / "cues.yml"

FALLBACK = "nlu_fallback"
FOLLOW_UP = "follow_up"
TERM_ENTITIES = ("recipient", "data_kind", "service")
# What a follow-up leads to when the section's data does not say (sections.yml).
DEFAULT_FOLLOW_UPS = {"why": "purpose", "how_long": "retention"}
# At most this many words, a message naming a recipient is a follow-up about it whatever
# the classifier thought ("what about his doctor").
SHORT = 4


def fold(text: str) -> str:
    text = (text or "").lower().replace("’", "'").replace("'", "")
    return " ".join(re.findall(r"[a-z0-9]+", text))


@dataclass(frozen=True)
class Cues:
    fillers: frozenset
    phrases: Dict[str, Tuple[Tuple[str, ...], ...]]  # kind -> cue phrases, as words
    people: Tuple[Tuple[str, ...], ...]
    rights: Dict[str, Tuple[Tuple[str, ...], ...]]
    data_complaint: Tuple[Tuple[str, ...], ...]
    service_complaint: Tuple[Tuple[str, ...], ...]
    after_concern: Tuple[Tuple[str, ...], ...] = ()


# Intensifiers inside a cue ("who's *even* allowed to see it") carry nothing.
INTENSIFIERS = {"even", "actually", "just", "literally"}

# "how would she do that?", "how do we ask?": the same cue for whoever is asking, and
# with whichever verb ("how could I…", "how does she…").
PEOPLE_ASKING = ("she", "he", "they", "we", "you")
ASKING_VERBS = ("do", "does", "would", "can", "could", "should", "might")


def _phrases(items: Iterable[str], any_person: bool = False) -> Tuple[Tuple[str, ...], ...]:
    words = {tuple(w for w in fold(item).split() if w not in INTENSIFIERS)
             for item in items if fold(item)}
    words.discard(())
    if any_person:
        words |= {tuple(person if w == "i" else w for w in phrase)
                  for phrase in list(words) if "i" in phrase for person in PEOPLE_ASKING}
        words |= {(phrase[0], verb) + phrase[2:] for phrase in list(words)
                  if len(phrase) > 2 and phrase[1] in ASKING_VERBS for verb in ASKING_VERBS}
    return tuple(sorted(words, key=len, reverse=True))  # longest first


OWNERS = ("my", "his", "her", "their", "our", "your", "the")
SIZES = ("", "little ", "big ", "older ", "younger ", "eldest ", "youngest ", "oldest ")


def _every_owner(people: Iterable[str]) -> List[str]:
    """"my son" also as "his son", "her little son", "their eldest son"…"""
    found = []
    for person in people:
        owner, _, rest = person.partition(" ")
        if owner != "my" or not rest:
            found.append(person)
            continue
        found += [f"{o} {size}{rest}" for o in OWNERS for size in SIZES]
    return found


@lru_cache(maxsize=None)
def load_cues(path: Path = CUES_FILE) -> Cues:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = ("why", "how_long", "who_else", "refuse", "how_to", "explain", "same", "includes",
             "who_sees")
    return Cues(
        fillers=frozenset(fold(data["fillers"]).split()),
        phrases={kind: _phrases(data[kind], any_person=kind in ("how_to", "refuse"))
                 for kind in kinds},
        people=_phrases(_every_owner(data["people"])),
        rights={right: _phrases(words) for right, words in data["rights"].items()},
        data_complaint=_phrases(data["data_complaint"]),
        service_complaint=_phrases(data["service_complaint"]),
        after_concern=_phrases(data["after_concern"]),
    )


def find_phrase(words: Sequence[str], phrases: Iterable[Tuple[str, ...]]
                ) -> Optional[Tuple[int, int]]:
    """(start, end) word span of the first of `phrases` (longest first) in `words`."""
    for phrase in phrases:
        size = len(phrase)
        for start in range(len(words) - size + 1):
            if tuple(words[start:start + size]) == phrase:
                return start, start + size
    return None


def has_phrase(words: Sequence[str], phrases: Iterable[Tuple[str, ...]]) -> bool:
    return find_phrase(words, phrases) is not None


@dataclass(frozen=True)
class Context:
    """What the conversation has said so far, as far as a follow-up needs it."""

    last_section: Optional[str] = None
    last_terms: Tuple[str, ...] = ()
    last_right: Optional[str] = None
    case_reference: Optional[str] = None
    awaiting_contact: bool = False  # the assistant asked for new contact details


@dataclass
class Resolution:
    """How a follow-up was read: the intent to answer, why, and what it carries over."""

    intent: str
    via: str
    entities: List[Dict[str, Any]] = field(default_factory=list)


class Message:
    """The words of a message, with spans that can be taken away one by one."""

    def __init__(self, text: str, entities: Sequence[Dict[str, Any]]) -> None:
        self.words = [w for w in fold(text).split() if w not in INTENSIFIERS]
        self.taken = [False] * len(self.words)
        for entity in entities:
            if entity.get("entity") in TERM_ENTITIES and entity.get("text"):
                self.take(tuple(fold(str(entity["text"])).split()))

    def take(self, phrase: Tuple[str, ...]) -> bool:
        span = find_phrase(self._free(), [phrase]) if phrase else None
        if span is None:
            return False
        free = [i for i, taken in enumerate(self.taken) if not taken]
        for index in free[span[0]:span[1]]:
            self.taken[index] = True
        return True

    def take_first(self, phrases: Iterable[Tuple[str, ...]]) -> Optional[Tuple[str, ...]]:
        for phrase in phrases:
            if self.take(phrase):
                return phrase
        return None

    def _free(self) -> List[str]:
        return [w for w, taken in zip(self.words, self.taken) if not taken]

    def bare(self, fillers: frozenset) -> bool:
        return all(w in fillers for w in self._free())


def terms_in(entities: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [e for e in entities if e.get("entity") in TERM_ENTITIES]


def follow_up_of(section: Optional[str], kind: str,
                 follow_ups: Dict[str, Dict[str, str]]) -> str:
    """The section a "why?" or "how long?" after `section` is answered from."""
    return (follow_ups.get(section or "", {}).get(kind)
            or DEFAULT_FOLLOW_UPS[kind])


def resolve(text: str, intent: str, entities: Sequence[Dict[str, Any]], context: Context,
            follow_ups: Dict[str, Dict[str, str]], term_sections: Dict[Tuple[str, str], str],
            confident: bool = False, cues: Optional[Cues] = None) -> Optional[Resolution]:
    """The reading of a bare follow-up, or None when the message stands on its own.

    `term_sections` maps (entity, term id) to the section that term belongs to.
    `confident`: the classifier is sure of a real topic. Then a message naming a
    recipient or kind of data is taken as a follow-up only when it is a few words
    ("what about his doctor"): "do the police give you information?" keeps its topic.
    """
    cues = cues or load_cues()
    last = context.last_section
    terms = terms_in(entities)

    def bare_with(kind: str) -> bool:
        message = Message(text, entities)
        return bool(message.take_first(cues.phrases[kind])) and message.bare(cues.fillers)

    asked_right = right_named(text, cues)
    message = Message(text, entities)
    cue = message.take_first(cues.phrases["how_to"])
    # A one-word cue ("how") counts only bare: "can I restrict how you process it?"
    # asks about the right, it does not ask to use it.
    if cue and len(cue) > 1 and asked_right:
        # "how would she ask for it to be deleted?": the right is in the question.
        return Resolution(f"request_{asked_right}", f"how to use a right ({asked_right})")
    if bare_with("how_to") and (last == "rights" or context.last_right):
        if context.last_right:
            return Resolution(f"request_{context.last_right}",
                              f"how to use the right just discussed ({context.last_right})")
        return Resolution("rights", "how to use a right", [_flag("how_to")])
    if bare_with("refuse") and not terms:
        target = "consent" if last == "consent" else "must_provide"
        return Resolution(target, f"refusing, after {last or 'nothing'}")
    if bare_with("why") and last and not terms:
        return Resolution(follow_up_of(last, "why", follow_ups), f"why, after {last}")
    if bare_with("how_long") and not terms:
        return Resolution(follow_up_of(last, "how_long", follow_ups),
                          f"how long, after {last or 'nothing'}")
    if terms and (not confident or len(fold(text).split()) <= SHORT):
        message = Message(text, entities)
        message.take_first(cues.phrases["same"])
        message.take_first(cues.phrases["who_else"])
        if message.bare(cues.fillers):
            return _term_follow_up(terms, last, term_sections)
    # A sure classifier keeps "who else gets to see it?" or "what do you hold on me and
    # my kids?": these cues bend only what the classifier could not place, or a few words.
    few = len(fold(text).split()) <= SHORT
    if bare_with("who_else") and last and (not confident or few):
        return Resolution(last, f"the rest of {last}")
    person = _bare_person(text, entities, cues, short=few)
    if person and last and (not confident or few or person[1]):
        person = person[0]
        carried = [{"entity": kind, "value": value} for kind, value in
                   (t.split(":", 1) for t in context.last_terms)]
        return Resolution(last, f"{last} again, for {' '.join(person)}",
                          carried + [{"entity": "person", "value": " ".join(person)}])
    if bare_with("explain") and last:
        return Resolution(last, f"{last} again, explained", [_flag("explain")])
    if bare_with("who_sees") and (not confident or few and last) and not terms:
        return Resolution("sharing", "who sees what was just discussed")
    if last and not confident and _starts_with(text, cues.phrases["includes"]):
        return Resolution(last, f"what {last} covers")
    if intent == FOLLOW_UP:
        if last:
            return Resolution(last, f"a follow-up to {last}")
        return Resolution(FALLBACK, "a follow-up with nothing before it")
    return None


OPENERS = {"and", "so", "ok", "okay", "but", "right", "then", "oh", "well", "also"}


def _starts_with(text: str, phrases: Iterable[Tuple[str, ...]]) -> bool:
    """Whether the message opens with one of `phrases` (after "and", "so", "ok"…)."""
    words = fold(text).split()
    while words and words[0] in OPENERS:
        words = words[1:]
    return any(tuple(words[:len(p)]) == p for p in phrases)



def is_bare(kind: str, text: str, entities: Sequence[Dict[str, Any]] = (),
            cues: Optional[Cues] = None) -> bool:
    """Whether the message is only a cue of this kind ("how do I do that?")."""
    cues = cues or load_cues()
    message = Message(text, entities)
    return bool(message.take_first(cues.phrases[kind])) and message.bare(cues.fillers)


def _flag(value: str) -> Dict[str, Any]:
    return {"entity": "follow_up", "value": value}


WEAK_SAME = {("and",), ("for",)}


def _bare_person(text: str, entities: Sequence[Dict[str, Any]], cues: Cues, short: bool
                 ) -> Optional[Tuple[Tuple[str, ...], bool]]:
    """(the person, whether a strong "same" cue names them) of a bare follow-up about
    another person: "is that the same for my daughter?", "my son too?"."""
    message = Message(text, entities)
    person = message.take_first(cues.people)
    if not person:
        return None
    same = message.take_first(cues.phrases["same"])
    strong = bool(same) and same not in WEAK_SAME
    # "my son?" alone is a follow-up; "him" or "me" alone needs "same"/"what about".
    if len(person) == 1 and not strong:
        return None
    if same in WEAK_SAME and not short:
        return None  # "what do you hold on me and my kids?" is a question of its own
    message.take_first(cues.people)  # "same for me and my son"
    return (person, strong) if message.bare(cues.fillers) else None


def _term_follow_up(terms: Sequence[Dict[str, Any]], last: Optional[str],
                    term_sections: Dict[Tuple[str, str], str]) -> Resolution:
    kinds = {t["entity"] for t in terms}
    if "recipient" in kinds:
        target = "sources" if last == "sources" else "sharing"
        return Resolution(target, f"a recipient, after {last or 'nothing'}")
    first = terms[0]
    section = term_sections.get((first["entity"], str(first["value"])), "data_collected")
    return Resolution(section, f"a kind of data, after {last or 'nothing'}")


def right_named(text: str, cues: Optional[Cues] = None) -> Optional[str]:
    """The one right a rights question is about, if it names exactly one."""
    cues = cues or load_cues()
    words = fold(text).split()
    named = [right for right, phrases in cues.rights.items() if has_phrase(words, phrases)]
    if len(named) > 1 and "access" in named:
        named.remove("access")  # "get my file deleted": the file is got to delete it
    return named[0] if len(named) == 1 else None


def is_service_complaint(text: str, cues: Optional[Cues] = None) -> bool:
    """A complaint about how someone was treated or a decision, not about data."""
    cues = cues or load_cues()
    words = fold(text).split()
    return (has_phrase(words, cues.service_complaint)
            and not has_phrase(words, cues.data_complaint))


def about_the_concern(text: str, cues: Optional[Cues] = None) -> bool:
    """Right after the safety message: whether a message is about the concern raised."""
    cues = cues or load_cues()
    return has_phrase(fold(text).split(), cues.after_concern)
