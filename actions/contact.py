"""Reading what a family types into the request form: skips, contacts, yes and no."""

import re
from typing import Optional, Tuple

import phonenumbers

SKIP_WORDS = {
    "skip", "skip it", "skip this", "pass", "no thanks", "prefer not to say",
    "rather not say", "id rather not", "i would rather not", "i d rather not",
    "rather not", "not saying", "dont want to say", "i dont want to say", "none",
    "n a", "na", "anonymous", "stay anonymous", "i want to stay anonymous",
    "i want to be anonymous", "keep me anonymous", "no name", "not telling",
    "dont want to give my name", "i dont want to give my name", "no", "nope",
}
YES_WORDS = {"yes", "y", "yeah", "yep", "yea", "ye", "ok", "okay", "sure", "of course",
             "yes please", "yes thats fine", "thats fine", "fine", "please do", "go ahead",
             "yes you can", "yes contact me", "definitely", "absolutely"}
NO_WORDS = {"no", "n", "nope", "nah", "no thanks", "no thank you", "dont", "do not",
            "please dont", "no dont", "dont contact me", "no you cant", "no you cannot"}
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")

RELATIONSHIPS = {
    "care_leaver": ("care leaver", "left care", "was in care", "were in care",
                    "used to be in care", "leaving care"),
    "carer": ("foster", "carer", "kinship", "special guardian", "guardianship order"),
    "young_person": ("young person", "child", "teen", "student", "its me", "it s me",
                     "myself", "about me", "im 1", "i m 1", "i am 1", "kid"),
    "parent": ("parent", "mum", "mom", "mother", "dad", "father", "guardian",
               "step", "grandparent", "nan", "gran", "grandad", "grandma", "grandpa"),
    "other": ("other", "social worker", "solicitor", "advocate", "teacher", "friend",
              "professional", "someone else"),
}
RELATIONSHIP_LABELS = {
    "parent": "Parent or guardian",
    "young_person": "Young person",
    "care_leaver": "Care leaver",
    "carer": "Carer",
    "other": "Other",
}


def fold(text: str) -> str:
    return re.sub(r"[^a-z0-9@.+]+", " ", (text or "").lower().replace("'", "")).strip()


def plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower().replace("'", "")).strip()


SKIP_PHRASES = ("rather not", "prefer not", "anonymous", "dont want to say",
                "not saying", "dont want to give", "not telling")


def is_skip(text: str) -> bool:
    words = plain(text)
    return words in SKIP_WORDS or any(phrase in words for phrase in SKIP_PHRASES)


CANCEL_WORDS = {"stop", "cancel", "quit", "exit", "forget it", "never mind", "nevermind",
                "changed my mind", "ive changed my mind", "i changed my mind",
                "stop this", "cancel this", "cancel it", "cancel that", "cancel the request",
                "stop the request", "leave it", "dont bother", "abort"}


def is_cancel(text: str) -> bool:
    return plain(text) in CANCEL_WORDS


def yes_or_no(text: str) -> Optional[bool]:
    words = plain(text)
    if words in YES_WORDS:
        return True
    if words in NO_WORDS:
        return False
    return None


def parse_contact(text: str) -> Optional[Tuple[str, str]]:
    """("email", address) or ("phone", "+44…") for a valid contact, else None."""
    candidate = (text or "").strip().strip(".,;")
    if EMAIL.match(candidate):
        return "email", candidate
    digits = re.sub(r"[\s()\-.]", "", candidate)
    if not re.fullmatch(r"\+?\d{9,13}", digits):
        return None
    try:
        number = phonenumbers.parse(digits, "GB")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 44 or not phonenumbers.is_valid_number(number):
        return None
    return "phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def relationship_of(text: str) -> str:
    """The relationship a family chose or typed; anything unrecognised is "other"."""
    words = f" {plain(text)} "
    for label, title in RELATIONSHIP_LABELS.items():
        if plain(title) == words.strip():
            return label
    for label, cues in RELATIONSHIPS.items():
        if any(f" {plain(cue)}" in words for cue in cues):
            return label
    return "other"


def looks_like_a_name(text: str) -> bool:
    """A name, not a sentence or a question typed into the name box."""
    text = (text or "").strip()
    return (0 < len(text) <= 80 and "?" not in text and "@" not in text
            and not re.search(r"\d", text) and len(text.split()) <= 6)
