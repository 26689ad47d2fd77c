"""The privacy notice as data: sections, quotes, answers, recipients and data kinds.

Everything the assistant says about the notice comes from `data/notice/sections.yml`;
this module loads it once and answers look-ups on it.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from core.settings import PROJECT_ROOT

NOTICE_DATA_FILE = PROJECT_ROOT / "data" / "notice" / "sections.yml"
LAST_UPDATED_PATTERN = re.compile(r"This notice was last updated in ([^.\n]+)\.")


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    topic: str
    quotes: Tuple[str, ...]
    answer: str
    # What "why?" or "how long?" straight after this answer is answered from.
    follow_ups: Tuple[Tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Term:
    """A recipient, a kind of data, a topic or a service that people ask about by name."""

    id: str
    kind: str  # "recipient", "data_kind", "topic" or "service": the entity name
    label: str
    section: str
    listed: bool
    quote: Optional[str]
    terms: Tuple[str, ...]  # what the notice names, in people's words
    # Members of a listed group that the notice does not name ("GP" of the NHS).
    examples: Tuple[str, ...] = ()
    # A topic: what the notice says that is nearest; a service: what it says of it.
    says: Optional[str] = None
    shared: Optional[str] = None  # a service: who the notice says gets data for it
    near: Tuple[str, ...] = ()  # a topic: other sections a question about it may get


@dataclass
class Notice:
    text: str
    last_updated: str
    sections: Dict[str, Section]
    terms: Dict[str, Dict[str, Term]] = field(default_factory=dict)

    def section(self, section_id: str) -> Section:
        return self.sections[section_id]

    def find_term(self, kind: str, value: str) -> Optional[Term]:
        """The term an entity value names: its id, or any of its words."""
        by_id = self.terms.get(kind, {})
        if value in by_id:
            return by_id[value]
        wanted = normalise(value)
        for term in by_id.values():
            if wanted in (normalise(t) for t in term.terms + term.examples):
                return term
        return None

    def listed_terms(self, section_id: str) -> List[Term]:
        return [
            term
            for by_id in self.terms.values()
            for term in by_id.values()
            if term.listed and term.section == section_id
        ]

    def wording(self, section_id: str) -> List[str]:
        """The notice's exact words behind a section, each quote once, in order."""
        quotes = list(self.section(section_id).quotes)
        quotes += [t.quote for t in self.listed_terms(section_id) if t.quote]
        return list(dict.fromkeys(quotes))


def normalise(text: str) -> str:
    """Fold case and white space (the notice uses non-breaking spaces)."""
    return re.sub(r"\s+", " ", text).strip().lower()


def is_heading(line: str) -> bool:
    """The notice's headings are short lines without closing punctuation."""
    return (0 < len(line) < 90 and not line.startswith("•")
            and not line.endswith((".", ":", ";", ",", "?")))


def notice_parts(notice_text: str) -> List[Tuple[str, List[str]]]:
    """(heading, lines) for each part of the notice, from its title to the date line.

    The text is copied from the council's web page, so the page's menu before the
    title and its share links after the date line are left out.
    """
    lines = [" ".join(line.split()) for line in notice_text.splitlines()]
    start = next((i for i, line in enumerate(lines) if line.endswith("privacy notice")), 0)
    end = next((i for i, line in enumerate(lines)
                if LAST_UPDATED_PATTERN.search(line)), len(lines) - 1)
    parts: List[Tuple[str, List[str]]] = [(lines[start], [])]
    for line in lines[start + 1:end + 1]:
        if is_heading(line):
            parts.append((line, []))
        elif line:
            parts[-1][1].append(line)
    return parts


def find_last_updated(notice_text: str) -> str:
    match = LAST_UPDATED_PATTERN.search(notice_text)
    if not match:
        raise ValueError("the notice text has no 'This notice was last updated in …' line")
    return match.group(1).strip()


def parse_notice(data: dict, notice_text: str) -> Notice:
    last_updated = find_last_updated(notice_text)

    def fill(text: str) -> str:
        return text.replace("{last_updated}", last_updated)

    sections = {
        raw["id"]: Section(
            id=raw["id"],
            title=raw["title"],
            topic=raw["topic"],
            quotes=tuple(fill(q) for q in raw["quotes"]),
            answer=fill(raw["answer"]),
            follow_ups=tuple((raw.get("follow_ups") or {}).items()),
        )
        for raw in data["sections"]
    }
    terms: Dict[str, Dict[str, Term]] = {}
    for kind, key in (("recipient", "recipients"), ("data_kind", "data_kinds"),
                      ("topic", "topics"), ("service", "services")):
        terms[kind] = {
            raw["id"]: Term(
                id=raw["id"],
                kind=kind,
                label=raw["label"],
                section=raw["section"],
                listed=raw.get("listed", kind != "topic"),
                quote=raw.get("quote"),
                terms=tuple(raw["terms"]),
                examples=tuple(raw.get("examples") or ()),
                says=" ".join(raw["says"].split()) if raw.get("says") else None,
                shared=" ".join(raw["shared"].split()) if raw.get("shared") else None,
                near=tuple(raw.get("near") or ()),
            )
            for raw in data.get(key) or []
        }
    return Notice(notice_text, last_updated, sections, terms)


def read_notice(data_file: Path) -> Notice:
    with data_file.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    notice_text = (data_file.parent / data["notice_text"]).read_text(encoding="utf-8")
    return parse_notice(data, notice_text)


@lru_cache(maxsize=None)
def load_notice() -> Notice:
    return read_notice(NOTICE_DATA_FILE)
