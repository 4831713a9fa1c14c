"""A Substack body's footnotes that cannot be MyST footnotes: a mark without its text
becomes the text "[label]" wherever it is (headings, lists, emphasis, quotes, captions);
a footnote no mark refers to is kept as text after the body; each is said."""

from __future__ import annotations

from newsarchive.commands.pipeline.model import (
    CodeBlock,
    Emphasis,
    Figure,
    FootnoteRef,
    Header,
    ListBlock,
    Paragraph,
    Prose,
    Quote,
    Text,
)
from newsarchive.commands.substack.body import parse_body


def mark(label: str) -> str:
    return (
        f'<a class="footnote-anchor" href="#footnote-{label}" '
        f'id="footnote-anchor-{label}">{label}</a>'
    )


def footnote(label: str, text: str) -> str:
    return (
        f'<div class="footnote"><a id="footnote-{label}" href="#footnote-anchor-{label}" '
        f'class="footnote-number">{label}</a>'
        f'<div class="footnote-content"><p>{text}</p></div></div>'
    )


def test_marks_without_their_text_become_text_wherever_they_are():
    body = parse_body(
        f"<h2>見出し{mark('7')}</h2>\n"
        f"<ul><li>項目<em>強{mark('8')}</em></li></ul>\n"
        f"<blockquote><p>引用</p></blockquote>\n"
        '<div class="captioned-image-container"><figure><img src="https://example.com/a.png">'
        "<figcaption>図</figcaption></figure></div>\n"
        f"<p>本文{mark('1')}</p>\n" + footnote("1", "注一")
    )
    assert body.items == [
        Header(1, (Text("見出し"), Text("[7]"))),
        Prose(
            2,
            (
                ListBlock(
                    False,
                    ((Paragraph((Text("項目"), Emphasis((Text("強"), Text("[8]"))))),),),
                ),
            ),
        ),
        Prose(3, (Quote((Paragraph((Text("引用"),)),)),)),
        Figure(4, "https://example.com/a.png", "", (Text("図"),), ""),
        # A mark with its text stays a mark.
        Prose(5, (Paragraph((Text("本文"), FootnoteRef("1"))),)),
    ]
    assert [footnote.label for footnote in body.footnotes] == ["1"]
    assert [(note.line, note.message) for note in body.notes] == [
        (1, "footnote 7, 8 has no text; the mark is kept as text")
    ]


def test_marks_without_their_text_in_quotes_and_captions():
    body = parse_body(
        f"<blockquote><p>引用{mark('3')}</p></blockquote>\n"
        '<div class="captioned-image-container"><figure><img src="https://example.com/a.png">'
        f"<figcaption>図{mark('3')}</figcaption></figure></div>\n"
    )
    assert body.items == [
        Prose(1, (Quote((Paragraph((Text("引用"), Text("[3]"))),)),)),
        Figure(2, "https://example.com/a.png", "", (Text("図"), Text("[3]")), ""),
    ]


def test_a_footnote_no_mark_refers_to_is_kept_as_text_after_the_body():
    body = parse_body(f"<p>本文{mark('1')}</p>\n" + footnote("1", "注一") + footnote("2", "注二"))
    assert body.items == [
        Prose(1, (Paragraph((Text("本文"), FootnoteRef("1"))),)),
        Prose(1, (Paragraph((Text("[2]"),)), Paragraph((Text("注二"),)))),
    ]
    assert [footnote.label for footnote in body.footnotes] == ["1"]
    assert [(note.line, note.message) for note in body.notes] == [
        (1, "footnote 2 is not referenced; kept as text")
    ]


def test_footnotes_labelled_in_letters_of_either_case_are_kept():
    body = parse_body(f"<p>本文{mark('aB')}</p>\n" + footnote("aB", "注"))
    assert body.items == [Prose(1, (Paragraph((Text("本文"), FootnoteRef("aB"))),))]
    assert [footnote.label for footnote in body.footnotes] == ["aB"]
    assert body.notes == []


def test_blocks_without_marks_stay_whole_beside_a_mark_without_its_text():
    body = parse_body(f"<pre><code>x = 1</code></pre>\n<p>本文{mark('9')}</p>\n")
    assert body.items == [
        Prose(1, (CodeBlock("x = 1"),)),
        Prose(2, (Paragraph((Text("本文"), Text("[9]"))),)),
    ]


