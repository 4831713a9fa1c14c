"""Dates as the archive writes them: ISO calendar dates in pages, Japanese dates for people."""

from __future__ import annotations

import datetime as dt
import re

WEEKDAYS = "月火水木金土日"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def japanese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def iso_date(value: str) -> dt.date | None:
    """``value`` as a calendar date written YYYY-MM-DD (no week dates, no times)."""
    if not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
