"""The Revue reader's own rules (``commands/revue/parse.py``), one at a time: what each bad
file is told, exactly and at its line; line ends and control characters; the shapes that
are link items and those that are not; what follows a card; text at the end of a file."""

from __future__ import annotations

import datetime as dt

import pytest
from newsarchive.commands.pipeline.model import (
    Card,
    Figure,
    Header,
    Paragraph,
    Prose,
    Text,
    Unmapped,
    blocks_text,
)
from newsarchive.commands.revue.parse import RevueFormatError, parse_issue

NAME = "2020-01-31_Weekly Kaggle News #7.md"
HEAD = "# Weekly Kaggle News #7\nhttps://x.org/7\n"
LINK = "<p><strong><a href='https://e.com/a'>Title</a></strong>An excerpt.</p>\n"


def parse(body: str, head: str = HEAD):
    return parse_issue(head + body, name=NAME)


def refusal(text: str, name: str = NAME) -> tuple[int, str]:
    with pytest.raises(RevueFormatError) as caught:
        parse_issue(text, name=name)
    return caught.value.line, caught.value.message


# -- what a file that cannot be read is told ---------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name", "said"),
    [
        ("", NAME, (1, "empty file")),
        (HEAD + "<p>x</p>", "x.md", (1, "file name must look like YYYY-MM-DD_<title>.md")),
        (
            "Weekly #7\nhttps://x.org/\n<p>x</p>",
            NAME,
            (1, "line 1 must be the title, '# Weekly Kaggle News #N'"),
        ),
        (
            "# 7\nhttps://x.org/\n<p>x</p>",
            NAME,
            (1, "no issue number ('#N') at the end of the title '7'"),
        ),
        (
            "# News #0\nhttps://x.org/\n<p>x</p>",
            NAME,
            (1, "no issue number ('#N') at the end of the title 'News #0'"),
        ),
        ("# News #7\n \n<p>x</p>", NAME, (2, "no Revue URL on line 2 (truncated file?)")),
        (
            "# News #7\n" + "w" * 70 + "\n<p>x</p>",
            NAME,
            (2, f"line 2 must be the issue's Revue URL, not {'w' * 60!r}"),
        ),
        # No line end after the URL: there is no line 3 at all.
        (
            "# News #7\nhttps://x.org/7",
            NAME,
            (3, "no issue content after the Revue URL (truncated file?)"),
        ),
        (HEAD + "\n", NAME, (3, "no issue content after the Revue URL (truncated file?)")),
    ],
    ids=[
        "empty",
        "file-name",
        "title-line",
        "no-hash",
        "number-0",
        "no-url",
        "long-url-line",
        "two-lines",
        "blank-body",
    ],
)
def test_each_refusal_exactly(text, name, said):
    assert refusal(text, name) == said


def test_a_refusal_reads_as_its_line_and_message():
    with pytest.raises(RevueFormatError) as caught:
        parse_issue("", name=NAME)
    assert str(caught.value) == "line 1: empty file"


def test_issue_1_is_an_issue():
    assert parse(LINK, head="# Weekly Kaggle News #1\nhttps://x.org/1\n").number == 1


def test_an_unclosed_caption_is_named_at_its_own_line():
    body = "\n[caption]<img src='https://e.com/a.png' />\n" + LINK
    assert refusal(HEAD + body) == (4, "[caption] without [/caption] (truncated file?)")


# -- line ends and control characters ----------------------------------------------------------
def test_old_mac_line_ends_are_line_ends():
    issue = parse_issue((HEAD + "<h2>A</h2>\n" + LINK).replace("\n", "\r"), name=NAME)
    assert [(type(item).__name__, item.line) for item in issue.items] == [
        ("Header", 3),
        ("Card", 4),
    ]


def test_vertical_tabs_and_form_feeds_are_blanks_other_controls_are_dropped():
    (card,) = parse(LINK + "<p><p>a\x0bb\x0cc\x07d</p></p>\n").cards
    assert blocks_text(card.commentary) == "a b cd"


# -- what follows a card -------------------------------------------------------------------------
def test_only_the_first_text_block_after_a_card_is_its_commentary():
    issue = parse(LINK + "<p><p>one</p></p>\n<p><p>two</p></p>\n")
    card, prose = issue.items
    assert isinstance(card, Card) and blocks_text(card.commentary) == "one"
    assert prose == Prose(5, (Paragraph((Text("two"),)),))


