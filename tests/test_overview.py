"""The overview page: its numbers against the built pages, its charts, and rebuilds.

The numbers in the overview's tables are checked against counts made independently from
the built issue, tag and site pages. Charts are SVG files named by a hash of their data;
an incremental build that changes nothing they show must not draw them again.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, ROOTS, build_root, soup_of

if TYPE_CHECKING:
    from bs4 import Tag

ARTIFACTS = REPO / "tests" / "_artifacts"


# -- counting from the built pages ---------------------------------------------------
@dataclass
class PageCounts:
    """What the built pages show, counted without the extension's code."""

    issues: Counter[int] = field(default_factory=Counter)
    links: Counter[int] = field(default_factory=Counter)
    sites: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    tags: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    site_links: dict[str, int] = field(default_factory=dict)  # from the sites index


def count_pages(html: Path, issue_glob: str = "issues/[0-9]*.html") -> PageCounts:
    counts = PageCounts()
    for path in sorted(html.glob(issue_glob)):
        page = soup_of(path)
        date = page.select_one(".wkn-issue-date")
        if date is None:
            continue
        year = int(re.match(r"(\d{4})年", date.get_text())[1])
        counts.issues[year] += 1
        for card in page.select("article.wkn-card"):
            counts.links[year] += 1
            site = card.select_one(".wkn-card-site:not(.wkn-card-dead)").get_text(strip=True)
            counts.sites[year].add(site.lower().removeprefix("www."))
            for chip in card.select("a.wkn-chip"):
                slug = chip["href"].rsplit("/", 1)[-1].removesuffix(".html")
                counts.tags[slug][year] += 1
    index = soup_of(html / "sites" / "index.html")
    for item in index.select("ol.wkn-sites > li"):
        name = item.select_one(".wkn-site-name").get_text(strip=True)
        counts.site_links[name] = int(item.select_one(".wkn-count").get_text())
    return counts


def number(text: str) -> int:
    return int(re.match(r"[\d,]+", text.strip())[0].replace(",", ""))


def table_rows(table: Tag) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in table.select("tbody tr")
    ]


def check_numbers(overview: BeautifulSoup, counts: PageCounts) -> None:
    """Every number in the overview's summary and tables equals the pages' count."""
    years = sorted(counts.issues)
    total_links = sum(counts.links.values())
    all_sites = set().union(*counts.sites.values()) if counts.sites else set()
    summary = overview.select_one(".wkn-overview-numbers")
    assert number(summary.select_one(".wkn-n-issues").get_text()) == sum(counts.issues.values())
    assert number(summary.select_one(".wkn-n-links").get_text()) == total_links
    assert number(summary.select_one(".wkn-n-sites").get_text()) == len(counts.site_links)
    assert number(summary.select_one(".wkn-n-tags").get_text()) == len(counts.tags)

    rows = table_rows(overview.select_one("table.wkn-overview-years-table"))
    assert [row[0] for row in rows] == [f"{year}年" for year in years] + ["合計"]
    for row, year in zip(rows, years, strict=False):
        assert number(row[1]) == counts.issues[year], row
        assert number(row[2]) == counts.links[year], row
        assert number(row[4]) == len(counts.sites[year]), row
    assert [number(cell) for cell in rows[-1][1:3]] == [sum(counts.issues.values()), total_links]
    assert number(rows[-1][4]) == len(all_sites) == len(counts.site_links)

    tag_table = overview.select_one("table.wkn-overview-tags-table")
    shown = [
        a["href"].rsplit("/", 1)[-1].removesuffix(".html") for a in tag_table.select("tbody a")
    ]
    totals = sorted((sum(per_year.values()) for per_year in counts.tags.values()), reverse=True)
    assert [sum(counts.tags[slug].values()) for slug in shown] == totals[: len(shown)]
    for slug, row in zip(shown, table_rows(tag_table), strict=True):
        per_year = [number(cell) for cell in row[1:-1]]
        assert per_year == [counts.tags[slug][year] for year in years], (slug, row)
        assert number(row[-1]) == sum(counts.tags[slug].values())
        for cell, year in zip(row[1:-1], years, strict=True):
            expected = 100 * counts.tags[slug][year] / counts.links[year]
            assert re.search(rf"（{expected:.0f}%）", cell), (cell, expected)

    site_rows = table_rows(overview.select_one("table.wkn-overview-sites-table"))
    ranked = sorted(counts.site_links.items(), key=lambda item: (-item[1], item[0]))
    assert [(row[0], number(row[1])) for row in site_rows] == ranked[: len(site_rows)]


