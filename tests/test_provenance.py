"""Which issues came from where: the home page's and year pages' "配信元" line, built from
each issue's ``source:`` (Revue or Substack), and kept right by an incremental build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOTS, build_srcdir, soup_of

REVUE = "https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-{n}-1000{n}"
SUBSTACK = "https://weeklykagglenews.substack.com/p/weekly-kaggle-news-{n}"


def with_source(page: Path, url: str) -> None:
    text = page.read_text("utf-8")
    text = "\n".join(line for line in text.split("\n") if not line.startswith("source:"))
    page.write_text(text.replace("\n---\n", f"\nsource: {url}\n---\n", 1), "utf-8")


def runs(html: BeautifulSoup) -> list[str]:
    return [run.get_text() for run in html.select(".wkn-sources .wkn-source-run")]


def test_the_lists_say_which_issues_came_from_where(tmp_path):
    srcdir = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    issues = srcdir / "issues"
    with_source(issues / "0001.md", REVUE.format(n=1))
    with_source(issues / "0002.md", REVUE.format(n=2))
    with_source(issues / "0003.md", SUBSTACK.format(n=3))
    app = build_srcdir(srcdir)
    assert app.warning.getvalue() == ""
    home = soup_of(app.outdir / "index.html")
    assert home.select_one(".wkn-sources").get_text() == "配信元: Revue（#1–#2） / Substack（#3）"
    assert runs(soup_of(app.outdir / "years/2021.html")) == ["Revue（#2）", "Substack（#3）"]
    assert runs(soup_of(app.outdir / "years/2020.html")) == ["Revue（#1）"]
    meta = soup_of(app.outdir / "issues/0003.html").select_one(".wkn-issue-meta")
    assert meta.select_one("a.wkn-source").get_text() == "原文（Substack）"

    # #3 turns out to be a Revue issue: the lists are written again, #3's page unread.
    with_source(issues / "0003.md", REVUE.format(n=3))
    os.utime(issues / "0003.md", (2_000_000_000, 2_000_000_000))
    app = build_srcdir(srcdir)
    assert runs(soup_of(app.outdir / "index.html")) == ["Revue（#1–#3）"]
    assert runs(soup_of(app.outdir / "years/2021.html")) == ["Revue（#2–#3）"]


def test_issues_without_a_source_are_left_out_and_no_line_without_any(tmp_path):
    srcdir = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    for page in (srcdir / "issues").glob("*.md"):
        page.write_text(
            "\n".join(
                line
                for line in page.read_text("utf-8").split("\n")
                if not line.startswith("source:")
            ),
            "utf-8",
        )
    app = build_srcdir(srcdir)
    assert soup_of(app.outdir / "index.html").select_one(".wkn-sources") is None
    with_source(srcdir / "issues" / "0002.md", SUBSTACK.format(n=2))
    os.utime(srcdir / "issues" / "0002.md", (2_000_000_000, 2_000_000_000))
    app = build_srcdir(srcdir)
    assert runs(soup_of(app.outdir / "index.html")) == ["Substack（#2）"]
