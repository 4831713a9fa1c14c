"""What makes a heading, paragraph or list item "one link" (a card when commentary follows):
the link looked through its formatting, line breaks ignored, then nothing or its site (as
text, or as a link to the same page between a separator and a closing bracket); anything
else after it, a second link elsewhere, an image in the link, or an element that is not a
link, and it stays prose."""

from __future__ import annotations

import pytest
from newsarchive.commands.pipeline.model import Card, Paragraph, Prose, Text
from newsarchive.commands.substack.body import parse_body

URL = "https://example.com/a"
A = f'<a href="{URL}">題</a>'
SITE = f'<a href="{URL}?utm_source=x">example.com</a>'
COMMENTARY = "<p>解説</p>"


def card(site: str = "") -> Card:
    return Card("link", 1, URL, "題", site=site, commentary=(Paragraph((Text("解説"),)),))


@pytest.mark.parametrize(
    ("inner", "site"),
    [
        (f"{A}<br>", ""),
        (f'<a href="{URL}"><em>題</em></a>', ""),
        (f"<br>{A}", ""),
        (f"<strong><em>{A}</em></strong>", ""),
        (f"<b>{A}</b>", ""),
        (f"<em>{A}</em>", ""),
        (f"<i>{A}</i>", ""),
        (f"<span>{A}</span>", ""),
        (f"<b>{A}</b> — example.com", "example.com"),
        (f"{A} —<br>example.com", "example.com"),
        (f"{A} — {SITE}", "example.com"),
        (f"{A} ({SITE})", "example.com"),
        (f"{A} —<br>({SITE})", "example.com"),
    ],
)
def test_one_link_and_its_site_is_a_card(inner, site):
    assert parse_body(f"<p>{inner}</p>{COMMENTARY}").items == [card(site)]


@pytest.mark.parametrize(
    "inner",
    [
        f"{A} and more words",
        f"{A} — {SITE} more words",
        f"{A} and {SITE}",
        f"{A} — {SITE} <a href='https://example.org/b'>example.org</a>",
        f"{A} — <a>example.com</a>",
        f"{A} — <a href='https://example.org/'>example.org</a>",
        f"{A} <em>example.com</em>",
        f"<strong>{A} 太字</strong> — example.com",
        f'<abbr href="{URL}">題</abbr>',
        f'<a href="{URL}"><img src="https://example.com/a.png">題</a>',
        f'<a href="{URL}"> </a>',
        '<a href="mailto:a@example.com">題</a>',
    ],
)
def test_anything_else_stays_prose(inner):
    items = parse_body(f"<p>{inner}</p>{COMMENTARY}").items
    assert [type(item) for item in items] == [Prose, Prose]
    assert items[1] == Prose(1, (Paragraph((Text("解説"),)),))
