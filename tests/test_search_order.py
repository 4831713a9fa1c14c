"""The search page on the real book: the order of its results, and what typing downloads.

The exact group is computed from the Revue originals (``bench/search_queries.py``), never
from the book, so a ranking or matching mistake in the page cannot hide itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from urllib.parse import quote

import pytest
from bench.search_queries import relevant
from newsarchive.sphinxext.search_index import fold, shard_of

pytestmark = [pytest.mark.book, pytest.mark.browser]

STATE = "document.getElementById('wkn-search').dataset.state"


@pytest.fixture(scope="module")
def base(real_book, serve) -> str:
    assert real_book.returncode == 0, real_book.log[-3000:]
    return serve(real_book.html)


@pytest.fixture
def page(browser, base):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(base) else route.abort(),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def shown(page, group: str) -> list[int]:
    return [
        int(n)
        for n in page.eval_on_selector_all(
            f".wkn-search-results[data-group={group}] > li",
            "items => items.map(i => i.dataset.issue)",
        )
    ]


def newest_first(numbers: list[int]) -> bool:
    return all(a > b for a, b in itertools.pairwise(numbers))


def test_every_exact_hit_comes_before_any_words_apart_newest_first(page, base):
    query = "画像コンペ"
    exact = relevant(query)
    assert len(exact) > 10  # more exact hits than one page of results
    page.goto(f"{base}/search.html?q={quote(query)}")
    page.wait_for_function(f"{STATE} === 'done'")
    # The first page: exact hits only, the newest first.
    assert shown(page, "exact") == sorted(exact, reverse=True)[:10]
    assert shown(page, "apart") == []
    assert page.locator("#wkn-search-apart").is_hidden()
    # The next pages: the rest of the exact group, then the words apart after it.
    pages = [shown(page, "exact") + shown(page, "apart")]
    more = page.locator(".wkn-search-more")
    while more.is_visible():
        more.click()
        page.wait_for_function(f"{STATE} === 'done'")
        pages.append(shown(page, "exact") + shown(page, "apart"))
    everything = pages[-1]
    assert len(pages) >= 3 and all(a == b[: len(a)] for a, b in itertools.pairwise(pages))
    assert everything[: len(exact)] == sorted(exact, reverse=True)
    apart = everything[len(exact) :]
    assert apart == shown(page, "apart") and len(apart) > 10
    assert newest_first(apart) and not set(apart) & exact
    assert int(page.locator("#wkn-search").get_attribute("data-count")) == len(everything)
    assert page.locator("#wkn-search-exact").inner_text() == f"完全一致 {len(exact)} 件"
    assert page.locator("#wkn-search-apart").inner_text() == f"語を離れて含むページ {len(apart)} 件"


def test_a_word_apart_holds_every_piece_of_the_query(page, base):
    """Each issue of the words-apart group holds 画像 and コンペ (its entries' texts, from
    the index's own issue files), and none holds 画像コンペ as the originals read."""
    page.goto(f"{base}/search.html?q={quote('画像コンペ')}")
    page.wait_for_function(f"{STATE} === 'done'")
    more = page.locator(".wkn-search-more")
    while more.is_visible():
        more.click()
        page.wait_for_function(f"{STATE} === 'done'")
    for number in shown(page, "apart"):
        issue = page.evaluate("(n) => fetch(`_search/i/${n}.json`).then((r) => r.json())", number)
        text = fold(" ".join(" ".join(entry[2:6]) for entry in issue["entries"]))
        assert "画像" in text and "コンペ" in text, number


def search_requests(page) -> list[str]:
    requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            requests.append(m[1]) if (m := re.search(r"/_search/(.+\.json)", request.url)) else None
        ),
    )
    return requests


def test_the_prefixes_typed_on_the_way_download_nothing(page, base):
    """Keys typed faster than the pause fetch nothing; once the keys pause, the query's own
        shards and the entries it shows, nothing for what only its prefixes need (機, 学: their
    single characters). The page's timers are driven by the test, not by the machine's speed."""
    query = "機械学習"
    final = ("機械", "械学", "学習")  # every pair of the query
    page.clock.install()
    requests = search_requests(page)
    page.goto(f"{base}/search.html")
    page.clock.pause_at(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    page.wait_for_timeout(200)  # the form's first file (meta.json) is in
    requests.clear()
    for char in query:
        page.keyboard.type(char)
    page.wait_for_timeout(300)
    assert requests == []  # nothing while the keys come faster than the pause
    page.clock.run_for(1_000)
    page.wait_for_function(f"{STATE} === 'done'")
    meta = page.evaluate("() => fetch('_search/meta.json').then((r) => r.json())")
    shards = {f"s/{shard_of(key, meta['shards'])}.json" for key in final}
    prefix_only = {f"s/{shard_of(key, meta['shards'])}.json" for key in ("機", "学")} - shards
    assert prefix_only, "the prefixes' shards are the query's own: pick another query"
    fetched_shards = {name for name in requests if name.startswith("s/")}
    assert fetched_shards <= shards and not fetched_shards & prefix_only
    # The results' entries only: e/<issue>/<entry>.json of the issues shown.
    issues = {int(name.split("/")[1]) for name in requests if name.startswith("e/")}
    assert issues == set(shown(page, "exact") + shown(page, "apart"))
    assert not [name for name in requests if name.startswith("i/")]
