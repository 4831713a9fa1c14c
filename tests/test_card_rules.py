"""core/cards.py: a card's values judged by its rules, each problem at its line."""

from __future__ import annotations

import datetime as dt

import pytest
from newsarchive.core.cards import (
    judge_card,
    option_lines,
    parse_issue_date,
    repeated_options,
    site_hue,
    site_initial,
    suspicious_markup,
)
from newsarchive.core.vocabulary import Vocabulary

VOCABULARY = Vocabulary.from_text(
    '[[tag]]\nslug = "kaggle"\nja = "Kaggle"\nen = "Kaggle"\naliases = ["カグル"]\n\n'
    '[[tag]]\nslug = "nlp"\nja = "自然言語処理"\nen = "NLP"\n'
)


def found(card):
    return [(finding.line, finding.message, finding.kind) for finding in card.findings]


def test_a_good_card_keeps_its_values_with_blanks_collapsed():
    card = judge_card(
        " https://example.com/a?id=1 ",
        {
            "title": " A  title\n over lines ",
            "site": " www.example.com ",
            "excerpt": "an\texcerpt",
            "image": " https://example.com/i.png ",
            "status": " DEAD ",
            "tags": "kaggle, カグル、NLP",
        },
        line=10,
        vocabulary=VOCABULARY,
    )
    assert found(card) == []
    assert card.url == "https://example.com/a?id=1"
    assert (card.title, card.site, card.excerpt) == (
        "A title over lines",
        "www.example.com",
        "an excerpt",
    )
    assert (card.image, card.status) == ("https://example.com/i.png", "dead")
    assert card.tags == [("kaggle", "Kaggle"), ("nlp", "自然言語処理")]  # one of each
    assert judge_card("https://e.com/", {"title": "t", "status": "live"}, line=1).status == "live"
    bare = judge_card("https://e.com/", {"title": "t"}, line=1)
    assert found(bare) == []
    assert (bare.site, bare.excerpt, bare.image, bare.status) == ("", "", "", "live")
    spaced = judge_card("https://e.com/", {"title": "t", "site": " Example \n News "}, line=1)
    assert spaced.site == "Example News"


def test_every_rule_at_the_line_of_its_option():
    lines = {"title": 11, "site": 12, "image": 13, "status": 14, "excerpt": 15, "tags": 16}
    card = judge_card(
        "https://e.com/?utm_source=x&fbclid=1",
        {
            "title": "T <b>x</b>",
            "site": "{{ s }}",
            "excerpt": "{% raw %}",
            "image": "ftp://i",
            "status": "not  known",
            "tags": "kagle, nlp",
        },
        line=10,
        lines=lines,
        vocabulary=VOCABULARY,
        repeated=[("title", 11, 17)],
    )
    assert found(card) == [
        (10, "link card URL has tracking parameters (utm_source, fbclid); remove them", "card"),
        (17, "link card has :title: twice (first at line 11); only this value is used", "card"),
        (11, "link card :title: contains HTML; shown as text", "card"),
        (12, "link card :site: contains template syntax ({{ }}); shown as text", "card"),
        (15, "link card :excerpt: contains template syntax ({{ }}); shown as text", "card"),
        (13, "link card :image: must be http or https, not 'ftp://i'", "card"),
        (14, "link card :status: must be 'live' or 'dead', not 'not known'; ignored", "card"),
        (16, "unknown tag 'kagle'; did you mean 'kaggle'?", "tag"),
    ]
    # The URL is kept (its parameters are a warning); refused values are not.
    assert card.url == "https://e.com/?utm_source=x&fbclid=1"
    assert (card.image, card.status, card.tags) == ("", "live", [("nlp", "自然言語処理")])
    assert card.title == "T <b>x</b>"  # shown as text, escaped by the build


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://e.com/a b", "\x01https://e.com/", "https://e.com/\x7f"]
)
def test_a_card_url_that_is_not_a_plain_web_link_is_refused(url):
    card = judge_card(url, {"title": "t"}, line=3, lines={"title": 4})
    assert found(card) == [
        (3, f"link card URL must be http or https, not {url!r}; shown without a link", "card")
    ]
    assert card.url == ""


def test_a_card_without_url_or_title():
    card = judge_card("  ", {"title": " \n "}, line=3, lines={"title": 4})
    assert found(card) == [
        (3, "link card has no URL (the directive's argument)", "card"),
        (3, "link card has no :title: (required)", "card"),
    ]


def test_tags_are_judged_only_against_a_vocabulary():
    assert judge_card("https://e.com/", {"title": "t", "tags": "zzz"}, line=1).tags == []
    card = judge_card(
        "https://e.com/", {"title": "t", "tags": "qqqq"}, line=1, vocabulary=VOCABULARY
    )
    assert found(card) == [(1, "unknown tag 'qqqq'", "tag")]  # nothing close: no hint
    card = judge_card("https://e.com/", {"title": "t", "tags": " "}, line=1, vocabulary=VOCABULARY)
    assert found(card) == [] and card.tags == []


def test_option_lines_and_repeats_are_read_from_the_top_of_the_content_only():
    content = ":title: x\n:site: y\n:title: z\n:site: w\n:title: q\n\n:tags: a"
    assert option_lines(content, 10) == {"title": 11, "site": 12}
    assert repeated_options(content, 10) == [("title", 11, 13), ("site", 12, 14), ("title", 11, 15)]
    assert option_lines("body first\n:title: x", 1) == {}
    assert repeated_options("body\n:title: x\n:title: y", 1) == []
    assert option_lines(":my-option: x", 5) == {"my-option": 6}


def test_suspicious_markup():
    for html in ("<br>", "< / a", "<!-- x", "<?php", "a < b", "<img src=x"):
        assert suspicious_markup(html) == "HTML", html
    for template in ("{{ x", "x }}", "{% x", "x %}"):
        assert suspicious_markup(template) == "template syntax ({{ }})", template
    for plain in ("{x}", "1 < 2", "a > b", "100%", "<>", ""):
        assert suspicious_markup(plain) is None, plain


def test_issue_dates_and_site_placeholders():
    assert parse_issue_date(dt.date(2020, 1, 2)) == dt.date(2020, 1, 2)
    assert parse_issue_date(" 2020-01-02 ") == dt.date(2020, 1, 2)
    assert parse_issue_date("2020/01/02") is None
    assert site_hue("example.com") == site_hue("example.com") != site_hue("example.org")
    assert 0 <= int(site_hue("kaggle.com")) < 360
    assert site_initial("www.example.com") == "E"
    assert site_initial("zenn.dev") == "Z"
    assert site_initial("www.") == site_initial("") == "?"
