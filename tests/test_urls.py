"""core/urls.py: which links a card may hold, tracking parameters, hosts, IRIs, archived
copies."""

from __future__ import annotations

import datetime as dt

import pytest
from newsarchive.core.urls import (
    iri_to_uri,
    is_http_url,
    is_tracking_param,
    site_key,
    site_of,
    strip_tracking,
    tracking_params,
    wayback_url,
)


@pytest.mark.parametrize(
    ("iri", "uri"),
    [
        (
            "https://ja.wikipedia.org/wiki/機械学習?q=深層&x=1#節",
            "https://ja.wikipedia.org/wiki/%E6%A9%9F%E6%A2%B0%E5%AD%A6%E7%BF%92"
            "?q=%E6%B7%B1%E5%B1%A4&x=1#%E7%AF%80",
        ),
        ("https://例え.jp:8080/パス", "https://xn--r8jz45g.jp:8080/%E3%83%91%E3%82%B9"),
        ("http://user:pw@例え.jp/a b", "http://user:pw@xn--r8jz45g.jp/a%20b"),
        ("http://user@example.com/", "http://user@example.com/"),
        ("http://[::1]:8000/x", "http://[::1]:8000/x"),
        # ASCII URLs and existing escapes are kept, surrounding spaces dropped.
        (" https://example.com/a%20b?c=%E6&d=(1);e=[2]~!$*,'@ ", None),
        ("https://example.com/a+b/c:d?x=y+z#top", None),
        # A text fragment keeps its syntax; a URL without a host gets none.
        ("https://e.com/p#:~:text=a,b&c=1", None),
        ("/wiki/機械学習", "/wiki/%E6%A9%9F%E6%A2%B0%E5%AD%A6%E7%BF%92"),
    ],
)
def test_an_iri_is_sent_as_a_uri(iri, uri):
    assert iri_to_uri(iri) == (uri or iri.strip())


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.com/", True),
        ("HTTP://example.com", True),
        ("  https://example.com/x  ", True),
        ("ftp://example.com/", False),
        ("javascript:alert(1)", False),
        ("https:///path-without-host", False),
        ("//example.com/", False),
        ("http://[::1", False),  # urlsplit refuses it: no traceback
        ("", False),
    ],
)
def test_only_absolute_http_links_with_a_host(url, allowed):
    assert is_http_url(url) is allowed


def test_tracking_parameters_are_named_and_removed_the_rest_kept_as_written():
    url = "https://e.com/p?a=1&utm_source=x&b=%20&UTM_medium=y&fbclid=z&utm%5Fcampaign=q#f"
    assert tracking_params(url) == ["utm_source", "UTM_medium", "fbclid", "utm_campaign"]
    assert strip_tracking(url) == "https://e.com/p?a=1&b=%20#f"
    assert strip_tracking("https://e.com/p?utm_source=x") == "https://e.com/p"
    assert strip_tracking("https://e.com/p#utm_source=x") == "https://e.com/p#utm_source=x"
    assert (
        strip_tracking("https://e.com/p?q=utm_source&ref=1") == "https://e.com/p?q=utm_source&ref=1"
    )
    assert tracking_params("https://e.com/p?Fbclid=1&ref_url=u&mc_eid=&x=utm_a") == [
        "Fbclid",
        "ref_url",
        "mc_eid",
    ]
    assert is_tracking_param("GCLID") and is_tracking_param("utm_")
    assert not is_tracking_param("xutm_source") and not is_tracking_param("ref")


def test_hosts_shown_and_grouped():
    assert site_of("https://WWW.Example.com:8080/x") == "www.example.com"
    assert site_of("not a url") == ""
    assert site_key("https://WWW.Example.com/x") == "example.com"
    assert site_key(" www.Foo.org ") == "foo.org"
    assert site_key("sub.www.example.com") == "sub.www.example.com"
    assert site_key("https:///x") == ""


def test_archived_copy_nearest_the_issue_date():
    assert (
        wayback_url("https://e.com/a b?x=1&y=[2]#s", dt.date(2020, 1, 2))
        == "https://web.archive.org/web/20200102/https://e.com/a%20b?x=1&y=[2]#s"
    )
    assert wayback_url("https://e.com/", None) == "https://web.archive.org/web/2/https://e.com/"
