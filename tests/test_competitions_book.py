"""The real archive: every competition linked in the 159 Revue originals has its page, and
that page links every issue that links the competition.

The originals are read here with BeautifulSoup, and competitions recognised with this
file's own patterns, independently of the extension's table, so a mistake there cannot
hide itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html import unescape
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

pytestmark = pytest.mark.book

RAW = sorted((REPO / "issues" / "revue").glob("*.md"))
NUMBER = re.compile(r"#(\d+)")
SLUG = r"([A-Za-z0-9][A-Za-z0-9_-]*)"
#: host (without www.) -> (path pattern, platform, lower-case the id)
PATTERNS = {
    "kaggle.com": (rf"/(?:c|competitions)/{SLUG}(?:/|$)", "kaggle", True),
    "signate.jp": (r"/competitions/(\d+)(?:/|$)", "signate", False),
    "nishika.com": (rf"/competitions/{SLUG}(?:/|$)", "nishika", False),
    "comp.probspace.com": (rf"/competitions/{SLUG}(?:/|$)", "probspace", False),
    "guruguru.science": (r"/competitions/(\d+)(?:/|$)", "guruguru", False),
    "guruguru.ml": (r"/competitions/(\d+)(?:/|$)", "guruguru", False),
    "aicrowd.com": (rf"/challenges/{SLUG}(?:/|$)", "aicrowd", False),
    "drivendata.org": (r"/competitions/(\d+)(?:/|$)", "drivendata", False),
    "zindi.africa": (rf"/competitions/{SLUG}(?:/|$)", "zindi", False),
    "competitions.codalab.org": (r"/competitions/(\d+)(?:/|$)", "codalab", False),
}
UUID = r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"


def competition(url: str) -> str | None:
    parts = urlsplit(unescape(url).strip())
    host = (parts.hostname or "").removeprefix("www.")
    if host == "solafune.com":
        found = re.search(rf"competitions/{UUID}", (parts.path + parts.fragment).lower())
        return f"solafune/{found[1]}" if found else None
    if host not in PATTERNS:
        return None
    pattern, platform, lower = PATTERNS[host]
    found = re.match(pattern, parts.path)
    if not found or found[1] == "ranking":
        return None
    return f"{platform}/{found[1].lower() if lower else found[1]}"


def linked_in_originals() -> dict[str, set[int]]:
    issues: dict[str, set[int]] = defaultdict(set)
    for path in RAW:
        title, _source, body = path.read_text(encoding="utf-8").split("\n", 2)
        number = int(NUMBER.search(title)[1])
        for anchor in BeautifulSoup(body, "html.parser").find_all("a", href=True):
            key = competition(anchor["href"])
            if key:
                issues[key].add(number)
    return issues


LINKED = linked_in_originals()


def test_the_originals_link_competitions_on_every_platform():
    platforms = {key.split("/")[0] for key in LINKED}
    assert platforms >= {"kaggle", "signate", "nishika", "solafune", "guruguru", "aicrowd"}
    assert platforms >= {"drivendata", "zindi", "codalab", "probspace"}
    assert len(LINKED["kaggle/riiid-test-answer-prediction"]) >= 10


@pytest.fixture(scope="module")
def pages(real_book):
    assert real_book.returncode == 0, real_book.log[-3000:]
    return real_book


@pytest.mark.parametrize("key", sorted(LINKED))
def test_each_competition_page_links_every_issue_that_links_it(pages, key):
    path = pages.html / f"competitions/{key}.html"
    assert path.exists(), key
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    linked = {
        int(found[1])
        for a in page.select("#competition a[href]")
        if (found := re.search(r"issues/(\d{4})\.html", a["href"]))
    }
    missing = LINKED[key] - linked
    assert not missing, f"{key}: issues {sorted(missing)} link it but its page does not list them"


def test_index_lists_every_competition_with_its_platform(pages):
    page = pages.page("competitions/index.html")
    rows = {
        tr.select_one("td a")["href"].removesuffix(".html"): tr["data-platform"]
        for tr in page.select("table.wkn-competitions tbody tr")
    }
    assert set(LINKED) <= set(rows)
    assert all(rows[key] == key.split("/")[0] for key in LINKED)


def test_the_command_and_the_build_find_the_same_competitions(pages):
    from newsarchive.commands.competitions import survey
    from newsarchive.core.competition_data import load_catalog

    catalog = load_catalog(REPO / "docs" / "competitions.toml")
    assert catalog.problems == []
    report = survey(sorted((REPO / "issues").glob("[0-9]*.md")), catalog)
    built = {
        path.relative_to(pages.html / "competitions").with_suffix("").as_posix()
        for path in (pages.html / "competitions").glob("*/*.html")
    }
    assert set(report.places) == built


@pytest.mark.browser
def test_competition_pages_and_chips_fit_a_phone(browser, serve, pages):
    from test_search import open_page

    base = serve(pages.html)
    paths = (
        "competitions/index.html",
        "competitions/kaggle/riiid-test-answer-prediction.html",
        "issues/0057.html",  # cards with long competition names in their chips
    )
    for path in paths:
        context, page, errors = open_page(browser, f"{base}/{path}", width=360)
        try:
            # The article's own boxes (the theme's off-screen table of contents aside).
            overflowing = page.evaluate(
                "Array.from(document.querySelectorAll('article *'))"
                ".filter(e => !e.parentElement.closest('.wkn-competitions'))"
                ".filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)"
                ".map(e => e.tagName + '.' + e.className)"
            )
            assert overflowing == [], path
            assert errors == []
        finally:
            context.close()


def test_search_index_names_each_competition_where_its_page_does(pages):
    """The search page's competition filter keeps the issues the competition's page lists:
    the index (``_search/``) gives each competition the same issues as its page, and so
    every issue whose original links it."""
    import json

    index = pages.html / "_search"
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    listed_competitions = json.loads((index / "f/competitions.json").read_text(encoding="utf-8"))
    keys = [key for key, _name, _refs in listed_competitions]
    built = {
        path.relative_to(pages.html / "competitions").with_suffix("").as_posix()
        for path in (pages.html / "competitions").glob("*/*.html")
    }
    assert set(keys) == built
    assert list(meta["platforms"]) == list(dict.fromkeys(key.split("/")[0] for key in keys))
    in_entries: dict[str, set[int]] = defaultdict(set)
    numbers = [n for high, low in meta["issues"] for n in range(high, low - 1, -1)]
    for number in numbers:
        issue = json.loads((index / f"i/{number}.json").read_text(encoding="utf-8"))
        for entry in issue["entries"]:
            for key in entry[7]:
                in_entries[key].add(number)
    differ = {}
    for key in keys:
        page = BeautifulSoup(
            (pages.html / f"competitions/{key}.html").read_text(encoding="utf-8"), "html.parser"
        )
        listed = {
            int(found[1])
            for a in page.select("#competition a[href]")
            if (found := re.search(r"issues/(\d{4})\.html", a["href"]))
        }
        if in_entries[key] != listed:
            differ[key] = (sorted(in_entries[key] - listed), sorted(listed - in_entries[key]))
    assert differ == {}
    assert all(LINKED[key] <= in_entries[key] for key in LINKED)