def chart_images(page: BeautifulSoup) -> list[Tag]:
    return page.select(".wkn-chart img")


# -- a small archive ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    app = build_root("overview", tmp_path_factory.mktemp("overview"))
    assert app._warning.getvalue() == ""
    return Path(app.outdir)


def test_numbers_equal_the_counts_of_the_built_pages(small):
    overview = soup_of(small / "overview.html")
    counts = count_pages(small)
    assert counts.issues == {2020: 2, 2021: 2}
    assert counts.links == {2020: 5, 2021: 4}
    check_numbers(overview, counts)
    # The limits of the page: three tags, two sites; the unused tag is never shown.
    assert len(table_rows(overview.select_one("table.wkn-overview-tags-table"))) == 3
    assert "未使用" not in overview.select_one("table.wkn-overview-tags-table").get_text()
    assert [row[0] for row in table_rows(overview.select_one(".wkn-overview-sites-table"))] == [
        "arxiv.org",
        "example.com",  # two links, like kaggle.com: ties are in name order
    ]
    # Each site links to its own page.
    links = [a["href"] for a in overview.select(".wkn-overview-sites-table tbody a")]
    assert links == ["sites/arxiv.org.html", "sites/example.com.html"]
    assert all((small / link).is_file() for link in links)


def test_each_chart_has_a_light_and_a_dark_image_and_a_text_alternative(small):
    overview = soup_of(small / "overview.html")
    charts = overview.select(".wkn-chart")
    assert len(charts) == 1 + 3 + 1  # years, one panel per tag shown, sites
    for chart in charts:
        light, dark = chart.find_all("img")
        assert light["class"] == ["only-light"] and dark["class"] == ["only-dark"]
        assert light["alt"] == dark["alt"] and len(light["alt"]) > 10
        assert int(light["width"]) > 0 and int(light["height"]) > 0
        for image in (light, dark):
            path = small / image["src"]
            assert path.is_file() and path.read_bytes().startswith(b"<?xml")
    # Every chart sits next to its table (the numbers for screen readers and search).
    for part in ("years", "tags", "sites"):
        section = overview.select_one(f".wkn-overview-{part}")
        assert section.select_one(".wkn-chart") and section.select_one("table")
    assert "2020年 2号 5リンク" in charts[0].img["alt"]
    assert not overview.find("script", src=re.compile(r"^(https?:)?//"))


def test_tag_pages_show_a_sparkline(small):
    page = soup_of(small / "tags" / "nlp.html")
    figure = page.select_one("figure.wkn-sparkline")
    image = figure.img
    assert image["class"] == ["dark-light"]  # one image for both themes
    assert (small / "tags" / image["src"]).is_file()
    assert image["alt"] == "「自然言語処理」のリンク数の推移: 2020年 2件、2021年 3件"
    assert "最多は2020年第1四半期の2件" in figure.figcaption.get_text()
    unused = soup_of(small / "tags" / "unused.html").select_one("figure.wkn-sparkline img")
    assert "2020年 0件、2021年 0件" in unused["alt"]


