"""The commands' one HTTP client against a server on 127.0.0.1: encodings, redirects, size
limits, the user agent, IRIs; and the feed import, which now downloads through it.

Misbehaving servers (malformed answers, trickling headers) are in ``test_network.py``; the
commands' own behaviour in ``test_editor_add.py``, ``test_thumbs.py`` and
``test_substack_feed.py``.
"""

from __future__ import annotations

import gzip
import http.server
import io
import threading
import zlib
from typing import ClassVar
from urllib.parse import unquote, urlsplit

import pytest
from newsarchive import __version__
from newsarchive.commands import httpclient, thumbs
from newsarchive.commands.httpclient import FetchError, get
from newsarchive.commands.substack import feed
from newsarchive.commands.substack.importer import SourceError
from PIL import Image

BODY = (
    "<html><head><title>ページ</title></head><body>" + "本文 " * 2000 + "</body></html>"
).encode()
PNG = io.BytesIO()
Image.new("RGB", (64, 48), (20, 120, 200)).save(PNG, format="PNG")
FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Weekly Kaggle News</title>
<item><title>Weekly Kaggle News #200</title><link>https://upura.substack.com/p/200</link>
<pubDate>Fri, 05 Jan 2024 00:00:00 GMT</pubDate></item></channel></rss>"""


class Server(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        self.seen.append({"path": path, **{k.lower(): v for k, v in self.headers.items()}})
        if path.startswith("/hops/"):  # /hops/N redirects N times, then answers
            left = int(path.rsplit("/", 1)[1])
            if left:
                self.send_response(302)
                self.send_header("Location", f"/hops/{left - 1}")
                self.end_headers()
                return
            self.answer(BODY)
        elif path == "/gzip":
            self.answer(gzip.compress(BODY), encoding="gzip")
        elif path == "/deflate":  # as the standard says: a zlib stream
            self.answer(zlib.compress(BODY), encoding="deflate")
        elif path == "/raw-deflate":  # as some servers send it: no zlib header
            squeeze = zlib.compressobj(wbits=-zlib.MAX_WBITS)
            self.answer(squeeze.compress(BODY) + squeeze.flush(), encoding="deflate")
        elif path == "/br":
            self.answer(b"\x0b\x02\x80hello\x03", encoding="br")
        elif path == "/corrupt-gzip":
            self.answer(gzip.compress(BODY)[:20] + b"\xff" * 200, encoding="gzip")
        elif path == "/claims-large":  # says it is huge: refused before the body is read
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", "900000000")
            self.end_headers()
        elif path == "/wiki/機械学習":
            self.answer(BODY)
        elif path == "/gzip.png":
            self.answer(gzip.compress(PNG.getvalue()), encoding="gzip", kind="image/png")
        elif path == "/feed.xml":
            self.answer(gzip.compress(FEED), encoding="gzip", kind="application/rss+xml")
        else:
            self.send_error(404)

    def answer(self, body: bytes, *, encoding: str = "", kind: str = "text/html") -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Server)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str, **options: object):
    settings: dict = {"purpose": "test", "accept": "*/*", "timeout": 5, "max_bytes": 10**6}
    return get(url, **{**settings, **options})


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate"])
def test_compressed_bodies_are_decoded(server, path):
    response = fetch(f"{server}{path}")
    assert response.body == BODY and not response.truncated
    assert Server.seen[-1]["accept-encoding"] == "gzip, deflate"


def test_an_encoding_not_asked_for_is_refused_for_good(server):
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/br")
    assert str(caught.value) == f"{server}/br sent in 'br' encoding, which cannot be read"
    assert caught.value.transient is False


def test_a_corrupt_compressed_body_is_named_not_raised(server):
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/corrupt-gzip")
    assert str(caught.value).startswith(f"{server}/corrupt-gzip cannot be read: ")
    assert caught.value.transient is True


def test_the_size_limit_counts_decoded_bytes_and_cuts_or_refuses(server):
    limit = len(BODY) // 4
    kept = fetch(f"{server}/gzip", max_bytes=limit, cut=True)
    assert kept.body == BODY[:limit] and kept.truncated
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/gzip", max_bytes=limit, size_option="--max-bytes")
    assert caught.value.reason == f"too large: more than {limit:,} bytes (--max-bytes)"
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/claims-large", max_bytes=limit)
    assert caught.value.reason == f"too large: 900,000,000 bytes, more than {limit:,}"
    assert caught.value.transient is False


def test_redirects_are_recorded_up_to_the_limit(server):
    response = fetch(f"{server}/hops/{httpclient.MAX_REDIRECTS}")
    assert response.url == f"{server}/hops/0"
    assert [hop for _, hop in response.redirects][:2] == [
        f"{server}/hops/{httpclient.MAX_REDIRECTS - 1}",
        f"{server}/hops/{httpclient.MAX_REDIRECTS - 2}",
    ]
    assert len(response.redirects) == httpclient.MAX_REDIRECTS
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/hops/{httpclient.MAX_REDIRECTS + 1}")
    assert caught.value.status == 302
    assert str(caught.value).startswith(
        f"{server}/hops/{httpclient.MAX_REDIRECTS + 1} answered 302"
    )


def test_an_iri_is_sent_as_a_uri(server):
    assert fetch(f"{server}/wiki/機械学習").body == BODY
    assert Server.seen[-1]["path"] == "/wiki/機械学習"


def test_one_user_agent_says_what_it_fetches_for(server):
    fetch(f"{server}/gzip", purpose="thumbnail mirror")
    assert Server.seen[-1]["user-agent"] == (
        f"newsarchive/{__version__} (Weekly Kaggle News archive; thumbnail mirror)"
    )


def test_a_body_the_caller_does_not_read_is_not_downloaded(server):
    response = fetch(f"{server}/gzip", reads=lambda content_type: content_type == "image/png")
    assert response.content_type == "text/html" and response.body == b""


def test_not_http_is_refused_before_any_request():
    with pytest.raises(FetchError) as caught:
        fetch("file:///etc/passwd")
    assert str(caught.value) == "only http and https links can be fetched, not 'file:///etc/passwd'"


def test_the_feed_import_downloads_through_the_client(server):
    """A gzipped feed at an IRI: decoded and fetched (the feed's own urllib call neither
    decoded gzip nor sent an IRI)."""
    assert feed.fetch(f"{server}/feed.xml") == FEED
    assert Server.seen[-1]["user-agent"].endswith("(Weekly Kaggle News archive; feed import)")
    with pytest.raises(
        SourceError, match=r"^answered HTTP 404 Not Found with an HTML page, not the feed$"
    ):
        feed.fetch(f"{server}/フィード.xml")
    assert Server.seen[-1]["path"] == "/フィード.xml"


def test_thumbs_read_a_gzipped_image_through_the_client(server):
    """An image host that compresses anyway: decoded (thumbs refused it before)."""
    assert thumbs.download(f"{server}/gzip.png") == PNG.getvalue()
    assert Server.seen[-1]["user-agent"].endswith("(Weekly Kaggle News archive; thumbnail mirror)")
    assert thumbs.make_thumbnail(PNG.getvalue()).source_size == (64, 48)
