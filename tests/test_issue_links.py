"""Links to an issue's original (Revue or Substack) point to our page of that issue."""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, ROOTS
from newsarchive.core.frontmatter import read_front_matter
from newsarchive.sphinxext.domain import IssueRecord
from newsarchive.sphinxext.issuelinks import IssueAddresses, address_key, issue_number_in

REVUE_1 = "https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-1-216758"
REVUE_ISSUE = re.compile(r"https://www\.getrevue\.co/profile/upura/issues/[\w-]+")
SUBSTACK_4 = "https://weeklykagglenews.substack.com/p/weekly-kaggle-news-4"

PAGE_4 = f"""---
issue: 4
date: 2021-01-15
title: "Test News #4"
source: {SUBSTACK_4}
---
# Test News #4

[#1 の記事](http://getrevue.co/profile/upura/issues/weekly-kaggle-news-1-216758/?utm_source=x#top)、
[#2 の記事](https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-2-999)、
[#5 の予告](https://weeklykagglenews.substack.com/p/weekly-kaggle-news-5?r=abc)、
[別のニューズレター](https://mlwriter.substack.com/p/weekly-kaggle-news-1)、
[特別号](https://weeklykagglenews.substack.com/p/special-edition)、
[Revue のページ](https://www.getrevue.co/profile/upura)、
[Substack のページ](https://weeklykagglenews.substack.com/)。

:::{{link}} {REVUE_1}
:title: "Weekly Kaggle News #1"

初回の号。
:::
"""

PAGE_5 = """---
issue: 5
date: 2021-01-22
title: "Test News #5"
source: https://weeklykagglenews.substack.com/p/weekly-kaggle-news-5
---
# Test News #5

本文。
"""


