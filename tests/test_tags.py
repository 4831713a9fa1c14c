"""Tags: chips on cards, the tag index, one page per tag, and builds that keep them right."""

from __future__ import annotations

import pytest
from conftest import build_root, soup_of
from test_bad_input import warnings_of
from test_incremental import build, copy_root, edit, written


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    return build_root("basic", tmp_path_factory.mktemp("tags"))


def test_chips_show_labels_and_link_to_tag_pages(basic):
    card = soup_of(basic.outdir / "issues/0001.html").select_one("#link-1")
    chips = [(a.get_text(), a["href"]) for a in card.select("a.wkn-chip")]
    assert chips == [("自然言語処理", "../tags/nlp.html"), ("論文", "../tags/paper.html")]


def test_aliases_and_full_width_names_resolve_to_one_tag(basic):
    second = soup_of(basic.outdir / "issues/0001.html").select_one("#link-2 a.wkn-chip")
    assert second["href"] == "../tags/paper.html"  # written as 論文
    other = soup_of(basic.outdir / "issues/0002.html").select_one("#link-1 a.wkn-chip")
    assert other["href"] == "../tags/nlp.html"  # written as ＮＬＰ


def test_tag_index_lists_every_tag_with_its_count(basic):
    rows = soup_of(basic.outdir / "tags/index.html").select(".wkn-tag-cloud li")
    counts = {r.select_one("a").get_text(): r.select_one(".wkn-count").get_text() for r in rows}
    assert counts == {"自然言語処理": "2", "論文": "2", "C++": "0"}
    assert rows[0].select_one("a")["href"] == "nlp.html"


def test_tag_page_lists_cards_newest_first_with_issue_and_card_link(basic):
    page = soup_of(basic.outdir / "tags/nlp.html")
    entries = page.select(".wkn-entry")
    assert [e.select_one("a").get_text() for e in entries] == [
        "First article, again",
        "First article",
    ]
    first = entries[0]
    assert first.select_one("a")["href"] == "https://example.com/articles/one?id=7&lang=ja"
    assert first.select_one(".wkn-entry-site").get_text() == "example.com"
    issue_link = first.select_one(".wkn-entry-issue a")
    assert (issue_link.get_text(), issue_link["href"]) == ("#2", "../issues/0002.html#link-1")
    assert "2021年1月1日" in first.select_one(".wkn-entry-issue").get_text()


def test_sites_index_lists_the_most_linked_site_first_and_each_site_has_a_page(basic):
    page = soup_of(basic.outdir / "sites/index.html")
    sites = [
        (site.get_text(" ", strip=True), site.select_one("a")["href"])
        for site in page.select(".wkn-sites li")
    ]
    assert sites == [
        # arxiv.org has no :site:: it is listed under its URL's host.
        ("example.com 2", "example.com.html"),
        ("arxiv.org 1", "arxiv.org.html"),
    ]
    cards = {
        name: [a["href"] for a in soup_of(basic.outdir / name).select(".wkn-entry-issue a")]
        for name in ("sites/example.com.html", "sites/arxiv.org.html")
    }
    assert cards == {
        "sites/example.com.html": ["../issues/0002.html#link-1", "../issues/0001.html#link-1"],
        "sites/arxiv.org.html": ["../issues/0001.html#link-2"],
    }


def test_tag_pages_are_searchable_text_and_in_the_sitemap(basic):
    assert (basic.outdir / "tags/cpp.html").exists()
    assert "このタグのリンクはまだありません" in soup_of(basic.outdir / "tags/cpp.html").get_text()


@pytest.mark.sphinx("html", testroot="bad", srcdir="tags-unknown")
def test_unknown_tag_names_the_closest_known_tag(app):
    app.build()
    assert any(
        w.startswith("issues/0002.md:12: WARNING: unknown tag 'nlpp'; did you mean 'nlp'?")
        and w.endswith("[newsarchive.tag]")
        for w in warnings_of(app)
    ), warnings_of(app)


def test_dropped_tag_leaves_no_page_and_no_link(tmp_path):
    srcdir = copy_root("basic", tmp_path)
    build(srcdir)
    vocabulary = srcdir / "tags.toml"
    edit(vocabulary, '[[tag]]\nslug = "paper"\nja = "論文"\nen = "Paper"\n', "")
    for page in ("issues/0001.md",):
        edit(srcdir / page, ":tags: nlp, Paper\n", ":tags: nlp\n")
        edit(srcdir / page, ":tags: 論文\n", "")
    app = build(srcdir)
    assert not (app.outdir / "tags/paper.html").exists()
    for page in app.outdir.rglob("*.html"):
        assert "tags/paper.html" not in page.read_text(encoding="utf-8"), page


def test_new_tag_page_appears_without_a_clean_build(tmp_path):
    srcdir = copy_root("basic", tmp_path)
    app = build(srcdir)
    before = written(app.outdir)
    with (srcdir / "tags.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[tag]]\nslug = "video"\nja = "動画"\nen = "Video"\n')
    edit(
        srcdir / "issues/0003.md",
        "No links this week.",
        "No links this week.\n\n:::{link} https://www.youtube.com/watch?v=x\n"
        ':title: "A video"\n:tags: video\n:::\n',
    )
    app = build(srcdir)
    page = soup_of(app.outdir / "tags/video.html")
    assert [a.get_text() for a in page.select(".wkn-entry > a")] == ["A video"]
    assert "tags/video.html" not in before
