"""What a message asks, read part by part and against the conversation.

Input: the classifier's verdict on the whole message and on each of its parts
(conversation/segments.py), and what the conversation said before (a Context).
Output: a Reading: the intent the dialogue rules act on, the entities, and for a
compound message the parts to answer, in order. Pure: no Rasa types.
"""

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from conversation.followups import (FALLBACK, FOLLOW_UP, SHORT, TERM_ENTITIES, Context,
                                    Resolution, about_the_concern, is_service_complaint,
                                    resolve)
from conversation.in_context import reading_in_context
from conversation.segments import is_question

SAFEGUARDING = "safeguarding"
CLOSINGS = {"thanks", "goodbye", "greet"}  # read as themselves after the safety message
# A part with no question in it is answered only when the classifier is this sure.
STATEMENT_CONFIDENCE = 0.7
# Up to this many words a message is the kind the classifier was trained on: read
# whole unless its parts ask different things.
SHORT_MESSAGE = 25
# Intents that mean something only in context (a request made, a form open), and the
# background of a letter: when the context is missing or the part asks something, the
# next best intent stands in, if it is at least this likely.
CONTEXT_ONLY = {"case_status", "update_contact", "resume", "inform", "background"}
STAND_IN = 0.2
# The one question among statements of a short message is read alone when the
# classifier is this sure of it, and surer of it than of the whole by this much.
CLEAR_QUESTION = 0.8
CLEARER_BY = 0.2
MAX_ANSWERS = 4
# A question the classifier is this sure is about something else (a school place) is
# answered as such beside the notice questions, not taken for background.
SURE_OUT_OF_SCOPE = 0.9
ROUTES = {"rights", "chat_privacy", "out_of_scope", "case_status", "update_contact",
          "bot_challenge", "show_wording"}
CONTACT_WORDS = re.compile(
    r"\b(phone|number|mobile|mob|email|e-mail|e mail|contact details|ring me|call me|"
    r"reach me|text me|landline)\b|@|\b07\d{3}", re.IGNORECASE)
# After a request: "what was my reference?", "when will I hear back?".
CASE_WORDS = re.compile(
    r"\b(reference|ref|ref no|case number|cs-\d+)\b|\bhear (back|something|anything|from)|"
    r"\b(get|got|be|getting) (back|in touch)\b|\bexpect (a|to|an)\b|\breply by\b|"
    r"\bwhat happens (now|next)\b|\bhow long will (it|this|they) take\b",
    re.IGNORECASE)
# A message that thanks and asks nothing is a closing, whatever else it says ("OK. I'm
# going to ring that number now. Thank you.").
THANKS = re.compile(r"\b(thanks|thank you|thank u|thankyou|thx|ta|cheers|many thanks)\b",
                    re.IGNORECASE)
# A recipient named with one of these, in a question the classifier could not place, is
# a question about sharing ("would any of it go to his new school?").
SHARING_VERBS = re.compile(
    r"\b(go|goes|going|gone|went) (to|on to)\b|\b(get|gets|got|see|sees|seen|read|reads|"
    r"know|knows|find out|finds out|told|tell|tells|informed|passed|pass|share|shared|"
    r"shares|given|give|sent|send|access|hear|hears|look at)\b", re.IGNORECASE)
COMPLAINING = re.compile(r"\bcomplain|\bcomplaint|\bnot happy\b|\bunhappy\b|\bfuming\b",
                         re.IGNORECASE)


@dataclass
class Verdict:
    """The classifier's view of a message or a part of one."""

    text: str
    intent: str
    confidence: float
    ranking: List[Dict[str, Any]]
    entities: List[Dict[str, Any]]
    start: int = 0
    end: int = 0


@dataclass
class Part:
    verdict: Verdict
    intent: str
    question: bool
    entities: List[Dict[str, Any]]
    via: Optional[str] = None
    answered: bool = False
    followed: bool = False  # read as a follow-up to the conversation's last answer

    def as_output(self) -> Dict[str, Any]:
        """What is kept in the parse: offsets, not text (the text is redacted once)."""
        return {
            "start": self.verdict.start, "end": self.verdict.end,
            "intent": self.intent,
            "confidence": round(float(self.verdict.confidence), 4),
            "classified": self.verdict.intent,
            "ranking": [{"name": r["name"], "confidence": round(float(r["confidence"]), 4)}
                        for r in self.verdict.ranking[:3]],
            "entities": [_entity_output(e) for e in self.entities],
            "question": self.question, "answered": self.answered,
            **({"via": self.via} if self.via else {}),
        }


def _entity_output(entity: Dict[str, Any]) -> Dict[str, Any]:
    keys = ("entity", "value", "role", "start", "end")
    return {k: entity[k] for k in keys if k in entity}


