"""Competition pages: index, one page and feed per competition, chips, the most-followed
list, the curated file, and builds (incremental, parallel) that keep them right."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import build_root, soup_of
from test_bad_input import warnings_of
from test_incremental import build, copy_root, edit, pages, written

RIIID = "competitions/kaggle/riiid-test-answer-prediction"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    app = build_root("competitions", tmp_path_factory.mktemp("competitions"))
    assert warnings_of(app) == []
    return app


def rows_of(built) -> dict[str, list[str]]:
    table = soup_of(built.outdir / "competitions/index.html").select("table.wkn-competitions tr")
    return {
        row.select_one("td a")["href"]: [td.get_text(" ", strip=True) for td in row.select("td")]
        for row in table[1:]
    }


def test_index_is_a_plain_table_of_every_competition(built):
    assert rows_of(built) == {
        "kaggle/riiid-test-answer-prediction.html": [
            "Kaggle",
            "Riiid! Answer Correctness Prediction Riiid!コンペ",
            "#1 2020-10-09",
            "#2 2021-01-15",
            "5",
        ],
        "kaggle/rfcx-species-audio-detection.html": [
            "Kaggle",
            "Rainforest Connection Species Audio Detection",
            "#2 2021-01-15",
            "#2 2021-01-15",
            "1",
        ],
        "signate/281.html": [
            "SIGNATE",
            "<script>alert(1)</script>",
            "#1 2020-10-09",
            "#1 2020-10-09",
            "2",
        ],
        "nishika/11.html": [
            "Nishika",
            "中古マンション価格予測",
            "#1 2020-10-09",
            "#1 2020-10-09",
            "1",
        ],
        # a dead card: its title leads to the archived copy, its URL still counts
        "kaggle/titanic.html": [
            "Kaggle",
            "Titanic - Machine Learning from Disaster",
            "#3 2021-02-05",
            "#3 2021-02-05",
            "1",
        ],
    }
    page = soup_of(built.outdir / "competitions/index.html")
    assert page.select_one("form.wkn-competition-filters").has_attr("hidden")  # JS shows it
    years = sorted(r["data-platform"] + " " + r["data-years"] for r in page.select("tbody tr"))
    assert years == [
        "kaggle 2020 2021",
        "kaggle 2021",
        "kaggle 2021",
        "nishika 2020",
        "signate 2020",
    ]


def test_names_are_escaped_everywhere(built):
    for path in built.outdir.rglob("*.html"):
        assert "<script>alert" not in path.read_text(encoding="utf-8"), path
    assert "&lt;script&gt;alert(1)" in (built.outdir / "competitions/index.html").read_text()


def test_competition_page_lists_every_mention_in_date_order(built):
    page = soup_of(built.outdir / f"{RIIID}.html")
    assert page.select_one("h1").get_text(" ", strip=True) == (
        "Riiid! Answer Correctness Prediction Riiid!コンペ"
    )
    link = page.select_one(".wkn-summary a.external")
    assert link["href"] == "https://www.kaggle.com/competitions/riiid-test-answer-prediction"
    mentions = page.select("#competition > ol")[0].select("li")
    where = [m.select_one(".wkn-entry-issue a")["href"] for m in mentions]
    assert where == [
        "../../issues/0001.html#competitions",  # intro prose, linked
        "../../issues/0001.html#link-1",  # the card linking a discussion
        "../../issues/0001.html#link-2",  # a card whose commentary links the leaderboard
        "../../issues/0002.html#news",  # intro prose naming it by an alias, no link
    ]
    by_name = [m.select_one(".wkn-by-name") is not None for m in mentions]
    assert by_name == [False, False, False, True]  # the alias is said to be one
    card = mentions[1]
    assert card.select_one("a.external").get_text() == 'Riiid discussion & "quoted"'
    assert card.select_one(".wkn-entry-site").get_text() == "www.kaggle.com"
    assert card.select_one(".wkn-mention-text").get_text() == "Riiidの議論。"
    assert [a["href"] for a in card.select(".wkn-mention-tags a")] == ["../../tags/kaggle.html"]
    assert "2020年10月9日" in card.select_one(".wkn-entry-issue").get_text()


def test_writeups_are_grouped_by_their_tags(built):
    page = soup_of(built.outdir / f"{RIIID}.html")
    assert page.select_one("h2#writeups")
    writeups = page.select("#competition > ol")[1].select("li")
    assert [w.select_one("a.external").get_text() for w in writeups] == ["1st place solution"]


def test_cards_show_a_chip_linking_each_competition(built):
    issue = soup_of(built.outdir / "issues/0001.html")
    chips = [
        (a.get_text(), a["href"])
        for a in issue.select("#link-2 .wkn-card-footer a.wkn-competition")
    ]
    assert chips == [
        ("🏆 Riiid! Answer Correctness Prediction", f"../{RIIID}.html"),
        ("🏆 <script>alert(1)</script>", "../competitions/signate/281.html"),
    ]
    second = soup_of(built.outdir / "issues/0002.html")
    assert [a["href"] for a in second.select("#link-1 a.wkn-competition")] == [f"../{RIIID}.html"]


def test_each_competition_has_its_feed(built):
    feed = ET.parse(built.outdir / f"{RIIID}.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == [
        "1st place solution",
        "#2 Test News #2",
        "A blog post",
        'Riiid discussion & "quoted"',
        "#1 Test News #1",
    ]
    head = soup_of(built.outdir / f"{RIIID}.html").select('link[type="application/atom+xml"]')
    assert "riiid-test-answer-prediction.xml" in [link["href"] for link in head]


def test_most_followed_list(built):
    table = soup_of(built.outdir / "index.html").select_one("table.wkn-competition-list")
    rows = [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert rows == [
        ["Riiid! Answer Correctness Prediction", "Kaggle", "5", "2"],
        ["<script>alert(1)</script>", "SIGNATE", "2", "1"],
        ["Rainforest Connection Species Audio Detection", "Kaggle", "1", "1"],
    ]


@pytest.mark.sphinx("text", testroot="competitions", srcdir="competitions-text")
def test_text_builder_renders_chips_and_list_as_text(app):
    app.build()
    assert warnings_of(app) == []
    text = (app.outdir / "issues/0001.txt").read_text(encoding="utf-8")
    assert "Riiid! Answer Correctness Prediction" in text
    table = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "| Rainforest Connection Species Audio" in table


def test_a_bad_curated_file_is_a_warning_with_its_line(tmp_path):
    srcdir = copy_root("competitions", tmp_path)
    with (srcdir / "competitions.toml").open("a", encoding="utf-8") as catalog:
        catalog.write('\n[[competition]]\nkey = "kaggle/../etc"\n')
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    assert [w for w in warnings_of(app) if "competition" in w] == [
        "competitions.toml:12: WARNING: kaggle/../etc: 'key' must be <platform>/<id> as links "
        "give it (platforms: kaggle, signate, nishika, probspace, solafune, guruguru, aicrowd, "
        "drivendata, zindi, codalab), not 'kaggle/../etc' [newsarchive.competition]"
    ]
    assert (app.outdir / f"{RIIID}.html").exists()  # the rest of the file still counts


# -- builds ----------------------------------------------------------------------------
def test_removing_the_last_mention_removes_the_page_and_feed(tmp_path):
    srcdir = copy_root("competitions", tmp_path)
    first = build(srcdir)
    assert (first.outdir / "competitions/nishika/11.html").exists()
    edit(
        srcdir / "issues/0001.md",
        "Nishika「[中古マンション価格予測](https://www.nishika.com/competitions/11/summary)」も。",
        "Nishika のコンペも。",
    )
    # the only link to rfcx-species-audio-detection (#2 keeps no other competition link)
    edit(
        srcdir / "issues/0002.md",
        "https://www.kaggle.com/c/rfcx-species-audio-detection",
        "https://example.com/rfcx",
    )
    app = build(srcdir)
    assert not (app.outdir / "competitions/kaggle/rfcx-species-audio-detection.html").exists()
    assert not (app.outdir / "competitions/nishika/11.html").exists()
    assert not (app.outdir / "competitions/nishika/11.xml").exists()
    assert "nishika/11.html" not in rows_of(app)
    for path in app.outdir.rglob("*.html"):
        assert "nishika/11" not in path.read_text(encoding="utf-8"), path


def test_renaming_in_the_curated_file_rewrites_chips_and_pages(tmp_path):
    srcdir = copy_root("competitions", tmp_path)
    first = build(srcdir)
    before = written(first.outdir)
    edit(srcdir / "competitions.toml", 'name = "Riiid! Answer', 'name = "Riiid!! Answer')
    app = build(srcdir)
    after = written(app.outdir)
    for page in ("issues/0001.html", "issues/0002.html", f"{RIIID}.html", "index.html"):
        assert "Riiid!! Answer" in (app.outdir / page).read_text(encoding="utf-8"), page
        assert before[page] != after[page]
    assert pages(app.outdir) == pages(build(srcdir, outdir="_clean").outdir)


def test_incremental_equals_clean(tmp_path):
    srcdir = copy_root("competitions", tmp_path)
    build(srcdir)
    edit(srcdir / "issues/0002.md", "Riiidコンペの上位解法", "上位解法")
    (srcdir / "issues/0003.md").write_text(
        '---\nissue: 3\ndate: 2021-02-05\ntitle: "Test News #3"\n---\n# Test News #3\n\n'
        "## Competitions\n\n[Zindi](https://zindi.africa/competitions/some-challenge) と "
        "[Riiid](https://www.kaggle.com/c/riiid-test-answer-prediction/overview)。\n",
        encoding="utf-8",
    )
    incremental = build(srcdir)
    clean = build(srcdir, outdir="_clean")
    assert pages(incremental.outdir) == pages(clean.outdir)
    assert (clean.outdir / "competitions/zindi/some-challenge.html").exists()
    assert rows_of(incremental)["kaggle/riiid-test-answer-prediction.html"][3] == "#3 2021-02-05"


def test_parallel_build_equals_serial(tmp_path):
    srcdir = copy_root("competitions", tmp_path)
    for number in range(3, 20):
        (srcdir / f"issues/{number:04d}.md").write_text(
            f"---\nissue: {number}\ndate: 2021-03-{number:02d}\n"
            f'title: "Test News #{number}"\n---\n# Test News #{number}\n\n## News\n\n'
            f"[Comp {number % 4}](https://signate.jp/competitions/{number % 4})"
            " と Riiidコンペ。\n\n"
            f":::{{link}} https://www.kaggle.com/c/comp-{number % 3}/discussion/{number}\n"
            f':title: "Discussion {number}"\n\nコメント {number}。\n:::\n',
            encoding="utf-8",
        )
    serial = build(srcdir, outdir="_serial")
    parallel = build(srcdir, outdir="_parallel", parallel=2)
    assert pages(serial.outdir) == pages(parallel.outdir)
    feeds = sorted(
        p.relative_to(serial.outdir) for p in serial.outdir.rglob("competitions/**/*.xml")
    )
    assert len(feeds) == 4 + 4 + 3  # the root's own (#3 replaced), signate/0-3, kaggle/comp-0-2
    for feed in feeds:
        assert (serial.outdir / feed).read_bytes() == (parallel.outdir / feed).read_bytes()


# -- the link database and the browser ---------------------------------------------------
def test_links_json_and_csv_name_each_cards_competitions(built):
    import csv
    import json

    data = json.loads((built.outdir / "links.json").read_text(encoding="utf-8"))
    by_title = {row["title"]: row["competitions"] for row in data["links"]}
    assert by_title == {
        'Riiid discussion & "quoted"': ["kaggle/riiid-test-answer-prediction"],
        "A blog post": ["kaggle/riiid-test-answer-prediction", "signate/281"],
        "1st place solution": ["kaggle/riiid-test-answer-prediction"],  # by its alias
        "Rainforest Connection Species Audio Detection": ["kaggle/rfcx-species-audio-detection"],
        "Titanic - Machine Learning from Disaster": ["kaggle/titanic"],
    }
    assert data["competitions"]["signate/281"] == {
        "name": "<script>alert(1)</script>",
        "platform": "SIGNATE",
        "page": "competitions/signate/281.html",
    }
    assert "nishika/11" not in data["competitions"]  # named by intro prose only, no card
    with (built.outdir / "links.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["title"]: row["competitions"] for row in csv.DictReader(handle)}
    assert rows["A blog post"] == "kaggle/riiid-test-answer-prediction signate/281"


@pytest.mark.browser
def test_index_sorts_and_filters_with_javascript(browser, serve, built):
    from test_search import open_page

    base = serve(built.outdir)
    context, page, errors = open_page(browser, f"{base}/competitions/index.html")
    try:
        names = "table.wkn-competitions tbody tr:not([hidden]) td:nth-child(2) a"
        page.wait_for_selector("form.wkn-competition-filters:not([hidden])")
        page.locator("th button", has_text="言及").click()  # ascending: fewest first
        page.locator("th button", has_text="言及").click()  # descending
        assert page.locator(names).all_inner_texts()[0] == "Riiid! Answer Correctness Prediction"
        page.select_option("form.wkn-competition-filters [name=platform]", "kaggle")
        page.select_option("form.wkn-competition-filters [name=year]", "2020")
        assert page.locator(names).all_inner_texts() == ["Riiid! Answer Correctness Prediction"]
        assert page.locator(".wkn-competition-count").inner_text() == "1 / 5"
        assert errors == []
    finally:
        context.close()


def test_editing_one_card_rewrites_only_the_pages_that_show_it(tmp_path):
    from test_incremental import rewritten

    srcdir = copy_root("competitions", tmp_path)
    before = written(build(srcdir).outdir)
    edit(srcdir / "issues/0001.md", "Riiidの議論。", "Riiidの議論（更新）。")
    app = build(srcdir)
    # Sphinx itself rewrites the year page (its toctree holds the issue), search and genindex.
    sphinx_own = {"years/2020.html", "search.html", "genindex.html"}
    assert rewritten(before, written(app.outdir)) - sphinx_own == {
        "issues/0001.html",
        f"{RIIID}.html",  # lists the card with its commentary
    }
