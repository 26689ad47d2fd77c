"""While the request form asks a question: is this message its answer, or something else?

The form's slots are filled only from messages read as `inform` (domain.yml), so a
question asked instead of an answer ("wait, who will see this?") keeps its own intent
and is answered by the rules for interruptions (data/rules/handoff.yml), after which the
form asks again. A name must look like a name, a contact like a contact; anything that
is neither a question nor a wish to stop or carry on is taken as an attempt at an answer,
so that the form can say what it needs.
"""

import re
from typing import Any, Dict, Iterable, Optional, Sequence

from conversation.form_answers import (is_cancel, is_skip, name_in, parse_contact,
                                       plain, relationship_choice, yes_or_no)
from conversation.followups import is_bare
from conversation.reading import CASE_WORDS
from conversation.segments import is_question

# The request form (domain.yml); its name is all the reader needs of it.
REQUEST_FORM = "handoff_form"
INFORM = "inform"
STOP = "stop"
RESUME = "resume"
CASE_STATUS = "case_status"
SAFEGUARDING = "safeguarding"
FALLBACK = "nlu_fallback"
# Intents that never stand in for an answer: the form steps aside for them.
NOT_ANSWERS = {SAFEGUARDING, STOP, RESUME}
# A question mid-form that the classifier reads as the request already being made is
# answered from the best section at least this likely.
SAME_REQUEST_FLOOR = 0.05

RESUME_WORDS = {
    "carry on", "continue", "go on", "yes go on", "yeah go on", "ok go on", "ok carry on",
    "yes carry on", "yes continue", "lets continue", "lets carry on", "keep going",
    "resume", "ok continue", "please continue", "carry on please", "continue please",
    "go ahead", "back to it", "back to my request", "back to the request", "ok next",
    "next", "where were we", "ok where were we", "yes please continue", "proceed",
}
CONFIRM_WORDS = {"send", "send it", "yes send", "yes send it", "send please", "submit",
                 "send my request", "nothing send my request",
                 "change", "change something", "edit", "cancel"}
# Something typed into the contact box that was meant as a contact, even if malformed.
CONTACT_ATTEMPT = re.compile(r"@|\d{3}|\b(at|dot)\b|\bgmail|hotmail|outlook|yahoo|icloud\b",
                             re.IGNORECASE)


RESUME_PHRASES = ("carry on", "go on", "continue", "keep going", "finish the form",
                  "finish my request", "finish the request", "back to the form",
                  "back to my request", "back to the request", "where were we", "resume")


def is_resume(text: str) -> bool:
    """"carry on", "ok ive rung them, can we finish the form now"."""
    words = plain(text)
    if words in RESUME_WORDS:
        return True
    return (len(words.split()) <= 10 and any(f" {p} " in f" {words} " for p in RESUME_PHRASES)
            and not re.search(r"\b(what|who|why|how|where|when)\b", words))


def answers(slot: str, text: str) -> bool:
    """Whether the text is a plausible answer to the form's question for `slot`."""
    if slot == "contact_name":
        return name_in(text) is not None
    if slot == "contact_detail":
        return parse_contact(text) is not None or bool(CONTACT_ATTEMPT.search(text))
    if slot == "relationship":
        return relationship_choice(text) is not None
    if slot == "contact_consent":
        return yes_or_no(text) is not None
    if slot == "confirm_send":
        return (plain(text) in CONFIRM_WORDS or plain(text).startswith("change")
                or yes_or_no(text) is not None)
    return False


def read_form_turn(text: str, intent: Optional[str], asked: Optional[str],
                   request: Optional[str] = None,
                   ranking: Sequence[Dict[str, Any]] = (),
                   sections: Iterable[str] = ()) -> Optional[str]:
    """The intent for a message while the form asks for `asked`; None keeps the
    classifier's (a question, a request for something else).

    `request`: the request being made; `ranking` and `sections` let a question that
    reads like that same request ("wait, how long do you keep it if you don't delete
    it?") be answered from the section it is about instead of starting it again."""
    if not asked or text.startswith("/"):
        return None
    if intent == SAFEGUARDING:
        return None
    if asked in ("contact_consent", "confirm_send") and answers(asked, text):
        return INFORM  # "yes go on" is a yes here, not "carry on"
    if is_resume(text) or intent == RESUME and not answers(asked, text):
        return RESUME
    if is_cancel(text):
        return STOP
    if is_skip(text) or answers(asked, text):
        return INFORM
    if intent == STOP:
        return STOP
    if is_bare("how_to", text):
        return RESUME  # "so how do I do that?": by answering these questions
    if is_question(text):
        if CASE_WORDS.search(text) and intent not in sections:
            return CASE_STATUS  # "when will I hear back?": nothing is sent yet
        if request and intent == f"request_{request}":
            wanted = set(sections)
            nearest = next((r["name"] for r in ranking if r.get("name") in wanted
                            and float(r.get("confidence") or 0) >= SAME_REQUEST_FLOOR), None)
            return nearest or RESUME
        return None  # answered, then the form asks again (data/rules/handoff.yml)
    return INFORM
