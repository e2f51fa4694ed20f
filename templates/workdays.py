"""Working days in Vietnam: weekends and public holidays (the lunar Tết included) do not count.

The regulation gives "within 7 working days after the dialogue" for a notice of conclusions.
Holidays come from the maintained ``holidays`` package, which computes the lunar dates.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

__all__ = ["add_working_days", "holiday_name", "is_working_day"]


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language="vi")


def holiday_name(day: date) -> str | None:
    return _calendar(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _calendar(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current
