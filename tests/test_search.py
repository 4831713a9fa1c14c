"""The book's search: the index, the search page, and a query set in a browser.

The query set was written from the 159 Revue originals (``issues/revue/``): each query with
the issues whose cards, excerpts, commentary or intro contain it (English words as whole
words, Japanese as written). Sphinx's own search misses the compounds (see
``docs/benchmarks/search.md``); the book's search page must find every listed issue.
"""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import newsarchive.sphinxext.search_entries as search_entries
import pytest
from conftest import ROOTS, build_root, soup_of

# fmt: off
QUERIES: dict[str, tuple[int, ...]] = {
    # Japanese compounds (Sphinx's index splits them; its query does not)
    "機械学習": (3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 20, 22, 24, 26, 28, 30, 31, 32, 33, 34, 35, 37, 38, 40, 42, 43, 48, 49, 50, 51, 52, 53, 54, 57, 58, 59, 60, 62, 63, 64, 65, 66, 69, 72, 73, 74, 77, 80, 81, 82, 84, 88, 90, 91, 92, 94, 95, 96, 97, 98, 100, 101, 103, 104, 106, 107, 108, 109, 110, 111, 113, 115, 116, 119, 120, 121, 123, 128, 130, 131, 132, 133, 134, 135, 136, 137, 139, 143, 145, 149, 157),  # noqa: E501
    "形態素解析": (31, 36, 107, 126, 146, 147),
    "自然言語処理": (2, 4, 6, 7, 9, 10, 11, 12, 14, 18, 20, 24, 25, 27, 29, 30, 31, 32, 33, 36, 37, 39, 42, 44, 45, 46, 49, 51, 53, 54, 55, 56, 57, 58, 59, 61, 62, 64, 65, 67, 69, 70, 71, 72, 73, 74, 76, 79, 80, 82, 84, 88, 89, 92, 93, 94, 95, 105, 106, 109, 111, 112, 114, 116, 117, 118, 120, 121, 124, 126, 128, 129, 130, 131, 132, 133, 134, 136, 137, 140, 141, 142, 149, 153, 156, 157),  # noqa: E501
    "画像コンペ": (2, 5, 15, 33, 36, 38, 52, 87, 113, 132, 134, 135, 146, 147),
    "特徴量エンジニアリング": (4, 6, 14, 19, 27, 28, 32, 38, 42, 53, 54, 64, 65, 73, 104, 115),
    "勾配ブースティング": (7, 11, 33, 34, 38, 39, 44, 48, 53, 57, 59, 62, 67, 69, 81, 84, 94, 95, 105),  # noqa: E501
    "強化学習": (4, 9, 16, 17, 22, 27, 29, 31, 33, 35, 37, 39, 40, 41, 42, 45, 50, 51, 52, 53, 54, 61, 64, 75, 79, 80, 85, 97, 104, 105, 112, 118, 120, 136, 152),  # noqa: E501
    "物体検出": (11, 19, 25, 27, 28, 53, 79, 81, 94, 106, 108, 129, 137, 140, 143, 145),
    "異常検知": (15, 66, 69, 91, 94, 95, 116, 124),
    "転移学習": (29, 33, 37, 73, 124),
    "データ拡張": (73, 74, 114, 135),
    "交差検証": (16, 25, 26, 34, 35, 38, 72, 76, 91, 94, 138, 153),
    "金メダル": (12, 28, 29, 36, 41, 74, 77, 87, 90, 104, 123, 124, 128, 130, 132, 134, 135, 144, 154, 155, 158),  # noqa: E501
    "質問応答": (14, 18, 19, 20, 66, 87, 93, 94, 96, 101, 105, 106, 110, 142, 153),
    "衛星画像": (35, 44, 46, 47, 51, 52, 58, 59, 77, 85, 89, 90, 111, 159),
    "分かち書き": (24, 126),
    # Japanese, simple words
    "翻訳": (18, 23, 24, 43, 54, 58, 66, 74, 81, 82, 114, 130, 131, 133, 145, 153),
    "音声": (14, 15, 20, 26, 27, 39, 40, 49, 53, 54, 57, 61, 62, 64, 68, 71, 84, 92, 97, 99, 110, 111, 114, 122, 145),  # noqa: E501
    "推薦": (11, 13, 28, 33, 38, 41, 42, 54, 66, 67, 74, 75, 80, 81, 83, 84, 94, 103, 109, 110, 113, 116, 119, 125, 126, 127, 129, 151, 157),  # noqa: E501
    "書籍": (10, 17, 19, 29, 30, 34, 36, 37, 48, 53, 58, 59, 63, 68, 70, 74, 80, 82, 107, 110, 112, 118, 119, 121, 123, 124, 125, 131, 133, 134, 136, 137, 157, 158, 159),  # noqa: E501
    "量子化": (6, 39, 89),
    "可視化": (1, 2, 4, 6, 7, 10, 13, 18, 19, 24, 26, 29, 37, 42, 43, 59, 62, 81, 96, 98, 107, 116, 119, 143, 146),  # noqa: E501
    "時系列": (1, 2, 3, 12, 14, 16, 19, 27, 29, 31, 32, 34, 35, 36, 37, 38, 41, 51, 53, 57, 59, 61, 62, 66, 91, 94, 97, 99, 101, 105, 109, 114, 124, 131, 136, 145, 153, 159),  # noqa: E501
    # English terms
    "BERT": (3, 4, 5, 6, 9, 10, 12, 14, 15, 16, 18, 19, 21, 23, 24, 25, 27, 35, 36, 38, 40, 50, 65, 67, 70, 72, 74, 80, 85, 88, 89, 91, 92, 93, 96, 97, 98, 134, 151, 156),  # noqa: E501
    "LightGBM": (5, 6, 7, 8, 11, 14, 19, 20, 24, 25, 26, 32, 34, 35, 38, 39, 41, 57, 62, 69, 72, 81, 105),  # noqa: E501
    "XGBoost": (7, 11, 20, 26, 27, 34, 53, 57, 59, 62, 78, 81, 115),
    "CatBoost": (12, 20, 24, 34, 38, 44, 61, 62, 67, 95),
    "EfficientNet": (15, 32, 37, 70),
    "Optuna": (5, 6, 8, 11, 12, 16, 17, 22, 25, 27, 28, 30, 33, 37, 40, 42, 43, 47, 53, 57, 60, 74, 81, 104, 142, 154, 157, 159),  # noqa: E501
    "NVIDIA": (11, 12, 16, 18, 19, 28, 38, 39, 42, 45, 46, 49, 51, 57, 59, 60, 61, 65, 68, 69, 74, 75, 81, 83, 84, 93, 94, 100, 120, 132, 137, 145),  # noqa: E501
    "atmaCup": (3, 7, 8, 21, 22, 25, 26, 27, 34, 35, 41, 43, 45, 47, 48, 49, 50, 51, 53, 54, 55, 57, 59, 61, 63, 64, 66, 67, 80, 81, 83, 84, 85, 86, 93, 97, 98, 101, 106, 111, 112, 114, 115, 144, 149, 151),  # noqa: E501
    "AutoML": (1, 10, 11, 14, 24, 27, 31, 38, 39, 78),
    "Kaggle Days": (1, 3, 4, 7, 8, 12, 13, 24, 25, 47, 74, 84, 90, 94, 96, 101, 105, 108, 109, 114, 117, 120, 123, 126, 129, 132, 135, 137, 139, 147, 149, 150, 151, 152, 153, 154),  # noqa: E501
    "PyTorch Lightning": (6, 44, 49, 53, 55, 58, 64, 66, 72, 74, 76, 79, 84, 102),
    # other cases of the same words
    "lightgbm": (5, 6, 7, 8, 11, 14, 19, 20, 24, 25, 26, 32, 34, 35, 38, 39, 41, 57, 62, 69, 72, 81, 105),  # noqa: E501
    "KAGGLE DAYS": (1, 3, 4, 7, 8, 12, 13, 24, 25, 47, 74, 84, 90, 94, 96, 101, 105, 108, 109, 114, 117, 120, 123, 126, 129, 132, 135, 137, 139, 147, 149, 150, 151, 152, 153, 154),  # noqa: E501
    "efficientnet": (15, 32, 37, 70),
    "Bert": (3, 4, 5, 6, 9, 10, 12, 14, 15, 16, 18, 19, 21, 23, 24, 25, 27, 35, 36, 38, 40, 50, 65, 67, 70, 72, 74, 80, 85, 88, 89, 91, 92, 93, 96, 97, 98, 134, 151, 156),  # noqa: E501
    # Japanese and English together: issues with both
    "BERT 翻訳": (18, 23, 24, 74),
    "LightGBM 特徴量": (6, 14, 19, 32, 38, 39),
}
# fmt: on