@dataclass
class Reading:
    intent: str
    confidence: float
    ranking: List[Dict[str, Any]]
    entities: List[Dict[str, Any]]
    parts: List[Part] = field(default_factory=list)
    via: List[str] = field(default_factory=list)
    # Read as a whole (a short message): its own ranking stands, and the parts, none
    # of them answered, are kept for the safety net.
    whole: bool = False

    @property
    def answered(self) -> List[Part]:
        return [p for p in self.parts if p.answered]


@dataclass(frozen=True)
class NoticeFacts:
    """What the reader needs to know of the notice and the domain."""

    sections: Set[str]
    requests: Set[str]  # intent names, request_…
    follow_ups: Dict[str, Dict[str, str]]
    term_sections: Dict[Tuple[str, str], str]
    # (entity, term id) of recipients and kinds of data the notice does not list.
    unlisted: frozenset = frozenset()

    def answerable(self, intent: str) -> bool:
        return intent in self.sections or intent in ROUTES or intent in self.requests


def _resolved(verdict: Verdict, context: Context, facts: NoticeFacts) -> Tuple[str, List, Optional[str]]:
    confident = verdict.intent not in (FALLBACK, FOLLOW_UP) and facts.answerable(verdict.intent)
    found: Optional[Resolution] = resolve(
        verdict.text, verdict.intent, verdict.entities, context, facts.follow_ups,
        facts.term_sections, confident=confident)
    # "how long do you keep my file?" is a question of its own, whatever came before it.
    own_question = confident and len(verdict.text.split()) > SHORT
    if context.last_section == SAFEGUARDING and verdict.intent not in CLOSINGS and (
            (found is not None and not own_question) or about_the_concern(verdict.text)):
        # After the safety message "why?" or "will she get in trouble?" is about the
        # concern, not the notice: safety again, never a notice answer.
        return SAFEGUARDING, list(verdict.entities), "after the safety message, about the concern"
    if found is None:
        return verdict.intent, list(verdict.entities), None
    return found.intent, list(verdict.entities) + found.entities, found.via


def _after(context: Context, part: Part, facts: NoticeFacts) -> Context:
    """The context for the next part of the same message: this part's topic."""
    if part.intent not in facts.sections and part.intent != "rights":
        return context
    terms = tuple(f"{e['entity']}:{e['value']}" for e in part.entities
                  if e.get("entity") in TERM_ENTITIES)
    return Context(part.intent, terms, context.last_right, context.case_reference,
                   context.awaiting_contact)


def _special_routes(intent: str, text: str, entities: List[Dict[str, Any]],
                    context: Context, facts: NoticeFacts, whole: str
                    ) -> Tuple[str, List, Optional[str]]:
    if intent in ("request_complaint", "out_of_scope") and COMPLAINING.search(text) \
            and is_service_complaint(whole):
        return ("out_of_scope", entities + [{"entity": "complaint", "value": "service"}],
                "a complaint about a service, not about data")
    if context.awaiting_contact and CONTACT_WORDS.search(text) and not is_question(text):
        return "update_contact", entities, "the new contact details asked for"
    if context.case_reference and intent == "request_rectification" \
            and CONTACT_WORDS.search(text):
        return "update_contact", entities, f"new contact details for {context.case_reference}"
    if context.case_reference and CASE_WORDS.search(text) and intent not in facts.requests \
            and intent not in ("update_contact", SAFEGUARDING):
        return "case_status", entities, f"about {context.case_reference}"
    if intent in (FALLBACK, FOLLOW_UP) and any(e.get("entity") == "recipient" for e in entities) \
            and SHARING_VERBS.search(text):
        return "sharing", entities, "a recipient, and a word of passing information on"
    silent_on = next((e for e in entities if e.get("entity") in ("topic", "other_recipient")
                      or (e.get("entity"), str(e.get("value"))) in facts.unlisted), None)
    if intent in (FALLBACK, FOLLOW_UP, "out_of_scope") and silent_on and not any(
            e.get("entity") == "complaint" for e in entities):
        # Something the notice never mentions, in a question the classifier could not
        # place: the answer says so, from the nearest section.
        section = facts.term_sections.get((silent_on["entity"], str(silent_on["value"])),
                                          "sharing")
        return section, entities, f"asks about something the notice does not mention"
    if intent == "update_contact" and not context.case_reference:
        return "request_rectification", entities, "new details, but no request in this chat"
    return intent, entities, None


