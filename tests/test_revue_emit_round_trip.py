"""What the emitter writes reads back, through MyST's own parser, as what it was given:
code spans, bold and italic text beside any neighbour, lists (tight or loose, side by
side, nested), quotes, code blocks and footnotes of several paragraphs."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from newsarchive.commands.pipeline.emit import (
    emit_card,
    emit_figure,
    emit_footnote,
    emit_page,
    render_blocks,
)
from newsarchive.commands.pipeline.model import (
    Card,
    Code,
    CodeBlock,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Hyperlink,
    InlineImage,
    Issue,
    LineBreak,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Text,
)
from test_revue_emit import _markdown_html


def para(*children) -> Paragraph:
    return Paragraph(tuple(Text(c) if isinstance(c, str) else c for c in children))


@pytest.mark.parametrize(
    "code",
    ["plain", "a`b", "``x", "x`", "`", " lead", "trail ", " both ", "a ``` b", "a`` `b"],
)
def test_a_code_span_reads_back_as_its_code(code):
    html = _markdown_html(render_blocks((para("前", Code(code), "後"),)))
    (span,) = html.find_all("code")
    assert span.get_text() == code
    assert html.get_text() == f"前{code}後\n"


def test_empty_code_is_left_out():
    assert render_blocks((para("前", Code(""), "後"),)) == "前後"


@pytest.mark.parametrize(
    "children",
    [
        ("前", Strong((Text("強調"),)), "後"),
        ("「", Strong((Text("強調"),)), "」"),
        ("a", Strong((Text("「x」"),)), "b"),
        (Strong((Text("「x」"),)), "b"),
        ("a", Strong((Text("「x」"),))),
        (Strong((Text("先"),)), Strong((Text("次"),))),
        ("a", Emphasis((Text("(x)"),)), "b"),
        ("a", Strong((Text(" 空白 "),)), "b"),
    ],
)
def test_bold_and_italic_read_back_beside_any_neighbour(children):
    """As ``**…**`` where CommonMark lets it open and close, else as a role; never as
    stray asterisks."""
    block = para(*children)
    markdown = render_blocks((block,))
    parser = create_md_parser(MdParserConfig(), RendererHTML)
    html = BeautifulSoup(parser.render(markdown), "html.parser")
    marked = []
    for tag in html.find_all(["strong", "em", "code"]):
        if tag.name == "code":  # a role, rendered as {name}[content]
            role, _, text = tag.get_text().partition("}[")
            marked.append((role.lstrip("{"), text.removesuffix("]")))
        elif tag.parent.name not in {"strong", "em"}:
            marked.append(({"strong": "strong", "em": "emphasis"}[tag.name], tag.get_text()))
    expected = [
        ("strong" if isinstance(c, Strong) else "emphasis", "".join(_plain(c)).strip())
        for c in block.children
        if isinstance(c, Strong | Emphasis)
    ]
    assert marked == expected
    assert "*" not in _markdown_html(markdown).get_text()


def _plain(inline) -> list[str]:
    if isinstance(inline, Text):
        return [inline.text]
    return [text for child in inline.children for text in _plain(child)]


def test_nested_markup_is_kept():
    html = _markdown_html(
        render_blocks((para("前 ", Strong((Emphasis((Text("入れ子"),)),)), " 後"),))
    )
    assert html.find("em").find("strong").get_text() == "入れ子"  # ***…***: both, nested


def test_links_and_images_read_back():
    block = para(
        Hyperlink("https://example.com/a b", ()),
        " ",
        InlineImage("https://example.com/i(1).png", "図[1]"),
        FootnoteRef("n"),
    )
    markdown = render_blocks((block,))
    html = _markdown_html(markdown + "\n\n[^n]: 注")
    link = html.find("a")
    assert link["href"] == "https://example.com/a%20b"
    assert link.get_text() == "https://example.com/a b"
    image = html.find("img")
    assert (image["src"], image["alt"]) == ("https://example.com/i(1).png", "図[1]")
    assert "[^n]" in markdown


def items(*texts: str | tuple[str, ...]) -> tuple[tuple[Paragraph, ...], ...]:
    return tuple(
        tuple(para(t) for t in (text if isinstance(text, tuple) else (text,))) for text in texts
    )


def test_lists_read_back_with_their_items_tight_or_loose():
    blocks = (
        ListBlock(True, items("一", "二", "三")),
        ListBlock(True, items("四", ("五", "五の続き"))),
        ListBlock(False, items("甲", "乙")),
        ListBlock(False, items("丙")),
    )
    html = _markdown_html(render_blocks(blocks))
    lists = html.find_all(["ol", "ul"], recursive=False)
    assert [(tag.name, tag.get("start")) for tag in lists] == [
        ("ol", None),
        ("ol", None),
        ("ul", None),
        ("ul", None),
    ]
    texts = [[" ".join(li.get_text().split()) for li in tag.find_all("li")] for tag in lists]
    assert texts == [["一", "二", "三"], ["四", "五 五の続き"], ["甲", "乙"], ["丙"]]
    # A list of one paragraph an item is tight (no paragraphs in its items), else loose.
    assert [tag.find("p") is not None for tag in lists] == [False, True, False, False]


def test_a_nested_list_and_a_quote_in_an_item():
    inner = ListBlock(False, items("内側一", "内側二"))
    quote = Quote((para("引用一"), para("引用二")))
    block = ListBlock(False, ((para("外側"), inner), (quote,), ()))
    html = _markdown_html(render_blocks((block,)))
    outer = html.find("ul")
    top = outer.find_all("li", recursive=False)
    assert len(top) == 3
    assert [li.get_text() for li in top[0].find("ul").find_all("li")] == ["内側一", "内側二"]
    assert [p.get_text() for p in top[1].find("blockquote").find_all("p")] == ["引用一", "引用二"]
    assert top[2].get_text().strip() == ""


def test_a_quote_of_several_blocks_reads_back():
    quote = Quote((para("一"), ListBlock(True, items("二", "三")), CodeBlock("x = 1\n\ny = 2")))
    markdown = render_blocks((quote,))
    assert all(line.startswith(">") for line in markdown.split("\n"))
    block = _markdown_html(markdown).find("blockquote")
    assert block.find("p").get_text() == "一"
    assert [li.get_text() for li in block.find_all("li")] == ["二", "三"]
    assert block.find("code").get_text() == "x = 1\n\ny = 2\n"


@pytest.mark.parametrize("text", ["a = 1", "```\nfenced\n```", "````\n`````"])
def test_a_code_block_reads_back_whatever_fences_it_holds(text):
    markdown = render_blocks((CodeBlock(text),))
    (code,) = _markdown_html(markdown).find_all("code")
    assert code.get_text() == text + "\n"
    assert markdown.startswith("```") and not markdown.startswith("````" + "`" * 3)


def test_headings_are_levels_two_to_six_outside_cards_and_bold_inside():
    blocks = tuple(Heading(level, (Text(f"見出し{level}"),)) for level in (1, 2, 6, 7))
    html = _markdown_html(render_blocks(blocks))
    assert [tag.name for tag in html.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])] == [
        "h2",
        "h2",
        "h6",
        "h6",
    ]
    in_card = _markdown_html(render_blocks(blocks, in_card=True))
    assert [s.get_text() for s in in_card.find_all("strong")] == [
        "見出し1",
        "見出し2",
        "見出し6",
        "見出し7",
    ]
    assert in_card.find(["h1", "h2", "h3", "h4", "h5", "h6"]) is None


def footnote_paragraphs(markdown: str) -> dict[str, list[str]]:
    """Each footnote's paragraphs, as markdown-it reads them."""
    parser = create_md_parser(MdParserConfig(), RendererHTML)
    notes: dict[str, list[str]] = {}
    label = None
    for token in parser.parse(markdown):
        if token.type == "footnote_reference_open":
            label = token.meta["label"]
            notes[label] = []
        elif token.type == "footnote_reference_close":
            label = None
        elif token.type == "inline" and label is not None:
            notes[label].append(token.content)
    return notes


