"""Training data, domain and rules: every section reachable, held-out kept apart."""

import re
from collections import Counter

import pytest
import yaml

from core.settings import PROJECT_ROOT
from core.notice import load_notice
from curation.protected import heldout_files, load_questions, protected_texts
from evaluation.screen_sets import CUE_WORDS

MIN_EXAMPLES_PER_SECTION = 40

notice = load_notice()


def training_examples():
    examples = []
    for path in sorted((PROJECT_ROOT / "data" / "nlu").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in data.get("nlu", []):
            if "intent" in block:
                for line in block["examples"].splitlines():
                    if line.strip().startswith("- "):
                        examples.append((block["intent"], line.strip()[2:]))
    return examples


def fold(text):
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


EXAMPLES = training_examples()
INTENT_COUNTS = Counter(intent for intent, _ in EXAMPLES)


@pytest.mark.parametrize("section_id", sorted(notice.sections))
def test_every_section_has_enough_training_examples(section_id):
    assert INTENT_COUNTS[section_id] >= MIN_EXAMPLES_PER_SECTION


def test_every_section_is_an_intent_answered_from_the_notice():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    rules = yaml.safe_load((PROJECT_ROOT / "data/rules/notice.yml").read_text())
    answered = {
        rule["steps"][0]["intent"]
        for rule in rules["rules"]
        if rule["steps"][1] == {"action": "action_answer_from_notice"}
    }
    for section_id in notice.sections:
        assert section_id in domain["intents"]
        assert section_id in answered


def test_no_held_out_question_is_a_training_example():
    training = {fold(text) for _, text in EXAMPLES}
    leaked = [
        text
        for path in heldout_files()
        for text, _ in load_questions(path)
        if fold(text) in training
    ]
    assert leaked == []


def test_no_protected_question_is_a_training_example():
    """Held-out, tuning, disclosure (both sets) and conversation-set texts
    (curation/protected.py) never reach the training data."""
    training = {fold(text) for _, text in EXAMPLES}
    # A follow-up of a few words ("for how long?") is a cue every conversation shares,
    # not a question that could be copied (evaluation/screen_sets.py, CUE_WORDS).
    assert [text for text in protected_texts()
            if len(text.split()) > CUE_WORDS and fold(text) in training] == []


def test_held_out_set_covers_every_section_fifteen_times():
    counts = Counter(s for path in heldout_files() for _, s in load_questions(path))
    for section_id in notice.sections:
        assert counts[section_id] >= 15, section_id


def test_test_stories_are_not_copies_of_training_lines():
    stories = yaml.safe_load((PROJECT_ROOT / "tests/test_stories.yml").read_text())
    training = {fold(text) for _, text in EXAMPLES}
    copied = [
        step["user"].strip()
        for story in stories["stories"]
        for step in story["steps"]
        if "user" in step and fold(step["user"]) in training
    ]
    assert copied == []


def test_no_example_is_labelled_with_two_intents():
    owners = {}
    clashes = []
    for intent, text in EXAMPLES:
        owner = owners.setdefault(fold(text), intent)
        if owner != intent:
            clashes.append((text, owner, intent))
    assert clashes == []
