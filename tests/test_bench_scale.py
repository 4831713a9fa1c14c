"""The scale benchmark's source trees: the real issues repeated and renumbered."""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
from newsarchive.core.frontmatter import judge_front_matter

from tests.bench.generate import REPO
from tests.bench.scale import (
    REAL_ISSUES,
    Query,
    like_for_like,
    original_of,
    report,
    scaled_date,
    scaled_sources,
)

SIZE = 350
CARD = re.compile(r"^:::\{link\} (\S+)$", re.M)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scaled_sources(SIZE, tmp_path_factory.mktemp("scale") / "book")


def test_copies_the_real_sources_and_renumbers_the_rest(tree: Path) -> None:
    pages = sorted(p.name for p in (tree / "issues").glob("*.md"))
    assert pages == [f"{n:04d}.md" for n in range(1, SIZE + 1)]
    assert not (tree / "issues" / "revue").exists()
    assert (tree / "index.md").read_bytes() == (REPO / "index.md").read_bytes()
    for n in (1, 100, REAL_ISSUES):
        name = f"issues/{n:04d}.md"
        assert (tree / name).read_bytes() == (REPO / name).read_bytes()
    assert (tree / "docs" / "conf.py").exists()
    assert not (tree / "docs" / "benchmarks").exists()


def test_front_matter_of_every_copy_is_valid_and_renumbered(tree: Path) -> None:
    dates = []
    for n in range(REAL_ISSUES + 1, SIZE + 1):
        text = (tree / "issues" / f"{n:04d}.md").read_text(encoding="utf-8")
        matter, findings = judge_front_matter(text)
        assert findings == [], (n, findings)
        assert matter.number == n
        assert matter.title == f"Weekly Kaggle News #{n}"
        assert matter.source == f"https://weeklykagglenews.substack.com/p/weekly-kaggle-news-{n}"
        assert re.search(rf"^# Weekly Kaggle News #{n}$", text, re.M)
        assert text.count("\n# ") == 1
        assert matter.date is not None
        dates.append(matter.date)
    assert dates[0] == dt.date(2023, 1, 6)
    assert all(b - a == dt.timedelta(days=7) for a, b in itertools.pairwise(dates))


def test_copy_keeps_its_originals_body(tree: Path) -> None:
    for n in (160, 318, 319, SIZE):
        copy = (tree / "issues" / f"{n:04d}.md").read_text(encoding="utf-8")
        source = (REPO / "issues" / f"{original_of(n):04d}.md").read_text(encoding="utf-8")
        assert (
            copy.split("\n# ", 1)[1].split("\n", 1)[1]
            == source.split("\n# ", 1)[1].split("\n", 1)[1]
        )
    assert original_of(160) == 1 and original_of(318) == 159 and original_of(319) == 1


def test_year_pages_for_every_new_year(tree: Path) -> None:
    years = {scaled_date(n).year for n in range(REAL_ISSUES + 1, SIZE + 1)}
    assert years == set(range(2023, scaled_date(SIZE).year + 1))
    shape = (REPO / "docs" / "years" / "2022.md").read_text(encoding="utf-8")
    for year in years:
        page = (tree / "docs" / "years" / f"{year}.md").read_text(encoding="utf-8")
        assert page == shape.replace("2022", str(year))


def test_every_card_of_the_originals_appears_n_over_159_times(tree: Path) -> None:
    real = collections.Counter(
        url
        for n in range(1, REAL_ISSUES + 1)
        for url in CARD.findall((REPO / "issues" / f"{n:04d}.md").read_text(encoding="utf-8"))
    )
    scaled = collections.Counter(
        url
        for path in (tree / "issues").glob("*.md")
        for url in CARD.findall(path.read_text(encoding="utf-8"))
    )
    assert real
    full, extra = divmod(SIZE, REAL_ISSUES)
    # issues 1..extra are copied once more than the others
    expected: collections.Counter[str] = collections.Counter()
    for n in range(1, REAL_ISSUES + 1):
        text = (REPO / "issues" / f"{n:04d}.md").read_text(encoding="utf-8")
        for url in CARD.findall(text):
            expected[url] += full + (n <= extra)
    assert extra
    assert scaled == expected


def _measure(query: str, kilobytes: float, issues: int) -> Query:
    return Query(query, kilobytes, 100.0, 1.0, issues)


def test_ratios_compare_queries_showing_as_many_issues_apart_from_those_showing_more() -> None:
    base = [_measure("a", 40, 10), _measure("b", 30, 10), _measure("c", 20, 5)]
    larger = {1000: [_measure("a", 44, 10), _measure("b", 36, 10), _measure("c", 29, 10)]}
    text = like_for_like(base, larger)
    assert text == (
        "At 1000: median KB 1.20 times the 159-issue median;"
        " of the 2 queries showing as many issues at both sizes, the most is 1.20 times (b);"
        " 1 show more issues: c 5 → 10 issues, 1.45 times."
    )


def test_the_report_gives_every_query_with_its_issues_shown_at_every_size() -> None:
    base = [_measure("a", 40, 10), _measure("c", 20, 5)]
    larger = [_measure("a", 44, 10), _measure("c", 29, 10)]
    text = report("Run", {}, {159: (base, None), 1000: (larger, None)})
    assert "| c | 20 (5) | 29 (10) | 1.45 | 1.00 | 100 |" in text
    assert "| a | 40 (10) | 44 (10) | 1.10 | 1.00 | 100 |" in text
    assert text.index("| c |") < text.index("| a |")  # the highest ratio first
    assert like_for_like(base, {1000: larger}) in text