def test_a_footnote_of_several_blocks_reads_back_as_one_footnote():
    footnote = Footnote(
        "1",
        (para("一段落目"), para("二段落目"), ListBlock(False, items("項目"))),
    )
    markdown = (
        f"本文[^1]と[^2]。\n\n{emit_footnote(footnote)}\n\n{emit_footnote(Footnote('2', ()))}"
    )
    assert footnote_paragraphs(markdown)["1"] == ["一段落目", "二段落目", "項目"]
    assert emit_footnote(Footnote("2", ())) == "[^2]:"
    # Bold lines, not headings, inside a footnote.
    heading = emit_footnote(Footnote("3", (Heading(2, (Text("題"),)),)))
    assert heading == "[^3]: **題**"


def test_link_destinations_read_back_with_what_markdown_cannot_hold_encoded():
    url = "https://example.com/a\\b<c>d e(f)"
    html = _markdown_html(render_blocks((para(Hyperlink(url, (Text("リンク"),))),)))
    assert html.find("a")["href"] == "https://example.com/a%5Cb%3Cc%3Ed%20e(f)"


def test_a_page_keeps_its_words_as_written_and_its_footnotes():
    issue = Issue(
        number=170,
        date=dt.date(2023, 2, 10),
        title="週刊  Kaggle \u201cニュース\u201d",
        source="https://例え.jp/p/号 1",
        items=(Figure(3, "https://example.com/a.png", target="https://example.com/a b"),),
        footnotes=(Footnote("1", (para("注"),)),),
        follows=168,
    )
    text = emit_page(issue)
    assert text.startswith(
        '---\nissue: 170\ndate: 2023-02-10\ntitle: "週刊 Kaggle \u201cニュース\u201d"\n'
        'source: "https://例え.jp/p/号 1"\nfollows: 168\n---\n'
    )
    assert text.endswith("\n\n[^1]: 注\n")
    assert ':target: "https://example.com/a b"' in emit_figure(issue.items[0])
    card = Card("link", 1, "https://example.com/a b\tc", "題")
    assert emit_card(card).startswith(":::{link} https://example.com/a%20b%09c\n")


