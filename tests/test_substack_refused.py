"""``newsarchive import-feed`` when the server gives no feed: Cloudflare's bot check, an
HTML page, 429, 5xx; against a server on 127.0.0.1 that answers like Substack behind
Cloudflare (``substack_like.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOTS
from newsarchive.commands.cli import main
from newsarchive.commands.httpclient import FetchError, bot_check, get
from newsarchive.commands.substack import feed
from substack_like import CHALLENGE, Publication, serve_publication

CLOUDFLARE = 'Cloudflare\'s "Just a moment..." challenge'


@pytest.fixture
def publication():
    yield from serve_publication()


def test_an_error_answer_keeps_its_headers_and_body(publication: Publication):
    with pytest.raises(FetchError) as caught:
        get(f"{publication.base}/feed", purpose="test", accept="*/*", timeout=5, max_bytes=10**6)
    assert caught.value.status == 403
    assert caught.value.headers["cf-mitigated"] == "challenge"
    assert caught.value.body == CHALLENGE  # gzipped on the wire, decoded here


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"cf-mitigated": "challenge"}, b"Forbidden"),
        ({"CF-Mitigated": " Challenge "}, b""),
        ({}, b"<script src='/cdn-cgi/challenge-platform/h/g/orchestrate/v1'></script>"),
        ({}, b"<html><head><title>Just a moment...</title></head></html>"),
        ({}, CHALLENGE),
    ],
)
def test_each_sign_of_a_bot_check_is_enough(headers, body):
    assert bot_check(headers, body) == CLOUDFLARE


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"cf-mitigated": "block"}, b"<title>Access denied</title>"),
        ({}, b"<title>Just a moment</title><p>Please wait"),
        ({}, b"<a href='/cdn-cgi/l/email-protection'>mail</a>"),
    ],
)
def test_other_refusals_are_no_bot_check(headers, body):
    assert bot_check(headers, body) is None


@pytest.mark.parametrize(
    ("mode", "message", "is_bot_check"),
    [
        (
            "challenge",
            f"answered HTTP 403 Forbidden with a bot check ({CLOUDFLARE}), not the feed",
            True,
        ),
        ("html", "answered HTTP 200 with an HTML page, not the feed", False),
        ("429", "HTTP 429 Too Many Requests", False),
        ("503", "HTTP 503 Service Unavailable", False),
    ],
)
def test_what_the_server_sent_instead_of_the_feed_is_named(
    publication: Publication, mode, message, is_bot_check
):
    publication.feed = mode
    with pytest.raises(feed.Refused) as caught:
        feed.fetch(f"{publication.base}/feed")
    assert str(caught.value) == message
    assert caught.value.bot_check is is_bot_check


def test_an_html_error_page_is_named_as_a_page(publication: Publication):
    with pytest.raises(feed.Refused) as caught:
        feed.fetch(f"{publication.base}/nowhere")
    assert str(caught.value) == "answered HTTP 404 Not Found with an HTML page, not the feed"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", root)
    return root


def import_feed(archive: Path, source: str, *args: str) -> int:
    return main(
        [
            "import-feed",
            source,
            "--out",
            str(archive / "issues"),
            "--years-dir",
            str(archive / "years"),
            "--no-tags",
            *args,
        ]
    )


def files(archive: Path) -> dict[str, bytes]:
    return {str(p.relative_to(archive)): p.read_bytes() for p in archive.rglob("*") if p.is_file()}


def test_a_bot_check_is_named_with_what_to_do(archive, publication: Publication, capsys):
    """A feed that is not at Substack's address: no second route, the bot check said."""
    before = files(archive)
    url = f"{publication.base}/feed.xml"
    assert import_feed(archive, url) == feed.EXIT_REFUSED
    err = capsys.readouterr().err
    assert (
        f"{url}: answered HTTP 403 Forbidden with a bot check ({CLOUDFLARE}), not the feed. "
        "A bot check is a page for browsers, which a command cannot pass: try again later, "
        "import the publication's export instead (newsarchive import-substack EXPORT), or "
        "read its archive API"
    ) in err
    assert "Traceback" not in err
    assert files(archive) == before
    assert [path for path in publication.asked] == ["/feed.xml"]
