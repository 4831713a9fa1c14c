"""Reading Revue exports: every item type, the odd cases of the real archive, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from newsarchive.commands.pipeline.html import youtube_id
from newsarchive.commands.pipeline.model import (
    Card,
    Code,
    CodeBlock,
    Emphasis,
    Figure,
    Header,
    Heading,
    Hyperlink,
    InlineImage,
    LineBreak,
    ListBlock,
    Paragraph,
    Prose,
    Quote,
    Strong,
    Text,
    Unmapped,
    blocks_text,
)
from newsarchive.commands.revue.parse import RevueFormatError, parse_issue, read_issue

REPO = Path(__file__).resolve().parents[1]
REVUE = REPO / "issues" / "revue"
FIXTURES = Path(__file__).resolve().parent / "revue_fixtures"

NAME = "2020-01-31_Weekly Kaggle News #7.md"
HEAD = (
    "# Weekly Kaggle News #7\nhttps://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-7-1\n"
)
UTM = "utm_campaign=Weekly%20Kaggle%20News&amp;utm_medium=email&amp;utm_source=Revue%20newsletter"
IMG = (
    '<img width="140" height="140" alt="T" style="float: right;" '
    'src="https://s3.amazonaws.com/revue/items/images/005/829/745/thumb/x.jpg?1587019270" />'
)


def parse(body: str, head: str = HEAD, name: str = NAME):
    return parse_issue(head + body, name=name)


def link_item(excerpt: str = "An excerpt.", *, image: str = IMG, domain: bool = True) -> str:
    site = ' &mdash; <a href="https://example.com/p?b=2&amp;a=1">example.com</a>' if domain else ""
    return (
        f"<p>\n{image}\n<strong style='display: block;'>"
        f'<a href="https://example.com/p?a=1&amp;b=2&amp;{UTM}">The title</a>{site}</strong>\n'
        f"{excerpt}\n</p>\n<div style='clear: both;'></div>\n"
    )


def only_card(body: str) -> Card:
    (card,) = parse(body).cards
    return card


# Front matter -------------------------------------------------------------------------------


def test_number_date_title_and_source():
    issue = parse("<h3><h2>News</h2><p>x</p></h3>\n<hr>\n" + link_item())
    assert issue.number == 7
    assert issue.date == dt.date(2020, 1, 31)
    assert issue.title == "Weekly Kaggle News #7"
    assert issue.source == "https://www.getrevue.co/profile/upura/issues/weekly-kaggle-news-7-1"


def test_issue_40_title_says_issue_not_news():
    issue = read_issue(FIXTURES / "good" / "2020-09-18_Weekly Kaggle Issue #40.md")
    assert (issue.number, issue.title) == (40, "Weekly Kaggle Issue #40")
    assert issue.date == dt.date(2020, 9, 18)


# Link items --------------------------------------------------------------------------------


def test_link_with_thumbnail_prefers_the_domain_links_url():
    card = only_card(link_item())
    assert card.kind == "link"
    assert card.url == "https://example.com/p?b=2&a=1"  # the original order, no tracking
    assert card.title == "The title"
    assert card.site == "example.com"
    assert card.image == "https://s3.amazonaws.com/revue/items/images/005/829/745/thumb/x.jpg"
    assert card.excerpt == "An excerpt."


def test_link_without_domain_uses_the_title_link_without_tracking():
    card = only_card(link_item("", image="", domain=False))
    assert card.url == "https://example.com/p?a=1&b=2"
    assert (card.site, card.image, card.excerpt) == ("", "", "")


@pytest.mark.parametrize(
    ("excerpt", "expected"),
    [
        ("Bare text,\n over lines.", "Bare text, over lines."),
        ("<p>Wrapped <a href='https://x.org/'>with a link</a>.</p>", "Wrapped with a link."),
        ("", ""),
        ("<p><br></p>", ""),
        ("Text then a break<br>", "Text then a break"),
        ("<p>&lt;b&gt; &amp; &quot;q&quot;</p>", '<b> & "q"'),
    ],
    ids=["bare", "wrapped", "empty", "p-br", "trailing-br", "entities"],
)
def test_excerpt_shapes(excerpt, expected):
    assert only_card(link_item(excerpt)).excerpt == expected


def test_issue_51_alt_with_a_newline():
    issue = read_issue(FIXTURES / "good" / "2020-12-04_Weekly Kaggle News #51.md")
    (card,) = issue.cards
    assert card.title == (
        "自然言語処理の国際コンペティション "
        "「CoNLL 2020 Shared Task」と「SemEval 2020」の複数部門で1位を獲得"
    )
    assert card.url == "https://www.hitachi.co.jp/New/cnews/month/2020/12/1202.html"
    assert card.line == 5
    assert card.excerpt == "日立が研究開発したAI・自然言語処理の基礎技術により、日本初の同時獲得"
    assert blocks_text(card.commentary).startswith("自然言語処理の技術を競うコンペ")


def test_link_title_entities_are_decoded():
    body = link_item().replace("The title", "Q &amp; A: &lt;BERT&gt; &mdash; &#x2F;")
    assert only_card(body).title == "Q & A: <BERT> — /"


def test_link_without_title_text_uses_its_url_and_is_noted():
    issue = parse(link_item().replace(">The title<", "><"))
    assert issue.cards[0].title == "https://example.com/p?b=2&a=1"
    assert [(note.line, note.message) for note in issue.notes] == [
        (3, "link item without a title; its URL is used instead")
    ]


def test_link_item_with_an_unknown_element_is_kept_as_text():
    issue = parse(link_item("<table><tr><td>odd</td></tr></table>"))
    (item,) = issue.items
    assert isinstance(item, Unmapped) and "The title" in blocks_text(item.blocks)
    assert issue.notes[-1].message == "link item of an unknown shape; kept as a plain paragraph"


# Commentary -------------------------------------------------------------------------------


def test_commentary_follows_its_card_with_links_stripped_of_tracking():
    body = link_item() + (
        '<p><p>Notebooksランク1位の<a href="https://www.kaggle.com/artgor?'
        f'{UTM}" target="_blank">Andrew</a>さん。<strong>強調</strong></p></p>\n'
    )
    card = only_card(body)
    assert card.commentary == (
        Paragraph(
            (
                Text("Notebooksランク1位の"),
                Hyperlink("https://www.kaggle.com/artgor", (Text("Andrew"),)),
                Text("さん。"),
                Strong((Text("強調"),)),
            )
        ),
    )


def test_commentary_with_lists_quotes_code_and_breaks():
    body = link_item() + (
        "<p><p>Intro</p><ul><li>one</li><li><p>two</p></li></ul><ol><li>first</li></ol>"
        "<blockquote><p>quoted</p></blockquote><pre>\ncode &lt;x&gt;\n  indented\n</pre>"
        "<p>a<br>b <code>x_1</code></p><p><br></p></p>\n"
    )
    assert only_card(body).commentary == (
        Paragraph((Text("Intro"),)),
        ListBlock(False, ((Paragraph((Text("one"),)),), (Paragraph((Text("two"),)),))),
        ListBlock(True, ((Paragraph((Text("first"),)),),)),
        Quote((Paragraph((Text("quoted"),)),)),
        CodeBlock("code <x>\n  indented"),
        Paragraph((Text("a"), LineBreak(), Text("b "), Code("x_1"))),
    )


def test_card_without_commentary_then_another_card():
    issue = parse(link_item() + link_item("Second") + "<p><p>For the second.</p></p>\n")
    first, second = issue.cards
    assert first.commentary == ()
    assert blocks_text(second.commentary) == "For the second."


def test_text_not_after_a_card_is_prose():
    issue = parse("<h2>Section</h2>\n<p><p>Alone.</p></p>\n")
    assert issue.items == (
        Header(3, (Text("Section"),)),
        Prose(4, (Paragraph((Text("Alone."),)),)),
    )


def test_commentary_link_that_is_not_http_is_kept_as_text_and_noted():
    body = link_item() + '<p><p>See <a href="javascript:alert(1)">this</a>.</p></p>\n'
    issue = parse(body)
    assert issue.cards[0].commentary == (Paragraph((Text("See this."),)),)
    assert [note.line for note in issue.notes] == [9]
    assert "not http(s)" in issue.notes[0].message


def test_a_link_to_words_instead_of_an_address_is_kept_as_text_and_noted():
    """#66 links 'http://Preferred Networks': words where the host should be."""
    body = link_item() + '<p><p>PFNが<a href="http://Preferred Networks">3位入賞</a>。</p></p>\n'
    issue = parse(body)
    assert issue.cards[0].commentary == (Paragraph((Text("PFNが3位入賞。"),)),)
    assert [note.line for note in issue.notes] == [9]


