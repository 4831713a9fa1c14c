"""The link finder (links/index.html) in Chromium: words, tag and year, counts, hostile text.

Counts are checked against links.json filtered here the same way (NFKC, lower case, every
word in the title, excerpt, commentary or site). A synthetic 15,000-link file checks that
every keystroke filters the whole set at once; how long that takes depends on the machine's
load, so it is left to benchmarks, not asserted here.
"""

from __future__ import annotations

import json
import random
import shutil
import unicodedata
from pathlib import Path

import pytest
from conftest import build_root, soup_of
from newsarchive.sphinxext.finder import PAGENAME
from test_search import open_page

pytestmark = pytest.mark.browser

Q, TAG, YEAR = (f"#wkn-finder [name={name}]" for name in ("q", "tag", "year"))
HOSTILE = "<script>alert(1)</script> & \"quotes\" 'single' <b>bold</b>"


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def expected_count(data: dict, words: str = "", tag: str = "", year: str = "") -> int:
    terms = normalise(words).split()
    count = 0
    for link in data["links"]:
        text = normalise(
            "\n".join(link[k] or "" for k in ("title", "excerpt", "commentary", "site"))
        )
        if all(t in text for t in terms) and (not tag or tag in link["tags"]):
            count += not year or link["date"].startswith(year)
    return count


def open_finder(browser, url: str, *, width: int = 1280):
    """The finder with links.json loaded: the page shows its first view (``preview``) and
    loads the links when the reader turns to the form."""
    context, page, errors = open_page(browser, url, width=width)
    page.focus(Q)
    page.wait_for_function(
        "!['preview', 'loading'].includes(document.getElementById('wkn-finder').dataset.state)"
    )
    assert page.locator("#wkn-finder").get_attribute("data-state") == "ready"
    return context, page, errors


def shown_count(page) -> int:
    return int(page.locator("#wkn-finder").get_attribute("data-count"))


@pytest.fixture(scope="module")
def finder_root(tmp_path_factory) -> Path:
    app = build_root("search", tmp_path_factory.mktemp("finder"))
    return Path(app.outdir)


def test_finder_page_is_written_with_the_book(finder_root):
    page = soup_of(finder_root / f"{PAGENAME}.html")
    assert (
        page.select_one("#wkn-finder h1")
        .get_text(" ", strip=True)
        .startswith("リンク検索 Link finder")
    )
    section = page.select_one("#wkn-finder")
    assert section["data-source"] == "../links.json"
    assert any("finder.js" in s.get("src", "") for s in page.select("script"))
    assert page.select_one("#wkn-finder input[name=q]") is not None
    issue = soup_of(finder_root / "issues" / "0001.html")
    assert not any("finder.js" in s.get("src", "") for s in issue.select("script"))


def test_words_tags_years_and_hostile_titles(browser, serve, finder_root):
    base = serve(finder_root)
    data = json.loads((finder_root / "links.json").read_text(encoding="utf-8"))
    context, page, errors = open_finder(browser, f"{base}/{PAGENAME}.html")
    try:
        assert shown_count(page) == len(data["links"]) == 4
        assert page.locator(".wkn-finder-count").inner_text() == "4 件 / 全 4 件"
        # Newest issue first, each with its site, issue and date, linking to the card.
        first = page.locator(".wkn-finder-result").first
        assert first.locator(".wkn-finder-title").inner_text() == "BERT for Question Answering"
        assert (
            first.locator(".wkn-finder-title")
            .get_attribute("href")
            .endswith("/issues/0002.html#link-1")
        )
        assert (
            first.locator(".wkn-finder-meta")
            .inner_text()
            .startswith("example.org · #2 · 2021年3月5日")
        )
        page.fill(Q, "Ｂｅｒｔ")  # full-width letters match too
        assert shown_count(page) == 1
        page.fill(Q, "形態素解析")  # in a commentary
        assert shown_count(page) == expected_count(data, "形態素解析") == 1
        page.fill(Q, "")
        page.select_option(TAG, "nlp")
        assert shown_count(page) == 2
        assert "自然言語処理 (2)" in page.locator(TAG).inner_text()
        years = page.locator(YEAR).inner_text()
        assert "2021年 (2)" in years and "2020年 (0)" in years
        assert page.locator(f"{YEAR} option[value='2020']").is_disabled()
        page.select_option(YEAR, "2021")
        assert shown_count(page) == 2
        page.select_option(TAG, "")
        page.select_option(YEAR, "2020")
        assert shown_count(page) == expected_count(data, year="2020") == 2
        assert page.locator(".wkn-finder-count").inner_text() == "2 件 / 全 4 件"
        assert "year=2020" in page.url

        # A hostile title is text, and so is hostile input.
        page.fill(Q, "alert")
        title = page.locator(".wkn-finder-title")
        assert title.inner_text() == HOSTILE
        assert page.locator(".wkn-finder-results script, .wkn-finder-results b").count() == 0
        page.fill(Q, '<img src=x onerror="window.pwned=1">')
        assert shown_count(page) == 0
        assert page.evaluate("window.pwned") is None
        assert errors == []
    finally:
        context.close()


