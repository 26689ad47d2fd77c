"""The held-out questions, end to end: the right section for almost every one."""

from pathlib import Path

import pytest

from curation.protected import heldout_files, load_questions
from evaluation.heldout import score_agent
from tests.conftest import MEASURED

MIN_OVERALL = 0.95
MIN_PER_SECTION = 0.90  # issue 4: 90% for every section and route
# Of the requests that reach an officer, how many with the right type; the family sees
# the type confirmed in plain words (and the officer reads the whole conversation).
MIN_REQUEST_TYPE = 0.90
REPORT = Path(__file__).resolve().parent.parent / "results" / "heldout_score.txt"


@pytest.fixture(scope="module")
def score(chat):
    questions = [q for path in heldout_files() for q in load_questions(path)]
    result = chat.loop.run_until_complete(score_agent(chat.agent, questions))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(result.table() + "\n\nMisses:\n" + result.misses() + "\n")
    MEASURED.append(f"Held-out section accuracy (also in {REPORT}):\n{result.table()}")
    return result


def test_every_turn_keeps_the_contract(score):
    assert score.contract_breaches() == []


def test_overall_section_accuracy(score):
    assert score.accuracy >= MIN_OVERALL, score.table()


def test_accuracy_of_every_section_and_route(score):
    weak = {
        section: f"{right}/{total}"
        for section, (right, total) in score.per_route().items()
        if right / total < MIN_PER_SECTION
    }
    assert weak == {}, score.misses()


def test_requests_get_the_right_type(score):
    right, total = score.request_types()
    assert total > 0 and right / total >= MIN_REQUEST_TYPE, score.table()