def _stand_in(verdict: Verdict, context: Context, facts: NoticeFacts,
              asks: bool) -> Verdict:
    """A verdict the context cannot bear replaced by the next best one."""
    intent = verdict.intent
    unsupported = (intent in ("case_status", "update_contact") and not context.case_reference
                   or intent == "background" and asks
                   or intent in ("resume", "inform"))
    if intent not in CONTEXT_ONLY or not unsupported:
        return verdict
    nearest = next((r for r in verdict.ranking if r["name"] not in CONTEXT_ONLY
                    and r["name"] != FALLBACK and facts.answerable(r["name"])), None)
    if nearest and float(nearest["confidence"]) >= STAND_IN:
        return Verdict(verdict.text, nearest["name"], float(nearest["confidence"]),
                       verdict.ranking, verdict.entities, verdict.start, verdict.end)
    if intent == "case_status" or intent == "background" and asks:
        return Verdict(verdict.text, FALLBACK, verdict.confidence, verdict.ranking,
                       verdict.entities, verdict.start, verdict.end)
    return verdict


def read_part(verdict: Verdict, context: Context, facts: NoticeFacts,
              whole: Optional[str] = None) -> Part:
    if verdict.intent == FALLBACK and verdict.ranking:
        # The fallback hides what the classifier leaned to: a background top intent
        # of a question is worth a second look.
        top = next((r for r in verdict.ranking if r["name"] != FALLBACK), None)
        if top and top["name"] in CONTEXT_ONLY:
            verdict = Verdict(verdict.text, top["name"], float(top["confidence"]),
                              verdict.ranking, verdict.entities, verdict.start, verdict.end)
            stood = _stand_in(verdict, context, facts, is_question(verdict.text))
            verdict = stood if stood.intent != top["name"] else Verdict(
                verdict.text, FALLBACK, verdict.confidence, verdict.ranking,
                verdict.entities, verdict.start, verdict.end)
    else:
        verdict = _stand_in(verdict, context, facts, is_question(verdict.text))
    intent, entities, via = _resolved(verdict, context, facts)
    intent, entities, special = _special_routes(intent, verdict.text, entities, context,
                                                facts, whole or verdict.text)
    return Part(verdict, intent, is_question(verdict.text), entities, via or special,
                followed=via is not None and context.last_section is not None)


def read_message(whole: Verdict, parts: Sequence[Verdict], context: Context,
                 facts: NoticeFacts, in_context: Optional[Verdict] = None) -> Reading:
    """The reading of a message: one part, or several. `in_context`: the classifier's
    verdict on a short question after the last answer's question (conversation/in_context.py)."""
    if THANKS.search(whole.text) and not any(is_question(v.text) for v in parts or [whole]) \
            and whole.intent not in (SAFEGUARDING,):
        return Reading("thanks", 1.0, whole.ranking, list(whole.entities),
                       via=["thanks, and no question"])
    if len(parts) < 2:
        part = read_part(whole, context, facts)
        leaning = _leaning_on_context(whole, part, in_context, context)
        if leaning:
            return Reading(leaning, in_context.confidence, whole.ranking, part.entities,
                           via=[f"read after the question of the last answer "
                                f"({context.last_section}): {leaning}"])
        return Reading(part.intent, whole.confidence if part.intent == whole.intent else 1.0,
                       whole.ranking, part.entities, via=[part.via] if part.via else [])
    read: List[Part] = []
    part_context = context
    for verdict in parts:
        part = read_part(verdict, part_context, facts, whole.text)
        if read:
            part = _after_its_statement(part, read[-1], facts)
        read.append(part)
        if part.question:  # background sentences set no topic for what follows
            part_context = _after(part_context, part, facts)
    chosen = _chosen(read, facts)
    if len(whole.text.split()) <= SHORT_MESSAGE and len({p.intent for p in chosen}) < 2:
        # One thing asked in a short message: the whole message says it best ("the
        # social worker got loads wrong and i want it changed").
        part = read_part(whole, context, facts)
        # …unless only a part is a follow-up the conversation explains ("OK, how would
        # she go about it? I'll be sitting with her."): the rest hides it from the whole.
        part_followed = bool(chosen) and chosen[0].followed and not part.followed
        # …or the one question in it is plain and the whole is not ("I am waiting for my
        # asylum claim. Do social services give my information to the Home Office?").
        part_clearer = _clearer_question(chosen, read, whole, part)
        if (facts.answerable(part.intent) or not chosen) and not part_followed \
                and not part_clearer:
            return Reading(part.intent, whole.confidence, whole.ranking, part.entities,
                           read, [part.via] if part.via else [], whole=True)
    for part in chosen:
        part.answered = True
    via = [p.via for p in read if p.via]
    if not chosen:
        ranking = merged_ranking(parts)
        best = ranking[0]["confidence"] if ranking else 0.0
        return Reading(FALLBACK, best, ranking, [], read, via + ["no part asks anything clear"])
    main = _main(chosen, facts)
    entities = [e for p in chosen for e in p.entities]
    return Reading(main.intent, float(main.verdict.confidence), merged_ranking(parts),
                   entities, read, via)


