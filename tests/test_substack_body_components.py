"""Substack's components in the shapes their other tests leave out: YouTube ids in either
case and the shortest start, YouTube embeds without an id or a player, tweets drawn as HTML
whose handle is not their address's, names in capitals, links without an address before
the real one (tweets, embedded posts, files), linked images whose link has no address, and
what an unknown embed shows (embed, audio, source); each compared whole."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from newsarchive.commands.pipeline.model import (
    Card,
    Figure,
    Hyperlink,
    Paragraph,
    Text,
    Unmapped,
)
from newsarchive.commands.substack.body import ORIGIN, parse_body


def component(cls: str, attrs: dict[str, Any] | None, inner: str = "") -> str:
    data = f' data-attrs="{html.escape(json.dumps(attrs, ensure_ascii=False))}"' if attrs else ""
    return f'<div class="{cls}"{data}>{inner}</div>'


def video(video_id: str, start: str = "") -> Card:
    url = f"https://www.youtube.com/watch?v={video_id}{start}"
    image = f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg"
    return Card("video", 1, url, f"YouTube: {video_id}", image=image)


@pytest.mark.parametrize(
    ("attrs", "card"),
    [
        ({"videoId": "abcdefgh_-1"}, video("abcdefgh_-1")),
        ({"videoId": "ABCDEFGH_-1", "startTime": 1}, video("ABCDEFGH_-1", "&t=1s")),
    ],
)
def test_a_youtube_id_in_either_case_and_its_start(attrs, card):
    assert parse_body(component("youtube-wrap", attrs)).items == [card]


def test_a_youtube_embed_without_an_id_or_a_player_is_kept_as_text():
    body = parse_body(component("youtube-wrap", {"videoId": None}, "<p>動画</p>"))
    reason = "YouTube embed without a video id"
    assert body.items == [Unmapped(1, (Paragraph((Text("動画"),)),), reason, ORIGIN)]
    assert [note.message for note in body.notes] == [f"{reason}; kept as text"]


def test_a_tweet_drawn_as_html_is_by_its_handle_over_its_address():
    inner = (
        "<a>no address</a>"
        '<span href="https://twitter.com/other/status/4">not a link</span>'
        '<a href="https://twitter.com/Kaggle/status/3">x</a>'
        '<div class="tweet-author-handle"> @XKaggle </div>'
    )
    (card,) = parse_body(component("tweet", None, inner)).items
    assert card == Card("tweet", 1, "https://twitter.com/Kaggle/status/3", "Tweet by @XKaggle")


def test_a_tweet_s_handle_from_its_address_in_capitals():
    (card,) = parse_body(
        component("tweet", {"url": "https://twitter.com/Kaggle_JP/status/3"})
    ).items
    assert card == Card("tweet", 1, "https://twitter.com/Kaggle_JP/status/3", "Tweet by @Kaggle_JP")


def test_an_embedded_post_drawn_as_html_takes_the_first_link_with_an_address():
    inner = (
        '<a class="embedded-post">見出し</a>'
        '<span href="https://example.com/not-a-link">x</span>'
        '<a href="https://other.substack.com/p/x?utm_source=substack">記事</a>'
        '<div class="embedded-post-title">記事の題</div>'
    )
    (card,) = parse_body(component("embedded-post-wrap", None, inner)).items
    assert card == Card("link", 1, "https://other.substack.com/p/x", "記事の題")


def test_a_file_takes_the_first_link_with_an_address():
    inner = (
        "<a>見出し</a>"
        '<span href="https://example.com/not-a-link">x</span>'
        '<a href="https://example.com/a.pdf">a.pdf</a>'
        '<div class="file-embed-details-h1">資料</div>'
    )
    (card,) = parse_body(component("file-embed-wrapper", None, inner)).items
    assert card == Card("link", 1, "https://example.com/a.pdf", "資料")


def test_a_figure_s_target_is_a_link_with_an_address_only():
    body = parse_body(
        '<figure href="https://example.com/not-a-link"><a class="image-link">'
        '<img src="https://example.com/a.png"></a></figure>\n'
        '<figure><a href="https://example.com/page?utm_source=x"><span>'
        '<img src="https://example.com/b.png"></span></a></figure>\n'
        '<figure><a href="https://example.com/outer"><a class="image-link">'
        '<img src="https://example.com/c.png"></a></a></figure>\n'
    )
    assert body.items == [
        Figure(1, "https://example.com/a.png"),
        Figure(2, "https://example.com/b.png", target="https://example.com/page"),
        # The nearest link with an address.
        Figure(3, "https://example.com/c.png", target="https://example.com/outer"),
    ]


def test_what_an_unknown_embed_shows_is_kept_as_its_address_whatever_its_element():
    inner = (
        '<embed src="https://example.com/e.swf">'
        '<audio><source src="https://example.com/a.mp3"></audio>'
        '<audio src="https://example.com/b.mp3"></audio>'
        '<video src="javascript:x"></video>'
    )
    (item,) = parse_body(component("file-embed-wrapper", None, inner)).items
    assert isinstance(item, Unmapped)
    assert item.blocks == tuple(
        Paragraph((Hyperlink(url, (Text(url),)),))
        for url in (
            "https://example.com/e.swf",
            "https://example.com/a.mp3",
            "https://example.com/b.mp3",
        )
    )