def test_control_characters_are_removed():
    card = only_card(link_item() + "<p><p>\x08PyTorch\x00で</p></p>\n")
    assert blocks_text(card.commentary) == "PyTorchで"


# Intro, headers, shortcodes -----------------------------------------------------------------------


def test_intro_sections_become_headings_and_paragraphs():
    issue = parse(
        '<h3><h2>News</h2><p>See <a href="https://x.org/">x</a>.</p>'
        "<p><strong>Competitions</strong></p><p>Two.</p></h3>\n<hr>\n"
    )
    assert issue.intro == (
        Heading(2, (Text("News"),)),
        Paragraph((Text("See "), Hyperlink("https://x.org/", (Text("x"),)), Text("."))),
        Paragraph((Strong((Text("Competitions"),)),)),
        Paragraph((Text("Two."),)),
    )
    assert issue.items == ()


def test_header_item():
    issue = parse("<hr>\n<h2>Others</h2>\n" + link_item())
    assert issue.items[0] == Header(4, (Text("Others"),))
    assert isinstance(issue.items[1], Card)


def test_tweet_becomes_a_card_with_its_commentary():
    issue = parse(
        "[tweet https://twitter.com/AioJaqket/status/1403178721092149249]\n<p><p>Said.</p></p>\n"
    )
    (card,) = issue.cards
    assert (card.kind, card.line, card.title) == ("tweet", 3, "Tweet by @AioJaqket")
    assert card.url == "https://twitter.com/AioJaqket/status/1403178721092149249"
    assert blocks_text(card.commentary) == "Said."


