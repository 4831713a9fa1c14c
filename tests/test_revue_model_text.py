"""The plain text of a commentary (what tagging reads) and the Revue format error's words."""

from __future__ import annotations

from newsarchive.commands.pipeline.model import (
    Code,
    CodeBlock,
    Emphasis,
    FootnoteRef,
    Heading,
    Hyperlink,
    InlineImage,
    LineBreak,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Text,
    blocks_text,
)
from newsarchive.commands.revue.parse import RevueFormatError


def test_the_words_of_every_inline_element():
    children = (
        Text("LLM の"),
        Strong((Text("上位"), Emphasis((Text("解法"),)))),
        Code("lgbm"),
        FootnoteRef("1"),
        Hyperlink("https://example.com/", (Text("解説"),)),
        LineBreak(),
        InlineImage("https://example.com/a.png", "図"),
        FootnoteRef("2"),
        Text("終わり"),
    )
    assert blocks_text((Paragraph(children),)) == "LLM の上位解法lgbm解説\n図終わり"


def test_the_words_of_every_block_one_paragraph_a_line():
    blocks = (
        Heading(3, (Text("見出し"),)),
        ListBlock(
            False,
            (
                (Paragraph((Text("一つ目"),)),),
                (Paragraph((Text("二つ目"),)), Paragraph((Text("続き"),))),
            ),
        ),
        Quote((Paragraph((Text("引用"),)), Paragraph((Text("引用の二段落目"),)))),
        CodeBlock("print(1)"),
        Paragraph((Text("最後"),)),
    )
    assert blocks_text(blocks) == (
        "見出し\n一つ目\n二つ目\n続き\n引用\n引用の二段落目\nprint(1)\n最後"
    )
    assert blocks_text(()) == ""


def test_a_format_error_says_its_line():
    error = RevueFormatError(7, "[caption] without [/caption]")
    assert str(error) == "line 7: [caption] without [/caption]"
    assert (error.line, error.message) == (7, "[caption] without [/caption]")
