"""``:status: dead``: the archived copy becomes the card's link; the original stays visible."""

from __future__ import annotations

import shutil

import pytest
from conftest import build_root, soup_of
from newsarchive.commands import linkreport
from newsarchive.sphinxext.domain import news_domain

WAYBACK = "https://web.archive.org/web/20210305/"
GONE = "https://gone.example.com/posts/42?lang=ja"


@pytest.fixture(scope="module")
def dead(tmp_path_factory):
    return build_root("linkcheck-dead", tmp_path_factory.mktemp("dead"))


def card(app, anchor: str):
    return soup_of(app.outdir / "issues/0001.html").select_one(f"article#{anchor}")


def test_dead_card_title_links_to_the_archived_copy(dead):
    title = card(dead, "link-1").select_one(".wkn-card-title a")
    assert title["href"] == WAYBACK + GONE
    assert title.get_text() == "A post that is gone"


def test_dead_card_shows_the_original_url_without_a_link(dead):
    found = card(dead, "link-1")
    note = found.select_one(".wkn-card-dead")
    assert "リンク切れ" in note.get_text()
    assert note.select_one(".wkn-card-original").get_text() == GONE
    assert [a["href"] for a in found.select("a") if a["href"] == GONE] == []
    assert found.select_one("a.wkn-archived")["href"] == WAYBACK + GONE


def test_live_card_is_unchanged(dead):
    found = card(dead, "link-2")
    assert found.select_one(".wkn-card-title a")["href"] == "https://live.example.com/"
    assert found.select_one(".wkn-card-dead") is None
    assert found.select_one(".wkn-card-site").get_text() == "live.example.com"


def test_unknown_status_is_a_typed_warning_and_the_card_stays_live(dead):
    warnings = dead.warning.getvalue()
    assert "0001.md:" in warnings
    assert "link card :status: must be 'live' or 'dead', not 'gone'; ignored" in warnings
    assert "[newsarchive.card]" in warnings
    assert warnings.count("WARNING") == 1
    link = card(dead, "link-3").select_one(".wkn-card-title a")
    assert link["href"] == "https://other.example.com/"


def test_status_is_in_the_card_records(dead):
    cards = news_domain(dead.env).cards_of("issues/0001")
    assert [c.status for c in cards] == ["dead", "live", "live"]


@pytest.mark.sphinx("text", testroot="linkcheck-dead", srcdir="dead-text")
def test_text_builder_names_the_archive_and_the_original(app):
    app.build()
    text = "".join((app.outdir / "issues/0001.txt").read_text(encoding="utf-8").split())
    assert f"<{WAYBACK}{GONE}>" in text  # the text builder wraps lines
    assert f"元のURL:{GONE}" in text


@pytest.mark.browser
def test_dead_card_fits_a_phone_screen(dead, browser, serve, tmp_path):
    """The original URL (long, unbreakable) wraps inside the card at phone width."""
    long = GONE.replace("posts/42", "posts/42/" + "a-very-long-path-segment-without-breaks" * 3)
    srcdir = tmp_path / "root"
    shutil.copytree(dead.srcdir, srcdir, ignore=shutil.ignore_patterns("_build"))
    page_path = srcdir / "issues" / "0001.md"
    page_path.write_text(page_path.read_text(encoding="utf-8").replace(GONE, long), "utf-8")
    app = build_root_at(srcdir)
    url = serve(app.outdir)
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
    try:
        page.goto(f"{url}/issues/0001.html")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        right = page.locator("#link-1 .wkn-card-original").evaluate(
            "e => e.getBoundingClientRect().right"
        )
        assert right <= 390
        href = page.locator("#link-1 .wkn-card-title a").get_attribute("href")
        assert href == WAYBACK + long
    finally:
        context.close()


def build_root_at(srcdir):
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    return app


# -- newsarchive linkreport --mark-dead: only the card's option lines change ----------------
PAGE = """---
issue: 3
---
# #3

:::{link} https://a.example.com/
:title: "A"
:status: live

Body of A.
:::

::::{note}
:::{link} https://b.example.com/
  :title: "B"
  :tags: kaggle,
    paper

Body of B, which mentions :status: in passing.
:::
::::

:::{link} https://c.example.com/
Only a body.
:::
"""


def marked(tmp_path, text: str, *targets: tuple[int, str]) -> tuple[str, list]:
    page = tmp_path / "issues" / "0003.md"
    page.parent.mkdir(exist_ok=True)
    page.write_bytes(text.encode())
    cards = [
        linkreport.Card("issues/0003.md", line, 3, "link-1", "t", url) for line, url in targets
    ]
    outcome = linkreport.mark_dead(tmp_path, cards)
    return page.read_bytes().decode(), outcome


def test_mark_dead_replaces_a_status_line(tmp_path):
    text, outcome = marked(tmp_path, PAGE, (6, "https://a.example.com/"))
    assert [item.done for item in outcome] == [True]
    assert text == PAGE.replace(":status: live", ":status: dead")


def test_mark_dead_adds_a_line_after_the_options_with_their_indent(tmp_path):
    text, _ = marked(tmp_path, PAGE, (14, "https://b.example.com/"))
    assert text == PAGE.replace("    paper\n", "    paper\n  :status: dead\n")


def test_mark_dead_on_a_card_without_options_and_with_crlf(tmp_path):
    crlf = PAGE.replace("\n", "\r\n")
    text, _ = marked(tmp_path, crlf, (23, "https://c.example.com/"))
    assert text == crlf.replace(
        ":::{link} https://c.example.com/\r\n",
        ":::{link} https://c.example.com/\r\n:status: dead\r\n",
    )


def test_mark_dead_edits_several_cards_of_a_page_at_once(tmp_path):
    text, outcome = marked(
        tmp_path, PAGE, (6, "https://a.example.com/"), (23, "https://c.example.com/")
    )
    assert [item.done for item in outcome] == [True, True]
    assert text.count(":status: dead") == 2 and len(text.splitlines()) == len(PAGE.splitlines()) + 1


def test_mark_dead_leaves_a_changed_page_alone(tmp_path):
    text, outcome = marked(tmp_path, PAGE, (7, "https://a.example.com/"))
    assert text == PAGE
    assert outcome[0].note == "not found at that line (page changed?)"
