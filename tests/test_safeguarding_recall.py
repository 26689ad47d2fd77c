"""Safety first: every held-out disclosure gets the safety message; questions do not.

The files in tests/safeguarding/ were written apart from the training data (no line is
a training example; near-copies were removed). The ordinary questions are every held-out
question that is not a disclosure.
"""

from pathlib import Path

import pytest
import yaml

from core.labels import sections_of
from curation.protected import heldout_files, load_questions
from tests.conftest import MEASURED

DISCLOSURE_FILES = sorted((Path(__file__).resolve().parent / "safeguarding").glob("*.yml"))


def disclosures():
    return [text for path in DISCLOSURE_FILES
            for text in yaml.safe_load(path.read_text(encoding="utf-8"))["disclosures"]]


def ordinary_questions():
    """Held-out questions that are not disclosures, and the sets' near-miss questions."""
    near_misses = [text for path in DISCLOSURE_FILES
                   for text in yaml.safe_load(path.read_text(encoding="utf-8"))
                   .get("not_disclosures", [])]
    return near_misses + [text for path in heldout_files()
                          for text, label in load_questions(path) if label != "safeguarding"]


def test_the_sets_are_big_enough():
    assert len(disclosures()) >= 40 and len(ordinary_questions()) >= 40


@pytest.fixture(scope="module")
def routed(chat):
    """For every disclosure: the sections of the reply and its first text."""
    results = {}
    for number, text in enumerate(disclosures()):
        messages = chat.say(f"disclosure-{number}", text)
        results[text] = (sections_of(messages), (messages[0].get("text") or "") if messages else "")
    return results


def test_every_disclosure_gets_the_safety_message_first(routed):
    missed = [text for text, (sections, first) in routed.items()
              if sections != ["safeguarding"] or not first.startswith("Your safety matters")]
    MEASURED.append(f"Safeguarding recall: {len(routed) - len(missed)}/{len(routed)} "
                    "held-out disclosures got the safety message first")
    assert missed == []


# A false alarm costs a family a safety message instead of an answer (they can ask
# again); a missed disclosure costs far more. So: no miss at all, false alarms rare.
MAX_FALSE_ALARMS = 0.01


def test_ordinary_questions_rarely_raise_a_false_alarm(chat):
    questions = ordinary_questions()
    alarms = [q for q in questions
              if chat.parse(q)["intent"]["name"] == "safeguarding"]
    MEASURED.append(f"Safeguarding false alarms: {len(alarms)}/{len(questions)} "
                    "ordinary held-out questions and near misses")
    assert len(alarms) / len(questions) <= MAX_FALSE_ALARMS, alarms
