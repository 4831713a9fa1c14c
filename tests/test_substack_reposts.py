"""Re-posts (``commands/substack/reposts.py``) rule by rule: which page is the archive's own
copy, what two links to the same page share, which links a page lacks, and how that is
said."""

from __future__ import annotations

from pathlib import Path

import pytest
from newsarchive.commands.substack.reposts import (
    is_repost,
    lacking_links,
    lacking_notice,
    link_key,
    source_line,
)

PAGE = """---
issue: 7
date: 2020-02-07
title: "Weekly Kaggle News #7"
source: {source}
---
# Weekly Kaggle News #7

[Intro link](https://intro.example.com/post) and text.

:::{{link}} https://www.example.com/articles/one/?id=7
:title: "One"

Comment.
:::

:::{{link}} https://www.youtube.com/watch?v=abcdefghijk
:title: "A video"
:::
"""
REVUE = "https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-7-1"
POST = "https://news.example.jp/p/weekly-kaggle-news-7"


def page(tmp_path: Path, text: str = PAGE.format(source=REVUE)) -> Path:
    path = tmp_path / "0007.md"
    path.write_text(text, "utf-8")
    return path


def body(*urls: str) -> str:
    return "".join(
        f'<h3><a href="{url}">Link {n}</a></h3><p>Text {n}.</p>' for n, url in enumerate(urls)
    )


# -- which page is a re-post's -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "repost"),
    [
        ("# Weekly Kaggle News #7\n\nNo front matter.\n", True),  # by hand
        ("---\nissue: 7\nsource:\n---\n# 7\n", True),  # an empty source
        ("---\nissue: 7\nsource: not an address\n---\n# 7\n", True),
        ("---\nissue: 7\nsource: https://upura.substack.com/p/x\n---\n# 7\n", False),
        ("---\nissue: 7\nsource: https://News.Example.JP/p/x\n---\n# 7\n", False),  # its host
        ("---\nissue: 7\nsource: https://substack.com.example.org/p/x\n---\n# 7\n", True),
    ],
)
def test_a_page_is_the_archive_s_own_unless_its_source_is_on_substack(tmp_path, text, repost):
    assert is_repost(page(tmp_path, text), POST, recorded=False) is repost
    assert is_repost(page(tmp_path, text), POST, recorded=True) is False


def test_a_post_without_an_address_has_no_host_of_its_own(tmp_path):
    by_hand = page(tmp_path, "---\nissue: 7\nsource: https://other.example.jp/p/x\n---\n# 7\n")
    assert is_repost(by_hand, "", recorded=False) is True


# -- what two links to the same page share -------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://www.example.com/a/", "http://example.com/a"),
        ("https://EXAMPLE.com/a", "https://example.com/a"),
        ("https://mobile.twitter.com/u/status/1?s=20", "https://x.com/u/status/1"),
        ("https://twitter.com/u/status/1", "https://www.twitter.com/u/status/1/"),
        ("https://example.com/a?id=7&utm_source=substack", "https://example.com/a?id=7"),
        ("https://youtu.be/abcdefghijk", "https://www.youtube.com/watch?v=abcdefghijk&t=3"),
    ],
)
def test_links_to_the_same_page_share_their_key(one, other):
    assert link_key(one) == link_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://example.com/a?id=7", "https://example.com/a?id=8"),
        ("https://example.com/a?id=7", "https://example.com/a"),
        ("https://example.com/a", "https://example.com/A"),  # paths are case-sensitive
        ("https://example.com/a", "https://example.org/a"),
        ("https://www2.example.com/a", "https://example.com/a"),
        ("https://x.com.example/a", "https://twitter.com.example/a"),
        ("https://example.com/a/b", "https://example.com/a"),
        ("https://example.com/aX", "https://example.com/a"),  # only slashes end a path
        ("https://youtu.be/abcdefghijk", "https://youtu.be/abcdefghijl"),
    ],
)
def test_links_to_other_pages_have_other_keys(one, other):
    assert link_key(one) != link_key(other)


def test_the_key_of_a_link():
    assert link_key("https://www.Example.com/a/?q=1") == "example.com/a?q=1"
    assert link_key("https://x.com/u") == "twitter.com/u?"
    assert link_key("https://youtu.be/abcdefghijk") == "youtube:abcdefghijk"


# -- which links a page lacks --------------------------------------------------------------


def test_the_links_a_page_lacks_in_the_post_s_order_each_once(tmp_path):
    lacking = lacking_links(
        page(tmp_path),
        body(
            "https://example.com/articles/one?id=7",  # a card of the page, otherwise written
            "https://new.example.com/b",
            "https://youtu.be/abcdefghijk",  # the page's video
            "https://intro.example.com/post/",  # a link of the page's intro
            "https://new.example.com/a",
            "https://www.new.example.com/b/?utm_medium=email",  # the second, again
        ),
    )
    assert lacking == ["https://new.example.com/b", "https://new.example.com/a"]


def test_a_post_holding_only_the_page_s_links_lacks_nothing(tmp_path):
    assert lacking_links(page(tmp_path), body("https://example.com/articles/one?id=7")) == []


@pytest.mark.parametrize(
    ("html", "said"),
    [
        ("", "line 1: the post has no content"),
        ("<p>one</p>\n<div>unclosed", "line 2: "),
    ],
)
def test_a_post_that_cannot_be_read_is_said_with_its_line(tmp_path, html, said):
    message = lacking_links(page(tmp_path), html)
    assert isinstance(message, str) and message.startswith(said)


# -- how it is said ------------------------------------------------------------------------


def test_the_notice_is_at_the_source_line(tmp_path):
    path = page(tmp_path)
    assert source_line(path) == 5
    assert lacking_notice(path, "1.x", ["https://a.test/1"]) == (
        f"{path}:5: the Substack re-post (1.x) has 1 link this page lacks: "
        "https://a.test/1; the page is left as it is"
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\nissue: 7\n---\n# 7\n\nsource: in the text\n", 1),  # after the front matter
        ("# 7\n\nsource: no front matter\n", 1),
        ("---\nsource: https://a.test/\n---\n", 2),
        ("source: x\n", 1),
        ("---\nissue: 7\ntitle: x\n---\nsource: later\n", 1),
    ],
)
def test_the_source_line_is_the_front_matter_s(tmp_path, text, line):
    assert source_line(page(tmp_path, text)) == line


def test_three_links_at_most_are_shown(tmp_path):
    path = page(tmp_path)
    links = [f"https://a.test/{n}" for n in range(1, 6)]
    three = "https://a.test/1, https://a.test/2, https://a.test/3"
    assert f"has 3 links this page lacks: {three}; the page" in lacking_notice(path, "k", links[:3])
    assert f"has 4 links this page lacks: {three}, …; the page" in lacking_notice(
        path, "k", links[:4]
    )
    assert f"has 5 links this page lacks: {three}, …; the page" in lacking_notice(path, "k", links)
