"""The regression report: staff question files, the HTML page, and the release gate."""

import subprocess
import sys

import pytest

from core.settings import PROJECT_ROOT
from reporting.question_files import QuestionFileError, load_question_file


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_csv_tsv_and_yaml_question_files_are_read(tmp_path):
    csv_file = write(tmp_path, "q.csv", "question,expected\n"
                     "who do you share it with,sharing\n\n\"i want, a human\",handoff:human\n")
    assert load_question_file(csv_file) == [("who do you share it with", "sharing"),
                                            ("i want, a human", "handoff:human")]
    tsv_file = write(tmp_path, "q.tsv", "expected\tquestion\nretention\thow long\n")
    assert load_question_file(tsv_file) == [("how long", "retention")]
    yaml_file = write(tmp_path, "q.yml", "questions:\n  rights:\n  - what are my rights\n")
    assert load_question_file(yaml_file) == [("what are my rights", "rights")]


@pytest.mark.parametrize("name, content, problem", [
    ("q.csv", "text,label\nhi,chitchat\n", "must name the columns"),
    ("q.csv", "question,expected\nhi,greeting\n", "line 2: unknown section or route"),
    ("q.csv", "question,expected\n,sharing\n", "line 2: the question is empty"),
    ("q.yml", "questions:\n  nonsense:\n  - hi\n", "unknown section or route"),
    ("q.yml", "- just a list\n", "questions:"),
    ("q.txt", "hi", "use a .csv"),
    ("q.csv", "question,expected\n", "no questions"),
])
def test_bad_question_files_say_where_and_why(tmp_path, name, content, problem):
    with pytest.raises(QuestionFileError, match=problem):
        load_question_file(write(tmp_path, name, content))


def run_report(*args):
    return subprocess.run([sys.executable, "-m", "reporting.regression", *args],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)


def test_the_report_is_written_and_gates_a_release(trained_model, tmp_path):
    questions = write(tmp_path, "staff.csv", "question,expected\n"
                      "who do you pass my details to,sharing\n"
                      "how long do you hang on to my file,retention\n"
                      "i'd like to see what you've written about my son,handoff:access\n")
    out = tmp_path / "report"
    passed = run_report(str(questions), "--no-heldout", "--out", str(out),
                        "--model", str(trained_model), "--min-accuracy", "0")
    assert passed.returncode == 0, passed.stderr[-2000:]
    assert "questions answered from the expected section" in passed.stdout
    page = (out / "report.html").read_text(encoding="utf-8")
    for part in ("Accuracy per section", "confusion.png", "Every miss", "Every answer",
                 "who do you pass my details to", "Grade"):
        assert part in page
    assert (out / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    failed = run_report(str(questions), "--no-heldout", "--out", str(out),
                        "--model", str(trained_model), "--min-accuracy", "1.01")
    assert failed.returncode == 1 and "FAIL" in failed.stdout


def test_a_bad_file_stops_the_report_with_a_clear_message(trained_model, tmp_path):
    bad = write(tmp_path, "bad.csv", "question,expected\nhello,not_a_section\n")
    result = run_report(str(bad), "--out", str(tmp_path / "r"), "--model", str(trained_model))
    assert result.returncode == 2 and "unknown section or route" in result.stderr
