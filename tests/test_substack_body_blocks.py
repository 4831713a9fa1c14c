"""Top-level blocks of a Substack body at their line: LaTeX, pull quotes as divs, empty
blocks (nothing), Substack's transparent wrappers, unknown blocks (their reason names the
element and its classes), and headings and paragraphs that are one link, with commentary
after them or without; every item compared whole."""

from __future__ import annotations

from newsarchive.commands.pipeline.model import (
    Card,
    CodeBlock,
    Header,
    Heading,
    Hyperlink,
    InlineImage,
    Paragraph,
    Prose,
    Quote,
    Text,
    Unmapped,
)
from newsarchive.commands.substack.body import ORIGIN, parse_body

URL = "https://example.com/a"


def prose(line: int, text: str) -> Prose:
    return Prose(line, (Paragraph((Text(text),)),))


def link(text: str = "記事") -> Hyperlink:
    return Hyperlink(URL, (Text(text),))


def test_latex_is_a_code_block_at_its_line():
    body = parse_body(
        "<p>前</p>\n"
        '<div class="latex-rendered" data-attrs="{&quot;persistentExpression&quot;:&quot;'
        'E = mc^2&quot;}"></div>\n'
    )
    assert body.items == [prose(1, "前"), Prose(2, (CodeBlock("E = mc^2"),))]


def test_a_pull_quote_is_a_quote_whatever_its_element_and_nothing_when_empty():
    body = parse_body(
        '<div class="pullquote"><p>引用</p></div>\n<div class="pullquote"> </div>\n<p>後</p>\n'
    )
    assert body.items == [Prose(1, (Quote((Paragraph((Text("引用"),)),)),)), prose(3, "後")]
    assert body.notes == []


def test_empty_blocks_are_nothing():
    body = parse_body("<p></p>\n<p> </p>\n<blockquote></blockquote>\n<pre></pre>\n<p>後</p>\n")
    assert body.items == [prose(5, "後")]
    assert body.notes == []


def test_substack_s_wrappers_are_read_through():
    body = parse_body(
        '<div class="body markup"><p>一</p></div>\n'
        '<div class="available-content body markup image2-inset"><p>二</p></div>\n'
    )
    assert body.items == [prose(1, "一"), prose(2, "二")]
    assert body.notes == []


def test_unknown_blocks_are_kept_as_text_named_with_their_classes():
    body = parse_body(
        '<div class="poll-embed wide"><img src="https://example.com/a.png"></div>\n'
        f'<a href="{URL}"><span>文</span></a>\n'
        "<aside>余談</aside>\n"
    )
    reasons = [
        'unknown Substack block <div class="poll-embed wide">',
        "unknown Substack block <a>",
        "unknown Substack block <aside>",
    ]
    assert body.items == [
        Unmapped(
            1, (Paragraph((InlineImage("https://example.com/a.png", ""),)),), reasons[0], ORIGIN
        ),
        Unmapped(2, (Paragraph((link("文"),)),), reasons[1], ORIGIN),
        Unmapped(3, (Paragraph((Text("余談"),)),), reasons[2], ORIGIN),
    ]
    assert [(note.line, note.message) for note in body.notes] == [
        (line, f"{reason}; kept as text") for line, reason in enumerate(reasons, 1)
    ]


def test_a_heading_or_paragraph_that_is_one_link_is_a_card_at_its_line():
    body = parse_body(
        f'<p>前</p>\n<h3><a href="{URL}">見出し</a></h3>\n<p>解説</p>\n'
        f'<p><a href="{URL}">段落</a></p>\n<p>解説二</p>\n'
    )
    assert body.items == [
        prose(1, "前"),
        Card("link", 2, URL, "見出し", commentary=(Paragraph((Text("解説"),)),)),
        Card("link", 4, URL, "段落", commentary=(Paragraph((Text("解説二"),)),)),
    ]


def test_a_heading_or_paragraph_that_is_one_link_stays_itself_without_commentary():
    body = parse_body(
        f'<p>前</p>\n<h2><a href="{URL}">見出し</a></h2>\n'
        f'<h4><a href="{URL}">小見出し</a></h4>\n'
        f'<p><a href="{URL}">段落</a></p>\n<hr>\n'
    )
    assert body.items == [
        prose(1, "前"),
        Header(2, (link("見出し"),)),
        Prose(3, (Heading(4, (link("小見出し"),)),)),
        Prose(4, (Paragraph((link("段落"),)),)),
    ]
    assert body.notes == []