def issue_numbers(urls: list[str]) -> set[int]:
    return {int(m[1]) for url in urls if (m := re.search(r"issues/(\d{4})\.html", url))}


def open_page(browser, url: str, *, width: int = 1280):
    """A page of the local server; every other request is aborted (no internet)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    origin = "/".join(url.split("/", 3)[:3])
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort(),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return context, page, errors


def search_ui(page, base: str, query: str) -> None:
    from urllib.parse import quote

    page.goto(f"{base}/search.html?q={quote(query)}")
    page.wait_for_function(
        "['done', 'error'].includes(document.getElementById('wkn-search').dataset.state)"
    )


# -- a small project: the index and the page -----------------------------------------


@pytest.fixture(scope="module")
def search_root(tmp_path_factory) -> Path:
    """test-search built once with the book's search: two issues, a hostile title, a list
    page."""
    app = build_root("search", tmp_path_factory.mktemp("search"))
    warnings = app.warning.getvalue()
    assert "newsarchive.search" not in warnings, warnings
    return Path(app.outdir)


def test_the_index_is_ours_and_sphinx_builds_none(search_root):
    assert (search_root / "_search" / "meta.json").exists()
    assert not (search_root / "_pagefind").exists()  # no page loads a Pagefind bundle
    # Sphinx's own index is not built, and no page asks for it.
    assert not (search_root / "searchindex.js").exists()
    for path in (search_root / "issues" / "0001.html", search_root / "index.html"):
        scripts = [s.get("src", "") for s in soup_of(path).select("script")]
        assert not any("searchindex.js" in src or "searchtools.js" in src for src in scripts)
    assert not any((search_root.parent / "doctrees").glob("search-pages"))


def test_search_page_keeps_sphinx_address(search_root):
    page = soup_of(search_root / "search.html")
    section = page.select_one("#wkn-search")
    assert section["data-index"] == "_search/"
    form = page.select_one("#wkn-search form")
    assert form.select_one("input[name=q]") is not None
    assert not form.has_attr("action")  # an empty action is invalid markup
    assert form.select_one("button[type=submit]").get_text(strip=True)
    assert [s["name"] for s in form.select("select")] == [
        "year",
        "tag",
        "platform",
        "competition",
        "site",
    ]
    for control in form.select("input, select"):
        assert control.find_parent("label") is not None
    scripts = [s.get("src", "") for s in page.select("script")]
    assert any("search.js" in src for src in scripts)
    assert not any("searchtools.js" in src for src in scripts)
    assert page.select_one('meta[name="robots"][content="noindex"]') is not None
    # The theme's search box on every page sends its words to this page as ?q=.
    issue = soup_of(search_root / "issues" / "0001.html")
    assert issue.select_one('form.bd-search[action="../search.html"] input[name=q]') is not None
    assert not any("search.js" in s.get("src", "") for s in issue.select("script"))


def _build(tmp_path: Path, **overrides):
    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path / "src"
    if not srcdir.exists():
        shutil.copytree(ROOTS / "test-search", srcdir)
    app = SphinxTestApp(
        "html", srcdir=srcdir, status=StringIO(), warning=StringIO(), confoverrides=overrides
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def test_default_is_sphinx_search_unchanged(tmp_path):
    app = _build(tmp_path, newsarchive_search="sphinx")
    out = Path(app.outdir)
    assert not (out / "_search").exists()
    assert "Search.setIndex" in (out / "searchindex.js").read_text()
    page = soup_of(out / "search.html")
    assert page.select_one("#wkn-search") is None
    assert any("searchtools.js" in s.get("src", "") for s in page.select("script"))


def test_other_builders_are_left_alone(tmp_path):
    from sphinx.testing.util import SphinxTestApp

    shutil.copytree(ROOTS / "test-search", tmp_path / "src")
    app = SphinxTestApp("text", srcdir=tmp_path / "src", status=StringIO(), warning=StringIO())
    app.build()
    app.cleanup()
    assert "newsarchive.search" not in app.warning.getvalue()
    assert not (Path(app.outdir) / "_search").exists()


def test_pagefind_in_an_old_conf_py_is_warned_and_means_the_books_search(tmp_path):
    """Earlier versions took "pagefind" for the book's search page; it still gets that page,
    with a warning saying what to write instead, and no Pagefind bundle."""
    app = _build(tmp_path, newsarchive_search="pagefind")
    warnings = app.warning.getvalue()
    assert "newsarchive_search = 'pagefind' is no longer a choice" in warnings
    assert "set newsarchive_search = 'newsarchive' in conf.py" in warnings
    assert "[newsarchive.config]" in warnings
    assert warnings.count("[newsarchive.config]") == 1, warnings
    out = Path(app.outdir)
    assert soup_of(out / "search.html").select_one("#wkn-search") is not None
    assert (out / "_search" / "meta.json").exists()
    assert not (out / "searchindex.js").exists()
    assert not (out / "_pagefind").exists()


def test_an_older_builds_pagefind_bundle_is_removed(tmp_path):
    """A book built when the extension still made a Pagefind bundle loses it (and the copies
    it indexed) at its next build; a _pagefind folder the extension did not write stays."""
    app = _build(tmp_path)
    outdir, doctrees = Path(app.outdir), Path(app.doctreedir)
    (outdir / "_pagefind" / "fragment").mkdir(parents=True)
    (outdir / "_pagefind" / "pagefind.js").write_text("// an older build's", encoding="utf-8")
    (doctrees / "search-pages" / "issues").mkdir(parents=True)
    (doctrees / "search-pages" / "issues" / "0001.html").write_text("<p>", encoding="utf-8")
    _build(tmp_path)
    assert (outdir / "_pagefind" / "pagefind.js").exists()  # not known to be ours: kept
    assert not (doctrees / "search-pages").exists()
    (doctrees / "search-index.json").write_text('{"fingerprint": "0"}', encoding="utf-8")
    _build(tmp_path)
    assert not (outdir / "_pagefind").exists()
    assert not (doctrees / "search-index.json").exists()
    assert (outdir / "_search" / "meta.json").exists()


def read_index(outdir: Path, name: str):
    return json.loads((outdir / "_search" / name).read_text(encoding="utf-8"))


def index_issues(outdir: Path) -> list[dict]:
    """The issue files of the index, in the order meta.json lists them (newest first)."""
    meta = read_index(outdir, "meta.json")
    numbers = [n for high, low in meta["issues"] for n in range(high, low - 1, -1)]
    return [read_index(outdir, f"i/{n}.json") for n in numbers]


def test_entries_hold_cards_and_intro_sections(search_root):
    """The search page's index: each card with its anchor, each section's own prose."""
    issues = index_issues(search_root)
    assert [issue["n"] for issue in issues] == [2, 1]  # newest first
    first = issues[1]
    assert first["page"] == "issues/0001.html" and first["date"] == "2020-01-10"
    cards = {e[1]: e for e in first["entries"] if e[0] == search_entries.CARD}
    assert cards["link-1"][2:7] == [
        "機械学習の基礎 Machine Learning Basics",
        "example.com",
        "An introduction to gradient boosting with LightGBM.",
        "機械学習コンペで使われる勾配ブースティングの解説。",
        ["tabular"],
    ]
    sections = {e[1]: e for e in first["entries"] if e[0] == search_entries.SECTION}
    assert sections["news"][2] == "News"
    assert "画像の前処理も扱います。" in sections["news"][5]
    assert "勾配ブースティング" not in sections["news"][5]  # cards are entries of their own
    # The date line and the previous / next links are the book's words, not the issue's.
    assert all(
        "2020年1月10日" not in e[5] and "Search News #2" not in e[5] for e in sections.values()
    )
    assert read_index(search_root, "meta.json")["tags"]["nlp"] == "自然言語処理"
    assert all(issue["page"].startswith("issues/") for issue in issues)  # no list page


def test_entries_name_the_competitions_they_mention(search_root):
    """A card whose commentary links a competition, and a section whose prose links two,
    carry those competitions; nothing else does."""
    assert read_index(search_root, "meta.json")["platforms"] == {
        "kaggle": "Kaggle",
        "signate": "SIGNATE",
    }
    competitions = read_index(search_root, "f/competitions.json")
    assert [[key, name] for key, name, _ in competitions] == [
        ["kaggle/riiid-test-answer-prediction", "Riiid! Answer Correctness Prediction"],
        ["signate/123", "SIGNATE の需要予測"],
    ]
    mentions = {
        (issue["n"], entry[1]): entry[7]
        for issue in index_issues(search_root)
        for entry in issue["entries"]
        if entry[7]
    }
    # #1: the News section links both; #2: the MeCab card's commentary links Riiid!'s
    # discussion (a sub-page of the same competition).
    assert mentions == {
        (1, "news"): ["kaggle/riiid-test-answer-prediction", "signate/123"],
        (2, "link-2"): ["kaggle/riiid-test-answer-prediction"],
    }


def test_entries_lose_a_competition_an_edit_removes(tmp_path):
    app = _build(tmp_path)
    outdir = Path(app.outdir)
    assert "signate/123" in (outdir / "_search/f/competitions.json").read_text(encoding="utf-8")
    page = tmp_path / "src" / "issues" / "0001.md"
    signate = " と [SIGNATE の需要予測](https://signate.jp/competitions/123)"
    page.write_text(page.read_text(encoding="utf-8").replace(signate, ""), encoding="utf-8")
    app = _build(tmp_path)
    assert [c[:2] for c in read_index(outdir, "f/competitions.json")] == [
        ["kaggle/riiid-test-answer-prediction", "Riiid! Answer Correctness Prediction"]
    ]
    news = next(e for e in index_issues(outdir)[1]["entries"] if e[1] == "news")
    assert news[7] == ["kaggle/riiid-test-answer-prediction"]


def test_entries_of_a_deleted_issue_are_gone(tmp_path):
    app = _build(tmp_path)
    outdir = Path(app.outdir)
    assert (outdir / "_search/i/2.json").exists()
    (tmp_path / "src" / "issues" / "0002.md").unlink()
    app = _build(tmp_path)
    assert [issue["n"] for issue in index_issues(outdir)] == [1]
    assert not (outdir / "_search/i/2.json").exists()  # an earlier build's file is removed


def test_entries_are_written_for_a_book_built_before_them(tmp_path):
    """An existing build without entries (an older version of the book) gets them."""
    app = _build(tmp_path)
    shutil.rmtree(Path(app.doctreedir) / search_entries.ENTRIES_DIR)
    app = _build(tmp_path)
    assert [issue["n"] for issue in index_issues(Path(app.outdir))] == [2, 1]


class Searching:
    """The test root's search page in a fresh browser context, its errors collected."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context, self.page, self.errors = open_page(browser, f"{base}/search.html")
        self.logged: list[str] = []
        self.page.on(
            "console", lambda message: message.type == "error" and self.logged.append(message.text)
        )

    def assert_quiet(self) -> None:
        """No script error and nothing logged as an error in the console."""
        assert self.errors == [] and self.logged == []


