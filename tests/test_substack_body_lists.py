"""Lists in a Substack body beyond their plain shapes: elements outside their items, empty
items, items that are one link with nothing after them; every item compared whole."""

from __future__ import annotations

from newsarchive.commands.pipeline.model import (
    CodeBlock,
    Header,
    Hyperlink,
    ListBlock,
    Paragraph,
    Prose,
    Quote,
    Text,
)
from newsarchive.commands.substack.body import parse_body


def test_elements_outside_items_are_items_of_their_own_and_said():
    body = parse_body(
        "<ul>\n<li>一</li>\n<pre><code>x = 1</code></pre>\n"
        "<blockquote><p>引用</p></blockquote>\n</ul>\n"
    )
    assert body.items == [
        Prose(
            1,
            (
                ListBlock(
                    False,
                    (
                        (Paragraph((Text("一"),)),),
                        (CodeBlock("x = 1"),),
                        (Quote((Paragraph((Text("引用"),)),)),),
                    ),
                ),
            ),
        )
    ]
    assert [(note.line, note.message) for note in body.notes] == [
        (3, "content outside <li> in a list kept as an item"),
        (4, "content outside <li> in a list kept as an item"),
    ]


def test_an_empty_item_stays_an_item():
    body = parse_body("<ul><li>一</li><li></li></ul>")
    assert body.items == [Prose(1, (ListBlock(False, ((Paragraph((Text("一"),)),), ())),))]
    assert body.notes == []


def test_what_an_item_holds_after_its_first_paragraph_is_read_once():
    body = parse_body("<ul><li><p>一</p><p><blink>点滅</blink></p></li></ul>")
    assert body.items == [
        Prose(1, (ListBlock(False, ((Paragraph((Text("一"),)), Paragraph((Text("点滅"),))),)),))
    ]
    assert [(note.line, note.message) for note in body.notes] == [
        (1, "unknown element <blink> kept as its text")
    ]


def test_a_list_of_one_link_with_nothing_after_it_stays_a_list_at_its_line():
    body = parse_body(
        "<p>前</p>\n"
        '<ul><li><a href="https://example.com/only?utm_source=x">唯一</a></li></ul>\n'
        "<h2>次</h2>\n"
    )
    assert body.items == [
        Prose(1, (Paragraph((Text("前"),)),)),
        Prose(
            2,
            (
                ListBlock(
                    False,
                    ((Paragraph((Hyperlink("https://example.com/only", (Text("唯一"),)),)),),),
                ),
            ),
        ),
        Header(3, (Text("次"),)),
    ]
    assert body.notes == []
