"""Cards and issue pages of a small archive, built with the HTML builder."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import build_root, soup_of


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    """The 'basic' root built once for this module."""
    return build_root("basic", tmp_path_factory.mktemp("cards"))


def page(app, name: str) -> BeautifulSoup:
    return soup_of(app.outdir / name)


def test_builds_without_warnings(basic):
    assert basic.warning.getvalue() == ""


def test_card_links_out_with_title_site_thumbnail_and_excerpt(basic):
    card = page(basic, "issues/0001.html").select_one("article.wkn-card#link-1")
    link = card.select_one(".wkn-card-title a")
    assert link["href"] == "https://example.com/articles/one?id=7&lang=ja"
    assert link.get_text() == "First article"
    assert "noopener" in link["rel"]
    image = card.select_one(".wkn-card-thumb img")
    assert image["src"] == "https://img.example.com/one.png"
    assert image["loading"] == "lazy"
    assert (image["width"], image["height"]) == ("140", "140")
    assert image["alt"] == "First article"
    assert card.select_one(".wkn-card-site").get_text() == "example.com"
    assert card.select_one(".wkn-card-excerpt").get_text() == "An excerpt of the first article."


def test_commentary_keeps_markup(basic):
    body = page(basic, "issues/0001.html").select_one("#link-1 .wkn-card-body")
    assert body.select_one("em").get_text() == "first"
    assert body.select_one("a")["href"] == "https://example.net/more"
    assert [p.get_text() for p in body.select("p")][-1] == "Second paragraph."


def test_permalink_and_archived_copy(basic):
    card = page(basic, "issues/0001.html").select_one("#link-1")
    assert card.select_one("a.wkn-permalink")["href"] == "#link-1"
    archived = card.select_one("a.wkn-archived")["href"]
    assert (
        archived
        == "https://web.archive.org/web/20201225/https://example.com/articles/one?id=7&lang=ja"
    )


def test_card_without_image_shows_the_site_initial(basic):
    card = page(basic, "issues/0001.html").select_one("#link-2")
    thumb = card.select_one(".wkn-card-thumb")
    assert "wkn-thumb-missing" in thumb["class"]
    assert thumb.select_one("img") is None
    assert thumb.select_one(".wkn-thumb-fallback").get_text() == "A"
    assert card.select_one(".wkn-card-site").get_text() == "arxiv.org"  # from the URL


def test_same_link_in_two_issues_points_to_the_other(basic):
    first = page(basic, "issues/0001.html").select_one("#link-1 .wkn-also-in a")
    assert (first.get_text(), first["href"]) == ("#2", "0002.html#link-1")
    second = page(basic, "issues/0002.html").select_one("#link-1 .wkn-also-in a")
    assert (second.get_text(), second["href"]) == ("#1", "0001.html#link-1")
    assert page(basic, "issues/0001.html").select_one("#link-2 .wkn-also-in") is None


def test_issue_page_shows_date_original_and_neighbours(basic):
    html = page(basic, "issues/0002.html")
    meta = html.select_one(".wkn-issue-meta")
    assert "2021年1月1日（金）" in meta.get_text()
    assert meta.select_one("a.wkn-source") is None  # issue 2 has no source
    assert html.select_one(".wkn-prev")["href"] == "0001.html"
    assert html.select_one(".wkn-next")["href"] == "0003.html"
    first = page(basic, "issues/0001.html")
    assert first.select_one("a.wkn-source")["href"] == "https://example.org/revue/1"
    assert first.select_one(".wkn-prev") is None
    assert page(basic, "issues/0003.html").select_one(".wkn-next") is None


def test_home_lists_issues_newest_first_by_year_with_link_counts(basic):
    html = page(basic, "index.html")
    years = [r.get_text() for r in html.select(".wkn-issue-list .wkn-year")]
    assert years == ["2021年2号", "2020年1号"]
    rows = [li.get_text(" ", strip=True) for li in html.select(".wkn-issues li")]
    assert rows[0].startswith("Test News #3") and rows[0].endswith("0 リンク")
    assert rows[1].startswith("Test News #2") and rows[1].endswith("1 リンク")
    assert rows[2].startswith("Test News #1") and rows[2].endswith("2 リンク")


def test_navigation_is_years_then_issues(basic):
    includes = basic.env.toctree_includes
    assert includes["index"] == ["years/2021", "years/2020"]
    assert includes["years/2021"] == ["issues/0003", "issues/0002"]
    assert includes["years/2020"] == ["issues/0001"]


def test_cards_are_in_the_search_index(basic):
    index = (basic.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert "commentari" in index.lower() or "commentary" in index.lower()