@pytest.fixture
def searching(browser, serve, search_root):
    session = Searching(browser, serve(search_root))
    yield session
    session.context.close()


def shown_issues(page, group: str) -> list[str]:
    return page.eval_on_selector_all(
        f".wkn-search-results[data-group={group}] > li", "items => items.map(i => i.dataset.issue)"
    )


@pytest.mark.browser
def test_exact_matches_come_first_in_their_own_group(searching):
    base, page = searching.base, searching.page
    # #2 holds 画像コンペ; #1 holds 画像 (intro) and コンペ (a card) apart.
    search_ui(page, base, "画像コンペ")
    assert shown_issues(page, "exact") == ["2"]
    assert shown_issues(page, "apart") == ["1"]
    assert page.locator("#wkn-search-exact").inner_text() == "完全一致 1 件"
    assert page.locator("#wkn-search-apart").inner_text() == "語を離れて含むページ 1 件"
    status = page.locator(".wkn-search-status[role=status]").inner_text()
    assert status == "「画像コンペ」: 1 件が完全一致、ほか 1 件"
    # Width and case folded: ＢＥＲＴ is BERT, ｶﾞ is ガ; half-width katakana found.
    for query, issue in (("ＢＥＲＴ", "2"), ("bert", "2"), ("ﾌﾞｰｽﾃｨﾝｸﾞ", "1")):
        search_ui(page, base, query)
        assert shown_issues(page, "exact") == [issue], query
        assert shown_issues(page, "apart") == [], query
    # Several words: every word must be in the issue.
    search_ui(page, base, "BERT 形態素解析")
    assert shown_issues(page, "exact") == ["2"]
    search_ui(page, base, "BERT LightGBM")
    assert shown_issues(page, "exact") == [] and shown_issues(page, "apart") == []
    assert "見つかりませんでした" in page.locator(".wkn-search-status").inner_text()
    searching.assert_quiet()


