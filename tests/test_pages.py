"""Long lists cut into parts: a tag's and a site's links, newest first, a page per site.

The ``pages`` root shows two links a part (``newsarchive_entries_per_page = 2``): five cards
tagged ``kaggle`` over three issues, three of them on kaggle.com, one site named ``index``
and one whose name is HTML.
"""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from conftest import ROOTS, soup_of
from newsarchive.sphinxext.entries import site_file_name
from newsarchive.sphinxext.pages import Part, part_name
from sphinx.testing.util import SphinxTestApp
from test_incremental import edit, rewritten, written

HOSTILE_SITE = "<img src=x onerror=alert('site')> blog"  # as site_key lowers it
KAGGLE_NEWEST_FIRST = [
    ("Kaggle E", "../issues/0003.html#link-1"),
    ("Kaggle C", "../issues/0002.html#link-1"),
    ("Index D", "../issues/0002.html#link-2"),
    ("Kaggle A", "../issues/0001.html#link-1"),
    ("Blog B", "../issues/0001.html#link-2"),
]


def build_pages(srcdir: Path, outdir: str = "_build", **kwargs: object) -> Path:
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
    # The one warning is the hostile :site: (shown as text), when its page is read.
    warnings = [w for w in app.warning.getvalue().splitlines() if "WARNING" in w]
    assert all(":site: contains HTML" in w for w in warnings), warnings
    return Path(app.outdir)


def copy_pages_root(workdir: Path) -> Path:
    srcdir = workdir / "pages"
    shutil.copytree(ROOTS / "test-pages", srcdir)
    return srcdir


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pages(copy_pages_root(tmp_path_factory.mktemp("pages")))


def entries_of(page: Path) -> list[tuple[str, str]]:
    """(title, link to the card in its issue) of each entry, as the part shows them, with
    the issue link made relative to the list's folder (parts live one folder down)."""
    html = soup_of(page)
    found = []
    for entry in html.select(".wkn-entry"):
        link = entry.select_one(".wkn-entry-issue a")["href"]
        found.append((entry.select_one("a").get_text(), re.sub(r"^(\.\./)+", "../", link)))
    return found


def parts_of(out: Path, first: str) -> list[Path]:
    """Every part of the list whose first part is ``first`` (``tags/kaggle``), in order."""
    later = sorted((out / first).glob("*.html"), key=lambda p: int(p.stem))
    return [out / f"{first}.html", *later]


def test_a_tag_list_is_cut_into_parts_of_the_configured_size(out):
    parts = parts_of(out, "tags/kaggle")
    assert [p.relative_to(out).as_posix() for p in parts] == [
        "tags/kaggle.html",
        "tags/kaggle/2.html",
        "tags/kaggle/3.html",
    ]
    assert [len(entries_of(p)) for p in parts] == [2, 2, 1]
    # A list that fits on one page has no parts and no navigation.
    assert not (out / "tags/hostile").exists()
    assert soup_of(out / "tags/hostile.html").select("nav.wkn-parts") == []


def test_every_card_of_a_tag_is_on_exactly_one_part_newest_first(out):
    listed = [entry for part in parts_of(out, "tags/kaggle") for entry in entries_of(part)]
    assert listed == KAGGLE_NEWEST_FIRST


def test_every_card_of_a_site_is_on_exactly_one_part_newest_first(out):
    site = "sites/kaggle.com"
    listed = [entry for part in parts_of(out, site) for entry in entries_of(part)]
    assert listed == [
        ("Kaggle E", "../issues/0003.html#link-1"),
        ("Kaggle C", "../issues/0002.html#link-1"),
        ("Kaggle A", "../issues/0001.html#link-1"),
    ]


def nav_of(page: Path) -> list[list[tuple[str, str | None, str | None]]]:
    """Each navigation of a part: (text, href, aria-current) of its items."""
    return [
        [
            (item.get_text(strip=True), item.get("href"), item.get("aria-current"))
            for item in nav.select("li > a, li > span")
        ]
        for nav in soup_of(page).select("nav.wkn-parts")
    ]


