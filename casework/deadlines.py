"""When a case is due, by the rule configured for its request type.

A UK GDPR rights request is due one calendar month after receipt: counting from the day
after receipt to the corresponding date of the next month, or that month's last day if
it has no such date (the ICO's guidance). A deadline on a weekend moves to the Monday.
Bank holidays are not known here: officers see the due date and can act earlier.
"""

import calendar
from datetime import date, datetime, timedelta
from typing import Any, Union
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def received_date(received: datetime) -> date:
    return received.astimezone(LONDON).date()


def next_working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def one_calendar_month_after(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_working_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def due_date(rule: Union[str, dict], received: datetime) -> date:
    """The due date for a rule from settings (`requests.<type>.deadline`)."""
    day = received_date(received)
    if rule == "same_day":
        return day
    if rule == "one_calendar_month":
        return next_working_day(one_calendar_month_after(day))
    if isinstance(rule, dict) and isinstance(rule.get("working_days"), int):
        return add_working_days(day, rule["working_days"])
    raise ValueError(f"unknown deadline rule {rule!r} in settings (requests.*.deadline)")


def describe(rule: Any) -> str:
    """The time limit in plain words, for the family."""
    if rule == "same_day":
        return "today"
    if rule == "one_calendar_month":
        return "within one calendar month"
    return f"within {rule['working_days']} working days"