@pytest.mark.browser
def test_hits_are_cards_and_sections_with_their_anchors(searching):
    base, page = searching.base, searching.page
    search_ui(page, base, "形態素解析")
    links = page.eval_on_selector_all(
        ".wkn-search-card-title a", "as => as.map(a => [a.textContent, a.href])"
    )
    assert [text for text, _ in links] == ["MeCab で日本語を分かち書き", "News"]
    assert links[0][1].endswith("issues/0002.html#link-2")
    assert links[1][1].endswith("issues/0001.html#news")
    card = page.locator(".wkn-search-result[data-issue='2'] .wkn-search-card").first
    assert "example.org · #2 · 2021年3月5日" in card.locator(".wkn-search-meta").inner_text()
    assert card.locator("mark").all_inner_texts() == ["形態素解析"]
    search_ui(page, base, "機械学習")
    title = page.locator(".wkn-search-card-title a").first
    assert title.inner_text() == "機械学習の基礎 Machine Learning Basics"
    assert title.locator("mark").inner_text() == "機械学習"
    assert page.locator(".wkn-search-title a").first.inner_text() == "Search News #1"
    # The anchor leads to the card in its issue page.
    title.click()
    page.wait_for_url("**/issues/0001.html#link-1")
    assert page.locator("#link-1.wkn-card").count() == 1
    searching.assert_quiet()


