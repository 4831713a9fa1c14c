"""Page weight of the real book, served gzipped on 127.0.0.1 as a static host serves it.

Bytes, not times: Chromium opens the pages (``tests/bench/weight.py``) and the server counts
what it sends, headers and bodies. A first visit to an issue page stays within 250 KB, and
every other kind of page opened after it (home, another issue, a tag page, the overview, the
link finder, search) within 60 KB, at phone and desktop width. The pages show only the icons
of the cut-down icon font, and load no script of the theme's that the book does not run.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bench.weight import FIRST_VISIT_LIMIT, LATER_PAGE_LIMIT, PAGES, WIDTHS, measure
from fontTools.ttLib import TTFont
from newsarchive.sphinxext.assets import ICON_FONT, ICONS, THEME_FONT

pytestmark = pytest.mark.browser

#: Font Awesome classes that style an icon rather than name one.
STYLES = frozenset({"fa-solid", "fa-lg", "fa-fw"})
#: Scripts and files no page of the book should load any more.
UNUSED = ("fontawesome.js", "searchtools.js", "language_data.js", "searchindex.js")


def pages(html: Path) -> list[Path]:
    return [
        path
        for path in sorted(html.rglob("*.html"))
        if not path.relative_to(html).parts[0].startswith("_")
    ]


@pytest.fixture(scope="module")
def weights(real_book):
    """Measured by a Chromium of its own that resolves no host but 127.0.0.1 (the session's
    browser keeps the internet out by routing, which turns the HTTP cache off), started in a
    thread of its own (Playwright's sync API refuses a thread that already runs one)."""
    assert real_book.returncode == 0, real_book.log[-3000:]
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(measure, real_book.html).result()


def test_a_first_visit_to_an_issue_page_is_at_most_250_kb(weights):
    assert set(weights) == set(WIDTHS)
    for width, (first, _) in weights.items():
        assert first.path == PAGES["issue"]
        assert 10_000 < first.sent <= FIRST_VISIT_LIMIT, f"{width}: {first.heaviest()}"
        fetched = {path.split("?")[0] for path, _ in first.files}
        assert "/" + ICON_FONT in fetched and "/" + THEME_FONT not in fetched


def test_every_later_page_is_at_most_60_kb(weights):
    for width, (_, later) in weights.items():
        assert {visit.path for visit in later} >= set(PAGES.values()) - {PAGES["issue"]}
        for visit in later:
            assert 1_000 < visit.sent <= LATER_PAGE_LIMIT, f"{width}: {visit.heaviest()}"


def test_pages_show_only_the_icons_of_the_cut_down_font(real_book):
    html = real_book.html
    shown: set[str] = set()
    classes = re.compile(r'class="((?:[^"]*\s)?fa-[^"]*)"')
    for path in pages(html):
        text = path.read_text(encoding="utf-8")
        for found in classes.finditer(text):
            names = {name for name in found[1].split() if name.startswith("fa-")}
            assert "fa-solid" in names, f"{path}: {found[0]} (only the solid font is cut down)"
            shown |= names - STYLES
        for unused in UNUSED:
            assert unused not in text, f"{path} loads {unused}"
    # The theme's scripts draw icons too (the search dialog's close button).
    for script in ("pydata-sphinx-theme.js", "sphinx-book-theme.js"):
        text = (html / "_static" / "scripts" / script).read_text(encoding="utf-8")
        shown |= set(re.findall(r"fa-[a-z-]+", text)) - STYLES
    names = {name.removeprefix("fa-") for name in shown}
    assert names and names <= set(ICONS), sorted(names - set(ICONS))
    # The font has each icon, at the code point the theme's CSS draws it from.
    css = (html / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    font = TTFont(html / ICON_FONT)
    for name, point in ICONS.items():
        rule = re.search(rf'\.fa-{name}[,{{][^}}]*--fa:"\\([0-9a-f]+)"', css)
        assert rule and int(rule[1], 16) == point, name
        assert point in font.getBestCmap(), name
    assert (html / ICON_FONT).stat().st_size < 5_000