def test_entities_and_list_markers_in_text_read_back_as_text():
    html = _markdown_html(render_blocks((para("a &amp; b &#38; c"), para("2023. 年の振り返り"))))
    assert [p.get_text() for p in html.find_all("p")] == ["a &amp; b &#38; c", "2023. 年の振り返り"]
    assert html.find("ol") is None


def test_line_breaks_end_paragraphs_and_are_blanks_inside_markup():
    html = _markdown_html(render_blocks((para("一行目", LineBreak(), "二行目"),)))
    assert [p.get_text() for p in html.find_all("p")] == ["一行目", "二行目"]
    html = _markdown_html(
        render_blocks((para("前 ", Strong((Text("a"), LineBreak(), Text("b"))), " 後"),))
    )
    assert html.find("strong").get_text() == "a b"


@pytest.mark.parametrize("ordered", [False, True])
def test_three_lists_in_a_row_stay_three(ordered):
    blocks = tuple(ListBlock(ordered, items(text)) for text in ("一", "二", "三"))
    html = _markdown_html(render_blocks(blocks))
    found = html.find_all("ol" if ordered else "ul")
    assert [[li.get_text() for li in tag.find_all("li")] for tag in found] == [
        ["一"],
        ["二"],
        ["三"],
    ]


def test_headings_in_a_card_s_lists_and_quotes_are_bold_lines():
    heading = Heading(2, (Text("題"),))
    blocks = (ListBlock(False, ((heading,),)), Quote((heading,)))
    html = _markdown_html(render_blocks(blocks, in_card=True))
    assert html.find(["h1", "h2", "h3", "h4", "h5", "h6"]) is None
    assert [s.get_text() for s in html.find_all("strong")] == ["題", "題"]


def test_a_card_fence_is_longer_than_colons_in_an_indented_code_block():
    code = CodeBlock("::::\n:::")
    card = Card("link", 1, "https://example.com/", "題", commentary=(ListBlock(False, ((code,),)),))
    text = emit_card(card)
    assert text.startswith(":::::{link} ") and text.endswith("\n:::::")


@pytest.mark.parametrize(
    ("marked", "words"),
    [
        # Markup that cannot open here and holds more than text: the words are kept.
        (Strong((Text("「"), Code("x"), Text("」"))), "「x」"),
        (Emphasis((Text("「"), Code("x"), Text("」"))), "「x」"),
        # Text with a backtick cannot be a role's content.
        (Strong((Text("「`x`」"),)), "「`x`」"),
        # Several texts are one role.
        (Strong((Text("「x"), Text("」"))), "「x」"),
        # ASCII punctuation that is no Unicode punctuation ("+") keeps markup from opening.
        (Strong((Text("+1"),)), "+1"),
    ],
)
def test_markup_that_cannot_open_keeps_its_words(marked, words):
    markdown = render_blocks((para("a", marked, "b"),))
    html = _markdown_html(markdown)
    assert html.get_text() == f"a{words}b\n"
    assert "**" not in markdown or "{strong}" in markdown


def test_markup_beside_empty_code():
    markdown = render_blocks((para(Code(""), Strong((Text("x"),)), Code("")),))
    assert _markdown_html(markdown).find("strong").get_text() == "x"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: render_blocks((para(object()),)), "not an inline"),
        (lambda: render_blocks((object(),)), "not a block"),  # type: ignore[arg-type]
        (
            lambda: emit_page(
                Issue(1, dt.date(2023, 1, 1), "T", "https://e.x/", items=(object(),))
            ),
            "not an item",
        ),  # type: ignore[arg-type]
    ],
)
def test_what_is_not_the_model_is_refused_by_name(call, message):
    with pytest.raises(TypeError, match=message):
        call()
