"""Substack's post HTML, construct by construct, into the archive's content format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from newsarchive.commands.pipeline.emit import emit_page
from newsarchive.commands.pipeline.model import Card, Figure, Header, Issue, Prose, Unmapped
from newsarchive.commands.substack.body import (
    Body,
    SubstackFormatError,
    clean_url,
    original_image,
    parse_body,
)

POSTS = Path(__file__).resolve().parent / "substack_fixtures" / "export" / "posts"

ANCHOR = (
    '<div class="pencraft pc-display-flex pc-reset header-anchor-parent">'
    '<div class="pencraft pc-display-contents pc-reset pubTheme-yiXxQA">'
    '<div id="§{id}" class="pencraft pc-reset header-anchor offset-top"></div>'
    '<button tabindex="0" type="button" class="pencraft icon-container restack-image">'
    '<svg width="18" height="18"><path d="M10 13"></path></svg></button></div></div>'
)


def heading(level: int, inner: str) -> str:
    return f'<h{level} class="header-anchor-post">{inner}{ANCHOR.format(id="x")}</h{level}>'


def page(body: Body) -> str:
    issue = Issue(
        number=1,
        date=dt.date(2023, 1, 6),
        title="T",
        source="https://weeklykagglenews.substack.com/p/t",
        items=tuple(body.items),
        footnotes=tuple(body.footnotes),
    )
    return emit_page(issue).split("# T\n\n", 1)[1]


def cards(body: Body) -> list[Card]:
    return [item for item in body.items if isinstance(item, Card)]


def test_headings_lose_their_anchor_widgets():
    body = parse_body(heading(2, "News") + heading(3, "読み物") + "<p>本文</p>")
    assert page(body) == "## News\n\n### 読み物\n\n本文\n"
    assert body.notes == []
    assert body.chrome >= 2


def test_a_link_with_commentary_after_it_is_a_card():
    html = (
        heading(3, '<a href="https://www.kaggle.com/c/x?utm_source=substack">Comp X</a>')
        + "<p>最初の段落。</p><p>二つ目の<strong>段落</strong>。</p>"
        + heading(2, "Next")
    )
    body = parse_body(html)
    (card,) = cards(body)
    assert card.url == "https://www.kaggle.com/c/x"
    assert card.title == "Comp X"
    assert page(body).startswith(
        ':::{link} https://www.kaggle.com/c/x\n:title: "Comp X"\n\n'
        "最初の段落。\n\n二つ目の**段落**。\n:::\n\n## Next\n"
    )


@pytest.mark.parametrize(
    ("paragraph", "site"),
    [
        ('<a href="https://arxiv.org/abs/1">Paper</a>', ""),
        ('<strong><a href="https://arxiv.org/abs/1">Paper</a></strong> — arxiv.org', "arxiv.org"),
        ('<a href="https://arxiv.org/abs/1">Paper</a> (arxiv.org)', "arxiv.org"),
        (
            '<a href="https://arxiv.org/abs/1">Paper</a> - '
            '<a href="https://arxiv.org/abs/1?utm_source=x">arxiv.org</a>',
            "arxiv.org",
        ),
    ],
)
def test_a_paragraph_that_is_one_link_and_its_site_is_a_card(paragraph, site):
    body = parse_body(f"<p>{paragraph}</p><p>解説。</p>")
    (card,) = cards(body)
    assert (card.url, card.title, card.site) == ("https://arxiv.org/abs/1", "Paper", site)
    assert page(body).endswith("\n\n解説。\n:::\n")


def test_links_in_prose_stay_in_prose():
    html = (
        '<p>詳細は<a href="https://example.com/a?utm_medium=email&amp;id=3">こちら</a>。</p>'
        '<p><a href="https://example.com/b">B</a> と <a href="https://example.com/c">C</a></p>'
        "<p>続き。</p>"
    )
    body = parse_body(html)
    assert cards(body) == []
    assert page(body) == (
        "詳細は[こちら](https://example.com/a?id=3)。\n\n"
        "[B](https://example.com/b) と [C](https://example.com/c)\n\n続き。\n"
    )


def test_a_site_linking_elsewhere_keeps_the_paragraph_in_prose():
    html = (
        '<p><a href="https://arxiv.org/abs/1">Paper</a> — <a href="https://arxiv.org">arxiv.org'
        "</a></p><p>解説。</p>"
    )
    body = parse_body(html)
    assert cards(body) == []
    assert "[arxiv.org](https://arxiv.org)" in page(body)


def test_a_lone_link_without_commentary_stays_a_link():
    body = parse_body(
        heading(3, '<a href="https://example.com/h">H</a>')
        + '<p><a href="https://example.com/p">P</a></p>'
    )
    assert cards(body) == []
    assert page(body) == "### [H](https://example.com/h)\n\n[P](https://example.com/p)\n"


def test_list_items_with_commentary_are_cards_and_the_rest_stays_a_list():
    html = (
        "<ul>"
        '<li><p><a href="https://zenn.dev/a">A</a> (zenn.dev)</p><p>A の解説。</p></li>'
        '<li><p><a href="https://qiita.com/b">B</a></p></li>'
        "<li><p>リンクなし</p></li>"
        "</ul>"
        '<ol><li><p><a href="https://example.com/only">Only</a></p></li></ol>'
        "<p>Only の解説。</p>"
    )
    body = parse_body(html)
    first, second = cards(body)
    assert (first.url, first.site) == ("https://zenn.dev/a", "zenn.dev")
    assert second.url == "https://example.com/only"
    assert "- [B](https://qiita.com/b)\n- リンクなし" in page(body)
    assert "Only の解説。\n:::" in page(body)


def test_quotes_code_and_rules():
    html = (
        '<p><a href="https://example.com/x">X</a></p><p>解説。</p>'
        "<div><hr></div><blockquote><p>引用 <code>a*b</code></p></blockquote>"
        "<pre><code>x = 1\n&lt;y&gt;</code></pre>"
    )
    body = parse_body(html)
    (card,) = cards(body)
    assert len(card.commentary) == 1  # the rule ends the commentary
    assert page(body).endswith("> 引用 `a*b`\n\n```\nx = 1\n<y>\n```\n")


def test_footnotes_become_myst_footnotes():
    html = (
        '<p>本文<a class="footnote-anchor" data-component-name="FootnoteAnchorToDOM" '
        'id="footnote-anchor-1" href="#footnote-1" target="_self">1</a>。</p>'
        '<div class="footnote" data-component-name="FootnoteToDOM"><a id="footnote-1" '
        'href="#footnote-anchor-1" class="footnote-number" contenteditable="false" '
        'target="_self">1</a><div class="footnote-content"><p>注の<em>本文</em>。</p>'
        "</div></div>"
    )
    assert page(parse_body(html)) == "本文[^1]。\n\n[^1]: 注の*本文*。\n"


def test_a_footnote_mark_without_its_text_is_kept_as_text():
    html = '<p>本文<a class="footnote-anchor" href="#footnote-7" id="footnote-anchor-7">7</a></p>'
    body = parse_body(html)
    assert page(body) == "本文\\[7\\]\n"
    assert any("footnote 7" in note.message for note in body.notes)


def test_captioned_images_become_figures_with_the_original_image():
    body = parse_body((POSTS / "101001.weekly-kaggle-news-160.html").read_text())
    (figure,) = [item for item in body.items if isinstance(item, Figure)]
    assert figure.image == "https://substack-post-media.s3.amazonaws.com/public/images/7c2a1f.png"
    assert figure.alt == "リーダーボード"
    assert figure.target.startswith("https://substackcdn.com/image/fetch/")
    assert f":target: {figure.target}\n" in page(body)
    assert "最終日のリーダーボード（[公開 LB](https://www.kaggle.com/" in page(body)


def test_youtube_embeds_are_video_cards():
    html = (
        '<div id="youtube2-abcdefghijk" class="youtube-wrap" data-attrs="{&quot;videoId&quot;:'
        '&quot;abcdefghijk&quot;,&quot;startTime&quot;:90,&quot;endTime&quot;:null}" '
        'data-component-name="Youtube2ToDOM"><div class="youtube-inner"><iframe '
        'src="https://www.youtube-nocookie.com/embed/abcdefghijk?rel=0"></iframe></div></div>'
        "<p>動画の解説。</p>"
        '<div class="youtube-wrap"><div class="youtube-inner"><iframe '
        'src="https://www.youtube-nocookie.com/embed/ZYXWVUTSRQP?rel=0"></iframe></div></div>'
    )
    first, second = cards(parse_body(html))
    assert first.kind == "video"
    assert first.url == "https://www.youtube.com/watch?v=abcdefghijk&t=90s"
    assert first.image == "https://i.ytimg.com/vi/abcdefghijk/hqdefault.jpg"
    assert first.commentary
    assert second.url == "https://www.youtube.com/watch?v=ZYXWVUTSRQP"


def test_tweets_keep_url_author_and_text():
    html = (
        '<div class="tweet" data-attrs="{&quot;url&quot;:&quot;https://x.com/kaggle/status/1'
        "?s=20&amp;t=AbC&quot;,&quot;full_text&quot;:&quot;Hello &lt;b&gt;world&lt;/b&gt;"
        '&quot;,&quot;username&quot;:&quot;kaggle&quot;,&quot;name&quot;:&quot;Kaggle&quot;}" '
        'data-component-name="Twitter2ToDOM"></div>'
        '<div class="tweet"><a class="tweet-link-top" href="https://twitter.com/upura0/status/2">'
        '<div class="tweet-header"><div class="tweet-author-name">u++</div>'
        '<div class="tweet-author-handle">@upura0</div></div></a>'
        '<div class="tweet-text">古い形のツイート</div></div>'
    )
    new, old = cards(parse_body(html))
    assert (new.kind, new.url) == ("tweet", "https://x.com/kaggle/status/1")
    assert new.title == "Tweet by Kaggle (@kaggle)"
    assert new.excerpt == "Hello <b>world</b>"
    assert (old.url, old.title, old.excerpt) == (
        "https://twitter.com/upura0/status/2",
        "Tweet by u++ (@upura0)",
        "古い形のツイート",
    )


def test_a_link_left_off_the_page_is_reported():
    html = (
        '<div class="tweet"><a class="tweet-link-top" href="https://twitter.com/upura0/status/2">'
        '<div class="tweet-author-name">u++</div></a><div class="tweet-text">見て '
        '<a href="https://t.co/abc">t.co/abc</a></div></div>'
    )
    body = parse_body(html)
    assert [note.message for note in body.notes] == ["the link https://t.co/abc is not on the page"]


def test_embedded_posts_are_cards():
    attrs = (
        '{"id":1,"url":"https://example.substack.com/p/post?utm_source=substack'
        '&utm_campaign=post_embed","publication_name":"Example","title":"A post",'
        '"truncated_body_text":"Its first words"}'
    )
    escaped = attrs.replace("&", "&amp;").replace('"', "&quot;")
    twice = escaped.replace("&", "&amp;")
    for value in (escaped, twice):
        html = (
            f'<div class="embedded-post-wrap" data-attrs="{value}" '
            'data-component-name="EmbeddedPostToDOM"><a class="embedded-post" native="true" '
            'href="https://example.substack.com/p/post"><div class="embedded-post-title">'
            "A post</div></a></div>"
        )
        (card,) = cards(parse_body(html))
        assert (card.url, card.title, card.excerpt) == (
            "https://example.substack.com/p/post",
            "A post",
            "Its first words",
        )


@pytest.mark.parametrize(
    ("html", "url", "title", "excerpt"),
    [
        (
            '<div class="embedded-publication-wrap" data-attrs="{&quot;id&quot;:9,&quot;name&quot;'
            ":&quot;ML Digest&quot;,&quot;base_url&quot;:&quot;https://mldigest.substack.com&quot;,"
            '&quot;hero_text&quot;:&quot;Weekly ML papers&quot;,&quot;show_subscribe&quot;:true}" '
            'data-component-name="EmbeddedPublicationToDOMWithSubscribe"><div class="embedded-'
            'publication show-subscribe"><a class="embedded-publication-link-part" native="true" '
            'href="https://mldigest.substack.com?utm_source=substack&amp;utm_campaign='
            'publication_embed"><span class="embedded-publication-name">ML Digest</span></a>'
            '<form class="subscription-widget-subscribe"><input type="email" name="email">'
            '<input type="submit" value="Subscribe"></form></div></div>',
            "https://mldigest.substack.com",
            "ML Digest",
            "Weekly ML papers",
        ),
        (
            '<div class="file-embed-wrapper" data-component-name="FileToDOM">'
            '<div class="file-embed-container-reader"><div class="file-embed-container-top">'
            '<div class="file-embed-'
            'details"><div class="file-embed-details-h1">slides.pdf</div><div class="file-embed-'
            'details-h2">1.2MB ∙ PDF file</div></div><a class="file-embed-button wide" href="'
            'https://weeklykagglenews.substack.com/api/v1/file/abc.pdf"><span class="file-embed-'
            'button-text">Download</span></a></div></div></div>',
            "https://weeklykagglenews.substack.com/api/v1/file/abc.pdf",
            "slides.pdf",
            "1.2MB ∙ PDF file",
        ),
    ],
)
def test_embedded_publications_and_files_are_cards(html, url, title, excerpt):
    (card,) = cards(parse_body(html))
    assert (card.url, card.title, card.excerpt) == (url, title, excerpt)


def test_latex_keeps_its_expression():
    html = (
        '<div class="latex-rendered" data-attrs="{&quot;persistentExpression&quot;:&quot;'
        'E = mc^2&quot;,&quot;id&quot;:&quot;X&quot;}" data-component-name="LatexBlockToDOM">'
        "</div>"
    )
    assert page(parse_body(html)) == "```\nE = mc^2\n```\n"


def test_chrome_is_dropped_and_other_buttons_kept():
    body = parse_body((POSTS / "101001.weekly-kaggle-news-160.html").read_text())
    text = page(body)
    for chrome in ("Subscribe", "Share", "Thanks for reading", "Type your email", "§", "svg"):
        assert chrome not in text
    html = (
        '<p class="button-wrapper" data-attrs="{&quot;url&quot;:&quot;https://example.com/'
        'paper&quot;,&quot;text&quot;:&quot;論文を読む&quot;}" data-component-name='
        '"ButtonCreateButton"><a class="button primary" href="https://example.com/paper">'
        "<span>論文を読む</span></a></p>"
    )
    assert page(parse_body(html)) == "[論文を読む](https://example.com/paper)\n"


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://a.com/x?utm_source=substack&utm_medium=email&id=1", "https://a.com/x?id=1"),
        ("https://a.com/x?fbclid=1", "https://a.com/x"),
        (
            "https://weeklykagglenews.substack.com/p/y?r=2ab&s=r&utm_campaign=post",
            "https://weeklykagglenews.substack.com/p/y",
        ),
        ("https://twitter.com/u/status/1?s=20&t=Ab", "https://twitter.com/u/status/1"),
        ("https://a.com/search?s=20&t=Ab", "https://a.com/search?s=20&t=Ab"),
    ],
)
def test_tracking_parameters_are_removed(url, clean):
    assert clean_url(url) == clean


def test_images_behind_the_cdn():
    cdn = (
        "https://substackcdn.com/image/fetch/w_1456,c_limit,f_auto/"
        "https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic%2Fimages%2Fa.png"
    )
    assert original_image(cdn) == "https://substack-post-media.s3.amazonaws.com/public/images/a.png"
    assert original_image("javascript:alert(1)") == ""


def test_unknown_blocks_are_kept_as_text_and_reported():
    html = (
        '<div class="poll-embed" data-attrs="{}"><p>どれに投票？</p></div>'
        "<p>x<marquee>動く</marquee></p>"
    )
    body = parse_body(html)
    assert isinstance(body.items[0], Unmapped)
    text = page(body)
    assert "どれに投票？" in text and "動く" in text
    assert [note.message for note in body.notes] == [
        'unknown Substack block <div class="poll-embed">; kept as text',
        "unknown element <marquee> kept as its text",
    ]


def test_an_unknown_embed_keeps_its_address():
    html = (
        '<div class="spotify-wrap" data-attrs="{}"><iframe src="https://open.spotify.com/embed/'
        'episode/abc?utm_source=generator" frameborder="0"></iframe></div>'
    )
    body = parse_body(html)
    assert page(body) == (
        '% Substack item kept as text (unknown Substack block <div class="spotify-wrap">, '
        "source line 1)\n[https://open.spotify.com/embed/episode/abc]"
        "(https://open.spotify.com/embed/episode/abc)\n"
    )


def test_control_characters_are_dropped():
    assert page(parse_body("<p>a\x00b\x0bc\x1fd</p>")) == "ab cd\n"


def test_hostile_text_stays_text():
    body = parse_body("<p>&lt;script&gt;alert(1)&lt;/script&gt; {{x}} :::{raw} html</p>")
    assert page(body) == "\\<script>alert(1)\\</script> {{x}} :::{raw} html\n"


@pytest.mark.parametrize(
    ("html", "line", "message"),
    [
        ("<p>one</p>\n<p>two <a href='https://a.com'>cut", 2, "never closed"),
        ("<p>one</p>\n<h2>News", 2, "never closed"),
        ("<p>one</p><p", 1, "cut off"),
        ("   \n", 1, "no content"),
        (
            '<div class="subscription-widget-wrap-editor"><div class="subscription-widget">'
            '<form><input type="submit" value="Subscribe"></form></div></div>',
            1,
            "nothing but Substack chrome",
        ),
    ],
)
def test_bad_bodies_are_refused_with_a_line(html, line, message):
    with pytest.raises(SubstackFormatError) as error:
        parse_body(html)
    assert error.value.line == line
    assert message in error.value.message


def test_every_item_of_the_fixture_in_order():
    body = parse_body((POSTS / "101001.weekly-kaggle-news-160.html").read_text())
    kinds = [item.kind if isinstance(item, Card) else type(item).__name__ for item in body.items]
    assert kinds == [
        "Prose",
        "Header",
        "link",
        "link",
        "link",
        "Prose",
        "Figure",
        "Header",
        "video",
        "tweet",
        "link",
        "Header",
        "Prose",
        "Prose",
        "Unmapped",
    ]
    assert [footnote.label for footnote in body.footnotes] == ["1", "2"]
    assert isinstance(body.items[1], Header) and isinstance(body.items[0], Prose)
