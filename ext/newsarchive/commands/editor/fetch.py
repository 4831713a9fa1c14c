"""Getting a linked page over HTTP and reading what a card needs from it.

The client is the standard library's: a deadline for the whole fetch (connection,
redirects and body), a size limit (only the beginning of a large page is read: the
metadata is in its ``<head>``), redirects followed and recorded, http(s) only.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from newsarchive import __version__
from newsarchive.commands.deadline import ANSWER_ERRORS, Deadline, opener_with_deadline
from newsarchive.core.sources import one_line
from newsarchive.core.urls import iri_to_uri, is_http_url

USER_AGENT = f"newsarchive/{__version__} (Weekly Kaggle News archive; link preview)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 10
_CHUNK = 64 * 1024
_READ_ERRORS: tuple[type[BaseException], ...] = (*ANSWER_ERRORS, zlib.error)


class FetchError(Exception):
    """The page could not be fetched; the message says why, for the editor."""


@dataclass
class Response:
    url: str  #: after redirects
    status: int
    content_type: str  #: media type only, lower case ("" when the server gave none)
    charset: str | None
    body: bytes
    redirects: list[tuple[int, str]] = field(default_factory=list)  #: (status, new URL)
    truncated: bool = False  #: the body was longer than the size limit

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES or (
            not self.content_type and self.body.lstrip()[:1] == b"<"
        )


class _RecordingRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only, remembering each hop."""

    max_redirections = MAX_REDIRECTS

    def __init__(self) -> None:
        self.hops: list[tuple[int, str]] = []

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        target = urljoin(req.full_url, newurl)
        if not is_http_url(target):
            raise FetchError(f"{req.full_url} redirects to {target!r}, which is not http(s)")
        self.hops.append((code, target))
        return super().redirect_request(req, fp, code, msg, headers, target)


def fetch(
    url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES
) -> Response:
    """GET ``url``; a :class:`FetchError` for anything but a readable answer."""
    if not is_http_url(url):
        raise FetchError(f"only http and https links can be fetched, not {url!r}")
    redirects = _RecordingRedirects()
    request = urllib.request.Request(
        iri_to_uri(url),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            "Accept-Language": "ja,en;q=0.8",
            "Accept-Encoding": "identity",
        },
    )
    with opener_with_deadline(timeout, redirects) as (opener, deadline):
        try:
            return _answer(opener, request, redirects, deadline, max_bytes, timeout, url)
        except urllib.error.HTTPError as error:
            where = f" (after redirects to {error.url})" if redirects.hops else ""
            raise FetchError(f"{url} answered {error.code} {error.reason}{where}") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError) or deadline.passed:
                raise _timed_out(url, timeout) from None
            raise FetchError(f"{url} cannot be reached: {error.reason}") from None
        except _READ_ERRORS as error:  # resets, malformed answers
            if isinstance(error, TimeoutError) or deadline.passed:
                raise _timed_out(url, timeout) from None
            raise FetchError(f"{url} cannot be read: {_describe(error)}") from None


def _describe(error: BaseException) -> str:
    """What went wrong, in words (some of http.client's errors have an empty message)."""
    return str(error).strip() or type(error).__name__


def _answer(
    opener: urllib.request.OpenerDirector,
    request: urllib.request.Request,
    redirects: _RecordingRedirects,
    deadline: Deadline,
    max_bytes: int,
    timeout: float,
    url: str,
) -> Response:
    with opener.open(request, timeout=timeout) as answer:
        headers: Message = answer.headers
        content_type = headers.get_content_type() if headers.get("Content-Type") else ""
        if content_type and content_type not in HTML_TYPES:
            body, truncated = b"", False  # nothing to read in a PDF or an image
        else:
            body, truncated = _read_body(answer, headers, deadline, max_bytes, timeout, url)
        return Response(
            url=answer.geturl(),
            status=answer.status,
            content_type=content_type,
            charset=headers.get_content_charset(),
            body=body,
            redirects=redirects.hops,
            truncated=truncated,
        )


def _timed_out(url: str, timeout: float) -> FetchError:
    return FetchError(f"{url} did not answer within {timeout:g} s (--timeout)")


def _decoder(headers: Message, url: str) -> zlib._Decompress | None:
    """A decompressor for servers that compress despite ``Accept-Encoding: identity``."""
    encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding in {"", "identity"}:
        return None
    if encoding in {"gzip", "x-gzip", "deflate"}:
        return zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib header, detected
    raise FetchError(f"{url} answered in {encoding!r} encoding, which cannot be read")


def _read_body(
    answer: object, headers: Message, deadline: Deadline, max_bytes: int, timeout: float, url: str
) -> tuple[bytes, bool]:
    """Read at most ``max_bytes`` (decoded), giving up at ``deadline`` even on a trickling
    server."""
    decoder = _decoder(headers, url)
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        raw = answer.read1(_CHUNK)  # type: ignore[attr-defined]
        if deadline.passed:
            raise _timed_out(url, timeout)
        if not raw:
            if missing := getattr(answer, "length", None):  # Content-Length not reached
                raise FetchError(
                    f"{url} cannot be read: the answer was cut short ({missing} bytes missing)"
                )
            break
        chunk = decoder.decompress(raw, max_bytes + 1 - size) if decoder else raw
        chunks.append(chunk)
        size += len(chunk)
    body = b"".join(chunks)
    return body[:max_bytes], size > max_bytes


# -- what a card needs from the page -----------------------------------------------------
@dataclass
class Metadata:
    title: str = ""
    excerpt: str = ""
    image: str = ""
    sources: dict[str, str] = field(default_factory=dict)  #: field -> where it was found


_TITLE_KEYS = ("og:title", "twitter:title")
_EXCERPT_KEYS = ("og:description", "twitter:description", "description")
_IMAGE_KEYS = (
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
)


def read_metadata(body: bytes, url: str, charset: str | None = None) -> Metadata:
    """Title, excerpt and image from Open Graph, then Twitter, then ``<title>`` and the
    meta description. Values are on one line; the image is absolute and http(s)."""
    soup = BeautifulSoup(body, "html.parser", from_encoding=charset)
    meta = _meta_values(soup)
    found = Metadata()
    for key in _TITLE_KEYS:
        if meta.get(key):
            found.title, found.sources["title"] = meta[key], key
            break
    else:
        if soup.title and (title := one_line(soup.title.get_text())):
            found.title, found.sources["title"] = title, "<title>"
    for key in _EXCERPT_KEYS:
        if meta.get(key):
            found.excerpt, found.sources["excerpt"] = meta[key], key
            break
    for key in _IMAGE_KEYS:
        image = urljoin(url, meta.get(key, "")) if meta.get(key) else ""
        if is_http_url(image) and not any(ch.isspace() for ch in image):
            found.image, found.sources["image"] = image, key
            break
    return found


def _meta_values(soup: BeautifulSoup) -> dict[str, str]:
    """``property``/``name`` -> ``content`` of the page's meta tags (first one wins)."""
    values: dict[str, str] = {}
    for element in soup.find_all("meta"):
        content = one_line(str(element.get("content") or ""))
        for attribute in ("property", "name"):
            key = str(element.get(attribute) or "").strip().lower()
            if key and content:
                values.setdefault(key, content)
    return values
