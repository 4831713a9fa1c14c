"""The link finder's old address (links/index.html) leads to the search page's listing of
every link (search.html?all=1), carrying the finder's choices over; no page fetches
links.json, which stays as the link database's export.

In Chromium: the old address with the finder's parameters (q, tag, year, competition)
reaches the search page with the same choices in its form, with and without scripts; the
network is watched on both pages.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from conftest import build_root, soup_of
from newsarchive.sphinxext.finder import CARRIED_OVER, PAGENAME
from test_search import open_page

OLD_ADDRESS = f"{PAGENAME}.html"
#: The search page once it has drawn what its address asks for.
DRAWN = "['done', 'error'].includes(document.getElementById('wkn-search').dataset.state)"


@pytest.fixture(scope="module")
def finder_root(tmp_path_factory) -> Path:
    """test-search (the book's own search page): two issues, four links, a hostile title."""
    app = build_root("search", tmp_path_factory.mktemp("finder"))
    return Path(app.outdir)


def test_old_address_is_a_small_page_that_leads_to_the_listing(finder_root):
    path = finder_root / OLD_ADDRESS
    page = soup_of(path)
    assert page.html["lang"] == "ja"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select_one('link[rel="canonical"]')["href"] == "../search.html"
    # Without scripts, the meta refresh leads to the listing; the link says where.
    refresh = page.select_one('noscript meta[http-equiv="refresh"]')
    assert refresh["content"] == "0; url=../search.html?all=1"
    link = page.select_one("main a#wkn-listing")
    assert link["href"] == "../search.html?all=1"
    assert link.get_text() == "検索ページですべてのリンクを見る"
    assert link["data-carry"].split() == list(CARRIED_OVER)
    assert page.select_one("main h1").get_text() == "リンク検索は検索ページへ移りました"
    # Its own page, not the book's layout: nothing of the finder or of the theme is loaded.
    assert [s.get("src") for s in page.select("script")] == [None]  # the inline one only
    assert page.select("link[rel=stylesheet], form") == []
    assert "links.json" not in path.read_text(encoding="utf-8")
    assert path.stat().st_size < 4096
    assert page.select_one('meta[name="description"]')["content"]
    assert page.select_one('link[rel="icon"]') is None  # the test root names no icon
    # The export stays; the sitemap leaves the old address out.
    assert json.loads((finder_root / "links.json").read_text(encoding="utf-8"))["links"]
    assert (finder_root / "links.csv").exists()
    assert "links/index.html" not in (finder_root / "sitemap.xml").read_text(encoding="utf-8")


def test_the_home_links_the_listing_and_no_page_links_the_old_address(finder_root):
    home = soup_of(finder_root / "index.html")
    links = {a.get_text(): a["href"] for a in home.select(".wkn-archive-links a")}
    assert links["すべてのリンク All links"] == "search.html?all=1"
    for path in finder_root.rglob("*.html"):
        hrefs = [a.get("href", "") for a in soup_of(path).select("a")]
        assert not [h for h in hrefs if "links/index" in h], path
        assert not any("finder.js" in s.get("src", "") for s in soup_of(path).select("script"))


def test_without_the_books_search_there_is_no_old_address(tmp_path):
    """With Sphinx's search page (the default) there is no listing to lead to: neither the
    page nor the home's link is written."""
    app = build_root("search", tmp_path, confoverrides={"newsarchive_search": "sphinx"})
    out = Path(app.outdir)
    assert not (out / OLD_ADDRESS).exists()
    assert (out / "links.json").exists()
    home = soup_of(out / "index.html")
    assert "すべてのリンク" not in home.select_one(".wkn-archive-links").get_text()


def test_turning_to_sphinxs_search_removes_the_old_address(tmp_path):
    """An output built with the book's search loses the page when rebuilt with Sphinx's."""
    import shutil

    from conftest import ROOTS, build_srcdir

    srcdir = tmp_path / "search"
    shutil.copytree(ROOTS / "test-search", srcdir)
    out = Path(build_srcdir(srcdir).outdir)
    assert (out / OLD_ADDRESS).exists()
    build_srcdir(srcdir, confoverrides={"newsarchive_search": "sphinx"})
    assert not (out / OLD_ADDRESS).exists()
    assert not (out / "links").exists()
    assert (out / "links.json").exists()
    build_srcdir(srcdir)
    assert (out / OLD_ADDRESS).exists()


# -- in Chromium -------------------------------------------------------------------------


def follow(browser, base: str, address: str, *, scripts: bool = True):
    """Open ``address`` of the site and wait for the search page to draw what it asks for.
    Returns the page, every URL the browser requested, the script errors and the context."""
    context = browser.new_context(java_script_enabled=scripts)
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(base) else route.abort(),
    )
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/{address}")
    page.wait_for_url("**/search.html?*")
    if scripts:
        page.wait_for_function(DRAWN)
    return page, requested, errors, context


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def card_titles(page) -> list[str]:
    return page.eval_on_selector_all(
        "#wkn-search .wkn-search-card-title a", "as => as.map(a => a.textContent)"
    )


