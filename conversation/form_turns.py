"""While the request form asks a question: is this message its answer, or something else?

The form's slots are filled only from messages read as `inform` (domain.yml), so a
question asked instead of an answer ("wait, who will see this?") keeps its own intent
and is answered by the rules for interruptions (data/rules/handoff.yml), after which the
form asks again. A name must look like a name, a contact like a contact; anything that
is neither a question nor a wish to stop or carry on is taken as an attempt at an answer,
so that the form can say what it needs.
"""

import re
from typing import Optional

from conversation.form_answers import (is_cancel, is_skip, name_in, parse_contact,
                                       plain, relationship_choice, yes_or_no)
from conversation.followups import fold
from conversation.segments import is_question

INFORM = "inform"
STOP = "stop"
RESUME = "resume"
SAFEGUARDING = "safeguarding"
FALLBACK = "nlu_fallback"
# Intents that never stand in for an answer: the form steps aside for them.
NOT_ANSWERS = {SAFEGUARDING, STOP, RESUME}

RESUME_WORDS = {
    "carry on", "continue", "go on", "yes go on", "yeah go on", "ok go on", "ok carry on",
    "yes carry on", "yes continue", "lets continue", "lets carry on", "keep going",
    "resume", "ok continue", "please continue", "carry on please", "continue please",
    "go ahead", "back to it", "back to my request", "back to the request", "ok next",
    "next", "where were we", "ok where were we", "yes please continue", "proceed",
}
CONFIRM_WORDS = {"send", "send it", "yes send", "yes send it", "send please", "submit",
                 "change", "change something", "edit", "cancel"}
# Something typed into the contact box that was meant as a contact, even if malformed.
CONTACT_ATTEMPT = re.compile(r"@|\d{3}|\b(at|dot)\b|\bgmail|hotmail|outlook|yahoo|icloud\b",
                             re.IGNORECASE)


def is_resume(text: str) -> bool:
    return plain(text) in RESUME_WORDS


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


def read_form_turn(text: str, intent: Optional[str], asked: Optional[str]) -> Optional[str]:
    """The intent for a message while the form asks for `asked`; None keeps the
    classifier's (a question, a request for something else)."""
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
    if is_question(text):
        return None  # answered, then the form asks again (data/rules/handoff.yml)
    return INFORM