def test_video_becomes_a_card_with_the_youtube_thumbnail():
    issue = parse(
        "<p><p>Before.</p></p>\n[embed https://youtu.be/Hpm1Cd7rxSY]\n<p><p>Seen.</p></p>\n"
    )
    card = issue.cards[0]
    assert (card.kind, card.line, card.title) == ("video", 4, "YouTube: Hpm1Cd7rxSY")
    assert card.url == "https://youtu.be/Hpm1Cd7rxSY"
    assert card.image == "https://i.ytimg.com/vi/Hpm1Cd7rxSY/hqdefault.jpg"
    assert blocks_text(card.commentary) == "Seen."


def test_video_that_is_not_youtube():
    card = only_card("[embed https://vimeo.com/123456?utm_source=x]\n")
    assert (card.url, card.title, card.image) == (
        "https://vimeo.com/123456",
        "Video: https://vimeo.com/123456",
        "",
    )


@pytest.mark.parametrize(
    ("url", "video"),
    [
        ("https://youtu.be/6a6L_9USZxg", "6a6L_9USZxg"),
        ("https://www.youtube.com/watch?v=6a6L_9USZxg&feature=youtu.be", "6a6L_9USZxg"),
        ("https://www.youtube.com/embed/6a6L_9USZxg", "6a6L_9USZxg"),
        ("https://www.youtube.com/playlist?list=PL1", ""),
        ("https://example.com/watch?v=6a6L_9USZxg", ""),
    ],
)
def test_youtube_id(url, video):
    assert youtube_id(url) == video


def test_caption_becomes_a_figure():
    issue = parse(
        '[caption align="alignnone" width="980"]<img alt="A chart" src="https://s3.amazonaws.com/'
        'revue/items/images/1/original/c.png?1623000002" />Figure: <a href="https://x.org/">'
        "source</a>[/caption]\n"
    )
    assert issue.items == (
        Figure(
            3,
            "https://s3.amazonaws.com/revue/items/images/1/original/c.png",
            "A chart",
            (Text("Figure: "), Hyperlink("https://x.org/", (Text("source"),))),
        ),
    )


# Unknown shapes ------------------------------------------------------------------------------


