"""Substack's embeds, each read whole into the model: image galleries, embedded posts and
publications, files; from their ``data-attrs`` first, else from the HTML they draw; an
embed that names no address kept as text, and said."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from newsarchive.commands.pipeline.model import (
    Card,
    Figure,
    Hyperlink,
    InlineImage,
    Paragraph,
    Prose,
    Text,
    Unmapped,
)
from newsarchive.commands.substack.body import ORIGIN, parse_body

MEDIA = "https://substack-post-media.s3.amazonaws.com/public/images"


def component(cls: str, attrs: dict[str, Any] | None, inner: str = "") -> str:
    data = f' data-attrs="{html.escape(json.dumps(attrs, ensure_ascii=False))}"' if attrs else ""
    return f'<div class="{cls}"{data}>{inner}</div>'


def notes(text: str) -> list[str]:
    return [note.message for note in parse_body(text).notes]


# Image galleries


def test_a_gallery_is_its_images_then_its_caption():
    cdn = f"https://substackcdn.com/image/fetch/w_1456,c_limit/{MEDIA.replace('/', '%2F')}%2Fa.png"
    gallery = {
        "images": [
            {"type": "image/png", "src": cdn},
            {"src": "https://example.com/b.png"},
            "not an image",
            {"src": "ftp://example.com/c.png"},
            {"alt": "no src"},
        ],
        "caption": "  二枚の\n図 ",
    }
    body = parse_body(component("image-gallery-embed", {"gallery": gallery}) + "<p>後</p>")
    assert body.items == [
        Figure(1, f"{MEDIA}/a.png"),
        Figure(1, "https://example.com/b.png"),
        Prose(1, (Paragraph((Text("二枚の 図"),)),)),
        Prose(1, (Paragraph((Text("後"),)),)),
    ]
    assert body.notes == []


def test_a_gallery_without_a_caption_is_its_images():
    gallery = {"images": [{"src": "https://example.com/b.png"}], "caption": None}
    body = parse_body(component("image-gallery-embed", {"gallery": gallery}))
    assert body.items == [Figure(1, "https://example.com/b.png")]


@pytest.mark.parametrize(
    "attrs",
    [None, {"gallery": None}, {"gallery": {"images": []}}, {"gallery": {"images": "a.png"}}],
)
def test_a_gallery_without_images_is_kept_as_text(attrs):
    text = component("image-gallery-embed", attrs, '<img src="https://example.com/x.png">')
    body = parse_body(text)
    reason = "image gallery without images"
    blocks = (Paragraph((InlineImage("https://example.com/x.png", ""),)),)
    assert body.items == [Unmapped(1, blocks, reason, origin=ORIGIN)]
    assert notes(text) == [f"{reason}; kept as text"]


# Embedded posts


def test_an_embedded_post_is_a_card_from_its_attributes():
    attrs = {
        "url": "https://example.substack.com/p/post?utm_source=substack",
        "canonical_url": "https://example.substack.com/p/other",
        "title": " A  post ",
        "truncated_body_text": "Its first words",
        "caption": "a caption",
        "publication_name": "Example",
    }
    inner = (
        '<a href="https://example.substack.com/p/drawn"><div class="embedded-post-title">Drawn'
        '</div><div class="embedded-post-body">Drawn words</div></a>'
    )
    body = parse_body(component("embedded-post-wrap", attrs, inner) + "<p>一言。</p>")
    (card,) = body.items
    assert card == Card(
        "link",
        1,
        "https://example.substack.com/p/post",
        "A post",
        site="Example",
        excerpt="Its first words",
        commentary=(Paragraph((Text("一言。"),)),),
    )


def test_an_embedded_post_falls_back_field_by_field():
    attrs = {"canonical_url": "https://example.substack.com/p/other", "caption": "見出しの下"}
    (card,) = parse_body(component("digest-post-embed", attrs)).items
    assert card == Card(
        "link", 1, "https://example.substack.com/p/other", card.url, excerpt="見出しの下"
    )


def test_an_embedded_post_drawn_as_html():
    inner = (
        '<a class="embedded-post" href="https://example.substack.com/p/drawn?utm_campaign=x">'
        '<div class="embedded-post-title"> Drawn\n title </div>'
        '<div class="embedded-post-body"><p>Drawn</p><p>words</p></div></a>'
    )
    (card,) = parse_body(component("embedded-post-wrap", None, inner)).items
    assert card == Card(
        "link", 1, "https://example.substack.com/p/drawn", "Drawn title", excerpt="Drawn words"
    )


def test_an_embedded_post_without_an_address_is_kept_as_text():
    text = component("embedded-post-wrap", {"title": "A post"}, "<p>A post</p>")
    body = parse_body(text)
    reason = "embedded post without an http(s) URL"
    assert body.items == [Unmapped(1, (Paragraph((Text("A post"),)),), reason, origin=ORIGIN)]
    assert notes(text) == [f"{reason}; kept as text"]


# Embedded publications and files


def test_an_embedded_publication_without_a_name_is_titled_by_its_address():
    attrs = {"base_url": "https://mldigest.substack.com?utm_source=substack"}
    (card,) = parse_body(component("embedded-publication-wrap", attrs)).items
    assert card == Card("link", 1, "https://mldigest.substack.com", "https://mldigest.substack.com")


def test_an_embedded_publication_without_an_address_is_kept_as_text():
    text = component("embedded-publication-wrap", {"name": "ML Digest"}, "<p>ML Digest</p>")
    reason = "embedded publication without an http(s) URL"
    assert parse_body(text).items == [
        Unmapped(1, (Paragraph((Text("ML Digest"),)),), reason, origin=ORIGIN)
    ]
    assert notes(text) == [f"{reason}; kept as text"]


FILE = "https://weeklykagglenews.substack.com/api/v1/file/abc.pdf"


def test_a_file_without_its_details_is_titled_by_its_address():
    inner = (
        '<a class="other" href="https://example.com/x">x</a>'
        f'<a class="file-embed-button" href="{FILE}">Download</a>'
    )
    (card,) = parse_body(component("file-embed-wrapper", None, inner)).items
    assert card == Card("link", 1, FILE, FILE)


def test_a_file_s_link_is_any_link_without_a_button():
    inner = (
        f'<div class="file-embed-details-h1"> slides\n.pdf </div>'
        f'<div class="file-embed-details-h2"><span>1.2MB</span><span>PDF</span></div>'
        f'<a href="{FILE}?utm_source=substack">Download</a>'
    )
    (card,) = parse_body(component("file-embed-wrapper", None, inner)).items
    assert card == Card("link", 1, FILE, "slides .pdf", excerpt="1.2MB PDF")


def test_a_file_without_an_address_is_kept_as_text():
    text = component("file-embed-wrapper", None, '<div class="file-embed-details-h1">a.pdf</div>')
    reason = "file without an http(s) URL"
    assert parse_body(text).items == [
        Unmapped(1, (Paragraph((Text("a.pdf"),)),), reason, origin=ORIGIN)
    ]
    assert notes(text) == [f"{reason}; kept as text"]


def test_what_an_unknown_embed_shows_is_kept_as_its_address():
    inner = (
        '<iframe src="https://example.com/player?utm_source=substack"></iframe>'
        '<audio src="ftp://example.com/a.mp3"></audio><video src="https://example.com/v.mp4"></video>'
    )
    text = component("file-embed-wrapper", None, inner)
    (item,) = parse_body(text).items
    assert isinstance(item, Unmapped)
    assert item.blocks == (
        Paragraph(
            (Hyperlink("https://example.com/player", (Text("https://example.com/player"),)),)
        ),
        Paragraph((Hyperlink("https://example.com/v.mp4", (Text("https://example.com/v.mp4"),)),)),
    )


# Tweets and YouTube videos


TWEET = "https://twitter.com/upura0/status/1620000000000000000"


@pytest.mark.parametrize(
    ("attrs", "title"),
    [
        ({"url": TWEET, "name": "u++", "username": "upura0"}, "Tweet by u++ (@upura0)"),
        ({"url": TWEET, "name": "u++"}, "Tweet by u++ (@upura0)"),  # the handle from the URL
        ({"url": "https://x.com/i/web/status/1", "name": "u++"}, "Tweet by u++"),
        ({"url": "https://x.com/i/web/status/1", "username": "a_b"}, "Tweet by @a_b"),
        ({"url": "https://x.com/i/web/status/1"}, "Tweet"),
    ],
)
def test_a_tweet_is_a_card_titled_by_its_author(attrs, title):
    attrs = {"full_text": " 今週の\nニュース ", **attrs}
    (card,) = parse_body(component("tweet", attrs)).items
    assert card == Card("tweet", 1, attrs["url"], title, excerpt="今週の ニュース")


def test_a_tweet_drawn_as_html():
    inner = (
        '<a href="https://example.com/other">x</a>'
        f'<a class="tweet-link-top" href="{TWEET}?s=20&amp;t=Ab">'
        '<div class="tweet-author-name"> u++ </div>'
        '<div class="tweet-author-handle">@upura0</div></a>'
        '<div class="tweet-text">見て <b>ください</b></div>'
    )
    (card,) = parse_body(component("tweet", None, inner)).items
    assert card == Card("tweet", 1, TWEET, "Tweet by u++ (@upura0)", excerpt="見て ください")
    inner = '<a href="https://twitter.com/a_b/status/2">x</a>'
    (card,) = parse_body(component("tweet", None, inner)).items
    assert card == Card("tweet", 1, "https://twitter.com/a_b/status/2", "Tweet by @a_b")


def test_a_tweet_s_attributes_win_over_its_html():
    inner = '<div class="tweet-text">古い</div><div class="tweet-author-name">古い名</div>'
    attrs = {"url": TWEET, "full_text": "新しい", "name": "u++", "username": "upura0"}
    (card,) = parse_body(component("tweet", attrs, inner)).items
    assert (card.title, card.excerpt) == ("Tweet by u++ (@upura0)", "新しい")


def test_a_tweet_without_an_address_is_kept_as_text():
    text = component("tweet", {"full_text": "本文"}, "<p>本文</p>")
    reason = "tweet without an http(s) URL"
    assert parse_body(text).items == [
        Unmapped(1, (Paragraph((Text("本文"),)),), reason, origin=ORIGIN)
    ]
    assert notes(text) == [f"{reason}; kept as text"]


VIDEO = "ZYXWVUTSRQP"


@pytest.mark.parametrize(
    ("attrs", "inner", "url"),
    [
        ({"videoId": VIDEO}, "", f"https://www.youtube.com/watch?v={VIDEO}"),
        (
            {"videoId": VIDEO, "startTime": 75.9},
            "",
            f"https://www.youtube.com/watch?v={VIDEO}&t=75s",
        ),
        ({"videoId": VIDEO, "startTime": 0}, "", f"https://www.youtube.com/watch?v={VIDEO}"),
        ({"videoId": VIDEO, "startTime": "75"}, "", f"https://www.youtube.com/watch?v={VIDEO}"),
        (
            {"videoId": "no"},
            f'<iframe src="https://www.youtube-nocookie.com/embed/{VIDEO}?rel=0"></iframe>',
            f"https://www.youtube.com/watch?v={VIDEO}",
        ),
    ],
)
def test_a_youtube_embed_is_a_video_card(attrs, inner, url):
    (card,) = parse_body(component("youtube-wrap", attrs, inner)).items
    image = f"https://i.ytimg.com/vi/{VIDEO}/hqdefault.jpg"
    assert card == Card("video", 1, url, f"YouTube: {VIDEO}", image=image)


def test_a_youtube_embed_without_a_video_is_kept_as_text():
    text = component(
        "youtube-wrap", {"videoId": "no"}, '<iframe src="https://example.com/v"></iframe>'
    )
    reason = "YouTube embed without a video id"
    link = Paragraph((Hyperlink("https://example.com/v", (Text("https://example.com/v"),)),))
    assert parse_body(text).items == [Unmapped(1, (link,), reason, origin=ORIGIN)]
    assert notes(text)[0] == f"{reason}; kept as text"
