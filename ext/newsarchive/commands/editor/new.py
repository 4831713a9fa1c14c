"""``newsarchive new``: start the next issue page (and its year page when the year is new)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsarchive.core.cards import parse_issue_date
from newsarchive.core.frontmatter import read_front_matter
from newsarchive.core.sources import issue_path, newest_issue, number_from_name

#: Japan has had no daylight saving time since 1951: the fixed offset is exact when the
#: system has no time zone data.
JST = dt.timezone(dt.timedelta(hours=9), "JST")

ISSUE_TEMPLATE = """\
---
issue: {number}
{follows}date: {date}
title: "Weekly Kaggle News #{number}"
---
# Weekly Kaggle News #{number}

## News

## Competitions
"""

YEAR_TEMPLATE = """\
# {year}年

:::{{issue-list}}
:year: {year}
:::
"""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def tokyo_today() -> dt.date:
    try:
        zone: dt.tzinfo = ZoneInfo("Asia/Tokyo")
    except ZoneInfoNotFoundError:
        zone = JST
    return now().astimezone(zone).date()


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "new",
        help="start the next issue page",
        description=(
            "Create the next issue page (the number after the highest issues/NNNN.md, "
            "today's date in Tokyo) with its front matter and the usual sections, and the "
            "year page if the year is new. Never overwrites a page."
        ),
    )
    parser.add_argument("--dir", default="issues", type=Path, help="issue folder (issues)")
    parser.add_argument(
        "--years-dir", default="docs/years", type=Path, help="year pages (docs/years)"
    )
    parser.add_argument(
        "--date", type=_date, help="the issue's date, YYYY-MM-DD (default: today in Tokyo)"
    )
    parser.add_argument(
        "--number", type=_positive, help="the issue's number (default: the highest plus one)"
    )
    parser.set_defaults(func=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-08-21: {text!r}") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    directory: Path = args.dir
    if not directory.is_dir():
        print(
            f"error: no issue folder {directory}/ (run in the archive, or pass --dir)",
            file=sys.stderr,
        )
        return 2
    newest = newest_issue(directory)
    highest = number_from_name(newest) if newest else None
    number = args.number or (highest or 0) + 1
    day = args.date or tokyo_today()
    if newest is not None and (problem := _not_after(newest, number, day)):
        print(f"error: {problem}; pass --date", file=sys.stderr)
        return 1
    path = issue_path(directory, number)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as stream:
            # A jump in numbers (issues published elsewhere) is declared, so check accepts it.
            follows = f"follows: {highest}\n" if highest and number > highest + 1 else ""
            stream.write(
                ISSUE_TEMPLATE.format(number=number, date=day.isoformat(), follows=follows)
            )
    except FileExistsError:
        print(f"error: {path} already exists; not overwritten", file=sys.stderr)
        return 1
    print(path)
    year_page = args.years_dir / f"{day.year}.md"
    if not year_page.exists():
        year_page.parent.mkdir(parents=True, exist_ok=True)
        year_page.write_text(YEAR_TEMPLATE.format(year=day.year), encoding="utf-8")
        print(year_page)
    return 0


def _not_after(newest: Path, number: int, day: dt.date) -> str | None:
    """Why ``day`` cannot be issue ``number``'s date, given the newest issue so far."""
    latest = number_from_name(newest)
    data = read_front_matter(newest) or {}
    latest_day = parse_issue_date(data.get("date"))
    if latest is None or latest_day is None or number <= latest or day > latest_day:
        return None
    return f"#{number} would be dated {day}, not after #{latest} ({latest_day})"
