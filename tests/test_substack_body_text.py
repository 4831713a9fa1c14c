"""A Substack body as text: a byte order mark, Windows' and old Macs' line ends (lines still
counted right), and the links of the post the page would lose, each said once at its line,
in the order of the lines, then of the addresses."""

from __future__ import annotations

import pytest
from newsarchive.commands.pipeline.model import Card, Paragraph, Prose, Text
from newsarchive.commands.substack.body import parse_body


def prose(line: int, text: str) -> Prose:
    return Prose(line, (Paragraph((Text(text),)),))


def test_a_byte_order_mark_is_not_text():
    assert parse_body("\ufeff<p>本文</p>").items == [prose(1, "本文")]


@pytest.mark.parametrize("end", ["\r\n", "\r", "\n"])
def test_lines_are_counted_whatever_their_ends(end):
    body = parse_body(end.join(["<p>一</p>", "<p>二</p>", "<p>三", "続き</p>", "<p>四</p>"]))
    assert body.items == [prose(1, "一"), prose(2, "二"), prose(3, "三 続き"), prose(5, "四")]


def tweet(*links: str) -> str:
    others = "".join(f'<a href="{link}">{link}</a>' for link in links)
    return (
        '<div class="tweet"><a class="tweet-link-top" href="https://twitter.com/u/status/1">'
        f"u</a>{others}</div>"
    )


def test_links_the_page_loses_are_said_by_line_then_address():
    body = parse_body(
        "<p><a>名前だけ</a><abbr href='https://c.example/'>略</abbr></p>\n"
        + tweet("https://b.example/", "https://a.example/", "https://b.example/")
        + "\n"
        + tweet("https://0.example/")
    )
    assert [type(item) for item in body.items] == [Prose, Card, Card]
    assert [(note.line, note.message) for note in body.notes] == [
        (2, "the link https://a.example/ is not on the page"),
        (2, "the link https://b.example/ is not on the page"),
        (3, "the link https://0.example/ is not on the page"),
    ]
