"""The case store: one case per submission, the queue's order, take, note, close."""

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from casework.cases import OUTCOMES, CaseConflict, CaseError, CaseNotFound
from casework.tables import cases, outbox
from processes.servers import free_port
from tests.casework_support import new_case, store_in

WHEN = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path):
    return store_in(tmp_path, free_port())


def count(store, table):
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_a_case_gets_a_readable_reference_a_due_date_and_its_mail(store):
    case = store.open_case(new_case(contact_name="Sam", contact_detail="sam@example.com",
                                    contact_kind="email", relationship="parent",
                                    contact_consent=True), now=WHEN)
    assert case["reference"] == f"CS-2026-{case['id']:06d}"
    assert case["due_date"] == "2026-12-25"
    assert case["status"] == "open" and case["priority_name"] == "normal"
    assert case["contact_detail"] == "sam@example.com"
    assert case["transcript"][0]["text"] == "send me my file"
    assert count(store, outbox) == 1


def test_the_same_submission_makes_one_case_and_one_mail(store):
    first = store.open_case(new_case("conv-1:same"))
    second = store.open_case(new_case("conv-1:same"))
    assert first["reference"] == second["reference"]
    assert count(store, cases) == 1 and count(store, outbox) == 1


def test_the_team_mail_holds_no_personal_details(store):
    store.open_case(new_case(contact_name="Sam Smith", contact_detail="sam@example.com"))
    with store.engine.connect() as conn:
        mail = conn.execute(select(outbox)).first()
    assert "Sam" not in mail.body and "sam@example.com" not in mail.body
    assert "send me my file" not in mail.body
    assert "/officer/cases/CS-" in mail.body


def test_the_queue_is_ordered_by_priority_then_due_date(store):
    store.open_case(new_case("a:1", request="access"), now=WHEN)
    store.open_case(new_case("b:1", request="human"), now=WHEN)          # 2 working days
    store.open_case(new_case("c:1", request="safeguarding"), now=WHEN)   # urgent
    store.open_case(new_case("d:1", request="complaint"), now=WHEN)      # high
    order = [c["request"] for c in store.list_cases()]
    assert order == ["safeguarding", "complaint", "human", "access"]
    assert all("transcript" not in c for c in store.list_cases())


def test_a_request_after_a_safety_concern_is_urgent(store):
    case = store.open_case(new_case("e:1", request="human", urgent=True), now=WHEN)
    assert case["priority_name"] == "urgent" and case["due_date"] == "2026-11-25"


def test_take_note_and_close(store):
    reference = store.open_case(new_case())["reference"]
    assert store.take(reference, "alex")["status"] == "in_progress"
    case = store.add_note(reference, "alex", "Rang back; ID checked.")
    assert case["notes"][-1]["author"] == "alex"
    closed = store.close(reference, "alex", "completed", "Sent by secure email.")
    assert closed["status"] == "closed" and closed["closed_at"]
    # Every status change is signed and kept, beside the notes: an audit trail.
    assert [(n["author"], n["text"]) for n in closed["notes"]] == [
        ("alex", "Took the case."), ("alex", "Rang back; ID checked."),
        ("alex", "Closed the case: completed. Sent by secure email.")]
    assert store.list_cases() == [] and len(store.list_cases("closed")) == 1
    with pytest.raises(CaseConflict):
        store.take(reference, "sam")


def test_bad_changes_are_clear_errors(store):
    reference = store.open_case(new_case())["reference"]
    with pytest.raises(CaseNotFound):
        store.get("CS-2026-999999")
    with pytest.raises(CaseError, match="outcome must be one of"):
        store.close(reference, "alex", "lost it")
    with pytest.raises(CaseError, match="needs some text"):
        store.add_note(reference, "alex", "   ")
    with pytest.raises(CaseError, match="unknown status"):
        store.list_cases("nonsense")


def line(text, at):
    return {"from": "family", "text": text, "at": at}


def test_a_transcript_is_only_ever_appended_to(store):
    reference = store.open_case(new_case("s:safeguarding", request="safeguarding"))["reference"]
    first = [line("a", "t1"), line("b", "t2")]
    assert store.add_to_transcript(reference, first) == 2
    assert store.add_to_transcript(reference, first + [line("c", "t3")]) == 1
    # After "Forget this conversation" the conversation starts again, shorter: the lines
    # the case holds stay, and the new ones come after them.
    assert store.add_to_transcript(reference, [line("d", "t9")]) == 1
    texts = [entry["text"] for entry in store.get(reference)["transcript"]]
    assert texts == ["send me my file", "a", "b", "c", "d"]
    with store.engine.connect() as conn:
        stored = conn.execute(select(cases.c.transcript)).scalar()
    assert json.loads(stored)[-1]["text"] == "d"


def test_a_repeat_disclosure_adds_to_the_open_alert_and_reopens_a_closed_one(store):
    def disclosure(*lines):
        return new_case("conv-9:safeguarding", request="safeguarding", transcript=list(lines))

    assert store.record_disclosure(disclosure(line("he hits me", "t1")), now=WHEN) == "opened"
    assert store.record_disclosure(
        disclosure(line("he hits me", "t1"), line("he did it again", "t2"))) == "added"
    assert count(store, cases) == 1 and count(store, outbox) == 1  # one alert, one mail
    [case] = store.list_cases("all")
    assert [n["text"] for n in store.get(case["reference"])["notes"]] == [
        "A further message of concern in the same conversation: see the transcript."]

    store.close(case["reference"], "alex", OUTCOMES[0])
    assert store.record_disclosure(disclosure(line("he is back", "t7"))) == "reopened"
    reopened = store.get(case["reference"])
    assert reopened["status"] == "open" and reopened["outcome"] is None
    assert [t["text"] for t in reopened["transcript"]][-3:] == [
        "he hits me", "he did it again", "he is back"]
    assert reopened["notes"][-1]["text"].startswith("Reopened: a new message of concern")
    with store.engine.connect() as conn:
        subjects = [row.subject for row in conn.execute(select(outbox).order_by(outbox.c.id))]
    assert len(subjects) == 2 and subjects[1].startswith("URGENT: case ")
    assert "reopened" in subjects[1]
    assert count(store, cases) == 1
