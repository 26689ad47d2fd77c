"""What the assistant says: every reply built from the notice data or the settings.

Pure functions, no Rasa types, so that tests, reports and the actions share them. Each
reply carries `custom.section`, the contract of SECTIONS.md.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence

from core.notice import Notice, Term

SHOW_WORDING = "Show the exact wording"

# Specific answers are given only where the question is about that list; a question
# read as any other section that names only what the notice does not list is answered
# about that (section_answer): the notice is silent on it.
RECIPIENT_SECTIONS = {"sharing"}
DATA_KIND_SECTIONS = {"data_collected", "special_category", "criminal_data"}

DATA_KIND_NOTES = {
    "special_category": "The law gives this data extra safeguards.",
    "criminal_data": "The law gives this data extra safeguards.",
}

ROUTE_TOPICS = {
    "rights": "My data protection rights",
    "chat_privacy": "What happens to this chat",
}


@dataclass
class Reply:
    text: str
    section: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    extra: Dict[str, Any] = field(default_factory=dict)

    @property
    def custom(self) -> Dict[str, Any]:
        return {"section": self.section, **self.extra}


def source_line(title: str) -> str:
    return f"Source: privacy notice, “{title}”."


def join_labels(labels: Sequence[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def wording_button(section_id: str) -> Dict[str, str]:
    return {
        "title": SHOW_WORDING,
        "payload": f'/show_wording{{"section":"{section_id}"}}',
    }


def topic_button(title: str, intent: str) -> Dict[str, str]:
    return {"title": title, "payload": f"/{intent}"}


def notice_reply(notice: Notice, section_id: str, body: str, **extra: Any) -> Reply:
    section = notice.section(section_id)
    return Reply(
        text=f"{body}\n\n{source_line(section.title)}",
        section=section_id,
        buttons=[wording_button(section_id)],
        extra={"title": section.title, **extra},
    )


@dataclass(frozen=True)
class Named:
    """A term a question names: the term, as typed, and whether the notice names it
    (False: it is only a member of a group the notice lists, such as a GP of the NHS)."""

    term: Term
    typed: str
    named: bool = True


def section_answer(
    notice: Notice, section_id: str, entities: Iterable[Dict[str, Any]] = (),
    redirect: bool = True,
) -> Reply:
    """The answer for a section, made specific when the question names a term, and
    honest where the notice says nothing about what was named."""
    entities = list(entities)
    # Only where the question was read as the topic's section or a near one: "working on
    # a joint audit. Do you use case data for research?" asks about research.
    topics = [n for n in _named(notice, "topic", entities)
              if section_id == n.term.section or section_id in n.term.near]
    if topics:
        return silent_answer(notice, topics[0].term)
    recipients = _named(notice, "recipient", entities)
    reply = service_answer(notice, section_id, _named(notice, "service", entities),
                           bool(recipients))
    if reply is not None:
        return reply
    named = recipients + _named(notice, "data_kind", entities)
    unlisted = [n for n in named if not n.term.listed and n.term.section != section_id]
    if redirect and unlisted and section_id not in RECIPIENT_SECTIONS | DATA_KIND_SECTIONS \
            and not any(
            n.term.listed and n.term.kind == unlisted[0].term.kind for n in named):
        # "Will her immigration status be on the file?" or "are calls recorded, and how
        # long are the recordings kept?" read as another section: what was named is
        # what the notice is silent on.
        return section_answer(notice, unlisted[0].term.section, entities, redirect=False)
    reply = None
    if section_id in RECIPIENT_SECTIONS:
        unnamed = [e for e in entities if e.get("entity") == "other_recipient"]
        if recipients:
            reply = _recipient_answer(notice, section_id, recipients)
        elif unnamed and unnamed[0].get("text"):
            reply = unnamed_recipient_answer(notice, section_id, unnamed[0]["text"])
    if reply is None and section_id in DATA_KIND_SECTIONS:
        kinds = _named(notice, "data_kind", entities)
        if kinds:
            reply = _data_kind_answer(notice, section_id, kinds)
    if reply is None:
        reply = notice_reply(notice, section_id, notice.section(section_id).answer)
    person = next((e.get("value") for e in entities if e.get("entity") == "person"), None)
    if person:
        reply.text = (f"The notice does not say anything different for "
                      f"{second_person(str(person))}.\n\n{reply.text}")
    return reply


PRONOUNS = {"my": "your", "me": "you", "myself": "yourself", "i": "you", "our": "your",
            "us": "you", "mine": "yours", "im": "you are", "i'm": "you are"}


def second_person(phrase: str) -> str:
    """"my son" -> "your son": the family's words, said back to them."""
    words = phrase.strip().split()
    return " ".join(PRONOUNS.get(w.lower(), w) for w in words)


