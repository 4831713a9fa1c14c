"""Hostile values in every field reach the page as text, never as markup."""

from __future__ import annotations

import pytest
from conftest import build_root, soup_of

PAGES = ["issues/0001.html", "index.html", "years/2020.html", "sites/index.html"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return build_root("hostile", tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", PAGES)
def test_no_injected_script_or_handler(hostile, name):
    html = soup_of(hostile.outdir / name)
    for script in html.find_all("script"):
        assert "alert" not in script.get_text(), script
    for element in html.find_all(True):
        handlers = [a for a in element.attrs if a.lower().startswith("on")]
        assert not handlers, element


def test_hostile_card_values_are_shown_as_text(hostile):
    card = soup_of(hostile.outdir / "issues/0001.html").select_one("#link-1")
    assert card.select_one(".wkn-card-title").get_text() == (
        "<script>alert('card')</script> & \"q\" 'single'"
    )
    assert card.select_one(".wkn-card-site").get_text() == "<img src=x onerror=alert('site')>"
    assert (
        card.select_one(".wkn-card-excerpt").get_text() == "</p><script>alert('excerpt')</script>"
    )
    assert "<script>alert('body')</script>" in card.select_one(".wkn-card-body").get_text()
    image = card.select_one("img")
    assert image["src"] == "https://img.example.com/x.png?\"onerror=\"alert('img')"
    link = card.select_one(".wkn-card-title a")
    assert link["href"] == 'https://example.com/?q=<script>&a="b"'


def test_raw_html_in_the_page_is_shown_as_text(hostile):
    text = soup_of(hostile.outdir / "issues/0001.html").select_one("body").get_text()
    assert "<script>alert('intro')</script>" in text
    assert "<div onclick=\"alert('block')\">block html</div>" in text


def test_hostile_issue_title_is_escaped_in_lists(hostile):
    row = soup_of(hostile.outdir / "index.html").select_one(".wkn-issues li a")
    assert row.get_text() == "Hostile <script>alert('title')</script> & \"quotes\""


def test_every_hostile_value_was_warned_about(hostile):
    warnings = hostile.warning.getvalue()
    for field in (
        ":title: contains HTML",
        ":site: contains HTML",
        ":excerpt: contains HTML",
        "'title' contains HTML",
        "raw HTML is shown as text",
    ):
        assert field in warnings


def test_hard_line_break_is_kept_and_not_warned(hostile):
    body = soup_of(hostile.outdir / "issues/0001.html").select_one("#link-1 .wkn-card-body")
    assert body.find("br") is not None
    assert "<br" not in body.get_text()
    assert "<br />" not in hostile.warning.getvalue()