#: What the reader sees of the finder: the choices, the count, the rows (text and where each
#: link goes), the "more" button.
VIEW = """() => {
  const root = document.getElementById("wkn-finder");
  const options = (name) => Array.from(root.querySelectorAll(`select[name=${name}] option`),
    (o) => [o.value, o.textContent, o.disabled]);
  return {
    tag: options("tag"), year: options("year"), competition: options("competition"),
    count: root.querySelector(".wkn-finder-count").textContent,
    shown: root.dataset.count,
    rows: Array.from(root.querySelectorAll(".wkn-finder-result"), (li) => [
      li.innerHTML.replace(/ href="[^"]*"/g, ""),
      Array.from(li.querySelectorAll("a[href]"), (a) => a.href),
    ]),
    more: [root.querySelector(".wkn-finder-more").textContent,
      root.querySelector(".wkn-finder-more").hidden],
  };
}"""

#: Layout shifts from the start of the page (the Layout Instability API, as Lighthouse's CLS).
SHIFTS = """window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push(entry.value);
  }
}).observe({ type: "layout-shift", buffered: true });"""


def first_view_then_loaded(browser, base: str):
    """The finder's view as the page arrives, the links fetched until then, and its view once
    links.json is loaded (the reader turned to the form), with the page's layout shifts."""
    context = browser.new_context(viewport={"width": 412, "height": 823})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(base) else route.abort(),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.add_init_script(SHIFTS)
    page.goto(f"{base}/{PAGENAME}.html", wait_until="load")
    arrived = page.evaluate(VIEW)
    state = page.locator("#wkn-finder").get_attribute("data-state")
    before = [url for url in fetched if url.endswith("links.json")]
    page.focus(Q)
    page.wait_for_function("document.getElementById('wkn-finder').dataset.state === 'ready'")
    loaded = page.evaluate(VIEW)
    shifts = page.evaluate("window.__shifts")
    after = [url for url in fetched if url.endswith("links.json")]
    context.close()
    return arrived, state, before, loaded, after, shifts, errors


def test_first_view_is_in_the_page_and_the_script_draws_the_same(browser, serve, finder_root):
    arrived, state, before, loaded, after, shifts, errors = first_view_then_loaded(
        browser, serve(finder_root)
    )
    assert state == "preview" and before == []  # shown without links.json
    assert len(after) == 1
    assert arrived["count"] == "4 件 / 全 4 件" and len(arrived["rows"]) == 4
    assert arrived["rows"][0][0].startswith('<a class="wkn-finder-title">BERT for Question')
    assert ["nlp", "自然言語処理 (2)", False] in arrived["tag"]
    assert arrived == loaded
    assert sum(shifts) < 0.001, shifts
    assert errors == []


# -- the real archive ------------------------------------------------------------------


@pytest.mark.book
def test_real_archive_narrows_by_word_then_tag_then_year(browser, real_book, serve):
    assert real_book.returncode == 0, real_book.log[-3000:]
    data = json.loads((real_book.html / "links.json").read_text(encoding="utf-8"))
    base = serve(real_book.html)
    context, page, errors = open_finder(browser, f"{base}/{PAGENAME}.html")
    try:
        total = len(data["links"])
        assert shown_count(page) == total
        assert page.locator(".wkn-finder-count").inner_text() == f"{total} 件 / 全 {total} 件"
        word = "Kaggle"
        page.fill(Q, word)
        assert shown_count(page) == expected_count(data, word)
        tags = [t for link in data["links"] for t in link["tags"]]
        tag = max(set(tags), key=tags.count) if tags else ""
        if tag:
            page.select_option(TAG, tag)
            assert shown_count(page) == expected_count(data, word, tag)
        year = data["links"][0]["date"][:4]
        page.select_option(YEAR, year)
        assert shown_count(page) == expected_count(data, word, tag, year)
        shown = page.locator(".wkn-finder-result").count()
        assert shown == min(100, expected_count(data, word, tag, year))
        assert errors == []
    finally:
        context.close()


