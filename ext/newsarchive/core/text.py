"""Text as the archive writes it: ISO calendar dates in pages, Japanese dates for people,
quoted option values."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

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


def quoted(value: str) -> str:
    """A double-quoted option value on one line (whitespace runs collapsed), backslash and
    quote escaped, control characters as ``\\uXXXX`` escapes: the page's source holds no
    control character and MyST reads the value back unchanged."""
    out = ['"']
    for ch in " ".join(value.split()):
        if ch in '"\\':
            out.append("\\" + ch)
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)