#: The contrast ratio (WCAG 2) of an element's text colour on its background colour.
CONTRAST = """(node) => {
  const channels = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = (css) => {
    const [r, g, b] = channels(css).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const style = getComputedStyle(node);
  const [a, b] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.mark.browser
def test_highlights_are_readable_in_light_and_dark_mode(searching):
    base, page = searching.base, searching.page
    for mode in ("light", "dark"):
        page.emulate_media(color_scheme=mode)
        search_ui(page, base, "機械学習")
        page.evaluate(f"document.documentElement.dataset.theme = '{mode}'")
        marks = page.locator(".wkn-search-results mark")
        assert marks.count() >= 1
        assert marks.first.evaluate(CONTRAST) >= 4.5, mode
    searching.assert_quiet()


@pytest.mark.browser
def test_filters_with_counts_and_state_in_the_address(searching):
    from playwright.sync_api import expect

    base, page = searching.base, searching.page
    search_ui(page, base, "example")  # every card's site
    year = page.locator("select[name=year]")
    assert year.locator("option").all_inner_texts() == [
        "すべての年 (2)",
        "2021年 (1)",
        "2020年 (1)",
    ]
    year.select_option("2021")
    page.wait_for_url("**year=2021**")
    assert shown_issues(page, "exact") == ["2"]
    cards_of_2021 = page.locator(".wkn-search-card").all_inner_texts()
    tag = page.locator("select[name=tag]")
    # A filter's counts come with its own file, when its list is about to open.
    assert "テーブルデータ" in tag.locator("option").all_inner_texts()
    tag.focus()
    page.wait_for_function(
        "[...document.querySelectorAll('select[name=tag] option')]"
        ".some((o) => o.textContent === 'テーブルデータ (0)')"
    )
    tag.select_option("nlp")
    page.wait_for_url("**tag=nlp**")
    assert page.locator(".wkn-search-card").count() == 2
    # The address holds the whole state: opened again, it shows the same.
    address = page.url
    page.goto(f"{base}/index.html")
    page.goto(address)
    page.wait_for_function("document.getElementById('wkn-search').dataset.state === 'done'")
    assert year.input_value() == "2021" and tag.input_value() == "nlp"
    assert page.locator("#wkn-search-q").input_value() == "example"
    assert shown_issues(page, "exact") == ["2"]
    # Back within the page: the previous filters come back.
    page.go_back()
    page.go_back()
    page.go_back()
    page.wait_for_url("**/search.html?q=example&year=2021")
    # The form comes to show the address's state, not the later one (expect retries).
    expect(year).to_have_value("2021")
    expect(tag).to_have_value("")
    expect(page.locator(".wkn-search-card")).to_have_count(len(cards_of_2021))
    assert page.locator(".wkn-search-card").all_inner_texts() == cards_of_2021
    searching.assert_quiet()


def option_texts(page, name: str) -> list[str]:
    return page.locator(f"select[name={name}] option").all_inner_texts()


def wait_done(page) -> None:
    page.wait_for_function("document.getElementById('wkn-search').dataset.state === 'done'")


@pytest.mark.browser
def test_competition_filters_with_counts_and_state_in_the_address(searching):
    """Platform and competition, with the year and tag filters: counts, results, the
    address, and back. 形態素解析 is in #1's News section (which links Riiid! and a
    SIGNATE competition) and in #2's MeCab card (which links Riiid!'s discussion)."""
    base, page = searching.base, searching.page
    riiid = "kaggle/riiid-test-answer-prediction"
    search_ui(page, base, "形態素解析")
    # The competitions join the page when the list is about to be used, with their counts.
    assert option_texts(page, "competition") == ["すべてのコンペ"]
    page.locator("select[name=competition]").focus()
    page.wait_for_function(
        "document.querySelectorAll('select[name=competition] option').length === 3"
        " && document.querySelector('select[name=platform] option').textContent.includes('(')"
    )
    assert option_texts(page, "platform") == [
        "すべてのプラットフォーム (2)",
        "Kaggle (2)",
        "SIGNATE (1)",
    ]
    assert option_texts(page, "competition") == [
        "すべてのコンペ (2)",
        "Riiid! Answer Correctness Prediction (2)",
        "SIGNATE の需要予測 (1)",
    ]
    groups = page.locator("select[name=competition] optgroup")
    assert [groups.nth(i).get_attribute("label") for i in range(groups.count())] == [
        "Kaggle",
        "SIGNATE",
    ]
    platform = page.locator("select[name=platform]")
    competition = page.locator("select[name=competition]")
    platform.select_option("signate")
    page.wait_for_url("**platform=signate**")
    wait_done(page)
    assert shown_issues(page, "exact") == ["1"]
    assert page.locator(".wkn-search-card-title a").all_inner_texts() == ["News"]
    assert groups.nth(0).evaluate("group => group.hidden")  # Kaggle's are not offered
    assert not groups.nth(1).evaluate("group => group.hidden")
    assert "（絞り込み中）" in page.locator(".wkn-search-status").inner_text()
    # Another platform and one of its competitions.
    platform.select_option("")
    competition.select_option(riiid)
    page.wait_for_url("**competition=kaggle%2Friiid-test-answer-prediction**")
    wait_done(page)
    assert sorted(shown_issues(page, "exact")) == ["1", "2"]
    # With the tag filter: only cards carry tags, so #1's section is left out.
    page.locator("select[name=tag]").select_option("nlp")
    page.wait_for_url("**tag=nlp**")
    wait_done(page)
    assert shown_issues(page, "exact") == ["2"]
    assert page.locator(".wkn-search-card-title a").all_inner_texts() == [
        "MeCab で日本語を分かち書き"
    ]
    assert option_texts(page, "year") == ["すべての年 (1)", "2021年 (1)", "2020年 (0)"]
    assert option_texts(page, "competition")[1:] == [
        "Riiid! Answer Correctness Prediction (1)",
        "SIGNATE の需要予測 (0)",
    ]
    assert page.locator("select[name=competition] option[value='signate/123']").is_disabled()
    # The address holds the whole state.
    address = page.url
    page.goto(f"{base}/index.html")
    page.goto(address)
    wait_done(page)
    assert competition.input_value() == riiid and platform.input_value() == ""
    assert page.locator("select[name=tag]").input_value() == "nlp"
    assert shown_issues(page, "exact") == ["2"]
    # Back: before the tag, the competition alone.
    for _ in range(3):
        page.go_back()
    page.wait_for_function("document.querySelector('select[name=tag]').value === ''")
    wait_done(page)
    assert competition.input_value() == riiid
    assert sorted(shown_issues(page, "exact")) == ["1", "2"]
    # A competition that is not mentioned by what was typed finds nothing, and says so.
    page.fill("#wkn-search-q", "機械学習")
    page.wait_for_url("**q=%E6%A9%9F%E6%A2%B0%E5%AD%A6%E7%BF%92**")
    wait_done(page)
    assert competition.input_value() == riiid
    assert shown_issues(page, "exact") == [] and shown_issues(page, "apart") == []
    assert "見つかりませんでした（絞り込み中）" in page.locator(".wkn-search-status").inner_text()
    # A competition the archive does not know, in a shared address, is ignored.
    page.goto(
        f"{base}/search.html?q=%E5%BD%A2%E6%85%8B%E7%B4%A0%E8%A7%A3%E6%9E%90&competition=kaggle/nope"
    )
    wait_done(page)
    assert competition.input_value() == ""
    assert sorted(shown_issues(page, "exact")) == ["1", "2"]
    searching.assert_quiet()