@pytest.mark.book
def test_real_first_view_is_the_scripts_and_nothing_moves(browser, real_book, serve):
    assert real_book.returncode == 0, real_book.log[-3000:]
    arrived, state, before, loaded, after, shifts, errors = first_view_then_loaded(
        browser, serve(real_book.html)
    )
    total = len(json.loads((real_book.html / "links.json").read_text(encoding="utf-8"))["links"])
    assert state == "preview" and before == [] and len(after) == 1
    assert len(arrived["rows"]) == 100 and arrived["count"] == f"{total} 件 / 全 {total} 件"
    assert arrived["more"] == [f"さらに表示（残り {total - 100} 件）", False]
    assert len(arrived["competition"]) > 10
    assert arrived == loaded
    # CLS as Lighthouse measures it, from the page's start until the links are shown.
    assert sum(shifts) < 0.001, shifts
    assert errors == []


# -- 15,000 links ----------------------------------------------------------------------

WORDS = [
    "機械学習",
    "画像",
    "コンペ",
    "自然言語処理",
    "BERT",
    "LightGBM",
    "Kaggle",
    "解法",
    "Notebook",
    "特徴量",
    "論文",
    "動画",
]


def synthetic_links(count: int) -> dict:
    """A links.json of ``count`` rows shaped like the archive's, reproducible."""
    chance = random.Random(15000)
    tags = {f"tag-{i}": {"ja": f"タグ{i}", "en": f"Tag {i}"} for i in range(40)}
    links = []
    for n in range(count):
        issue = 1 + n // 8
        year = 2019 + issue * 8 // 1000
        words = " ".join(chance.choice(WORDS) for _ in range(6))
        links.append(
            {
                "issue": issue,
                "date": f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "url": f"https://example.com/{n}",
                "title": f"Link {n}: {words}",
                "site": chance.choice(["arxiv.org", "www.kaggle.com", "zenn.dev", "qiita.com"]),
                "tags": chance.sample(sorted(tags), 2),
                "excerpt": " ".join(chance.choice(WORDS) for _ in range(30)),
                "commentary": " ".join(chance.choice(WORDS) for _ in range(40)),
                "permalink": f"issues/{issue:04d}.html#link-{1 + n % 8}",
            }
        )
    return {"fields": {}, "tags": tags, "links": links}


#: Type ``text`` one character at a time; after each keystroke, the count the page shows.
KEYSTROKES = """(text) => {
  const root = document.getElementById("wkn-finder");
  const input = root.querySelector("input[name=q]");
  const counts = [];
  input.value = "";
  for (const ch of text) {
    input.value += ch;
    input.dispatchEvent(new Event("input", {bubbles: true}));
    counts.push(Number(root.dataset.count));
  }
  return counts;
}"""


def test_fifteen_thousand_links_are_filtered_on_every_keystroke(
    browser, serve, finder_root, tmp_path
):
    site = tmp_path / "site"
    shutil.copytree(finder_root, site)
    data = synthetic_links(15_000)
    (site / "links.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    base = serve(site)
    context, page, errors = open_finder(browser, f"{base}/{PAGENAME}.html")
    try:
        assert shown_count(page) == 15_000
        text = "lightgbm 機械学習"
        counts = page.evaluate(KEYSTROKES, text)
        # Each keystroke narrows the whole set before the next one: no stale counts.
        assert counts == [expected_count(data, text[:n]) for n in range(1, len(text) + 1)]
        assert 0 < counts[-1] < counts[0]
        page.select_option(TAG, "tag-3")
        assert shown_count(page) == expected_count(data, text, "tag-3")
        assert page.locator(".wkn-finder-result").count() == min(
            100, expected_count(data, text, "tag-3")
        )
        assert errors == []
    finally:
        context.close()


def test_links_json_cannot_make_a_script_or_foreign_link(browser, serve, finder_root, tmp_path):
    """links.json is data: a javascript: URL or permalink, or a permalink off the book,
    never becomes a link (the finder is where a tampered links.json would run)."""
    site = tmp_path / "site"
    shutil.copytree(finder_root, site)
    data = json.loads((site / "links.json").read_text(encoding="utf-8"))
    good = data["links"][0]
    data["links"] = [
        {**good, "title": "Script permalink", "permalink": "javascript:window.pwned=1"},
        {**good, "title": "Script URL", "url": "javascript:window.pwned=2"},
        {**good, "title": "Foreign permalink", "permalink": "https://evil.example/x.html"},
        good,
    ]
    (site / "links.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    base = serve(site)
    context, page, errors = open_finder(browser, f"{base}/{PAGENAME}.html")
    try:
        assert shown_count(page) == 4
        hrefs = page.eval_on_selector_all(
            ".wkn-finder-results a[href]", "as => as.map(a => a.href)"
        )
        assert hrefs and not [h for h in hrefs if h.lower().startswith("javascript:")]
        assert not [h for h in hrefs if "evil.example" in h]
        assert any(h.startswith(base) and "#link-" in h for h in hrefs)  # the good row links
        page.get_by_text("Script permalink").click()
        page.get_by_text("Script URL").click()
        assert page.evaluate("window.pwned") is None
        assert errors == []
    finally:
        context.close()