def test_unknown_shapes_are_kept_as_paragraphs_and_noted():
    issue = parse(
        link_item()
        + "<table><tr><td>cell</td></tr></table>\n"
        + "[gallery ids=1,2]\n"
        + "<p><strong>No link here</strong> text</p>\n"
    )
    unmapped = [item for item in issue.items if isinstance(item, Unmapped)]
    assert [(item.line, blocks_text(item.blocks)) for item in unmapped] == [
        (9, "cell"),
        (10, "[gallery ids=1,2]"),
        (11, "No link here text"),
    ]
    assert all("kept as a plain paragraph" in note.message for note in issue.notes[-3:])
    assert [note.line for note in issue.notes if "plain paragraph" in note.message] == [9, 10, 11]


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "line", "words"),
    [
        ("", NAME, 1, "empty file"),
        ("\n\n  \n", NAME, 1, "empty file"),
        ("Weekly Kaggle News #7\nhttps://x.org/\n<p></p>", NAME, 1, "title"),
        ("# Weekly Kaggle News\nhttps://x.org/\n<p></p>", NAME, 1, "no issue number"),
        ("# Weekly Kaggle News #7", NAME, 2, "no Revue URL"),
        ("# Weekly Kaggle News #7\nnot a url\n<p></p>", NAME, 2, "Revue URL"),
        (HEAD, NAME, 3, "no issue content"),
        (HEAD + "<p>x</p>", "Weekly Kaggle News #7.md", 1, "YYYY-MM-DD"),
        (HEAD + "<p>x</p>", "2020-02-30_Weekly Kaggle News #7.md", 1, "no valid date"),
        (HEAD + "<hr>\n<p>\n<img src='x' />\n<strong><a href='https://x", NAME, 6, "cut off"),
        (
            HEAD + "<hr>\n<p>\n<strong><a href='https://x.org/'>t</a></strong>\n",
            NAME,
            4,
            "never closed",
        ),
        (HEAD + "<p><p>a</strong></p></p>", NAME, 3, "closes no open element"),
        (HEAD + "<p><strong>a</p>", NAME, 3, "<strong> is not closed"),
        (
            HEAD + "<p><p>a</p></p>\n[caption]<img src='https://x.org/a.png' />",
            NAME,
            4,
            "[/caption]",
        ),
    ],
    ids=[
        "empty",
        "blank",
        "no-title-line",
        "no-number",
        "no-url-line",
        "bad-url-line",
        "no-body",
        "bad-file-name",
        "bad-date",
        "truncated-in-a-tag",
        "truncated-after-a-tag",
        "stray-end-tag",
        "unclosed-inner",
        "unclosed-caption",
    ],
)
def test_bad_input_names_the_line(text, name, line, words):
    with pytest.raises(RevueFormatError) as caught:
        parse_issue(text, name=name)
    assert caught.value.line == line
    assert words in caught.value.message


def test_non_utf8_file_names_the_line(tmp_path):
    path = tmp_path / NAME
    path.write_bytes(HEAD.encode() + b"<p><p>caf\xe9</p></p>\n")
    with pytest.raises(RevueFormatError) as caught:
        read_issue(path)
    assert (caught.value.line, caught.value.message) == (3, "not UTF-8 text (byte 0xe9)")


def test_crlf_and_bom_are_accepted():
    text = "\ufeff" + (HEAD + link_item()).replace("\n", "\r\n")
    issue = parse_issue(text, name=NAME)
    assert issue.cards[0].line == 3 and issue.notes == ()


# The whole source ------------------------------------------------------------------------------


def test_all_159_revue_issues():
    issues = [read_issue(path) for path in sorted(REVUE.glob("*.md"))]
    assert len(issues) == 159
    assert sorted(issue.number for issue in issues) == list(range(1, 160))
    cards = [card for issue in issues for card in issue.cards]
    kinds = [card.kind for card in cards]
    assert (kinds.count("link"), kinds.count("video"), kinds.count("tweet")) == (1156, 36, 6)
    links = [card for card in cards if card.kind == "link"]
    assert sum(1 for card in links if card.commentary) == 1149
    assert sum(1 for card in links if card.image and card.site) == 967
    assert sum(1 for card in cards if card.commentary) == 1191
    # The one note: #66 links words, not an address ('http://Preferred Networks').
    notes = [(issue.number, note.message) for issue in issues for note in issue.notes]
    assert notes == [(66, "link to 'http://Preferred Networks' is not http(s); kept as text")]
    assert not any(isinstance(item, Unmapped) for issue in issues for item in issue.items)
    assert all(issue.intro for issue in issues)