def _named(notice: Notice, kind: str, entities: List[Dict[str, Any]]) -> List[Named]:
    found: Dict[str, Named] = {}
    for entity in entities:
        if entity.get("entity") != kind:
            continue
        term = notice.find_term(kind, str(entity.get("value", "")))
        if term and term.id not in found:
            typed = str(entity.get("text") or term.label)
            found[term.id] = Named(term, typed, named=entity.get("role") != "example")
    return list(found.values())


def _terms_named(
    notice: Notice, kind: str, entities: List[Dict[str, Any]]
) -> List[Term]:
    return [n.term for n in _named(notice, kind, entities)]


def _recipient_answer(notice: Notice, asked: str, found: List[Named]) -> Reply:
    listed = [n for n in found if n.term.listed]
    elsewhere = [n for n in listed if n.term.section != asked]
    if elsewhere and len(listed) == 1 and listed[0].named:
        # Taxis and the Imagination Library have sections of their own.
        return section_answer(notice, elsewhere[0].term.section)
    sentences = []
    named = [n for n in listed if n.named]
    if named:
        sentences.append(
            "Yes, this can happen. The notice lists "
            f"{join_labels([n.term.label for n in named])} among those we may share "
            "your information with."
        )
    for example in (n for n in listed if not n.named):
        sentences.append(
            f"The notice does not mention {second_person(example.typed)} by name, but it "
            f"lists {example.term.label} among those we may share your information with."
        )
    not_listed = [n for n in found if not n.term.listed]
    if not_listed:
        sentences.append(
            "The notice does not mention "
            f"{join_labels([n.term.label for n in not_listed])} among those we share "
            "your information with."
        )
    if listed:
        sentences.append(
            "We may share it without asking you first when this is needed for our "
            "public tasks."
        )
    else:
        sentences.append(LISTED_RECIPIENTS)
        sentences.append(ASK_FURTHER)
    return notice_reply(
        notice, asked, " ".join(sentences), terms=[n.term.id for n in found]
    )


LISTED_RECIPIENTS = (
    "It lists your family, and public bodies and other groups, such as the NHS, "
    "schools, police and courts."
)
LISTED_DATA = (
    "It lists what we collect, such as names, contact details, date of birth and "
    "family history."
)
ASK_FURTHER = (
    "For more, see the council's general privacy notice, or ask me to pass your "
    "question to a person."
)


def unnamed_recipient_answer(notice: Notice, asked: str, phrase: str) -> Reply:
    """A body the question names that the notice data does not know: say so."""
    body = (f"The notice does not mention {second_person(phrase)} among those we share "
            f"your information with. {LISTED_RECIPIENTS} {ASK_FURTHER}")
    return notice_reply(notice, asked, body, silent="recipient")


def service_answer(notice: Notice, asked: str, services: List[Named],
                   recipient_named: bool) -> Optional[Reply]:
    """What the notice says of a service or scheme it names ("is my info used for the
    Supporting Families thing?"), or of who gets the data for it; None when the
    question is about something else."""
    if not services:
        return None
    ids = [n.term.id for n in services]
    if asked in {n.term.section for n in services}:
        says = [n.term.says for n in services if n.term.section == asked and n.term.says]
        return notice_reply(notice, asked, " ".join(says), terms=ids)
    shared = [n.term.shared for n in services if n.term.shared]
    if asked in RECIPIENT_SECTIONS and shared and not recipient_named:
        return notice_reply(notice, asked, " ".join(shared + [ASK_FURTHER]), terms=ids)
    return None