def test_japanese_labels_are_drawn_with_a_japanese_font(small):
    """The label's glyphs are paths from the CJK font, not boxes from a Latin font."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font
    from newsarchive.sphinxext.charts import japanese_font

    family, font_file = japanese_font()
    assert family == "IPAexGothic"
    assert Path(font_file).parent.parent.name == "japanize_matplotlib"  # the pinned wheel's
    # The file matplotlib draws the family with is the wheel's, whatever the machine has.
    drawn_with = findfont(FontProperties(family=[family]), fallback_to_default=False)
    assert drawn_with == font_file
    font = FT2Font(drawn_with)
    overview = soup_of(small / "overview.html")
    src = next(img["src"] for img in chart_images(overview) if "tag-nlp" in img["src"])
    svg = (small / src).read_text(encoding="utf-8")
    assert "<!-- 自然言語処理 -->" in svg
    glyphs = dict(re.findall(r'<path id="([^"]+)" d="([^"]*)"', svg))
    for char in "自然言語処理":
        index = font.get_char_index(ord(char))
        assert index, f"{family} has no glyph for {char}"
        glyph = f"{font.postscript_name}-{index:x}"
        assert glyphs.get(glyph), f"{char} is not drawn from {family}"
    assert "DejaVu" not in svg


@pytest.mark.sphinx("text", testroot="overview", srcdir="overview-text")
def test_the_text_builder_renders_the_tables_without_images(app):
    app.build()
    output = (Path(app.outdir) / "overview.txt").read_text(encoding="utf-8")
    assert "合計" in output and "自然言語処理" in output and "arxiv.org" in output
    assert ".svg" not in output


@pytest.mark.sphinx("latex", testroot="overview", srcdir="overview-latex")
def test_the_latex_builder_renders_the_tables_without_images(app):
    app.build()
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert "テーブルデータ" in tex and ".svg" not in tex
    assert not (Path(app.outdir) / "_images").exists()


def test_an_unknown_part_is_an_error_with_its_line(tmp_path):
    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path / "bad"
    shutil.copytree(ROOTS / "test-overview", srcdir)
    page = srcdir / "overview.md"
    page.write_text(page.read_text() + "\n:::{archive-overview} everything\n:::\n")
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    assert re.search(
        r"overview\.md:\d+: ERROR: unknown overview part 'everything'", app._warning.getvalue()
    )


def test_without_a_japanese_font_the_charts_are_left_out_with_a_warning(tmp_path, monkeypatch):
    import newsarchive.sphinxext.charts as charts_module

    monkeypatch.setattr(charts_module, "japanese_font", lambda: None)
    app = build_root("overview", tmp_path)  # built after the font lookup is replaced
    assert "no Japanese font found for the overview charts" in app._warning.getvalue()
    assert "japanize-matplotlib" in app._warning.getvalue()
    page = soup_of(Path(app.outdir) / "overview.html")
    assert not chart_images(page)
    assert page.select_one("table.wkn-overview-years-table")
    # Sparklines have no text: they are still drawn.
    assert soup_of(Path(app.outdir) / "tags" / "nlp.html").select_one("figure.wkn-sparkline")


# Builds the overview root in a fresh process where matplotlib sees only its own fonts
# (no Japanese font of the machine) and a decoy IPAexGothic of the "system" comes first.
NO_SYSTEM_FONTS = """
import dataclasses
import sys
from io import StringIO
from pathlib import Path
from matplotlib import font_manager
from sphinx.testing.util import SphinxTestApp

