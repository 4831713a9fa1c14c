"""Every kind of bad input is a typed warning with file and line, and nothing else breaks."""

from __future__ import annotations

import re

import pytest
from conftest import build_root, soup_of


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    return build_root("bad", tmp_path_factory.mktemp("bad"))


def warnings_of(app) -> list[str]:
    """Each warning as 'file:line: message [type]', colour codes removed."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    srcdir = str(app.srcdir) + "/"
    return [line.replace(srcdir, "") for line in text.splitlines() if "WARNING" in line]


@pytest.mark.parametrize(
    ("location", "message", "kind"),
    [
        ("issues/0001.md:9", "link card has no URL", "newsarchive.card"),
        ("issues/0001.md:15", "link card has no :title: (required)", "newsarchive.card"),
        (
            "issues/0001.md:20",
            "must be http or https, not 'javascript:alert(1)'",
            "newsarchive.card",
        ),
        ("issues/0001.md:26", "must be http or https, not 'data:text/html,hi'", "newsarchive.card"),
        ("issues/0001.md:30", "must be http or https, not '/relative/path'", "newsarchive.card"),
        ("issues/0001.md:36", "Unknown option key: 'colour'", "myst.directive_option"),
        ("issues/0001.md:39", "tracking parameters (utm_source)", "newsarchive.card"),
        ("issues/0001.md:40", ":title: contains template syntax", "newsarchive.card"),
        (
            "issues/0001.md:3",
            "'date' must be a date like 2020-04-17, not '2020-02-30'",
            "newsarchive.frontmatter",
        ),
        ("issues/0001.md:4", "'title' contains HTML", "newsarchive.frontmatter"),
        ("issues/0001.md:5", "'source' must be an http or https URL", "newsarchive.frontmatter"),
        (
            "issues/0003.md:2",
            "'issue' must be a positive whole number like 18, not 'three'",
            "newsarchive.frontmatter",
        ),
        ("issues/0003.md:1", "front matter has no 'title'", "newsarchive.frontmatter"),
        (
            "issues/0004.md:2",
            "issue number 2 is also used by issues/0002",
            "newsarchive.frontmatter",
        ),
    ],
)
def test_warning_names_file_line_and_type(bad, location, message, kind):
    matching = [w for w in warnings_of(bad) if w.startswith(f"{location}: WARNING:")]
    assert any(message in w and w.endswith(f"[{kind}]") for w in matching), warnings_of(bad)


def test_commentary_of_broken_cards_is_kept(bad):
    html = soup_of(bad.outdir / "issues/0001.html")
    bodies = [b.get_text(" ", strip=True) for b in html.select(".wkn-card-body")]
    for kept in ("Commentary kept A.", "Commentary kept B.", "Commentary kept C."):
        assert kept in bodies
    cards = html.select("article.wkn-card")
    assert len(cards) == 7


def test_unsafe_urls_never_become_links(bad):
    html = soup_of(bad.outdir / "issues/0001.html")
    hrefs = [a.get("href", "") for a in html.select("a")]
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))]
    assert "/relative/path" not in hrefs
    js_card = html.select_one("#link-3")
    assert js_card.select_one(".wkn-card-title").get_text() == "JS link"
    assert js_card.select_one(".wkn-card-title a") is None


def test_card_without_title_uses_its_url(bad):
    card = soup_of(bad.outdir / "issues/0001.html").select_one("#link-2 .wkn-card-title a")
    assert card.get_text() == "https://example.com/no-title"


def test_warnings_are_typed_so_they_can_be_suppressed(tmp_path):
    app = build_root(
        "bad",
        tmp_path,
        confoverrides={
            "suppress_warnings": [
                "newsarchive",
                "myst",
                "toc.not_included",
            ]
        },
    )
    assert warnings_of(app) == []
