"""Nothing lost: every link and every commentary of the 159 Revue issues is in the book.

The raw exports are read here with BeautifulSoup independently of the importer, so a
mistake in the importer cannot hide itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from newsarchive.core.urls import is_tracking_param

RAW = sorted((REPO / "issues" / "revue").glob("*.md"))
SHORTCODE = re.compile(r"\[(embed|tweet) (https?://[^\]\s]+)\]")
NUMBER = re.compile(r"#(\d+)")


def comparable(url: str) -> tuple:
    """A URL as a target: tracking parameters dropped, the others in any order."""
    parts = urlsplit(url.strip())
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(k)
    )
    path = unquote(parts.path)  # a space may be written as %20
    return (parts.scheme.lower(), parts.netloc.lower(), path, tuple(query), parts.fragment)


def squeeze(text: str) -> str:
    """Text without white space or control characters (which HTML cannot hold), so line
    breaks and wrapping do not matter."""
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cc")


def raw_issue(path: Path) -> dict:
    title, _source, body = path.read_text(encoding="utf-8").split("\n", 2)
    soup = BeautifulSoup(body, "html.parser")
    links = []
    for strong in soup.find_all("strong", style=re.compile("display: ?block")):
        anchors = strong.find_all("a")
        links.append(comparable(anchors[-1]["href"] if len(anchors) > 1 else anchors[0]["href"]))
    shortcodes = [(kind, comparable(url)) for kind, url in SHORTCODE.findall(body)]
    commentaries = [
        inner.get_text()
        for outer in soup.find_all("p", recursive=False)
        for inner in outer.find_all("p", recursive=False)
    ]
    return {
        "number": int(NUMBER.search(title)[1]),
        "links": links,
        "shortcodes": shortcodes,
        "commentaries": [c for c in commentaries if c.strip()],
    }


ISSUES = [raw_issue(path) for path in RAW]


def test_the_source_holds_what_the_archive_promises():
    assert len(ISSUES) == 159
    assert sum(len(i["links"]) for i in ISSUES) == 1156
    kinds = Counter(kind for i in ISSUES for kind, _ in i["shortcodes"])
    assert kinds == {"embed": 36, "tweet": 6}


@pytest.fixture(scope="module")
def built_cards(real_book):
    assert real_book.returncode == 0, real_book.log[-3000:]
    pages = {}
    for issue in ISSUES:
        page = real_book.page(f"issues/{issue['number']:04d}.html")
        cards = page.select("article.wkn-card")
        pages[issue["number"]] = {
            "targets": Counter(
                comparable(c.select_one(".wkn-card-title a")["href"]) for c in cards
            ),
            "count": len(cards),
            "text": squeeze(page.select_one("main").get_text()),
        }
    return pages


def test_every_card_is_built(built_cards):
    total = sum(page["count"] for page in built_cards.values())
    assert total == 1156 + 36 + 6


@pytest.mark.parametrize("issue", ISSUES, ids=lambda i: f"#{i['number']}")
def test_every_link_and_commentary_is_on_its_issue_page(built_cards, issue):
    page = built_cards[issue["number"]]
    wanted = Counter(issue["links"]) + Counter(url for _, url in issue["shortcodes"])
    missing = wanted - page["targets"]
    assert not missing, f"links missing from #{issue['number']}: {missing}"
    lost = [c for c in issue["commentaries"] if squeeze(c) not in page["text"]]
    assert not lost, f"commentary missing from #{issue['number']}: {lost[:2]}"


@pytest.fixture(scope="module")
def chips_by_card(real_book):
    """(issue page, card id) -> tag pages its chips link to, read from the issue pages."""
    found = {}
    for page in sorted((real_book.html / "issues").glob("*.html")):
        for card in real_book.page(f"issues/{page.name}").select("article.wkn-card"):
            found[(f"issues/{page.name}", card["id"])] = {
                a["href"].removeprefix("../") for a in card.select("a.wkn-chip")
            }
    return found


def test_every_card_has_a_tag(chips_by_card):
    untagged = [card for card, tags in chips_by_card.items() if not tags]
    assert len(chips_by_card) == 1198
    assert untagged == []


def listed_cards(real_book, first: Path) -> list[tuple[str, str]]:
    """(issue page, card id) of every entry of a list, over all its parts, in order."""
    parts = [first, *sorted((first.parent / first.stem).glob("*.html"), key=lambda p: int(p.stem))]
    return [
        tuple(re.sub(r"^(\.\./)+", "", a["href"]).split("#"))
        for part in parts
        for a in real_book.page(part.relative_to(real_book.html).as_posix()).select(
            ".wkn-entry-issue a"
        )
    ]


def test_tag_pages_list_exactly_the_cards_that_carry_them(real_book, chips_by_card):
    tag_pages = sorted((real_book.html / "tags").glob("*.html"))
    assert len(tag_pages) > 30
    assert (real_book.html / "tags/kaggle/2.html").is_file()  # a list of several parts
    for page in tag_pages:
        if page.name == "index.html":
            continue
        listed = listed_cards(real_book, page)
        assert len(listed) == len(set(listed)), page.name  # each card on one part only
        carrying = {card for card, tags in chips_by_card.items() if f"tags/{page.name}" in tags}
        assert set(listed) == carrying, page.name


def test_sites_index_counts_every_card_once(real_book, chips_by_card):
    sites = real_book.page("sites/index.html")
    rows = sites.select(".wkn-sites li")
    assert sum(int(row.select_one(".wkn-count").get_text()) for row in rows) == len(chips_by_card)
    listed = []
    for row in rows:
        cards = listed_cards(real_book, real_book.html / "sites" / row.select_one("a")["href"])
        assert len(cards) == int(row.select_one(".wkn-count").get_text()), row
        listed += cards
    assert sorted(listed) == sorted(chips_by_card)
