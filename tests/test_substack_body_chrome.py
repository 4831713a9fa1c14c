"""Substack's buttons in a body: its own (subscribe, share, comments, the app, gifts,
template placeholders) are chrome and dropped; a button to elsewhere is a link. The button's
address is its data-attrs' else its link's."""

from __future__ import annotations

import html
import json

import pytest
from newsarchive.commands.pipeline.model import Hyperlink, Paragraph, Prose, Text
from newsarchive.commands.substack.body import parse_body

PUB = "https://weeklykagglenews.substack.com"


def button(url: str | None, *, wrapper: str = "button-wrapper", href: str | None = None) -> str:
    attrs = "" if url is None else f' data-attrs="{html.escape(json.dumps({"url": url}))}"'
    link = "<span>押す</span>" if href is None else f'<a class="button" href="{href}">押す</a>'
    return f'<p class="{wrapper}"{attrs}>{link}</p>'


def kept(url: str) -> list[Prose]:
    return [Prose(1, (Paragraph((Hyperlink(url, (Text("押す"),)),)),))]


CHROME = [
    f"{PUB}/subscribe?",
    f"{PUB}/subscribe/",
    f"{PUB}/p/weekly-kaggle-news-160/comments",
    f"{PUB}/p/weekly-kaggle-news-160/comments/",
    f"{PUB}/p/weekly-kaggle-news-160?utm_content=share&action=share",
    "https://substack.com/app",
    f"{PUB}/share",
    f"{PUB}/account",
    f"{PUB}/leaderboard",
    f"{PUB}/subscribe-gift?gift=true",
    # A publication on its own domain: its pages by their path.
    "https://newsletter.example.com/subscribe",
    "https://newsletter.example.com/p/x?gift=true",
    f"{PUB}/subscribe-now",
    "%%share_url%%",
    "",
]


@pytest.mark.parametrize("url", CHROME)
def test_substack_s_own_buttons_are_dropped(url):
    body = parse_body(button(url, href=url or f"{PUB}/subscribe") + "<p>本文</p>")
    assert body.items == [Prose(1, (Paragraph((Text("本文"),)),))]
    assert body.chrome == 1
    assert body.notes == []


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/paper",
        # Only Substack's own subscribe pages are chrome.
        "https://example.com/subscribe-form",
        "https://example.com/docs/subscribers",
        "https://example.com/app/X",
    ],
)
def test_a_button_to_elsewhere_is_a_link(url):
    body = parse_body(button(url, href=url))
    assert body.items == kept(url)
    assert body.chrome == 0


def test_a_captioned_button_is_a_button_too():
    body = parse_body(
        button(f"{PUB}/subscribe", wrapper="captioned-button-wrap", href=f"{PUB}/subscribe")
        + "<p>本文</p>"
    )
    assert body.items == [Prose(1, (Paragraph((Text("本文"),)),))]
    assert body.chrome == 1


def test_a_button_s_address_is_its_link_s_without_data_attrs():
    assert parse_body(button(None, href="https://example.com/paper")).items == kept(
        "https://example.com/paper"
    )
    # A button with neither is Substack's own.
    body = parse_body(button(None) + "<p>本文</p>")
    assert body.items == [Prose(1, (Paragraph((Text("本文"),)),))]
    assert body.chrome == 1


def test_a_button_s_data_attrs_come_before_its_link():
    body = parse_body(button(f"{PUB}/subscribe", href="https://example.com/paper") + "<p>本文</p>")
    assert body.items == [Prose(1, (Paragraph((Text("本文"),)),))]
    # A button to elsewhere by its data-attrs, without a link: its words are kept.
    body = parse_body(button("https://example.com/paper"))
    assert body.items == [Prose(1, (Paragraph((Text("押す"),)),))]
    assert body.chrome == 0


def test_a_button_s_link_is_its_first_link_with_an_address():
    body = parse_body(
        '<p class="button-wrapper"><span href="https://a.substack.com/subscribe"></span>'
        '<a>押す</a><a href="https://example.com/paper">論文</a></p>'
    )
    assert body.chrome == 0
    assert body.items == [
        Prose(
            1,
            (Paragraph((Text("押す"), Hyperlink("https://example.com/paper", (Text("論文"),)))),),
        )
    ]