def _leaning_on_context(whole: Verdict, part: Part, in_context: Optional[Verdict],
                        context: Context) -> Optional[str]:
    """The intent a short question has in context, when no rule read it and context
    makes clear what the message alone leaves unclear."""
    if in_context is None or part.via is not None or part.intent != whole.intent \
            or context.last_section == SAFEGUARDING or whole.intent == SAFEGUARDING:
        return None
    return reading_in_context(whole.intent, whole.confidence, whole.ranking,
                              in_context.intent, in_context.confidence)


def _clearer_question(chosen: List[Part], read: List[Part], whole: Verdict,
                      whole_part: Part) -> bool:
    """The only question of a short message, among statements, is surer than the whole
    and reads otherwise: what it asks is what was asked; the rest is background."""
    if len(chosen) != 1 or not chosen[0].question:
        return False
    question = chosen[0]
    if sum(p.question for p in read) > 1 or question.intent == whole_part.intent:
        return False
    return (question.verdict.confidence >= CLEAR_QUESTION
            and (whole.intent == FALLBACK or question.verdict.confidence
                 >= float(whole.confidence) + CLEARER_BY))


def _after_its_statement(part: Part, before: Part, facts: NoticeFacts) -> Part:
    """A question the classifier could not place, right after a statement it is sure of,
    is about what the statement said when that is its own best guess ("I've got a spent
    conviction. Does children's services keep that kind of thing on file?")."""
    if part.intent != FALLBACK or not part.question or before.question \
            or before.intent not in facts.sections \
            or before.verdict.confidence < STATEMENT_CONFIDENCE:
        return part
    guess = next((r for r in part.verdict.ranking if r["name"] != FALLBACK), None)
    if not guess or guess["name"] != before.intent or float(guess["confidence"]) < STAND_IN:
        return part
    return Part(part.verdict, before.intent, True, part.entities,
                f"about the statement before it ({before.intent})")


def _chosen(parts: List[Part], facts: NoticeFacts) -> List[Part]:
    answerable = [p for p in parts if facts.answerable(p.intent)]
    chosen = [p for p in answerable if p.question]
    if chosen and not any(p.intent in facts.requests for p in chosen):
        # Requests are often said, not asked ("and (b) restrict any further processing"),
        # but a statement is only background beside a request that is asked for.
        said = [p for p in answerable if not p.question and p.intent in facts.requests
                and p.verdict.confidence >= STATEMENT_CONFIDENCE]
        if said:
            best = max(said, key=lambda p: p.verdict.confidence)
            chosen = sorted(chosen + [best], key=lambda p: p.verdict.start)
    if not chosen:
        chosen = [p for p in answerable if p.verdict.confidence >= STATEMENT_CONFIDENCE
                  or p.via]
    if any(p.intent != "out_of_scope" for p in chosen):
        # Background sentences ("our local authority changed its paperwork") read as
        # other services; beside a real question they are not what was asked.
        chosen = [p for p in chosen if p.intent != "out_of_scope"
                  or p.verdict.confidence >= SURE_OUT_OF_SCOPE
                  or any(e.get("entity") == "complaint" for e in p.entities)]
    unique: List[Part] = []
    requests = 0
    for part in chosen:
        if part.intent in facts.requests:
            requests += 1
            if requests > 1:
                continue  # one request at a time: the form asks for one
        same = next((u for u in unique if u.intent == part.intent), None)
        if same:
            same.entities += [e for e in part.entities if e not in same.entities]
            continue
        unique.append(part)
    return unique[:MAX_ANSWERS]


def _main(chosen: List[Part], facts: NoticeFacts) -> Part:
    """The part the dialogue acts on: a request (its form comes last), else the first
    part that is not small talk."""
    for part in chosen:
        if part.intent in facts.requests:
            return part
    return next((p for p in chosen if p.intent != "bot_challenge"), chosen[0])


def merged_ranking(parts: Sequence[Verdict]) -> List[Dict[str, Any]]:
    best: Dict[str, float] = {}
    for verdict in parts:
        for candidate in verdict.ranking:
            name = candidate["name"]
            if name == FALLBACK:
                continue
            best[name] = max(best.get(name, 0.0), float(candidate["confidence"]))
    return [{"name": n, "confidence": c}
            for n, c in sorted(best.items(), key=lambda item: -item[1])]
