"""Incremental and parallel builds give the same pages as a clean build."""

from __future__ import annotations

import os
import shutil
import time
from io import StringIO
from pathlib import Path

from conftest import ROOTS, soup_of
from sphinx.testing.util import SphinxTestApp


def copy_root(name: str, workdir: Path) -> Path:
    srcdir = workdir / name
    shutil.copytree(ROOTS / f"test-{name}", srcdir)
    return srcdir


def build(srcdir: Path, outdir: str = "_build", **kwargs) -> SphinxTestApp:
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        builddir=srcdir / outdir,
        status=StringIO(),
        warning=StringIO(),
        **kwargs,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.warning.getvalue() == "", app.warning.getvalue()
    return app


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    bump(path)


def bump(path: Path) -> None:
    later = time.time() + 5
    os.utime(path, (later, later))


def written(outdir: Path) -> dict[str, int]:
    return {str(p.relative_to(outdir)): p.stat().st_mtime_ns for p in outdir.rglob("*.html")}


def rewritten(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name, stamp in after.items() if before.get(name) != stamp}


ARXIV_CARD = """:::{link} https://arxiv.org/abs/2004.04938
:title: "[2004.04938] A paper"
:tags: 論文

論文の解説コメント。
:::
"""


def test_removed_card_disappears_everywhere(tmp_path):
    srcdir = copy_root("basic", tmp_path)
    app = build(srcdir)
    sites = soup_of(app.outdir / "sites/index.html").get_text()
    assert "arxiv.org" in sites
    assert (app.outdir / "sites/arxiv.org.html").exists()
    assert "A paper" in soup_of(app.outdir / "tags/paper.html").get_text()

    edit(srcdir / "issues/0001.md", ARXIV_CARD, "")
    app = build(srcdir)
    assert "arxiv.org" not in soup_of(app.outdir / "sites/index.html").get_text()
    assert not (app.outdir / "sites/arxiv.org.html").exists()  # the site's page too
    paper = soup_of(app.outdir / "tags/paper.html")
    assert "A paper" not in paper.get_text()
    assert [a.get_text() for a in paper.select(".wkn-entry > a")] == ["First article"]
    counts = {
        li.select_one("a").get_text(): li.select_one(".wkn-count").get_text()
        for li in soup_of(app.outdir / "tags/index.html").select(".wkn-tag-cloud li")
    }
    assert counts["論文"] == "1"
    home = soup_of(app.outdir / "index.html")
    rows = [li.get_text(" ", strip=True) for li in home.select(".wkn-issues li")]
    assert rows[-1].endswith("1 リンク")


BOOK_THEME = {"html_theme": "sphinx_book_theme"}


def test_new_issue_updates_neighbours_navigation_and_lists(tmp_path):
    srcdir = copy_root("basic", tmp_path)
    app = build(srcdir, confoverrides=BOOK_THEME)
    before = written(app.outdir)
    (srcdir / "issues/0004.md").write_text(
        '---\nissue: 4\ndate: 2021-01-15\ntitle: "Test News #4"\n---\n# Test News #4\n\n'
        ':::{link} https://arxiv.org/abs/2004.04938\n:title: "Again"\n\nまた。\n:::\n',
        encoding="utf-8",
    )
    app = build(srcdir, confoverrides=BOOK_THEME)
    after = written(app.outdir)
    # issue 3 gains a next link, issue 1 an "also in", the 2021 pages a sidebar entry
    assert soup_of(app.outdir / "issues/0003.html").select_one(".wkn-next")["href"] == "0004.html"
    also = soup_of(app.outdir / "issues/0001.html").select_one("#link-2 .wkn-also-in a")
    assert also["href"] == "0004.html#link-1"
    sidebar = soup_of(app.outdir / "issues/0002.html").select_one(".bd-sidebar-primary")
    assert "Test News #4" in sidebar.get_text()
    assert "Test News #4" in soup_of(app.outdir / "index.html").get_text()
    assert {
        "issues/0004.html",
        "issues/0003.html",
        "issues/0001.html",
        "index.html",
        "years/2021.html",
        "issues/0002.html",
    } <= rewritten(before, after)


def test_editing_commentary_rewrites_only_that_issue(tmp_path):
    srcdir = copy_root("basic", tmp_path)
    app = build(srcdir)
    before = written(app.outdir)
    edit(srcdir / "issues/0002.md", "再掲のコメント。", "再掲のコメント（改訂）。")
    app = build(srcdir)
    changed = rewritten(before, written(app.outdir))
    assert "issues/0002.html" in changed
    # Sphinx itself rewrites the page whose toctree holds the edited one (its year page).
    allowed = {"issues/0002.html", "years/2021.html", "search.html", "genindex.html"}
    assert changed - allowed == set()
    assert "index.html" not in changed and "issues/0001.html" not in changed
    text = soup_of(app.outdir / "issues/0002.html").select_one("#link-1").get_text()
    assert "改訂" in text


def test_incremental_equals_clean(tmp_path):
    srcdir = copy_root("basic", tmp_path)
    build(srcdir)
    edit(srcdir / "issues/0001.md", ARXIV_CARD, "")
    (srcdir / "issues/0004.md").write_text(
        '---\nissue: 4\ndate: 2022-01-15\ntitle: "Test News #4"\n---\n# Test News #4\n',
        encoding="utf-8",
    )
    (srcdir / "years/2022.md").write_text(
        "# 2022年\n\n:::{issue-list}\n:year: 2022\n:::\n", encoding="utf-8"
    )
    incremental = build(srcdir)
    clean = build(srcdir, outdir="_clean")
    assert pages(incremental.outdir) == pages(clean.outdir)


