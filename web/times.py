"""Times as an officer reads them: plain, in the council's own time zone
(`web.time_zone`), not ISO strings in UTC."""

from datetime import date, datetime, timezone, tzinfo
from functools import lru_cache
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.settings import load_settings


@lru_cache(maxsize=None)
def council_zone() -> tzinfo:
    try:
        return ZoneInfo(load_settings()["web"].get("time_zone", "Europe/London"))
    except ZoneInfoNotFoundError:  # a machine without the time zone database
        return timezone.utc


def local_time(value: Optional[str]) -> str:
    """'2026-12-01T07:57:16.812130+00:00' -> 'Tue 1 Dec 2026, 07:57'."""
    if not value:
        return "–"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(council_zone())
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def local_day(value: Optional[str]) -> str:
    """'2026-12-25' -> 'Fri 25 Dec 2026'."""
    if not value:
        return "–"
    day = date.fromisoformat(value[:10])
    return f"{day:%a} {day.day} {day:%b %Y}"
