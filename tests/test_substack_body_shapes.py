"""Each top-level shape of a Substack body read into the model at its own line: loose
text, figures (bare, captioned, linked; without an image or an http(s) one), pull quotes,
sections and articles, headings, lists (ordered or not, with content outside their items,
items that are cards); every item compared whole."""

from __future__ import annotations

from newsarchive.commands.pipeline.model import (
    Card,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Prose,
    Quote,
    Text,
    Unmapped,
)
from newsarchive.commands.substack.body import ORIGIN, parse_body


def prose(line: int, text: str) -> Prose:
    return Prose(line, (Paragraph((Text(text),)),))


def test_each_shape_at_its_line():
    body = parse_body(
        "<p>一</p>\n"
        "loose words\n"
        '<figure><img src="https://example.com/a.png"></figure>\n'
        '<div class="captioned-image-container"><figure>'
        '<a class="image-link" href="javascript:x"><img src="https://example.com/small.png"'
        ' data-attrs=\'{"src": "https://example.com/big.png"}\' alt=" 図  A "></a>'
        "<figcaption>説明</figcaption></figure></div>\n"
        '<blockquote class="pullquote"><p>引用</p></blockquote>\n'
        "<section><p>節</p></section>\n"
        "<article><p>記事</p></article>\n"
        '<a href="https://example.com/page"><img src="https://example.com/b.png"></a>\n'
        "<h3>見出し</h3>\n"
        "<ul><li>項目</li></ul>\n"
    )
    assert body.items == [
        prose(1, "一"),
        # Text outside any element has no line of its own: the body's first.
        prose(1, "loose words"),
        # A bare figure: its image's src, no alt, caption or link.
        Figure(3, "https://example.com/a.png", "", (), ""),
        # The image's data-attrs over its src; alt collapsed; a link that is not http(s)
        # is no target.
        Figure(4, "https://example.com/big.png", "図 A", (Text("説明"),), ""),
        Prose(5, (Quote((Paragraph((Text("引用"),)),)),)),
        prose(6, "節"),
        prose(7, "記事"),
        # A linked image outside a figure: the link is its target.
        Figure(8, "https://example.com/b.png", "", (), "https://example.com/page"),
        Prose(9, (Heading(3, (Text("見出し"),)),)),
        Prose(10, (ListBlock(False, ((Paragraph((Text("項目"),)),),)),)),
    ]
    assert body.notes == []


def test_a_figure_without_an_http_image_is_kept_as_text_at_its_line():
    body = parse_body(
        "<p>前</p>\n"
        '<div class="captioned-image-container"><figure><p>no image</p></figure></div>\n'
        '<figure><img src="ftp://example.com/c.png" alt="c"></figure>\n'
        "<figure><img></figure>\n"
    )
    assert body.items == [
        prose(1, "前"),
        Unmapped(2, (Paragraph((Text("no image"),)),), "image component without an image", ORIGIN),
        Unmapped(3, (), "image without an http(s) URL", ORIGIN),
        Unmapped(4, (), "image without an http(s) URL", ORIGIN),
    ]
    said = [(note.line, note.message) for note in body.notes]
    assert (2, "image component without an image; kept as text") in said
    assert (3, "image without an http(s) URL; kept as text") in said
    assert (4, "image without an http(s) URL; kept as text") in said


def test_a_figure_s_image_from_its_src_when_its_data_attrs_have_none():
    body = parse_body(
        '<div class="captioned-image-container"><figure>'
        '<a href="https://example.com/full.png">'
        '<img src="https://example.com/shown.png" data-attrs=\'{"alt": "x"}\'></a>'
        "</figure></div>"
    )
    assert body.items == [
        Figure(1, "https://example.com/shown.png", "", (), "https://example.com/full.png")
    ]


def test_lists_ordered_or_not_with_content_outside_their_items():
    body = parse_body(
        "<p>前</p>\n"
        "<ol>\n"
        "<li><p>一つ目</p></li>\n"
        "stray\n"
        "<li>二つ目</li>\n"
        "</ol>\n"
        "<ul>\n"
        '<li><p><a href="https://example.com/a">記事A</a></p><p>解説A</p></li>\n'
        "<li><p>ただの項目</p></li>\n"
        "</ul>\n"
    )
    items = (
        (Paragraph((Text("一つ目"),)),),
        (Paragraph((Text("stray"),)),),
        (Paragraph((Text("二つ目"),)),),
    )
    assert body.items == [
        prose(1, "前"),
        Prose(2, (ListBlock(True, items),)),
        # An item that is one link then its words is a card, at the item's line; the
        # list goes on after it at the list's line.
        Card(
            "link",
            8,
            "https://example.com/a",
            "記事A",
            commentary=(Paragraph((Text("解説A"),)),),
        ),
        Prose(7, (ListBlock(False, ((Paragraph((Text("ただの項目"),)),),)),)),
    ]
    # Text outside an item has no line of its own: its list's.
    assert [(note.line, note.message) for note in body.notes] == [
        (2, "content outside <li> in a list kept as an item")
    ]


def test_a_list_of_one_link_heads_the_prose_after_it():
    body = parse_body(
        '<p>前</p>\n<ol><li><a href="https://example.com/only">唯一</a></li></ol>\n<p>後</p>\n'
    )
    assert body.items == [
        prose(1, "前"),
        Card(
            "link",
            2,
            "https://example.com/only",
            "唯一",
            commentary=(Paragraph((Text("後"),)),),
        ),
    ]
    assert body.notes == []
