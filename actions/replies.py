"""What the assistant says: every reply built from the notice data or the settings.

Pure functions, no Rasa types, so that tests, reports and the actions share them. Each
reply carries `custom.section`, the contract of SECTIONS.md.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence

from actions.notice import Notice, Term

SHOW_WORDING = "Show the exact wording"

# Specific answers are given only where the question is about that list.
RECIPIENT_SECTIONS = {"sharing"}
DATA_KIND_SECTIONS = {"data_collected", "special_category", "criminal_data"}

DATA_KIND_NOTES = {
    "special_category": (
        'This is "special category data": we only collect and use it when it is '
        "relevant, and the law gives it extra safeguards."
    ),
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


def section_answer(
    notice: Notice, section_id: str, entities: Iterable[Dict[str, Any]] = ()
) -> Reply:
    """The answer for a section, made specific when the question names a term."""
    entities = list(entities)
    if section_id in RECIPIENT_SECTIONS:
        terms = _terms_named(notice, "recipient", entities)
        if terms:
            return _recipient_answer(notice, section_id, terms)
    if section_id in DATA_KIND_SECTIONS:
        terms = _terms_named(notice, "data_kind", entities)
        if terms:
            return _data_kind_answer(notice, section_id, terms)
    return notice_reply(notice, section_id, notice.section(section_id).answer)


def _terms_named(
    notice: Notice, kind: str, entities: List[Dict[str, Any]]
) -> List[Term]:
    found: Dict[str, Term] = {}
    for entity in entities:
        if entity.get("entity") != kind:
            continue
        term = notice.find_term(kind, str(entity.get("value", "")))
        if term:
            found.setdefault(term.id, term)
    return list(found.values())


def _recipient_answer(notice: Notice, asked: str, terms: List[Term]) -> Reply:
    listed = [t for t in terms if t.listed]
    elsewhere = [t for t in listed if t.section != asked]
    if elsewhere and len(listed) == 1:
        # Taxis and the Imagination Library have sections of their own.
        return section_answer(notice, elsewhere[0].section)
    sentences = []
    if listed:
        sentences.append(
            "Yes, this can happen. The notice lists "
            f"{join_labels([t.label for t in listed])} among those we may share "
            "your information with."
        )
    not_listed = [t for t in terms if not t.listed]
    if not_listed:
        sentences.append(
            f"The notice does not list {join_labels([t.label for t in not_listed])} "
            "among those we share your information with."
        )
    if listed:
        sentences.append(
            "We may share it without asking you first when this is needed for our "
            "public tasks."
        )
    else:
        sentences.append(
            "It lists your family, and public bodies and other groups, such as the "
            "NHS, schools, police and courts."
        )
    return notice_reply(
        notice, asked, " ".join(sentences), terms=[t.id for t in terms]
    )


def _data_kind_answer(notice: Notice, asked: str, terms: List[Term]) -> Reply:
    listed = [t for t in terms if t.listed]
    sentences = []
    if listed:
        sentences.append(
            "Yes, it can be. The notice lists "
            f"{join_labels([t.label for t in listed])} among the information we may "
            "collect and use."
        )
        notes = dict.fromkeys(
            DATA_KIND_NOTES[t.section] for t in listed if t.section in DATA_KIND_NOTES
        )
        sentences.extend(notes)
    not_listed = [t for t in terms if not t.listed]
    if not_listed:
        sentences.append(
            f"The notice does not list {join_labels([t.label for t in not_listed])} "
            "among the data we collect and use."
        )
    section_id = listed[0].section if listed else asked
    return notice_reply(
        notice, section_id, " ".join(sentences), terms=[t.id for t in terms]
    )


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


def safeguarding_reply(settings: Dict[str, Any]) -> Reply:
    """The fixed safety message: the same words every time, contacts from settings."""
    s = settings["safeguarding"]
    text = (
        "Your safety matters most.\n"
        f"• If anyone is in danger right now, call {s['emergency_number']}.\n"
        "• If you are worried about a child, call Norfolk County Council on "
        f"{s['council_concerns_number']} ({s['council_concerns_hours']}).\n"
        "• If you are a child or young person, you can talk to Childline on "
        f"{s['childline_number']} ({s['childline_hours']}).\n"
        "You can speak to a person at the council on that number, or ask me to pass "
        "a message to an officer."
    )
    buttons = [{"title": "Talk to a person", "payload": "/request_human"}]
    return Reply(text=text, section="safeguarding", buttons=buttons)


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
