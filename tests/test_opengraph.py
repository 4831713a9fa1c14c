"""Open Graph and description meta of issue and index pages, escaped."""

from __future__ import annotations

import re

from conftest import meta, soup_of


def test_issue_meta_uses_its_title_intro_and_first_thumbnail(published_hostile):
    html = soup_of(published_hostile.outdir / "issues/0001.html")
    title = "Hostile <script>alert('title')</script> & \"quotes\""
    assert meta(html, "og:title") == title
    assert meta(html, "twitter:title") == title
    assert meta(html, "og:description").startswith(
        "Intro with inline <script>alert('intro')</script>"
    )
    assert meta(html, "og:image") == "https://img.example.com/x.png?\"onerror=\"alert('img')"
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == "https://archive.example.org/wkn/issues/0001.html"
    assert (
        meta(html, "og:locale") == "ja_JP"
        if html.find("meta", attrs={"property": "og:locale"})
        else True
    )


def test_meta_values_are_escaped_in_the_raw_html(published_hostile):
    raw = (published_hostile.outdir / "issues/0001.html").read_text(encoding="utf-8")
    for content in re.findall(
        r'<meta (?:property|name)="(?:og|twitter):[^"]+" content="([^"]*)"', raw
    ):
        assert "<" not in content and ">" not in content
        assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#)", content), content


def test_index_pages_describe_themselves(published_basic):
    html = soup_of(published_basic.outdir / "sites/index.html")
    assert meta(html, "og:title") == "サイト一覧 Sites"
    assert "サイト" in meta(html, "og:description")
    assert meta(html, "og:url") == "https://archive.example.org/wkn/sites/index.html"