def silent_answer(notice: Notice, topic: Term) -> Reply:
    """Where the notice says nothing: that plainly, then what it says that is nearest,
    then where to ask. Never a yes or a no."""
    body = f"The notice does not mention {topic.label}. {topic.says} {ASK_FURTHER}"
    reply = notice_reply(notice, topic.section, body, silent=topic.id)
    reply.buttons.append({"title": "Talk to a person", "payload": "/request_human"})
    return reply


def _data_kind_answer(notice: Notice, asked: str, found: List[Named]) -> Reply:
    listed = [n for n in found if n.term.listed]
    sentences = []
    named = [n for n in listed if n.named]
    if named and all(n.term.section == "special_category" for n in named):
        # Sensitive data is collected only when relevant: not a plain yes.
        sentences.append(
            f"The notice lists {join_labels([n.term.label for n in named])} as more "
            "sensitive information. We collect it only when it is relevant."
        )
    elif named:
        sentences.append(
            "Yes, it can be. The notice lists "
            f"{join_labels([n.term.label for n in named])} among the information we may "
            "collect and use."
        )
    for example in (n for n in listed if not n.named):
        sentences.append(
            f"The notice does not mention {second_person(example.typed)} by name, but it "
            f"lists {example.term.label} among the information we may collect and use."
        )
    if listed:
        notes = dict.fromkeys(
            DATA_KIND_NOTES[n.term.section] for n in listed
            if n.term.section in DATA_KIND_NOTES
        )
        sentences.extend(notes)
    not_listed = [n for n in found if not n.term.listed]
    if not_listed:
        sentences.append(
            "The notice does not mention "
            f"{join_labels([n.term.label for n in not_listed])} among the data we collect."
        )
    if not listed:
        sentences += [LISTED_DATA, ASK_FURTHER]
    section_id = listed[0].term.section if listed else asked
    return notice_reply(
        notice, section_id, " ".join(sentences), terms=[n.term.id for n in found]
    )


def combined_reply(replies: List[Reply]) -> Reply:
    """Several answers in one message, each with its source (a compound question).
    `custom.section` names the first; `custom.sections` names every one, in order."""
    if len(replies) == 1:
        return replies[0]
    text = "\n\n".join(r.text for r in replies)
    buttons, seen = [], set()
    for reply in replies:
        for button in reply.buttons:
            if button["title"] == SHOW_WORDING:
                title = reply.extra.get("title", "")
                button = {**button, "title": f"Exact wording: {title}" if title else SHOW_WORDING}
            if button["payload"] not in seen:
                seen.add(button["payload"])
                buttons.append(button)
    extra = {k: v for r in reversed(replies) for k, v in r.extra.items()}
    extra["sections"] = [r.section for r in replies]
    return Reply(text=text, section=replies[0].section, buttons=buttons, extra=extra)


def wording_reply(notice: Notice, section_id: Optional[str]) -> Reply:
    """The notice's exact words behind an answer."""
    if not section_id or section_id not in notice.sections:
        return Reply(
            text=(
                "I can show the exact wording of the notice after I answer a "
                "question. What would you like to know about your data?"
            ),
            section="fallback",
        )
    section = notice.section(section_id)
    quotes = "\n".join(f"“{quote}”" for quote in notice.wording(section_id))
    return Reply(
        text=f"The notice says:\n{quotes}\n\n{source_line(section.title)}",
        section=section_id,
        extra={"title": section.title, "wording": True},
    )


