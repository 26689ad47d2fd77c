"""Conversations through the trained assistant: follow-ups, wording, specific answers."""

import subprocess
import sys

import pytest

from core.settings import PROJECT_ROOT


def texts(messages):
    return " ".join(m.get("text", "") for m in messages)


def custom(messages):
    [payload] = [m["custom"] for m in messages if "custom" in m]
    return payload


def test_the_sharing_question_of_the_readme(chat):
    messages = chat.say("readme", "who do you share my data with")
    assert custom(messages)["section"] == "sharing"
    assert "Source: privacy notice, “Who we share your information with”" in texts(messages)
    buttons = [b for m in messages for b in m.get("buttons", [])]
    assert buttons[0]["title"] == "Show the exact wording"


def test_a_follow_up_and_the_exact_wording(chat):
    assert chat.section("follow", "who do u share my stuff with") == "sharing"
    assert chat.section("follow", "and how long do you keep it?") == "retention"
    messages = chat.say("follow", "show me the exact wording")
    assert custom(messages) == {
        "section": "retention",
        "title": "How long will we keep your personal information for",
        "wording": True,
    }
    assert "retention schedule - and appropriate action will be taken" in texts(messages)


def test_the_wording_button_quotes_its_section(chat):
    messages = chat.say("button", '/show_wording{"section":"storage"}')
    assert custom(messages)["section"] == "storage"
    assert "known as Liquid Logic and Synergy" in texts(messages)


@pytest.mark.parametrize(
    "question,section,expected",
    [
        ("do you share with the police?", "sharing", "The notice lists the police"),
        ("will my GP be told?", "sharing", "the NHS and other health agencies"),
        ("do you share with my employer?", "sharing", "does not mention your employer"),
        ("do you keep my religion?", "special_category", "religious or philosophical"),
    ],
)
def test_specific_questions_get_specific_answers(chat, question, section, expected):
    messages = chat.say(f"specific-{question}", question)
    assert custom(messages)["section"] == section
    assert expected in texts(messages)


def test_a_disclosure_gets_the_safety_message_not_a_notice_answer(chat):
    messages = chat.say("safety", "do you share stuff with the police, my stepdad hits me")
    assert custom(messages)["section"] == "safeguarding"
    assert "999" in texts(messages)
    assert "Source:" not in texts(messages)


def test_other_council_services_are_out_of_scope(chat):
    assert chat.section("oos", "when do the bins get collected") == "out_of_scope"


def test_a_topic_button_from_the_clarifying_question_answers_it(chat):
    assert chat.section("clarify", "/retention") == "retention"


def test_an_unclear_message_gets_the_clarifying_question(chat):
    messages = chat.say("unclear", "hmm")
    payload = custom(messages)
    assert payload["section"] in {"fallback", "chitchat", "out_of_scope"}
    if payload["section"] == "fallback":
        assert len([b for m in messages for b in m.get("buttons", [])]) <= 3


def test_rasa_test_stories_pass(trained_model, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core",
         "--stories", "tests/test_stories.yml", "--model", str(trained_model),
         "--fail-on-prediction-errors", "--out", str(tmp_path), "--no-plot"],
        cwd=PROJECT_ROOT, capture_output=True, text=True,
    )
    failed = (tmp_path / "failed_test_stories.yml")
    detail = failed.read_text() if failed.exists() else result.stdout[-3000:]
    assert result.returncode == 0, detail
