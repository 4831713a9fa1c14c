"""Addresses in a Substack body: the referral parameters of Substack and of shared tweets
removed (on any of their hosts' names), every other parameter kept as written; images
behind Substack's CDN unwrapped, and only there; data-attrs that are not an object; the
message of a body that cannot be read."""

from __future__ import annotations

import pytest
from newsarchive.commands.pipeline.model import Card, Figure
from newsarchive.commands.substack.body import (
    SubstackFormatError,
    clean_url,
    original_image,
    parse_body,
)


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://www.twitter.com/u/status/1?s=20&t=Ab", "https://www.twitter.com/u/status/1"),
        ("https://mobile.twitter.com/u/status/1?s=20", "https://mobile.twitter.com/u/status/1"),
        ("https://x.com/u/status/1?ref_src=twsrc", "https://x.com/u/status/1"),
        ("https://www.substack.com/p/x?r=2ab&id=3", "https://www.substack.com/p/x?id=3"),
        # Every other parameter kept, in its order, each once.
        ("https://a.substack.com/p/x?r=1&b=2&a=1", "https://a.substack.com/p/x?b=2&a=1"),
        # A referral parameter whose value holds "=" is still one.
        ("https://a.substack.com/p/x?r=a=b&id=1", "https://a.substack.com/p/x?id=1"),
        # A parameter named like one elsewhere is kept.
        ("https://example.com/p?r=1&s=2", "https://example.com/p?r=1&s=2"),
        # Without a query, or without a host: as it is.
        ("https://a.substack.com/p/x", "https://a.substack.com/p/x"),
        ("/p/x?r=1", "/p/x?r=1"),
    ],
)
def test_referral_parameters_are_removed_and_the_rest_kept(url, clean):
    assert clean_url(url) == clean


def test_an_address_where_every_parameter_is_a_referral_loses_its_query():
    assert clean_url("https://a.substack.com/p/x?r=1&s=w") == "https://a.substack.com/p/x"


def test_only_substack_s_cdn_is_unwrapped():
    inner = "https%3A%2F%2Fexample.com%2Fa.png"
    assert (
        original_image(f"https://substackcdn.com/image/fetch/w_1/{inner}")
        == "https://example.com/a.png"
    )
    other = f"https://example.com/image/fetch/w_1/{inner}"
    assert original_image(other) == other
    # The CDN's address of something that is not an address is kept.
    kept = "https://substackcdn.com/image/fetch/w_1/logo.png"
    assert original_image(kept) == kept


def test_data_attrs_that_are_not_an_object_are_none():
    body = parse_body(
        '<div class="youtube-wrap" data-attrs="[1, 2]">'
        '<iframe src="https://www.youtube-nocookie.com/embed/6a6L_9USZxg"></iframe></div>'
    )
    assert [(item.kind, item.url) for item in body.items if isinstance(item, Card)] == [
        ("video", "https://www.youtube.com/watch?v=6a6L_9USZxg")
    ]


def test_a_figure_s_data_attrs_escaped_twice_are_read():
    body = parse_body(
        '<figure><img src="https://example.com/small.png" '
        'data-attrs="{&amp;quot;src&amp;quot;:&amp;quot;https://example.com/big.png&amp;quot;}">'
        "</figure>"
    )
    assert body.items == [Figure(1, "https://example.com/big.png")]


def test_a_body_that_cannot_be_read_says_its_line():
    with pytest.raises(SubstackFormatError) as raised:
        parse_body("  \n ")
    assert str(raised.value) == "line 1: the post has no content"
    assert (raised.value.line, raised.value.message) == (1, "the post has no content")