def test_parts_link_to_each_other(out):
    middle = nav_of(out / "tags/kaggle/2.html")
    assert (
        middle
        == [
            [
                ("← 前へ", "../kaggle.html", None),
                ("1", "../kaggle.html", None),
                ("2", None, "page"),
                ("3", "3.html", None),
                ("次へ →", "3.html", None),
            ]
        ]
        * 2
    )  # above the list and below it
    assert nav_of(out / "tags/kaggle.html")[0] == [
        ("1", None, "page"),
        ("2", "kaggle/2.html", None),
        ("3", "kaggle/3.html", None),
        ("次へ →", "kaggle/2.html", None),
    ]
    assert nav_of(out / "tags/kaggle/3.html")[0][0] == ("← 前へ", "2.html", None)
    assert nav_of(out / "tags/kaggle/3.html")[0][-1] == ("3", None, "page")
    labels = [nav["aria-label"] for nav in soup_of(out / "tags/kaggle/2.html").select("nav")]
    assert {"ページ送り", "ページ送り（一覧の後）"} <= set(labels)


def test_parts_announce_their_neighbours_and_name_themselves(out):
    def head(name: str) -> tuple[str | None, str | None, str, str]:
        html = soup_of(out / name)
        prev, after = html.find("link", rel="prev"), html.find("link", rel="next")
        description = html.find("meta", attrs={"name": "description"})["content"]
        return (
            prev["href"] if prev else None,
            after["href"] if after else None,
            html.title.get_text().split(" — ")[0],
            description,
        )

    assert head("tags/kaggle.html") == (
        None,
        "kaggle/2.html",
        "Kaggle (Kaggle)",
        "「Kaggle」(Kaggle) のリンク 5 件、新しい順。（1/3: 1–2 件目）",
    )
    assert head("tags/kaggle/2.html") == (
        "../kaggle.html",
        "3.html",
        "Kaggle (Kaggle) (2/3)",
        "「Kaggle」(Kaggle) のリンク 5 件、新しい順。（2/3: 3–4 件目）",
    )
    assert head("tags/kaggle/3.html")[:3] == ("2.html", None, "Kaggle (Kaggle) (3/3)")
    summary = soup_of(out / "tags/kaggle/3.html").select_one(".wkn-summary").get_text()
    assert summary.startswith("5 リンク（5 件目、3/3 ページ）")
    # Every part announces the tag's feed; the sparkline (the whole list's) is on the first.
    for name in ("tags/kaggle.html", "tags/kaggle/3.html"):
        feeds = [
            link["href"].rsplit("/", 1)[-1]
            for link in soup_of(out / name).find_all("link", type="application/atom+xml")
        ]
        assert "kaggle.xml" in feeds, name
    assert soup_of(out / "tags/kaggle.html").select(".wkn-sparkline")
    assert soup_of(out / "tags/kaggle/2.html").select(".wkn-sparkline") == []


def test_sites_index_links_one_page_per_site_with_its_count(out):
    rows = soup_of(out / "sites/index.html").select(".wkn-sites li")
    listed = [(r.select_one("a").get_text(), r.select_one("a")["href"]) for r in rows]
    counts = [r.select_one(".wkn-count").get_text() for r in rows]
    hostile = site_file_name(HOSTILE_SITE)
    assert sorted(listed) == sorted(
        [
            ("kaggle.com", "kaggle.com.html"),
            (HOSTILE_SITE, f"{hostile}.html"),
            ("index", f"{site_file_name('index')}.html"),
        ]
    )
    assert listed[0] == ("kaggle.com", "kaggle.com.html")  # the most linked first
    assert counts == ["3", "1", "1"]
    for _, href in listed:
        assert (out / "sites" / href).is_file(), href
    # The site named "index" has a page of its own; the index keeps its address.
    assert site_file_name("index") != "index"
    assert entries_of(out / f"sites/{site_file_name('index')}.html") == [
        ("Index D", "../issues/0002.html#link-2")
    ]
    site = soup_of(out / "sites/kaggle.com.html")
    assert site.select_one("h1").get_text() == "kaggle.com"
    assert site.select_one(".wkn-summary a")["href"] == "index.html"