manager = font_manager.fontManager
own = [f for f in manager.ttflist if "matplotlib" in f.fname and "japanize" not in f.fname]
decoy = next(f for f in own if f.name == "DejaVu Sans" and f.weight == 400)
manager.ttflist = [dataclasses.replace(decoy, name="IPAexGothic"), *own]
app = SphinxTestApp("html", srcdir=Path(sys.argv[1]), status=StringIO(), warning=StringIO())
app.build()
app.cleanup()
print(app._warning.getvalue(), end="")
"""


def test_charts_are_the_same_bytes_without_any_system_font(tmp_path, small):
    import subprocess
    import sys

    srcdir = tmp_path / "overview"
    shutil.copytree(ROOTS / "test-overview", srcdir)
    done = subprocess.run(
        [sys.executable, "-c", NO_SYSTEM_FONTS, str(srcdir)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == ""
    fresh = srcdir / "_build" / "html" / "_images"
    charts = sorted(p.name for p in fresh.glob("overview-*.svg"))
    assert len(charts) >= 2
    for name in charts:
        assert (fresh / name).read_bytes() == (small / "_images" / name).read_bytes(), name


def test_a_new_font_redraws_the_charts(monkeypatch):
    import newsarchive.sphinxext.charts as overview_module

    before = overview_module.Chart("years", "", [[2020, 1, 2]], 420, 170).filename(
        overview_module.LIGHT
    )
    monkeypatch.setattr(overview_module, "font_fingerprint", lambda: "IPAexGothic:other")
    again = overview_module.Chart("years", "", [[2020, 1, 2]], 420, 170)
    assert again.filename(overview_module.LIGHT) != before


# -- rebuilds -------------------------------------------------------------------------
def _build(srcdir: Path, **kwargs: object):
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO(), **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def _touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))


def _charts(outdir: Path) -> dict[str, int]:
    return {
        path.name: path.stat().st_mtime_ns
        for path in (outdir / "_images").iterdir()
        if path.name.startswith(("overview-", "sparkline-"))
    }


def test_charts_are_drawn_again_only_when_their_data_changes(tmp_path):
    srcdir = tmp_path / "overview"
    shutil.copytree(ROOTS / "test-overview", srcdir)
    first = _build(srcdir)
    outdir = Path(first.outdir)
    before = _charts(outdir)
    page_time = (outdir / "overview.html").stat().st_mtime_ns

    # An unrelated edit: the about page and a card's commentary (no count changes).
    _touch(srcdir / "about.md", "# About\n\nOther words.\n")
    issue = srcdir / "issues" / "0004.md"
    _touch(issue, issue.read_text().replace("テキスト。", "テキストの分類。"))
    second = _build(srcdir)
    assert second._warning.getvalue() == ""
    assert _charts(outdir) == before  # same files, same mtimes: nothing redrawn
    assert (outdir / "overview.html").stat().st_mtime_ns == page_time

    # The data changes: a card gains the tabular tag in 2021.
    _touch(issue, issue.read_text().replace(":tags: nlp", ":tags: nlp, tabular"))
    _build(srcdir)
    after = _charts(outdir)
    new = set(after) - set(before)
    assert any(name.startswith("sparkline-tabular-") for name in new)
    assert not any(
        name.startswith(("sparkline-nlp", "overview-years", "overview-sites")) for name in new
    )
    assert all(after[name] == before[name] for name in set(after) & set(before))
    assert len(after) == len(before)  # the stale files are removed
    overview = soup_of(outdir / "overview.html")
    assert (outdir / "overview.html").stat().st_mtime_ns != page_time
    check_numbers(overview, count_pages(outdir))
    for image in chart_images(overview):
        assert (outdir / image["src"]).is_file()
    tag_page = soup_of(outdir / "tags" / "tabular.html")
    assert (outdir / "tags" / tag_page.select_one(".wkn-sparkline img")["src"]).is_file()


def test_a_parallel_build_shows_the_same_overview(tmp_path):
    pages = []
    for parallel in (0, 2):
        srcdir = tmp_path / f"overview-{parallel}"
        shutil.copytree(ROOTS / "test-overview", srcdir)
        app = _build(srcdir, parallel=parallel)
        html = (Path(app.outdir) / "overview.html").read_text(encoding="utf-8")
        pages.append(BeautifulSoup(html, "html.parser").select_one("[role=main]").decode())
    assert pages[0] == pages[1]


# -- the real archive ------------------------------------------------------------------
@pytest.mark.book
def test_the_real_overview_matches_the_book(real_book):
    assert real_book.returncode == 0, real_book.log[-3000:]
    overview = real_book.page("docs/overview.html")
    counts = count_pages(real_book.html)
    assert sum(counts.issues.values()) == len(list(real_book.html.glob("issues/[0-9]*.html")))
    check_numbers(overview, counts)
    images = chart_images(overview)
    assert len(images) >= 2 * 3
    for image in images:
        svg = real_book.html / "docs" / image["src"]
        assert svg.is_file() and svg.stat().st_size > 1000
    home = real_book.page("index.html")
    assert home.find("a", href="docs/overview.html")
    for tag_page in sorted((real_book.html / "tags").glob("*.html")):
        if tag_page.name == "index.html":
            continue
        image = soup_of(tag_page).select_one("figure.wkn-sparkline img")
        assert image is not None and (tag_page.parent / image["src"]).is_file(), tag_page.name


@pytest.mark.browser
def test_overview_screenshots_in_light_and_dark_mode(browser, real_book, serve):
    from test_browser import open_page

    assert real_book.returncode == 0, real_book.log[-3000:]
    url = serve(real_book.html)
    ARTIFACTS.mkdir(exist_ok=True)
    for dark in (False, True):
        context, page = open_page(browser, f"{url}/docs/overview.html", dark=dark)
        try:
            if dark:
                page.evaluate("document.documentElement.dataset.theme = 'dark'")
            # Lazy images below the fold load for the full-page screenshot.
            page.evaluate(
                "document.querySelectorAll('.wkn-chart img').forEach(i => { i.loading = 'eager' })"
            )
            page.wait_for_load_state("networkidle")
            # Images switched to eager load after the page did: wait for them (not a time
            # limit on the book: the assertion below says which did not come).
            page.wait_for_function(
                "[...document.querySelectorAll('.wkn-chart img')]"
                ".filter(e => getComputedStyle(e).display !== 'none')"
                ".every(e => e.complete)",
                timeout=30000,
            )
            shown = page.eval_on_selector_all(
                ".wkn-chart img",
                "els => els.filter(e => getComputedStyle(e).display !== 'none')"
                ".map(e => [e.className, e.complete && e.naturalWidth > 0])",
            )
            wanted = "only-dark" if dark else "only-light"
            assert shown and all(name == wanted and loaded for name, loaded in shown), shown
            name = "overview-dark.png" if dark else "overview-light.png"
            page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        finally:
            context.close()
    context, page = open_page(browser, f"{url}/docs/overview.html", width=390)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
