"""The questions that must never be trained on, where they are kept, and how they read.

Held-out questions, tuning questions, the safeguarding disclosures and calm sentences,
the disclosure sets by kind of harm and their near misses, and every turn of the
conversation, long-message, silent and vocabulary sets. The
scoring tools (evaluation/) read the same files through these loaders.
"""

from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

import yaml

from core.settings import PROJECT_ROOT
from curation.reviews import fold

HELDOUT_DIR = PROJECT_ROOT / "tests" / "heldout"
TUNING_QUESTIONS = PROJECT_ROOT / "evaluation" / "tuning_questions.yml"
SAFEGUARDING_SETS = PROJECT_ROOT / "tests" / "safeguarding"
# Disclosure sets by kind of harm, with near misses (evaluation/disclosure_sets.py).
DISCLOSURE_SETS = PROJECT_ROOT / "evaluation" / "disclosure_sets"
TEST_SETS = PROJECT_ROOT / "tests" / "conversations"
TUNING_SETS = PROJECT_ROOT / "evaluation" / "tuning_conversations"
# Written after the test sets had been seen three times; kept unseen (their misses are
# not read) to measure a session's changes honestly (docs/testing.md).
UNSEEN_SETS = PROJECT_ROOT / "evaluation" / "unseen_sets"
FILES = {
    "conversations": "conversations.yml",
    "long": "long_messages.yml",
    "silent": "silent_questions.yml",
    "vocabulary": "policy_vocabulary.yml",
}


def load_questions(path: Path) -> List[Tuple[str, str]]:
    """(question, expected section) pairs from a `questions:` mapping."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return [
        (str(text), section)
        for section, texts in data["questions"].items()
        for text in texts
    ]


def heldout_files() -> List[Path]:
    return sorted(HELDOUT_DIR.glob("*.yml"))


def load_set(directory: Path, name: str) -> List[Dict[str, Any]]:
    """The items of one set file of a folder (FILES); none when the folder lacks it."""
    path = directory / FILES[name]
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    key = {"conversations": "conversations", "long": "messages"}.get(name, "questions")
    return list(data.get(key) or [])


def protected_texts() -> List[str]:
    """Held-out, disclosure and tuning questions, as written: never training data."""
    texts = [t for p in heldout_files() for t, _ in load_questions(p)]
    texts += [t for t, _ in load_questions(TUNING_QUESTIONS)]
    for path in sorted(SAFEGUARDING_SETS.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += content["disclosures"] + content.get("not_disclosures", [])
    for path in sorted(DISCLOSURE_SETS.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [str(item["text"]) for key in ("disclosures", "near_misses")
                  for item in content.get(key) or []]
    return texts + conversation_set_texts()


def conversation_set_texts() -> List[str]:
    """Every question of the conversation, long-message, silent and vocabulary sets
    (tests/conversations/, evaluation/tuning_conversations/, evaluation/unseen_sets/), as
    written."""
    texts: List[str] = []
    for folder in (TEST_SETS, TUNING_SETS, UNSEEN_SETS):
        for conversation in load_set(folder, "conversations"):
            texts += [str(t["text"]) for t in conversation["turns"]
                      if t.get("kind") not in ("form", "form_resume", "closing")]
        for name in ("long", "silent", "vocabulary"):
            texts += [str(item["text"]) for item in load_set(folder, name)]
    return texts


def protected_questions() -> Set[str]:
    """The protected texts, folded for comparison."""
    return {fold(t) for t in protected_texts()}