@pytest.mark.browser
def test_choosing_a_platform_lets_go_of_a_competition_of_another(searching):
    base, page = searching.base, searching.page
    page.goto(
        f"{base}/search.html?q=%E5%BD%A2%E6%85%8B%E7%B4%A0%E8%A7%A3%E6%9E%90&competition=signate/123"
    )
    wait_done(page)
    assert shown_issues(page, "exact") == ["1"]
    page.locator("select[name=platform]").select_option("kaggle")
    page.wait_for_url("**platform=kaggle**")
    wait_done(page)
    assert "competition=" not in page.url
    assert page.locator("select[name=competition]").input_value() == ""
    assert sorted(shown_issues(page, "exact")) == ["1", "2"]
    searching.assert_quiet()


@pytest.mark.browser
def test_odd_input_gets_a_calm_answer(searching):
    base, page = searching.base, searching.page
    status = page.locator(".wkn-search-status[role=status]")
    page.goto(f"{base}/search.html?q=")
    page.wait_for_function("document.getElementById('wkn-search').dataset.state === 'idle'")
    assert status.inner_text() == "" and page.locator(".wkn-search-result").count() == 0
    search_ui(page, base, "!!! 。、")
    assert "記号だけ" in status.inner_text()
    search_ui(page, base, "機械学習" + "あ" * 996)
    assert "長い検索語" in status.inner_text()
    # Hostile text, in the index and in the query, is shown as text.
    search_ui(page, base, "alert")
    title = page.locator(".wkn-search-card-title a").first
    assert title.inner_text() == "<script>alert(1)</script> & \"quotes\" 'single' <b>bold</b>"
    assert page.locator(".wkn-search-results b, .wkn-search-results script").count() == 0
    search_ui(page, base, '<img src=x onerror="window.pwned=1"> "')
    assert page.evaluate("window.pwned") is None
    assert "<img src=x" in status.inner_text()
    assert page.locator("#wkn-search img").count() == 0
    # An unbalanced quote is ignored; a balanced one keeps a phrase whole.
    search_ui(page, base, '"画像コンペ')
    assert shown_issues(page, "exact") == ["2"]
    search_ui(page, base, '"learning basics"')
    assert shown_issues(page, "exact") == ["1"]
    search_ui(page, base, '"basics learning"')
    assert shown_issues(page, "exact") == []
    searching.assert_quiet()