@pytest.mark.browser
def test_old_address_lists_every_link_and_never_fetches_links_json(browser, serve, finder_root):
    base = serve(finder_root)
    page, requested, errors, context = follow(browser, base, OLD_ADDRESS)
    try:
        assert urlsplit(page.url).path == "/search.html"
        assert query_of(page.url) == {"all": "1"}
        links = json.loads((finder_root / "links.json").read_text(encoding="utf-8"))["links"]
        assert page.locator("#wkn-search").get_attribute("data-state") == "done"
        assert int(page.locator("#wkn-search").get_attribute("data-count")) == len(links)
        # Newest issue first, then in the order; the hostile title is text.
        assert card_titles(page) == [
            "BERT for Question Answering",
            "MeCab で日本語を分かち書き",
            "機械学習の基礎 Machine Learning Basics",
            "<script>alert(1)</script> & \"quotes\" 'single' <b>bold</b>",
        ]
        assert page.locator("#wkn-search-q").input_value() == ""
        assert [url for url in requested if "links." in url] == []
        assert any(url.endswith(f"/{OLD_ADDRESS}") for url in requested)
        assert any("/_search/" in url for url in requested)  # the search page's own index
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_the_finders_choices_are_carried_over(browser, serve, finder_root):
    """Words, tag, year and competition keep their names and values on the search page; a
    parameter the finder never had is left behind, and so is an empty one."""
    base = serve(finder_root)
    competition = "kaggle/riiid-test-answer-prediction"
    address = (
        f"{OLD_ADDRESS}?q={quote('分かち書き')}&tag=nlp&year=2021"
        f"&competition={quote(competition, safe='')}&site=&theme=dark"
    )
    page, requested, errors, context = follow(browser, base, address)
    try:
        assert query_of(page.url) == {
            "q": "分かち書き",
            "tag": "nlp",
            "year": "2021",
            "competition": competition,
        }
        assert page.locator("#wkn-search-q").input_value() == "分かち書き"
        for name, value in (("tag", "nlp"), ("year", "2021"), ("competition", competition)):
            assert page.locator(f"#wkn-search select[name={name}]").input_value() == value
        assert card_titles(page) == ["MeCab で日本語を分かち書き"]
        assert [url for url in requested if "links." in url] == []
        assert errors == []
    finally:
        context.close()
    # Choices without words: the listing, narrowed by them.
    page, requested, errors, context = follow(
        browser, base, f"{OLD_ADDRESS}?competition={quote(competition, safe='')}&year=2021&q=+"
    )
    try:
        assert query_of(page.url) == {"competition": competition, "year": "2021", "all": "1"}
        assert card_titles(page) == ["MeCab で日本語を分かち書き"]
        assert page.locator("#wkn-search select[name=competition]").input_value() == competition
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_hostile_words_are_carried_as_text(browser, serve, finder_root):
    base = serve(finder_root)
    words = '"><img src=x onerror="window.pwned=1"> alert'
    page, _, errors, context = follow(browser, base, f"{OLD_ADDRESS}?q={quote(words)}")
    try:
        assert query_of(page.url) == {"q": words}
        assert page.locator("#wkn-search-q").input_value() == words
        assert page.locator("img[src=x]").count() == 0
        assert page.evaluate("window.pwned") is None
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_without_scripts_the_meta_refresh_leads_to_the_listing(browser, serve, finder_root):
    base = serve(finder_root)
    page, requested, _, context = follow(browser, base, f"{OLD_ADDRESS}?q=BERT", scripts=False)
    try:
        assert query_of(page.url) == {"all": "1"}  # a refresh cannot carry the choices
        assert urlsplit(page.url).path == "/search.html"
        assert [url for url in requested if "links." in url] == []
    finally:
        context.close()


# -- the real archive ----------------------------------------------------------------------


@pytest.mark.book
@pytest.mark.browser
def test_real_old_address_lists_every_link_newest_first(browser, real_book, serve):
    assert real_book.returncode == 0, real_book.log[-3000:]
    base = serve(real_book.html)
    links = json.loads((real_book.html / "links.json").read_text(encoding="utf-8"))["links"]
    newest = max(link["issue"] for link in links)
    page, requested, errors, context = follow(browser, base, OLD_ADDRESS)
    try:
        assert query_of(page.url) == {"all": "1"}
        assert int(page.locator("#wkn-search").get_attribute("data-count")) == len(links)
        first = page.locator("#wkn-search .wkn-search-results > li").first
        assert first.get_attribute("data-issue") == str(newest)
        assert card_titles(page)[0] == next(
            link["title"] for link in links if link["issue"] == newest
        )
        assert [url for url in requested if "links." in url] == []
        assert errors == []
    finally:
        context.close()
    # The search page opened by itself, with words, fetches no links.json either.
    context, page, errors = open_page(browser, f"{base}/search.html")
    try:
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        page.fill("#wkn-search-q", "Kaggle")
        page.wait_for_function(DRAWN)
        page.locator("#wkn-search select[name=tag]").focus()
        page.wait_for_load_state("networkidle")
        assert any("/_search/" in url for url in requested)
        assert [url for url in requested if "links." in url] == []
        assert errors == []
    finally:
        context.close()
