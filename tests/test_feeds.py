"""The Atom feeds (the book's, per tag): RFC 4287, stable entry ids, escaped content."""

from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import ATOM, PUBLISHED, ROOTS, build_root, build_srcdir, feed_entries, soup_of


def test_every_page_links_the_feed(published_basic):
    for name in ("index.html", "issues/0001.html", "sites/index.html"):
        link = soup_of(published_basic.outdir / name).find(
            "link", rel="alternate", type="application/atom+xml"
        )
        assert link is not None and link["href"].endswith("feed.xml"), name


def test_feed_follows_rfc_4287(published_basic):
    root, entries = feed_entries(published_basic.outdir / "feed.xml")
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


def test_feed_ids_are_stable_between_builds(tmp_path, published_basic):
    again = build_root("basic", tmp_path, confoverrides=PUBLISHED)
    assert (again.outdir / "feed.xml").read_bytes() == (
        published_basic.outdir / "feed.xml"
    ).read_bytes()


def test_hostile_feed_content_is_escaped(published_hostile):
    _, entries = feed_entries(published_hostile.outdir / "feed.xml")
    content = BeautifulSoup(entries[0].find(f"{ATOM}content").text, "html.parser")
    assert content.find("script") is None
    assert content.find("a").get_text() == "<script>alert('card')</script> & \"q\" 'single'"


def test_control_characters_do_not_break_the_feed(published_hostile):
    _, entries = feed_entries(published_hostile.outdir / "feed.xml")
    assert "\x08" not in entries[0].find(f"{ATOM}summary").text


def feed_ids(path) -> dict[str, str]:
    """Each entry's link -> its id (a tag feed's entries link to the card)."""
    _, entries = feed_entries(path)
    return {e.find(f"{ATOM}link").get("href"): e.find(f"{ATOM}id").text for e in entries}


def test_feed_ids_stay_when_titles_change_and_issues_are_added(tmp_path, published_basic):
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
    after = build_srcdir(srcdir, confoverrides=PUBLISHED).outdir
    for feed in ("feed.xml", "tags/nlp.xml", "tags/paper.xml"):
        old, new = feed_ids(published_basic.outdir / feed), feed_ids(after / feed)
        assert old and all(new[link] == entry_id for link, entry_id in old.items()), feed
        assert len(set(new.values())) == len(new)  # and every id is its entry's own
    assert (
        len(feed_ids(after / "tags/nlp.xml"))
        == len(feed_ids(published_basic.outdir / "tags/nlp.xml")) + 2
    )
