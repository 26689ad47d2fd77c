"""What the assistant says while it passes a request to an officer.

Pure functions of the settings (settings/assistant.yml) and the form's answers, like
actions/replies.py. Every reply has `custom.section` "handoff" and `custom.request`.
"""

from datetime import date
from typing import Any, Dict, List, Optional

from actions.replies import Reply
from casework.deadlines import describe

REQUEST_TYPES = ("access", "rectification", "erasure", "restriction", "objection",
                 "portability", "withdraw_consent", "complaint", "human")
SKIP = {"title": "Skip", "payload": "skip"}
CANCEL = {"title": "Cancel", "payload": "/stop"}
RIGHTS_REQUEST_BUTTONS = [
    {"title": "Get a copy of my records", "payload": "/request_access"},
    {"title": "Correct my records", "payload": "/request_rectification"},
    {"title": "Talk to a person", "payload": "/request_human"},
]


def handoff(text: str, request: str, buttons: Optional[List[Dict[str, str]]] = None,
            **extra: Any) -> Reply:
    return Reply(text=text, section="handoff", buttons=buttons or [],
                 extra={"request": request, **extra})


def time_limit(request: str, settings: Dict[str, Any]) -> str:
    rule = settings["requests"][request]["deadline"]
    if rule == "one_calendar_month":
        return ("The law gives the council one calendar month to reply. For a complex "
                "request it can take up to two more months, and you would be told why.")
    if request == "complaint":
        return (f"The council aims to reply {describe(rule)}. If you are unhappy with "
                "the answer, you can complain to the Information Commissioner's Office "
                f"({settings['written_requests']['ico_url']}).")
    return f"An officer aims to contact you {describe(rule)}."


def start_reply(request: str, settings: Dict[str, Any]) -> Reply:
    confirm = settings["requests"][request]["confirm"]
    text = (f"{confirm} I can pass this to an officer in the council's information "
            f"team. {time_limit(request, settings)}\n\n"
            "I will ask up to 4 short questions. You can skip any of them, or type "
            "cancel to stop.")
    return handoff(text, request)


QUESTIONS = {
    "contact_name": ("What name should the officer use? You can type skip.",
                     [SKIP, CANCEL]),
    "contact_detail": (
        "How can the officer reach you? Type an email address or a UK phone number. "
        "If you would rather not say, type skip and I will tell you how to write to "
        "the council instead.",
        [SKIP, CANCEL],
    ),
    "relationship": (
        "Who are you in this? Choose one, or skip.",
        [{"title": t, "payload": t} for t in
         ("Parent or guardian", "Young person", "Care leaver", "Carer", "Other")]
        + [SKIP, CANCEL],
    ),
    "contact_consent": (
        "Can an officer contact you about this request, using the details you gave?",
        [{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}, CANCEL],
    ),
}

RE_ASK = {
    "contact_name": "I only need a name here (or type skip).",
    "contact_detail": ("Sorry, that does not look like an email address or a UK phone "
                       "number. For example: name@example.com or 07123 456789. Or type "
                       "skip."),
    "contact_consent": "Please answer yes or no.",
}


def question_reply(slot: str, request: str) -> Reply:
    text, buttons = QUESTIONS[slot]
    return handoff(text, request, buttons=buttons, asking=slot)


def written_route(settings: Dict[str, Any]) -> str:
    written = settings["written_requests"]
    return (f"You can make the request in writing instead, without giving your details "
            f"here: email {written['email']} or write to {written['post']}. Say what "
            "you would like and how the council can reply to you.")


def no_contact_reply(request: str, settings: Dict[str, Any]) -> Reply:
    text = ("Without a way to reach you, an officer cannot reply, so I have not passed "
            f"this on. {written_route(settings)}")
    return handoff(text, request, case=False)


def case_reply(request: str, reference: str, due: date, settings: Dict[str, Any]) -> Reply:
    text = (f"Thank you. I have passed this to an officer. Your reference is {reference}. "
            f"Please keep it.\nThe council will reply by {due:%A %-d %B %Y}. "
            f"{time_limit(request, settings)}")
    return handoff(text, request, reference=reference, due_date=due.isoformat())


def cancelled_reply(request: str) -> Reply:
    return handoff("OK, I have stopped. Nothing has been sent to the council. You can "
                   "start again at any time.", request, case=False)


def failed_reply(request: str, settings: Dict[str, Any]) -> Reply:
    return handoff("Sorry, something went wrong and I could not pass this on. "
                   f"{written_route(settings)}", request, case=False)


def rights_reply(settings: Dict[str, Any]) -> Reply:
    rights = "\n".join(f"• {right}" for right in settings["rights"])
    text = (f"The law (UK GDPR) gives you these rights over your information:\n{rights}\n"
            "The council's general privacy notice explains them and how to use them. "
            "I can pass a request to an officer for you.\n\n"
            "Source: UK GDPR and the council's general privacy notice.")
    return Reply(text=text, section="rights", buttons=RIGHTS_REQUEST_BUTTONS,
                 extra={"link": settings["council"]["general_privacy_notice_url"]})
