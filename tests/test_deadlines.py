"""Due dates: one calendar month for rights requests (ICO), working days, same day."""

from datetime import date, datetime, timezone

import pytest

from casework.deadlines import add_working_days, describe, due_date


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=timezone.utc)


@pytest.mark.parametrize("received, due", [
    ("2026-09-03", "2026-10-05"),   # 3 Oct 2026 is a Saturday: the Monday after
    ("2026-11-25", "2026-12-25"),   # a Friday (bank holidays are not known here)
    ("2025-01-31", "2025-02-28"),   # no 31 February: the month's last day
    ("2028-01-31", "2028-02-29"),   # leap year
    ("2026-12-15", "2027-01-15"),   # across the year
])
def test_a_rights_request_is_due_one_calendar_month_later(received, due):
    assert due_date("one_calendar_month", at(received)) == date.fromisoformat(due)


def test_the_date_of_receipt_is_taken_in_uk_time():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    received = datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc)
    assert due_date("one_calendar_month", received) == date(2026, 8, 3)  # 1 Aug: Sat


def test_working_days_skip_weekends():
    assert add_working_days(date(2026, 11, 27), 2) == date(2026, 12, 1)  # Fri -> Tue
    assert due_date({"working_days": 20}, at("2026-11-25")) == date(2026, 12, 23)


def test_safeguarding_is_due_the_same_day():
    assert due_date("same_day", at("2026-11-28")) == date(2026, 11, 28)


def test_an_unknown_rule_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown deadline rule"):
        due_date("fortnight", at("2026-11-25"))


def test_the_time_limit_is_described_in_plain_words():
    assert describe("one_calendar_month") == "within one calendar month"
    assert describe({"working_days": 2}) == "within 2 working days"