def linked_figure(page: str, caption: str) -> str:
    return (
        f'<div class="captioned-image-container"><figure><a class="image-link" href="{page}">'
        f'<img src="https://example.com/a.png" alt="代替"></a>'
        f"<figcaption>{caption}</figcaption></figure></div>\n"
    )


def test_linked_figures_keep_their_targets_beside_a_mark_without_its_text():
    body = parse_body(
        f"<p>本文{mark('4')}</p>\n"
        + linked_figure("https://example.com/one", "図")
        + linked_figure("https://example.com/two", f"図{mark('4')}")
    )
    assert body.items == [
        Prose(1, (Paragraph((Text("本文"), Text("[4]"))),)),
        Figure(2, "https://example.com/a.png", "代替", (Text("図"),), "https://example.com/one"),
        Figure(
            3,
            "https://example.com/a.png",
            "代替",
            (Text("図"), Text("[4]")),
            "https://example.com/two",
        ),
    ]


def test_a_mark_without_its_text_used_twice_is_named_once():
    body = parse_body(f"<p>一{mark('7')}二{mark('8')}</p>\n<p>三{mark('7')}四{mark('8')}</p>\n")
    assert body.items == [
        Prose(1, (Paragraph((Text("一"), Text("[7]"), Text("二"), Text("[8]"))),)),
        Prose(2, (Paragraph((Text("三"), Text("[7]"), Text("四"), Text("[8]"))),)),
    ]
    assert [(note.line, note.message) for note in body.notes] == [
        (1, "footnote 7, 8 has no text; the mark is kept as text")
    ]


def test_a_footnote_labelled_otherwise_than_a_page_footnote_is_text_and_so_is_its_mark():
    body = parse_body(f"<p>本文{mark('x.y')}</p>\n" + footnote("x.y", "注"))
    # No mark is left pointing to a footnote the page does not have.
    assert body.items == [
        Prose(1, (Paragraph((Text("本文"), Text("[x.y]"))),)),
        Prose(1, (Paragraph((Text("[x.y]"),)), Paragraph((Text("注"),)))),
    ]
    assert body.footnotes == []
    assert [(note.line, note.message) for note in body.notes] == [
        (
            1,
            'footnote x.y has a label of other characters than letters, digits, "_" and "-"; '
            "kept as text, and so is its mark",
        )
    ]


def test_a_mark_without_text_is_labelled_by_its_id():
    body = parse_body(
        '<p>本文<a class="footnote-anchor" href="#footnote-3" id="footnote-anchor-3"></a></p>\n'
        + footnote("3", "注三")
    )
    assert body.items == [Prose(1, (Paragraph((Text("本文"), FootnoteRef("3"))),))]
    assert [footnote.label for footnote in body.footnotes] == ["3"]
    assert body.notes == []


def test_a_mark_without_text_or_id_is_left_out_and_said():
    body = parse_body(
        '<p>前</p>\n<p>本文<a class="footnote-anchor" href="#x"> </a>。</p>\n'
        f"<p>後{mark('5')}</p>\n" + footnote("5", "注五")
    )
    # The marks after it are read as ever.
    assert body.items == [
        Prose(1, (Paragraph((Text("前"),)),)),
        Prose(2, (Paragraph((Text("本文。"),)),)),
        Prose(3, (Paragraph((Text("後"), FootnoteRef("5"))),)),
    ]
    assert [footnote.label for footnote in body.footnotes] == ["5"]
    assert [(note.line, note.message) for note in body.notes] == [
        (2, "a footnote mark without a label is left out")
    ]


def test_a_footnote_without_its_number_is_kept_as_text_and_said():
    body = parse_body(
        "<p>本文</p>\n"
        '<div class="footnote"><div class="footnote-content"><p>番号のない注</p></div></div>\n'
        '<div class="footnote"><a class="footnote-number">4</a></div>\n'
    )
    assert body.items == [
        Prose(1, (Paragraph((Text("本文"),)),)),
        Prose(2, (Paragraph((Text("番号のない注"),)),)),
    ]
    assert body.footnotes == []
    # A footnote without text shows nothing: nothing is lost.
    assert [(note.line, note.message) for note in body.notes] == [
        (2, "a footnote without its number; kept as text")
    ]
