"""What the assistant says while it passes a request to an officer.

Pure functions of the settings (settings/assistant.yml) and the form's answers, like
actions/replies.py. Every reply has `custom.section` "handoff" and `custom.request`.
"""

from datetime import date
from typing import Any, Dict, List, Optional

from actions.replies import Reply
from casework.deadlines import describe

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
            "I will ask up to 4 short questions, then show you what I will send. You can "
            "skip any of them, or type cancel to stop.")
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

CONSENT_NEEDED = ("An officer needs to contact you to deal with this, using the details you "
                  "gave. Without that I cannot send it, but I can tell you how to write to "
                  "the council instead.")

RE_ASK = {
    "contact_name": "I only need a name here (or type skip).",
    "contact_detail": ("Sorry, that does not look like an email address or a UK phone "
                       "number. For example: name@example.com or 07123 456789. Or type "
                       "skip."),
    "contact_consent": "Please answer yes or no.",
    "confirm_send": "Please choose Send my request, Change something or Cancel.",
}


BACK_TO_REQUEST = "Back to your request: "


def question_reply(slot: str, request: str, again: bool = False) -> Reply:
    """The form's question; `again` after the family asked something else meanwhile."""
    text, buttons = QUESTIONS[slot]
    return handoff(f"{BACK_TO_REQUEST}{text}" if again else text, request,
                   buttons=buttons, asking=slot)


def written_route(settings: Dict[str, Any]) -> str:
    written = settings["written_requests"]
    return (f"You can make the request in writing instead, without giving your details "
            f"here: email {written['email']} or write to {written['post']}. Say what "
            "you would like and how the council can reply to you.")


def no_contact_reply(request: str, settings: Dict[str, Any]) -> Reply:
    text = ("Without a way to reach you, an officer cannot reply, so I have not passed "
            f"this on. {written_route(settings)}")
    return handoff(text, request, case=False)


CONTACT_KINDS = {"email": "email", "phone": "phone"}


def next_steps(request: str, contact_kind: Optional[str], settings: Dict[str, Any]) -> str:
    """What happens after a request is passed on: an ID check, how they will hear."""
    steps = settings["next_steps"]
    sentences = []
    if settings["requests"][request].get("id_check"):
        sentences.append(" ".join(steps["id_check"].split()))
    if contact_kind in CONTACT_KINDS:
        sentences.append(steps["contact"].format(contact_kind=CONTACT_KINDS[contact_kind]))
    sentences.append(steps["ask_again"])
    return " ".join(sentences)


def case_reply(request: str, reference: str, due: date, settings: Dict[str, Any],
               contact_kind: Optional[str] = None) -> Reply:
    text = (f"Thank you. I have passed this to an officer. Your reference is {reference}. "
            f"Please keep it.\nThe council will reply by {due:%A %-d %B %Y}. "
            f"{time_limit(request, settings)}\n\nWhat happens next: "
            f"{next_steps(request, contact_kind, settings)}")
    return handoff(text, request, reference=reference, due_date=due.isoformat())


def case_status_reply(case: Dict[str, Any], settings: Dict[str, Any]) -> Reply:
    """"What was my reference?", "when will I hear?": from the case itself."""
    request = case["request"]
    due = date.fromisoformat(case["due_date"])
    label = settings["requests"][request]["label"]
    state = ("An officer is working on it." if case.get("status") == "in_progress" else
             "It has been closed." if case.get("status") == "closed" else
             "It is waiting for an officer.")
    text = (f"Your reference is {case['reference']}: {label}. {state} The council will "
            f"reply by {due:%A %-d %B %Y}.\n\nWhat happens next: "
            f"{next_steps(request, case.get('contact_kind'), settings)}")
    return handoff(text, request, reference=case["reference"], due_date=due.isoformat())


def not_sent_yet_reply(request: str, settings: Dict[str, Any]) -> Reply:
    """"When will I hear back?" asked while the form is still open."""
    text = ("Your request has not been sent yet. When you have answered these questions "
            "and chosen Send my request, you will get a reference. "
            f"{time_limit(request, settings)}")
    return handoff(text, request, sent=False)


def no_case_reply() -> Reply:
    return Reply(text=("I cannot see a request in this conversation. If you made one "
                       "before, its reference starts with CS-: please quote it when you "
                       "contact the council. I can also pass a new request to an officer."),
                 section="fallback", buttons=RIGHTS_REQUEST_BUTTONS)


def contact_updated_reply(request: str, reference: str, kind: str) -> Reply:
    return handoff(f"Thank you. I have changed the contact details on {reference} to the "
                   f"new {CONTACT_KINDS.get(kind, kind)}, and told the officer.",
                   request, reference=reference, contact_updated=True)


def ask_new_contact_reply(request: str, reference: str) -> Reply:
    return handoff(f"What is the new email address or UK phone number for {reference}? "
                   "For example: name@example.com or 07123 456789.", request,
                   reference=reference, asking="new_contact")