def safeguarding_reply(settings: Dict[str, Any], self_harm: bool = False,
                       secrecy: bool = False) -> Reply:
    """The safety message: the same words every time, contacts from settings; a
    self-harm line when the message spoke of it, and an honest word on confidentiality
    when it asked that someone not be told (conversation/safety_wording.py)."""
    s = settings["safeguarding"]
    lines = ["Your safety matters most.",
             f"• If anyone is in danger right now, call {s['emergency_number']}."]
    if self_harm:
        lines.append("• If you are thinking about hurting yourself or ending your life, "
                     f"talk to {s['self_harm_line']} on {s['self_harm_number']} "
                     f"({s['self_harm_hours']}).")
    lines += [
        "• If you are worried about a child, call Norfolk County Council on "
        f"{s['council_concerns_number']} ({s['council_concerns_hours']}).",
        "• If you are a child or young person, you can talk to Childline on "
        f"{s['childline_number']} ({s['childline_hours']}).",
    ]
    if secrecy:
        lines.append(" ".join(s["confidentiality"].split()))
    lines.append("You can speak to a person at the council on that number, or ask me to "
                 "pass a message to an officer.")
    buttons = [{"title": "Talk to someone now", "payload": "/request_human"}]
    return Reply(text="\n".join(lines), section="safeguarding", buttons=buttons)


def talk_now_reply(settings: Dict[str, Any], self_harm: bool = False,
                   on_duty: bool = False) -> Reply:
    """Asked for a person after a concern. With a duty worker on duty in the chat
    (casework/duty.py), one will join here; otherwise, plainly, who to call and when.
    Getting help never needs a name or an email, so nothing is asked (no form)."""
    s = settings["safeguarding"]
    duty = s["duty_team"][:1].upper() + s["duty_team"][1:]
    if on_duty:
        lines = [f"Someone from {s['duty_team']} is online and will join this chat in a "
                 "moment. Keep this window open. You don't have to give your name.",
                 "If nobody has joined in 5 minutes, or you would rather talk on the phone:"]
    else:
        lines = [f"Nobody from {s['duty_team']} is in this chat right now. You can talk to "
                 "someone on the phone now, and you don't have to give your name:"]
    lines += [f"• {duty} at Norfolk County Council: "
              f"{s['council_concerns_number']} ({s['council_concerns_hours']}).",
              f"• Childline, if you are a child or young person: {s['childline_number']} "
              f"({s['childline_hours']})."]
    if self_harm:
        lines.append(f"• {s['self_harm_line']}: {s['self_harm_number']} "
                     f"({s['self_harm_hours']}).")
    lines.append(f"• If anyone is in danger right now, call {s['emergency_number']}.")
    return Reply(text="\n".join(lines), section="safeguarding")


def confidentiality_reply(settings: Dict[str, Any]) -> Reply:
    """After the safety message, a wish that someone not be told: the honest answer and
    the numbers again in one line, not the whole safety message a second time."""
    s = settings["safeguarding"]
    text = (" ".join(s["confidentiality"].split()) + "\n"
            f"If you are in danger right now, call {s['emergency_number']}. Childline: "
            f"{s['childline_number']} ({s['childline_hours']}).")
    return Reply(text=text, section="safeguarding")


def out_of_scope_reply(notice: Notice, settings: Dict[str, Any]) -> Reply:
    council = settings["council"]
    text = (
        "Sorry, I can only answer questions about how Children's Services uses "
        "personal data, from its privacy notice. For other council services, such as "
        f"bins, council tax or school places, please visit {council['website']}."
    )
    buttons = [
        topic_button(notice.section(s).topic, s) for s in ("sharing", "retention")
    ] + [topic_button(ROUTE_TOPICS["rights"], "rights")]
    return Reply(text=text, section="out_of_scope", buttons=buttons)


def clarify_reply(
    notice: Notice, ranking: Iterable[Dict[str, Any]], max_topics: int
) -> Reply:
    """Ask which of the likely topics was meant."""
    buttons = []
    for candidate in ranking:
        name = candidate.get("name")
        if name in notice.sections:
            buttons.append(topic_button(notice.section(name).topic, name))
        elif name in ROUTE_TOPICS:
            buttons.append(topic_button(ROUTE_TOPICS[name], name))
        if len(buttons) == max_topics:
            break
    if buttons:
        text = "Sorry, I'm not sure what you mean. Is it about one of these?"
    else:
        text = "Sorry, I'm not sure what you mean."
    text += " You can also ask again in other words."
    return Reply(text=text, section="fallback", buttons=buttons)