def test_an_h3_after_the_first_item_is_prose_not_intro():
    issue = parse("<h2>A</h2>\n<h3><p>later</p></h3>\n")
    assert issue.intro == ()
    assert issue.items == (Header(3, (Text("A"),)), Prose(4, (Paragraph((Text("later"),)),)))


def test_text_at_the_end_of_the_file_is_kept_at_its_line():
    issue = parse("<h2>A</h2>\n\n  trailing\n  text\n")
    assert issue.items[1] == Unmapped(
        5, (Paragraph((Text("trailing text"),)),), "text outside any item"
    )
    assert [(note.line, note.message) for note in issue.notes] == [
        (5, "text outside any item; kept as a plain paragraph")
    ]


# -- link items and what is not one ----------------------------------------------------------------
def test_a_line_break_in_an_excerpt_is_a_blank():
    item = "<p><strong><a href='https://e.com/a'>T</a></strong><p>a<br>b</p></p>\n"
    assert parse(item).cards[0].excerpt == "a b"


def test_an_excerpt_is_the_text_of_its_markup_without_comments():
    item = "<p><strong><a href='https://e.com/a'>T</a></strong><p>a<b>b</b><!-- x -->c</p></p>\n"
    assert parse(item).cards[0].excerpt == "abc"


def test_a_video_that_is_not_youtube_is_a_video_card_at_its_line():
    issue = parse("<h2>A</h2>\n[embed https://vimeo.com/1]\n")
    assert issue.items[1] == Card("video", 4, "https://vimeo.com/1", "Video: https://vimeo.com/1")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        # Markup that is not a link item, whatever <strong> it holds somewhere.
        ("<div><strong>x</strong> y</div>", "unknown item <div>"),
        ("<p><em>x</em> y</p>", "unknown item <p>"),
        ("<p><em><strong>x</strong></em> y</p>", "unknown item <p>"),
        # <p> with a <strong> of its own, not in the shape of a link item.
        (
            "<p><em><a href='https://e.com/'>t</a></em><strong>s</strong></p>",
            "link item of an unknown shape",
        ),
        ("<p><strong></strong> y</p>", "link item of an unknown shape"),
        (
            "<p><strong><em>t</em> — <a href='https://e.com/'>e.com</a></strong></p>",
            "link item of an unknown shape",
        ),
        (
            "<p><strong><a href='https://e.com/'>t</a> by <a href='https://e.com/'>e.com</a></strong></p>",
            "link item of an unknown shape",
        ),
        (
            "<p><strong><a href='https://e.com/'>t</a><b>x</b><a href='https://e.com/'>e</a></strong></p>",
            "link item of an unknown shape",
        ),
        (
            "<p><strong><a href='https://e.com/'>t</a> — <a href='https://e.com/'>e</a> more"
            "</strong></p>",
            "link item of an unknown shape",
        ),
        # Shortcodes that cannot be figures.
        ("[caption][/caption]", "[caption] without an image"),
        (
            "[caption]<a href='https://e.com/'><img src='https://e.com/a.png' /></a>c[/caption]",
            "[caption] without an image",
        ),
        (
            "[caption]<img src='ftp://e.com/a.png' />c[/caption]",
            "[caption] image is not an http(s) URL",
        ),
    ],
    ids=[
        "div",
        "p",
        "nested-strong",
        "em-before-strong",
        "empty-strong",
        "em-title",
        "no-dash",
        "tag-for-dash",
        "more-after-site",
        "empty-caption",
        "linked-caption-image",
        "caption-image-not-http",
    ],
)
def test_what_is_no_link_item_or_figure_is_kept_and_said_exactly(body, reason):
    issue = parse(body + "\n")
    (item,) = issue.items
    assert isinstance(item, Unmapped) and (item.line, item.reason) == (3, reason)
    assert [(note.line, note.message) for note in issue.notes] == [
        (3, f"{reason}; kept as a plain paragraph")
    ]


def test_a_figure_without_alt_has_none():
    issue = parse("[caption]<img src='https://e.com/a.png' />A chart[/caption]\n")
    assert issue.items == (Figure(3, "https://e.com/a.png", "", (Text("A chart"),)),)


def test_the_date_is_the_file_s():
    assert parse(LINK).date == dt.date(2020, 1, 31)