# Not just "Send": the chat's own button to send a message is called that.
SUMMARY_BUTTONS = [{"title": "Send my request", "payload": "send"},
                   {"title": "Change something", "payload": "change something"},
                   CANCEL]
CHANGE_BUTTONS = [{"title": "Name", "payload": "change name"},
                  {"title": "How to reach me", "payload": "change contact"},
                  {"title": "Who I am", "payload": "change who i am"},
                  {"title": "Nothing, send my request", "payload": "send"}]


def summary_reply(request: str, answers: Dict[str, Optional[str]],
                  settings: Dict[str, Any]) -> Reply:
    """What will be sent, to check before it goes. Personal: the tracker store keeps a
    placeholder instead (redaction/tracker_store.py)."""
    label = settings["requests"][request]["label"]
    lines = [f"• Request: {label}",
             f"• Name: {answers.get('contact_name') or 'not given'}",
             f"• How to reach you: {answers.get('contact_detail') or 'not given'}",
             f"• Who you are: {answers.get('relationship') or 'not given'}",
             "• An officer may contact you: yes"]
    text = ("Before I send this to an officer, please check it:\n" + "\n".join(lines)
            + "\nIs this right?")
    return handoff(text, request, buttons=SUMMARY_BUTTONS, asking="confirm_send",
                   personal=True)


def change_reply(request: str) -> Reply:
    return handoff("What would you like to change?", request, buttons=CHANGE_BUTTONS,
                   asking="confirm_send")


def service_complaint_reply(settings: Dict[str, Any]) -> Reply:
    """A complaint about a service or a person, not about data: the service's route."""
    route = settings["service_complaints"]
    text = ("I'm sorry things have not gone well. A complaint about a social worker, a "
            "decision or a service goes to Children's Services' complaints procedure, not "
            "to the data protection team I can pass requests to. You can complain online "
            f"at {route['url']} or by phone on {route['phone']}. If your complaint is "
            "about how your personal information was handled, tell me and I will pass "
            "it on.")
    return Reply(text=text, section="out_of_scope", extra={"route": "service_complaint"},
                 buttons=[{"title": "It is about my information",
                           "payload": "/request_complaint"}])


def cancelled_reply(request: str) -> Reply:
    return handoff("OK, I have stopped. Nothing has been sent to the council. You can "
                   "start again at any time.", request, case=False)


def failed_reply(request: str, settings: Dict[str, Any]) -> Reply:
    return handoff("Sorry, something went wrong and I could not pass this on. "
                   f"{written_route(settings)}", request, case=False)


RIGHTS_SOURCE = "Source: UK GDPR and the council's general privacy notice."
REQUEST_BUTTON_TITLES = {
    "access": "Ask for a copy", "rectification": "Ask for a correction",
    "erasure": "Ask for deletion", "restriction": "Ask to limit use",
    "objection": "Object", "portability": "Ask to move it",
    "withdraw_consent": "Take back consent", "complaint": "Make a complaint",
}


def rights_reply(settings: Dict[str, Any], right: Optional[str] = None,
                 how_to: bool = False) -> Reply:
    """The rights, each in a sentence; or, when the question named one right, that one,
    with a button to use it."""
    link = {"link": settings["council"]["general_privacy_notice_url"]}
    named = next((r for r in settings["rights"] if right and r.get("request") == right),
                 None)
    if named:
        right_text = named["text"][0].lower() + named["text"][1:]
        text = (f"Yes. The law (UK GDPR) gives you the right {right_text} "
                "It can have limits, for example where the law needs the council to "
                "keep or use information. I can pass your request to an officer now.\n\n"
                f"{RIGHTS_SOURCE}")
        buttons = [{"title": REQUEST_BUTTON_TITLES[right], "payload": f"/request_{right}"},
                   {"title": "Talk to a person", "payload": "/request_human"}]
        return Reply(text=text, section="rights", buttons=buttons,
                     extra={**link, "right": right})
    if how_to:
        text = ("To use one of these rights, I can pass your request to an officer in the "
                "council's information team. Which would you like to do?\n\n"
                f"{RIGHTS_SOURCE}")
        buttons = [{"title": REQUEST_BUTTON_TITLES[r["request"]],
                    "payload": f"/request_{r['request']}"}
                   for r in settings["rights"] if r.get("request")]
        return Reply(text=text, section="rights", buttons=buttons, extra=link)
    rights = "\n".join(f"• {r['text']}" for r in settings["rights"])
    text = (f"The law (UK GDPR) gives you these rights over your information:\n{rights}\n"
            "The council's general privacy notice explains them and how to use them. "
            "I can pass a request to an officer for you.\n\n"
            f"{RIGHTS_SOURCE}")
    return Reply(text=text, section="rights", buttons=RIGHTS_REQUEST_BUTTONS, extra=link)