def pages(outdir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(outdir)): p.read_text(encoding="utf-8")
        for p in sorted(outdir.rglob("*.html"))
    }


def make_many_issues(srcdir: Path, count: int = 24) -> None:
    for number in range(10, 10 + count):
        year = 2020 + number % 2
        (srcdir / f"issues/{number:04d}.md").write_text(
            f"---\nissue: {number}\ndate: {year}-03-{number % 28 + 1:02d}\n"
            f'title: "Test News #{number}"\n---\n# Test News #{number}\n\n'
            f":::{{link}} https://example.com/shared/{number % 5}\n"
            f':title: "Shared {number % 5}"\n\nコメント {number}。\n:::\n',
            encoding="utf-8",
        )


def test_parallel_build_equals_serial(tmp_path):
    srcdir = copy_root("basic", tmp_path)
    make_many_issues(srcdir)
    serial = build(srcdir, outdir="_serial")
    parallel = build(srcdir, outdir="_parallel", parallel=2)
    assert pages(serial.outdir) == pages(parallel.outdir)


def test_two_clean_builds_are_identical(tmp_path):
    srcdir = copy_root("basic", tmp_path)
    make_many_issues(srcdir, 8)
    first = build(srcdir, outdir="_one")
    second = build(srcdir, outdir="_two")
    assert pages(first.outdir) == pages(second.outdir)


def source_files(srcdir: Path) -> dict[str, int]:
    return {
        str(p.relative_to(srcdir)): p.stat().st_mtime_ns
        for p in srcdir.rglob("*")
        if p.is_file() and "_build" not in p.relative_to(srcdir).parts
    }


def test_a_build_writes_nothing_into_the_sources(tmp_path):
    """So a live preview (sphinx-autobuild) never sees its own output and rebuilds in a loop."""
    srcdir = copy_root("basic", tmp_path)
    before = source_files(srcdir)
    build(
        srcdir,
        confoverrides={"html_theme": "sphinx_book_theme", "newsarchive_search": "newsarchive"},
    )
    edit(srcdir / "issues/0002.md", "再掲のコメント。", "再掲のコメント（改訂）。")
    middle = source_files(srcdir)
    build(
        srcdir,
        confoverrides={"html_theme": "sphinx_book_theme", "newsarchive_search": "newsarchive"},
    )
    assert source_files(srcdir) == middle
    assert set(middle) == set(before)


def test_removed_issue_leaves_no_trace_in_navigation(tmp_path):
    srcdir = copy_root("basic", tmp_path)
    build(srcdir, confoverrides=BOOK_THEME)
    (srcdir / "issues/0003.md").unlink()
    app = build(srcdir, confoverrides=BOOK_THEME)
    second = soup_of(app.outdir / "issues/0002.html")
    assert second.select_one(".wkn-next") is None
    assert "Test News #3" not in second.select_one(".bd-sidebar-primary").get_text()
    assert "Test News #3" not in soup_of(app.outdir / "index.html").get_text()
    assert "Test News #3" not in soup_of(app.outdir / "years/2021.html").get_text()
    clean = build(srcdir, outdir="_clean", confoverrides=BOOK_THEME)
    assert not (app.outdir / "issues/0003.html").exists()
    assert pages(app.outdir) == pages(clean.outdir)


def test_a_page_losing_its_last_card_is_purged_everywhere(tmp_path):
    """The page keeps no card at all: its tag page entry and its home count go too."""
    srcdir = copy_root("basic", tmp_path)
    app = build(srcdir)
    assert "First article, again" in soup_of(app.outdir / "tags/nlp.html").get_text()
    page = srcdir / "issues/0002.md"
    text = page.read_text(encoding="utf-8")
    edit(page, text[text.index(":::{link}") : text.rindex(":::") + 3], "No links this week.")
    app = build(srcdir)
    assert "First article, again" not in soup_of(app.outdir / "tags/nlp.html").get_text()
    home = soup_of(app.outdir / "index.html")
    rows = {
        li.select_one("a").get_text(): li.get_text(" ", strip=True)
        for li in home.select(".wkn-issues li")
    }
    assert rows["Test News #2"].endswith("0 リンク"), rows
    clean = build(srcdir, outdir="_clean")
    assert pages(app.outdir) == pages(clean.outdir)


def test_a_changed_template_rewrites_the_generated_pages_too(tmp_path):
    """Tag, site, finder and competition pages are skipped when their content is unchanged;
    a template override (templates_path) changes every page, so it rewrites them like the
    documents (as a changed theme or configuration does)."""
    srcdir = copy_root("basic", tmp_path)
    (srcdir / "_templates").mkdir()
    layout = srcdir / "_templates" / "layout.html"
    layout.write_text(
        '{% extends "!layout.html" %}\n'
        '{% block footer %}{{ super() }}<p class="wkn-test-mark">one</p>{% endblock %}\n',
        encoding="utf-8",
    )
    build(srcdir, confoverrides={"templates_path": ["_templates"]})
    edit(layout, ">one<", ">two<")
    incremental = build(srcdir, confoverrides={"templates_path": ["_templates"]})
    clean = build(srcdir, outdir="_clean", confoverrides={"templates_path": ["_templates"]})
    assert pages(incremental.outdir) == pages(clean.outdir)
    marks = {
        name: soup_of(incremental.outdir / name).select_one(".wkn-test-mark").get_text()
        for name in pages(incremental.outdir)
    }
    assert {"tags/index.html", "sites/index.html"} <= set(marks)
    assert {name for name, mark in marks.items() if mark != "two"} == set()