@pytest.mark.parametrize(
    ("url", "video"),
    [
        ("https://m.youtube.com/watch?v=abcdef", "abcdef"),
        ("https://youtube.com/shorts/abcdefg123", "abcdefg123"),
        ("https://www.youtube.com/v/abcdefg?x=1", "abcdefg"),
        ("https://youtu.be/abcdef/", "abcdef"),
        ("https://youtu.be/abcde", ""),  # too short for an id
        ("https://youtu.be/" + "a" * 21, ""),  # too long
        ("https://youtube.com/watch?x=1", ""),
        ("https://youtube.com/embed/ab$cdef", ""),
        ("https://youtube.com/watchlater", ""),
        ("https://www.youtu.be.example.com/abcdef", ""),
    ],
)
def test_youtube_id_of_every_shape(url, video):
    assert youtube_id(url) == video


def test_a_tweet_without_a_user_in_its_url_is_a_tweet_card():
    card = only_card("[tweet https://twitter.com/status/1?utm_source=x]\n")
    assert (card.kind, card.url, card.title) == ("tweet", "https://twitter.com/status/1", "Tweet")
    video = only_card("[embed https://www.youtube.com/shorts/abcdefg123]\n")
    assert (video.kind, video.title, video.image) == (
        "video",
        "YouTube: abcdefg123",
        "https://i.ytimg.com/vi/abcdefg123/hqdefault.jpg",
    )


@pytest.mark.parametrize(
    ("body", "reason", "text"),
    [
        ("[tweet javascript:alert(1)]\n", "tweet of a non-http URL", "[tweet javascript:alert(1)]"),
        ("[embed ftp://x/y]\n", "embed of a non-http URL", "[embed ftp://x/y]"),
        ("[caption]just text[/caption]\n", "[caption] without an image", "just text"),
        (
            '[caption]<img src="ftp://x/y.png" />c[/caption]\n',
            "[caption] image is not an http(s) URL",
            "c",
        ),
    ],
)
def test_shortcodes_that_cannot_be_cards_or_figures_are_kept_and_said(body, reason, text):
    issue = parse(body)
    (item,) = issue.items
    assert isinstance(item, Unmapped)
    assert (item.line, item.reason, blocks_text(item.blocks)) == (3, reason, text)
    notes = [(note.line, note.message) for note in issue.notes]
    assert (3, f"{reason}; kept as a plain paragraph") in notes
    if body.startswith(("[tweet", "[embed")):
        assert len(notes) == 1, notes  # said once, not also as an unknown element


def test_a_caption_without_text_is_a_figure_without_caption():
    issue = parse('[caption]<img src="https://e.com/a.png?123" alt=" A \n chart " />[/caption]\n')
    assert issue.items == (Figure(3, "https://e.com/a.png", "A chart", ()),)
    assert issue.notes == ()


def test_every_inline_and_block_element_of_a_commentary():
    body = link_item() + (
        "<p><p><b>b</b> <strong>s</strong> <em>e</em> <i>i</i> <tt>t</tt> <kbd>k</kbd> "
        "<samp>a\nb</samp> <span>sp</span> <blink>bl</blink><script>x()</script>"
        '<img src="https://e.com/i.png?1" alt=" an \n image "><img src="data:x"></p>'
        "<h2>Two</h2><h6>Six</h6><h3></h3><hr><blockquote></blockquote><pre>\n\n</pre><ul></ul>"
        "<ol>loose<li>x</li></ol><table><tr><td>cell</td></tr></table></p>\n"
    )
    issue = parse(body)
    assert issue.cards[0].commentary == (
        Paragraph(
            (
                Strong((Text("b"),)),
                Text(" "),
                Strong((Text("s"),)),
                Text(" "),
                Emphasis((Text("e"),)),
                Text(" "),
                Emphasis((Text("i"),)),
                Text(" "),
                Code("t"),
                Text(" "),
                Code("k"),
                Text(" "),
                Code("a b"),
                Text(" sp bl"),
                InlineImage("https://e.com/i.png", "an image"),
            )
        ),
        Heading(2, (Text("Two"),)),
        Heading(6, (Text("Six"),)),
        ListBlock(True, ((Paragraph((Text("loose"),)),), (Paragraph((Text("x"),)),))),
        Paragraph((Text("cell"),)),
    )
    assert [(note.line, note.message) for note in issue.notes] == [
        (10, "unknown element <blink> kept as its text"),
        (10, "<script> is left out"),
        (11, "an image without an http(s) URL is left out"),
        (13, "a table is kept as plain text"),
        (13, "unknown element <tr> kept as its text"),
        (13, "unknown element <td> kept as its text"),
    ]
