"""core/text.py: quoted option values read back by MyST as written; dates."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from newsarchive.core.sources import parse_page
from newsarchive.core.text import iso_date, japanese_date, quoted

VALUES = [
    "plain",
    "X and Y: letters are never escaped",
    'a "quoted" word',
    "back\\slash and \\u0041 as written",
    "tab\tand  two spaces\n and a line break",
    "bell\x07 and escape\x1b in a title",
    "日本語のタイトル（全角）",
    "",
]


@pytest.mark.parametrize("value", VALUES)
def test_a_quoted_value_reads_back_as_written(value):
    text = quoted(value)
    assert text.startswith('"') and text.endswith('"') and "\n" not in text
    assert not any(unicodedata.category(ch) == "Cc" for ch in text)
    page = parse_page(f":::{{link}} https://example.com/\n:title: {text}\n:::\n", Path("x.md"))
    (card,) = page.cards
    assert card.options["title"] == " ".join(value.split())


def test_quoted_escapes_only_what_it_must():
    assert quoted('X"\\\x07y') == '"X\\"\\\\\\u0007y"'


def test_iso_dates_only():
    assert iso_date("2023-01-06") == dt.date(2023, 1, 6)
    for value in ("2023-1-6", "2023-02-30", "2023-W01", "2023-01-06T00:00", " 2023-01-06", ""):
        assert iso_date(value) is None, value


def test_japanese_date_has_its_weekday():
    assert japanese_date(dt.date(2023, 1, 6)) == "2023年1月6日（金）"
    assert japanese_date(dt.date(2023, 1, 8)) == "2023年1月8日（日）"
