"""The notice-change check on a changed copy of the notice."""

import subprocess
import sys

import yaml

from core.settings import PROJECT_ROOT
from core.notice import NOTICE_DATA_FILE, find_last_updated
from reporting.notice_check import NOTICE_TEXT, check, render

OLD = NOTICE_TEXT.read_text(encoding="utf-8")
DATA = yaml.safe_load(NOTICE_DATA_FILE.read_text(encoding="utf-8"))
REMOVED = "We may also receive information from your family and friends and members of the public."


def changed_notice():
    new = OLD.replace(REMOVED, "")
    new = new.replace("  • Police\n", "  • Police\n  • Housing associations\n")
    return new.replace(f"last updated in {find_last_updated(OLD)}", "last updated in March 2026")


def test_an_unchanged_notice_needs_no_review():
    result = check(OLD, OLD, DATA)
    assert not result.changed_parts and not result.broken_quotes and not result.uncovered
    assert not result.answers_need_updating


def test_a_changed_notice_shows_each_change_where_it_is():
    result = check(OLD, changed_notice(), DATA)
    assert (result.old_date, result.new_date) == (find_last_updated(OLD), "March 2026")
    changed = dict(result.changed_parts)
    assert f"[-{REMOVED}-]" in changed["Who provides this information"]
    assert "{+• Housing associations+}" in changed["Who we share your information with"]
    assert "{+March 2026.+}" in changed["Changes to this privacy notice"]
    assert ("sources", REMOVED) in result.broken_quotes
    [(heading, sentence, sections)] = result.uncovered
    assert sentence == "Housing associations" and "sharing" in sections
    assert result.answers_need_updating
    report = render(result)
    assert "REVIEW NEEDED" in report and "March 2026" in report


def test_the_changes_answer_follows_the_new_date():
    from core.notice import parse_notice

    notice = parse_notice(DATA, changed_notice())
    assert "March 2026" in notice.section("changes").answer


def test_the_command_exits_1_when_answers_need_updating_and_2_on_bad_input(tmp_path):
    new = tmp_path / "new.txt"
    new.write_text(changed_notice(), encoding="utf-8")
    run = [sys.executable, "-m", "reporting.notice_check"]
    result = subprocess.run(run + [str(new)], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "Housing associations" in result.stdout
    same = tmp_path / "same.txt"
    same.write_text(OLD, encoding="utf-8")
    assert subprocess.run(run + [str(same)], cwd=PROJECT_ROOT).returncode == 0
    missing = subprocess.run(run + [str(tmp_path / "nope.txt")], cwd=PROJECT_ROOT,
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "no such file" in missing.stderr
