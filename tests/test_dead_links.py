"""``:status: dead``: the archived copy becomes the card's link; the original stays visible."""

from __future__ import annotations

import pytest
from conftest import build_root, soup_of
from newsarchive.domain import news_domain

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


def test_text_builder_names_the_archive_and_the_original(tmp_path):
    app = build_root("linkcheck-dead", tmp_path, "text")
    text = "".join((app.outdir / "issues/0001.txt").read_text(encoding="utf-8").split())
    assert f"<{WAYBACK}{GONE}>" in text  # the text builder wraps lines
    assert f"元のURL:{GONE}" in text