@pytest.mark.browser
def test_header_search_box_lands_on_the_search_page(browser, serve, search_root):
    base = serve(search_root)
    context, page, errors = open_page(browser, f"{base}/issues/0002.html")
    try:
        page.evaluate(
            "document.querySelector('#pst-search-dialog form input[name=q]').value = '翻訳 BERT'"
        )
        page.evaluate("document.querySelector('#pst-search-dialog form').submit()")
        page.wait_for_url("**/search.html?q=*")
        page.wait_for_function("document.getElementById('wkn-search').dataset.state === 'done'")
        assert page.locator("#wkn-search-q").input_value() == "翻訳 BERT"
        assert errors == []
    finally:
        context.close()


# -- the real archive ------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(real_book, serve):
    assert real_book.returncode == 0, real_book.log[-3000:]
    assert (real_book.html / "_search" / "meta.json").exists(), "no search index"
    assert not (real_book.html / "_pagefind").exists()
    return real_book, serve(real_book.html)


def every_shown_issue(page) -> set[int]:
    """The issues of both groups, once "more" has drawn every page of them."""
    more = page.locator(".wkn-search-more")
    while more.is_visible():
        more.click()  # the page's state is "more" until the next page is drawn
        page.wait_for_function(
            "!['more', 'searching'].includes(document.getElementById('wkn-search').dataset.state)"
        )
    return {int(n) for group in ("exact", "apart") for n in shown_issues(page, group)}


