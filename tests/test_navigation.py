"""The sidebar: years, then the open year's issues, in the book theme's markup."""

from __future__ import annotations

import pytest
from conftest import build_root, soup_of


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return build_root(
        "basic", tmp_path_factory.mktemp("nav"), confoverrides={"html_theme": "sphinx_book_theme"}
    )


def sidebar(app, page: str):
    return soup_of(app.outdir / page).select_one("nav.bd-docs-nav")


def test_issue_page_opens_its_year_only(book):
    nav = sidebar(book, "issues/0002.html")
    years = [a.get_text() for a in nav.select("ul.bd-sidenav:not(.bd-sidenav__home-link) > li > a")]
    assert years == ["2021年", "2020年"]
    open_year = nav.select_one("li.toctree-l1.current")
    assert open_year.select_one("a").get_text() == "2021年"
    issues = [(a.get_text(), a["href"]) for a in open_year.select("li.toctree-l2 > a")]
    assert issues == [("Test News #3", "0003.html"), ("Test News #2", "#")]
    assert "current" in open_year.select("li.toctree-l2")[1]["class"]
    assert nav.select("li.toctree-l2 a")[0]["href"] == "0003.html"
    assert len(nav.select("li.toctree-l2")) == 2  # 2020's issues are not drawn


def test_home_and_index_pages_show_years_collapsed(book):
    for page in ("index.html", "sites/index.html"):
        nav = sidebar(book, page)
        assert [a.get_text() for a in nav.select("li.toctree-l1 > a")][-2:] == ["2021年", "2020年"]
        assert nav.select("li.toctree-l2") == []
    home = sidebar(book, "index.html").select_one(".bd-sidenav__home-link li")
    assert "current" in home["class"]
