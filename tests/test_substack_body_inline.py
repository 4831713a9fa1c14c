"""Substack's inline shapes inside prose: images behind its CDN (bare or in a <picture>),
links with its referral parameters; each compared whole."""

from __future__ import annotations

import pytest
from newsarchive.commands.pipeline.model import (
    Hyperlink,
    InlineImage,
    Paragraph,
    Prose,
    Text,
)
from newsarchive.commands.substack.body import parse_body

CDN = (
    "https://substackcdn.com/image/fetch/w_1456,c_limit,f_auto/"
    "https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic%2Fimages%2Fa.png"
)
ORIGINAL = "https://substack-post-media.s3.amazonaws.com/public/images/a.png"


def paragraph(*children: object) -> Prose:
    return Prose(1, (Paragraph(tuple(children)),))  # type: ignore[arg-type]


def test_an_image_in_prose_is_the_image_behind_the_cdn():
    body = parse_body(f'<p>図 <img src="{CDN}" alt=" 表 の\n 図 "> の通り</p>')
    assert body.items == [
        paragraph(Text("図 "), InlineImage(ORIGINAL, "表 の 図"), Text(" の通り"))
    ]
    assert body.notes == []


def test_a_picture_in_prose_is_its_image_not_its_sources():
    body = parse_body(
        f'<p>前<picture><source type="image/webp" srcset="{CDN} 424w">'
        f'<img src="{CDN}" alt="図"></picture>後</p>'
    )
    assert body.items == [paragraph(Text("前"), InlineImage(ORIGINAL, "図"), Text("後"))]
    assert body.notes == []


def test_a_picture_without_an_image_is_nothing():
    body = parse_body(f'<p>前<picture><source srcset="{CDN} 424w"></picture>後</p>')
    assert body.items == [paragraph(Text("前後"))]
    assert body.notes == []


def test_an_image_in_prose_without_an_http_address_is_left_out_and_said():
    body = parse_body('<p>前<img src="data:image/png;base64,AAAA" alt="x">後</p>')
    assert body.items == [paragraph(Text("前後"))]
    assert [(note.line, note.message) for note in body.notes] == [
        (1, "an image without an http(s) URL is left out")
    ]


def test_a_link_in_prose_loses_substack_s_referral_parameters():
    body = parse_body(
        '<p>前の<a href="https://weeklykagglenews.substack.com/p/x?r=2ab&amp;s=w&amp;id=3">'
        "号</a>を参照</p>"
    )
    assert body.items == [
        paragraph(
            Text("前の"),
            Hyperlink("https://weeklykagglenews.substack.com/p/x?id=3", (Text("号"),)),
            Text("を参照"),
        )
    ]
    assert body.notes == []


@pytest.mark.parametrize("name", ["sup", "sub", "s", "del", "strike"])
def test_raised_lowered_and_struck_text_is_kept_as_its_text_without_a_note(name):
    body = parse_body(f"<p>H<{name}>2</{name}>O</p>")
    assert body.items == [paragraph(Text("H2O"))]
    assert body.notes == []