def test_a_hostile_site_name_is_text_and_a_safe_file_name(out):
    name = site_file_name(HOSTILE_SITE)
    assert re.fullmatch(r"[a-z0-9.-]+_[0-9a-f]{10}", name), name
    page = out / f"sites/{name}.html"
    html = soup_of(page)
    assert html.select_one("h1").get_text() == HOSTILE_SITE
    assert html.title.get_text().startswith(f"{HOSTILE_SITE} のリンク")
    for element in html.find_all(True):
        assert not [a for a in element.attrs if a.lower().startswith("on")], element
    assert "<img src=x" not in page.read_text(encoding="utf-8")
    index = (out / "sites/index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(&#39;site&#39;)&gt; blog" in index


def test_a_hostile_tag_label_is_text_on_every_part(out):
    page = out / "tags/hostile.html"
    html = soup_of(page)
    assert (
        html.select_one("h1").get_text(" ", strip=True)
        == "<script>alert('tag')</script> \"Q\" & <b>"
    )
    assert all("alert" not in script.get_text() for script in html.find_all("script"))
    assert html.title.get_text().startswith("<script>alert('tag')</script> (\"Q\" & <b>)")


@pytest.mark.parametrize(
    ("site", "name"),
    [
        ("kaggle.com", "kaggle.com"),
        ("arxiv.org", "arxiv.org"),
        ("xn--wgv71a.jp", "xn--wgv71a.jp"),
    ],
)
def test_a_host_name_is_its_own_file_name(site, name):
    assert site_file_name(site) == name


@pytest.mark.parametrize(
    "site", ["index", "", "kaggle blog", "a/b", "..", "a..b", ".hidden", "日本語.jp", "x" * 90]
)
def test_any_other_site_name_is_made_safe_and_kept_apart(site):
    name = site_file_name(site)
    assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*_[0-9a-f]{10}", name), name
    assert len(name) <= 72
    assert name != site_file_name(site + " ")  # names that differ keep different pages


def test_a_removed_card_takes_its_part_away_and_leaves_other_pages_alone(tmp_path):
    srcdir = copy_pages_root(tmp_path)
    out = build_pages(srcdir)
    before = written(out)
    edit(
        srcdir / "issues/0003.md",
        ':::{link} https://www.kaggle.com/e\n:title: "Kaggle E"\n:tags: kaggle\n\n'
        "コメント。\n:::\n",
        "",
    )
    out = build_pages(srcdir)
    assert not (out / "tags/kaggle/3.html").exists()
    assert [p.relative_to(out).as_posix() for p in parts_of(out, "tags/kaggle")] == [
        "tags/kaggle.html",
        "tags/kaggle/2.html",
    ]
    listed = [entry for part in parts_of(out, "tags/kaggle") for entry in entries_of(part)]
    assert listed == KAGGLE_NEWEST_FIRST[1:]
    # kaggle.com now fits on one page: its part 2 and the folder holding it are gone.
    assert not (out / "sites/kaggle.com").exists()
    assert soup_of(out / "sites/kaggle.com.html").select("nav.wkn-parts") == []
    changed = rewritten(before, written(out))
    assert f"sites/{site_file_name('index')}.html" not in changed
    assert "tags/hostile.html" not in changed
    # The same pages as a clean build of the same sources.
    clean = build_pages(srcdir, outdir="_clean")
    assert list_pages(out) == list_pages(clean)


def list_pages(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for folder in ("tags", "sites")
        for p in sorted((out / folder).rglob("*.html"))
    }


def test_a_parallel_build_writes_the_same_parts(tmp_path):
    srcdir = copy_pages_root(tmp_path)
    serial = build_pages(srcdir)
    parallel = build_pages(srcdir, outdir="_parallel", parallel=2)
    assert list_pages(serial) == list_pages(parallel)
    assert len(list_pages(serial)) == 10


def numbers_shown(number: int, count: int) -> list[int | None]:
    names = tuple(part_name("tags/kaggle", n) for n in range(1, count + 1))
    return Part(number, names, 1, 1).numbers()


@pytest.mark.parametrize(
    ("number", "count", "shown"),
    [
        (1, 1, [1]),
        (5, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),  # nine parts: every number
        (1, 14, [1, 2, 3, None, 14]),
        (3, 14, [1, 2, 3, 4, 5, None, 14]),
        (4, 14, [1, 2, 3, 4, 5, 6, None, 14]),
        (6, 14, [1, None, 4, 5, 6, 7, 8, None, 14]),
        (12, 14, [1, None, 10, 11, 12, 13, 14]),
        (14, 14, [1, None, 12, 13, 14]),
    ],
)
def test_a_long_navigation_shows_the_ends_and_two_parts_either_side(number, count, shown):
    assert numbers_shown(number, count) == shown


def test_part_names_keep_the_first_address():
    assert [part_name("sites/github.com", n) for n in (1, 2, 10)] == [
        "sites/github.com",
        "sites/github.com/2",
        "sites/github.com/10",
    ]