def built_issues(html: Path) -> set[int]:
    return {int(p.stem) for p in (html / "issues").glob("[0-9]*.html")}


@pytest.mark.book
@pytest.mark.browser
def test_query_set_finds_every_issue_it_must(browser, book):
    """Every issue the query set lists is among the search page's results (both groups,
    every page of them)."""
    real_book, base = book
    present = built_issues(real_book.html)
    context, page, errors = open_page(browser, f"{base}/search.html")
    try:
        missing: dict[str, list[int]] = {}
        for query, expected in QUERIES.items():
            search_ui(page, base, query)
            found = every_shown_issue(page)
            must = {n for n in expected if n in present}
            if must - found:
                missing[query] = sorted(must - found)
        assert missing == {}
        assert errors == []
    finally:
        context.close()


@pytest.mark.book
@pytest.mark.browser
def test_compounds_through_the_search_page(browser, book):
    real_book, base = book
    present = built_issues(real_book.html)
    context, page, errors = open_page(browser, f"{base}/search.html")
    try:
        for query in ("機械学習", "形態素解析"):
            search_ui(page, base, query)
            want = {n for n in QUERIES[query] if n in present}
            assert int(page.locator("#wkn-search").get_attribute("data-count")) >= len(want)
            shown = page.eval_on_selector_all(".wkn-search-title a", "as => as.map(a => a.href)")
            assert issue_numbers(shown) <= want | present
            if want:
                assert issue_numbers(shown)
        # The theme's header is on every page but not indexed: its words find nothing.
        search_ui(page, base, "Skip to main content")
        assert shown_issues(page, "exact") == []
        assert errors == []
    finally:
        context.close()


@pytest.mark.book
@pytest.mark.browser
def test_exact_group_is_what_the_originals_hold(browser, book):
    """On the real book, the exact group is the set of issues whose Revue original holds
    the query (computed by the search benchmark from ``issues/revue/``), shown first."""
    from bench.search_queries import relevant

    _, base = book
    context, page, errors = open_page(browser, f"{base}/search.html")
    try:
        for query in (
            "画像コンペ",
            "コード提出",
            "データ拡張",
            "医療画像",
            "金メダル",
            "ＢＥＲＴ",
            "Kaggle Days",
        ):
            search_ui(page, base, query)
            want = relevant(query)
            assert int(page.locator("#wkn-search").get_attribute("data-exact")) == len(want), query
            exact = {int(n) for n in shown_issues(page, "exact")}
            assert exact and exact <= want, query
        assert errors == []
    finally:
        context.close()


def test_query_set_is_large_enough():
    assert len(QUERIES) >= 30
    kinds = {
        "japanese": any(not q.isascii() and " " not in q for q in QUERIES),
        "english": any(q.isascii() for q in QUERIES),
        "mixed": any(not q.isascii() and re.search("[A-Za-z]", q) for q in QUERIES),
    }
    assert all(kinds.values()), kinds
    json.dumps(QUERIES)


@pytest.mark.book
@pytest.mark.browser
def test_competition_filter_on_the_real_book(browser, book):
    """Riiid!, the most followed competition: with its filter, "riiid" finds exactly the
    issues where an entry that mentions the competition holds the word (computed here from
    the index); the form still fits a phone with the archive's long competition names."""
    import unicodedata

    real_book, base = book
    key = "kaggle/riiid-test-answer-prediction"
    want = {
        str(issue["n"])
        for issue in index_issues(real_book.html)
        for entry in issue["entries"]
        if key in entry[7]
        and "riiid" in unicodedata.normalize("NFKC", " ".join(entry[2:6])).lower()
    }
    assert len(want) >= 10
    context, page, errors = open_page(browser, f"{base}/search.html", width=360)
    try:
        page.goto(f"{base}/search.html?q=riiid&competition={key}")
        page.wait_for_function("document.getElementById('wkn-search').dataset.state === 'done'")
        assert page.locator("select[name=competition]").input_value() == key
        shown = set(shown_issues(page, "exact"))
        more = page.locator(".wkn-search-more")
        while more.is_visible():
            more.click()
            page.wait_for_function("document.getElementById('wkn-search').dataset.state === 'done'")
            shown = set(shown_issues(page, "exact"))
        assert shown == want
        chosen = page.locator(f"select[name=competition] option[value='{key}']").inner_text()
        assert chosen.endswith(f"({len(want)})")
        overflowing = page.evaluate(
            "Array.from(document.querySelectorAll('#wkn-search form *'))"
            ".filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert overflowing == []
        assert errors == []
    finally:
        context.close()
