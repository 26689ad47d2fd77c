"""The label an answer carries (SECTIONS.md's contract): a section id, a route, or
`handoff:<request>` for a request passed to an officer."""

from typing import Any, Dict, List, Sequence, Set

from core.notice import load_notice
from core.request_types import REQUEST_TYPES

# The answers that are not a notice section (SECTIONS.md, "Routes").
ROUTE_LABELS = {"rights", "safeguarding", "chat_privacy", "out_of_scope", "fallback",
                "chitchat"}


def label_of(custom: Dict[str, Any]) -> str:
    """The section id; a handoff is labelled with its request, e.g. `handoff:access`."""
    if custom["section"] == "handoff":
        return f"handoff:{custom.get('request')}"
    return custom["section"]


def sections_of(messages: Sequence[Dict[str, Any]]) -> List[str]:
    """The label of every message that names a section (SECTIONS.md: exactly one)."""
    return [
        label_of(m["custom"])
        for m in messages
        if isinstance(m.get("custom"), dict) and "section" in m["custom"]
    ]


def known_labels() -> Set[str]:
    """Every label an answer can carry."""
    return (set(load_notice().sections) | ROUTE_LABELS
            | {f"handoff:{kind}" for kind in REQUEST_TYPES})
