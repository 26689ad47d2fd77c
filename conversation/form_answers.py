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


CANCEL_TOKENS = {"cancel", "abort", "quit"}


def is_cancel(text: str) -> bool:
    words = plain(text)
    # "actually no cancel", "cancel it please"
    return words in CANCEL_WORDS or (len(words.split()) <= 5 and "?" not in (text or "")
                                     and bool(CANCEL_TOKENS & set(words.split())))


YES_STARTS = {"yes", "yeah", "yep", "yea", "ye", "y", "sure", "ok", "okay", "definitely"}
NO_STARTS = {"no", "nope", "nah", "n"}
NEGATIONS = {"not", "dont", "no", "never", "cant", "cannot", "wont", "rather"}


def yes_or_no(text: str) -> Optional[bool]:
    words = plain(text)
    if words in YES_WORDS:
        return True
    if words in NO_WORDS:
        return False
    first, *rest = words.split() or [""]
    if len(rest) <= 4 and "?" not in (text or ""):
        if first in YES_STARTS and not NEGATIONS & set(rest):
            return True  # "yes go ahead", "yeah thats fine"
        if first in NO_STARTS:
            return False  # "no thank you", "no dont"
    return None


def uk_mobile_shaped(number: phonenumbers.PhoneNumber) -> bool:
    """07… and 11 digits: a mobile number to a family, even in ranges the library does
    not know as allocated (07700 900xxx is one, kept for examples)."""
    return len(str(number.national_number)) == 10 and str(number.national_number)[0] == "7"


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
    if number.country_code != 44 or not (phonenumbers.is_valid_number(number)
                                         or uk_mobile_shaped(number)):
        return None
    return "phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def relationship_choice(text: str) -> Optional[str]:
    """The relationship a family chose or typed, if it names one."""
    words = f" {plain(text)} "
    for label, title in RELATIONSHIP_LABELS.items():
        if plain(title) == words.strip():
            return label
    for label, cues in RELATIONSHIPS.items():
        if any(f" {plain(cue)}" in words for cue in cues):
            return label
    return None


def relationship_of(text: str) -> str:
    """The relationship a family chose or typed; anything unrecognised is "other"."""
    return relationship_choice(text) or "other"


# Words that are not (part of) a name: a thank-you, a question, a sentence typed into the
# name box. Words that are also names (Will, May, Hope, Grace, Mark…) are not listed.
NOT_NAME_WORDS = set("""
    a about actually again all also am an and any anyone are as ask at be because been bit
    bye can cant could data did do does doing dont file for from get give go going good got
    had has have hello help hey hi how i id if im in info information is it its ive just
    know like me mind my need no not nothing of ok okay on or our please pls record records
    rather really right say see send share should skip so sorry still sure tell thank
    thanks that thats the their them then there they this thx to too ty u um up us want
    wanted was we well what whats when where which who why with would wrong yeah yes yet
    you your hmm hm umm um erm er idk dunno lol haha nah nope yep ta
""".split())
NAME_INTRO = re.compile(
    r"^(?:(?:my|her|his|their|the) (?:full )?name(?: is|'s| s|:)?|it'?s|its|i'?m|i am|"
    r"call me|this is|name'?s?:?|you can call me|just)\s+", re.IGNORECASE)
NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*\.?")


def name_in(text: str) -> Optional[str]:
    """The name in an answer to "What name should the officer use?", or None when the
    answer is a question, a thank-you or a sentence rather than a name. In "ok fine
    its me. Kayla" the name is the last piece."""
    whole = _name_in(text)
    if whole or re.search(r"[?@\d]", text or ""):
        return whole
    # "Priya Raman (solicitor, for my client)", "ok fine its me. Kayla"
    text = re.sub(r"\([^)]*\)", " ", text or "")
    pieces = [p for p in re.split(r"[.,;!:]\s+|\s+-\s+|\n", text) if p.strip()]
    for piece in (pieces[0], pieces[-1]) if pieces else ():
        name = _name_in(piece)
        if name:
            return name
    return None


def _name_in(text: str) -> Optional[str]:
    candidate = NAME_INTRO.sub("", " ".join((text or "").split())).strip(" .!,")
    words = candidate.split()
    if not 1 <= len(words) <= 5 or len(candidate) > 60:
        return None
    if not all(NAME_WORD.fullmatch(word) for word in words):
        return None  # digits, "@", "?", "/": not a name
    lowered = [word.lower().strip(".'’") for word in words]
    if lowered[0] in NOT_NAME_WORDS:
        return None
    # A later capitalised word may be a name or an initial that is also a word ("Jo Be",
    # "Mary I Jones"); in lower case it is part of a sentence ("sarah thanks so much").
    if any(low in NOT_NAME_WORDS and not word[0].isupper()
           for word, low in zip(words[1:], lowered[1:])):
        return None
    return candidate


def looks_like_a_name(text: str) -> bool:
    return name_in(text) is not None