def build(srcdir: Path, parallel: int = 0) -> Path:
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp(
        "html", srcdir=srcdir, status=StringIO(), warning=StringIO(), parallel=parallel
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert "WARNING" not in app.warning.getvalue(), app.warning.getvalue()
    return Path(app.outdir)


def hrefs(outdir: Path, page: str) -> dict[str, str]:
    soup = BeautifulSoup((outdir / page).read_text("utf-8"), "html.parser")
    return {" ".join(a.get_text().split()): a["href"] for a in soup.select("a[href]")}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", root)
    first = root / "issues" / "0001.md"
    first.write_text(
        first.read_text("utf-8").replace(
            "source: https://example.org/revue/1", f"source: {REVUE_1}"
        ),
        "utf-8",
    )
    (root / "issues" / "0004.md").write_text(PAGE_4, "utf-8")
    return root


def test_links_to_issues_point_inside_the_book(archive):
    outdir = build(archive)
    links = hrefs(outdir, "issues/0004.html")
    assert links["#1 の記事"] == "0001.html"
    assert links["#2 の記事"] == "0002.html"  # by the number, on the host Revue issues are on
    assert (
        links["#5 の予告"] == "https://weeklykagglenews.substack.com/p/weekly-kaggle-news-5?r=abc"
    )
    assert links["別のニューズレター"] == "https://mlwriter.substack.com/p/weekly-kaggle-news-1"
    assert links["Weekly Kaggle News #1"] == "0001.html"  # the card's own link
    # Revue is gone: its profile of the newsletter is this archive; Substack's lives on.
    assert links["Revue のページ"] == "../index.html"
    assert links["Substack のページ"] == "https://weeklykagglenews.substack.com/"
    # The link to the original stays: it is what the page is a copy of.
    assert links["原文（Substack）"] == SUBSTACK_4
    assert hrefs(outdir, "issues/0001.html")["原文（Revue）"] == REVUE_1


def test_a_parallel_build_links_the_same(archive, tmp_path):
    serial = hrefs(build(archive), "issues/0004.html")
    copy = tmp_path / "parallel"
    shutil.copytree(archive, copy, ignore=shutil.ignore_patterns("_build"))
    for number in range(5, 12):  # enough pages for the reads to be split between processes
        (copy / "issues" / f"{number:04d}.md").write_text(
            PAGE_5.replace("5", str(number)).replace("2021-01-22", f"2021-02-{number:02d}"),
            "utf-8",
        )
    # a source given on a page read by another process still resolves
    outdir = build(copy, parallel=2)
    links = hrefs(outdir, "issues/0004.html")
    assert links["#1 の記事"] == serial["#1 の記事"] == "0001.html"
    assert links["#5 の予告"] == "0005.html"
    # What each process noted is merged: a later incremental build still knows it.
    second = copy / "issues" / "0002.md"
    special = "https://weeklykagglenews.substack.com/p/special-edition"
    second.write_text(
        second.read_text("utf-8").replace("\n---\n", f"\nsource: {special}\n---\n", 1), "utf-8"
    )
    assert hrefs(build(copy, parallel=2), "issues/0004.html")["特別号"] == "0002.html"


def test_a_source_given_later_is_linked_on_the_next_build(archive):
    outdir = build(archive)
    special = "https://weeklykagglenews.substack.com/p/special-edition"
    assert hrefs(outdir, "issues/0004.html")["特別号"] == special
    second = archive / "issues" / "0002.md"
    text = second.read_text("utf-8")
    second.write_text(text.replace("\n---\n", f"\nsource: {special}\n---\n", 1), "utf-8")
    outdir = build(archive)  # only 0002 changed: 0004 is written again for its link
    assert hrefs(outdir, "issues/0004.html")["特別号"] == "0002.html"


def test_an_issue_added_later_is_linked_on_the_next_build(archive):
    build(archive)
    (archive / "issues" / "0005.md").write_text(PAGE_5, "utf-8")
    outdir = build(archive)
    assert hrefs(outdir, "issues/0004.html")["#5 の予告"] == "0005.html"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (
            "https://www.getrevue.co/profile/upura/issues/x-1/",
            "getrevue.co/profile/upura/issues/x-1",
        ),
        ("HTTP://Example.COM/a?b=1#c", "example.com/a"),
        (
            "https://open.substack.com/pub/weeklykagglenews/p/weekly-kaggle-news-4?r=x",
            "weeklykagglenews.substack.com/p/weekly-kaggle-news-4",
        ),
        ("mailto:someone@example.com", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_address_keys(url, key):
    assert address_key(url) == key


def test_every_link_between_revue_issues_of_the_real_archive_is_inside_the_book():
    """The Revue-era pages that cite earlier issues by their (dead) Revue URL."""
    records = []
    for path in sorted((REPO / "issues").glob("[0-9]*.md")):
        data = read_front_matter(path) or {}
        records.append(
            IssueRecord(path.stem, int(data["issue"]), data["date"], data["title"], data["source"])
        )
    addresses = IssueAddresses(records, "index")
    # #59 links the newsletter's Revue profile: the archive's home now.
    assert "https://www.getrevue.co/profile/upura)" in (REPO / "issues/0059.md").read_text("utf-8")
    assert addresses.docname_for("https://www.getrevue.co/profile/upura") == "index"
    cited: dict[str, str] = {}
    for path in sorted((REPO / "issues").glob("[0-9]*.md")):
        text = path.read_text("utf-8")
        for url in set(REVUE_ISSUE.findall(text)):
            if address_key(url) != address_key(addresses_source(records, path.stem)):
                cited[f"{path.stem} -> {url}"] = addresses.docname_for(url) or ""
    assert len(cited) >= 5
    assert all(cited.values()), cited
    assert (
        cited["0019 -> https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-18-239563"]
        == "0018"
    )


def addresses_source(records: list[IssueRecord], docname: str) -> str:
    return next(record.source for record in records if record.docname == docname)


# -- every shape of a Substack post's address ----------------------------------------------

PUBLICATION = "https://weeklykagglenews.substack.com/p"

#: A page citing issues by Substack addresses of every shape: text -> (URL, page or None).
SHAPES = {
    "番号の slug": (f"{PUBLICATION}/weekly-kaggle-news-2", "0002.html"),
    "号と日付の slug": (f"{PUBLICATION}/weekly-kaggle-news-issue-3-22-10-28", "0003.html"),
    "Issue と日付の slug": (f"{PUBLICATION}/weekly-kaggle-issue-1-20-09-18?r=x", "0001.html"),
    "番号のない slug": (f"{PUBLICATION}/new-year-greetings#top", "0002.html"),
    "アプリのリンク": (
        "https://open.substack.com/pub/weeklykagglenews/p/new-year-greetings",
        "0002.html",
    ),
    "表の slug が番号に勝つ": (f"{PUBLICATION}/weekly-kaggle-news-1", "0003.html"),
    "表にない slug": (f"{PUBLICATION}/unknown-post", None),
    "表の号のページがない": (f"{PUBLICATION}/far-future", None),
    "別の Substack": ("https://mlwriter.substack.com/p/weekly-kaggle-issue-1-20-09-18", None),
    "別の Substack の表の slug": ("https://mlwriter.substack.com/p/new-year-greetings", None),
    "独自ドメイン": ("https://news.example.jp/p/weekly-kaggle-news-issue-2-22-11-04", None),
    "番号でない slug": (f"{PUBLICATION}/weekly-kaggle-news-two", None),
}
#: The table the Substack imports write: a numberless slug, a re-post's slug.
POSTS = {"far-future": 999, "new-year-greetings": 2, "weekly-kaggle-news-1": 3}


@pytest.fixture
def cited(tmp_path: Path) -> Path:
    """test-basic (#1–#3: no page has a Substack source) and #4 citing them on Substack."""
    root = tmp_path / "cited"
    shutil.copytree(ROOTS / "test-basic", root)
    links = "\n".join(f"- [{text}]({url})" for text, (url, _) in SHAPES.items())
    (root / "issues" / "0004.md").write_text(
        f'---\nissue: 4\ndate: 2021-01-15\ntitle: "Test News #4"\n---\n# Test News #4\n\n{links}\n',
        "utf-8",
    )
    table = root / "issues" / "substack" / "posts.json"
    table.parent.mkdir()
    table.write_text(json.dumps({"about": "test", "posts": POSTS}), "utf-8")
    return root


@pytest.mark.parametrize("parallel", [0, 2])
def test_every_shape_of_a_substack_address_points_to_our_page(cited, parallel):
    for number in range(5, 12):  # enough pages for a parallel build to split them
        (cited / "issues" / f"{number:04d}.md").write_text(
            f'---\nissue: {number}\ndate: 2021-02-{number:02d}\ntitle: "Test News #{number}"\n'
            f"---\n# Test News #{number}\n\n本文。\n",
            "utf-8",
        )
    links = hrefs(build(cited, parallel=parallel), "issues/0004.html")
    expected = {text: page or url for text, (url, page) in SHAPES.items()}
    assert {text: links[text] for text in SHAPES} == expected


def test_a_custom_domain_in_conf_is_the_newsletter_s_too(cited):
    conf = cited / "conf.py"
    conf.write_text(
        conf.read_text("utf-8")
        + 'newsarchive_substack_hosts = ["weeklykagglenews.substack.com", "news.example.jp"]\n',
        "utf-8",
    )
    links = hrefs(build(cited), "issues/0004.html")
    assert links["独自ドメイン"] == "0002.html"
    assert links["番号の slug"] == "0002.html"
    assert links["別の Substack"] == SHAPES["別の Substack"][0]


def test_a_post_recorded_later_is_linked_on_the_next_build(cited):
    table = cited / "issues" / "substack" / "posts.json"
    table.unlink()
    links = hrefs(build(cited), "issues/0004.html")
    assert links["番号のない slug"] == SHAPES["番号のない slug"][0]
    assert links["番号の slug"] == "0002.html"  # the number alone needs no table
    table.write_text(json.dumps({"about": "test", "posts": POSTS}), "utf-8")
    # Nothing but the table changed: #4 is written again for its links.
    links = hrefs(build(cited), "issues/0004.html")
    assert links["番号のない slug"] == "0002.html"


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("{not json", "cannot be read"),
        ('{"posts": {"a": "2"}}', "'a': '2' is not an issue number"),
        ('{"posts": {"a/b": 2}}', "'a/b': 2 is not an issue number"),
        ('{"posts": {"a": true}}', "'a': True is not an issue number"),
        ("[]", "no 'posts' object"),
    ],
)
def test_an_unreadable_table_is_a_warning_and_numbers_still_count(cited, content, said):
    from sphinx.testing.util import SphinxTestApp

    table = cited / "issues" / "substack" / "posts.json"
    table.write_text(content, "utf-8")
    app = SphinxTestApp("html", srcdir=cited, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = app.warning.getvalue()
    assert f"{table}: {said}" in warnings
    assert "[newsarchive.substack]" in warnings
    assert "Traceback" not in warnings
    links = hrefs(Path(app.outdir), "issues/0004.html")
    assert links["番号の slug"] == "0002.html"
    assert links["番号のない slug"] == SHAPES["番号のない slug"][0]


@pytest.mark.parametrize(
    ("key", "number"),
    [
        ("weeklykagglenews.substack.com/p/weekly-kaggle-news-160", 160),
        ("weeklykagglenews.substack.com/p/weekly-kaggle-news-issue-150-22-10-28", 150),
        ("weeklykagglenews.substack.com/p/weekly-kaggle-issue-40-20-09-18", 40),
        ("getrevue.co/profile/upura/issues/weekly-kaggle-news-18-239563", 18),
        ("getrevue.co/profile/upura/issues/weekly-kaggle-issue-40-277265", 40),
        ("weeklykagglenews.substack.com/p/weekly-kaggle-news-160-1", 160),
        ("weeklykagglenews.substack.com/p/weekly-kaggle-160", None),
        ("weeklykagglenews.substack.com/p/weekly-kaggle-news-issue", None),
        ("weeklykagglenews.substack.com/p/weekly-kaggle-news-160/comments", None),
        ("weeklykagglenews.substack.com/p/weekly-kaggle-news-160-x", None),
    ],
)
def test_the_number_in_a_slug(key, number):
    assert issue_number_in(key) == number
