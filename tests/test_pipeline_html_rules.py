"""HTML prose read into the model (``commands/pipeline/html.py``), the part the Revue and
Substack readers share: checked on :class:`RichText` and the helpers themselves."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from newsarchive.commands.pipeline.html import RichText, structure_problem, youtube_id
from newsarchive.commands.pipeline.model import (
    Code,
    CodeBlock,
    Heading,
    Hyperlink,
    InlineImage,
    LineBreak,
    ListBlock,
    Paragraph,
    Strong,
    Text,
)


def read(html: str) -> tuple[tuple[object, ...], list[tuple[int, str]]]:
    """The blocks of ``html`` and the notes said about it (line, message)."""
    notes: list[tuple[int, str]] = []
    rich = RichText(lambda line, message: notes.append((line, message)), lambda n: n.sourceline)
    return rich.blocks(BeautifulSoup(html, "html.parser").contents), notes


def paragraph(*children: object) -> Paragraph:
    return Paragraph(tuple(children))  # type: ignore[arg-type]


# -- paragraphs and line breaks ----------------------------------------------------------------
def test_two_line_breaks_or_more_start_a_paragraph_one_is_a_line_break():
    assert read("a<br>b<br><br>c<br><br><br>d")[0] == (
        paragraph(Text("a"), LineBreak(), Text("b")),
        paragraph(Text("c")),
        paragraph(Text("d")),
    )


def test_blanks_between_breaks_are_no_paragraph():
    assert read("a<br><br>   <br><br>b")[0] == (paragraph(Text("a")), paragraph(Text("b")))


def test_blanks_are_trimmed_at_the_ends_after_markup():
    assert read("<p> <b>x</b> y </p>")[0] == (paragraph(Strong((Text("x"),)), Text(" y")),)


def test_text_after_a_comment_is_kept():
    assert read("<p>a<!-- note -->b</p>")[0] == (paragraph(Text("ab")),)


# -- blocks ----------------------------------------------------------------------------------
@pytest.mark.parametrize("level", range(1, 7))
def test_every_heading_level(level):
    assert read(f"<h{level}>T</h{level}>")[0] == (Heading(level, (Text("T"),)),)


def test_a_list_item_of_several_paragraphs_keeps_them():
    assert read("<ul><li><p>a</p><p>b</p></li></ul>")[0] == (
        ListBlock(False, ((paragraph(Text("a")), paragraph(Text("b"))),)),
    )


def test_markup_in_a_list_outside_its_items_is_kept():
    assert read("<ol><b>x</b></ol>")[0] == (ListBlock(True, ((paragraph(Strong((Text("x"),))),),)),)


def test_a_code_block_is_kept_as_written_but_its_blank_lines_at_the_ends():
    blocks, _ = read("<pre>\nx = 1  \n\n</pre><pre>y = X</pre>")
    assert blocks == (CodeBlock("x = 1  "), CodeBlock("y = X"))


def test_a_thematic_break_gives_no_block():
    assert read("<p>a</p><hr><p>b</p>") == ((paragraph(Text("a")), paragraph(Text("b"))), [])


# -- inlines ----------------------------------------------------------------------------------
def test_code_keeps_its_blanks_and_joins_its_lines():
    assert read("<code>a  b\nc</code>")[0] == (paragraph(Code("a  b c")),)


def test_an_image_without_alt_has_none():
    assert read('<img src="https://e.com/a.png">')[0] == (
        paragraph(InlineImage("https://e.com/a.png", "")),
    )


def test_an_image_without_src_is_left_out_and_said():
    assert read("<p>x<img alt='a'></p>") == (
        (paragraph(Text("x")),),
        [(1, "an image without an http(s) URL is left out")],
    )


def test_an_anchor_without_href_is_its_text_and_nothing_is_said():
    assert read('<p><a name="top">Top</a></p>') == ((paragraph(Text("Top")),), [])


def test_a_link_that_is_not_http_is_said_with_its_first_60_characters():
    href = "mailto:" + "m" * 70
    blocks, notes = read(f'<p><a href="{href}">mail</a></p>')
    assert blocks == (paragraph(Text("mail")),)
    assert notes == [(1, f"link to {href[:60]!r} is not http(s); kept as text")]


def test_a_stray_list_item_is_its_text_and_nothing_is_said():
    assert read("<p><li>x</li></p>") == ((paragraph(Text("x")),), [])


def test_a_link_keeps_its_markup():
    assert read('<a href="https://e.com/?utm_source=x"><b>b</b></a>')[0] == (
        paragraph(Hyperlink("https://e.com/", (Strong((Text("b"),)),))),
    )


# -- YouTube ids ----------------------------------------------------------------------------
def test_a_youtu_be_id_may_start_and_end_with_x():
    assert youtube_id("https://youtu.be/XabcdeX") == "XabcdeX"


# -- the structure check ----------------------------------------------------------------------
def test_html_closed_in_order_has_no_problem():
    assert structure_problem("<p>a<br><em>b</em></p>\n") is None


def test_the_innermost_element_not_closed_is_named():
    assert structure_problem("<p><em><strong>a</p>") == (
        1,
        "<strong> is not closed before </p> (line 1)",
    )


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("<p>x</p>\n<a href='x\ny\nz", 2),  # the tag's first line, not the file's last
        ("\n<p>x</p>\n<a href='x", 3),  # a first blank line counts
        ("<p>x</p>\n\n<a title='<b\n<c", 3),  # the first '<' of what is left
    ],
)
def test_a_tag_cut_off_at_the_end_is_named_at_its_first_line(body, line):
    assert structure_problem(body) == (
        line,
        "a tag is cut off at the end of the file (truncated file?)",
    )


def test_an_element_of_raw_text_left_open_is_named_not_a_cut_tag():
    """Inside <script> a "<" is text: an unclosed one is never closed, at its own line."""
    assert structure_problem("<p>x</p>\n<script>\nif (a\n<b)") == (
        2,
        "<script> is never closed (truncated file?)",
    )
