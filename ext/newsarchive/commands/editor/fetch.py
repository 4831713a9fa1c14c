"""Getting a linked page and reading what a card needs from it.

The page is fetched by the commands' HTTP client (:mod:`newsarchive.commands.httpclient`:
a deadline for the whole fetch, redirects followed and recorded, gzip, http(s) only); only
the beginning of a large page is read (the metadata is in its ``<head>``), and only when
it is HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from newsarchive.commands.httpclient import FetchError, Response, get
from newsarchive.core.sources import one_line
from newsarchive.core.urls import is_http_url

__all__ = ["FetchError", "Metadata", "Response", "fetch", "is_html", "read_metadata"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 2 * 1024 * 1024


def fetch(
    url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES
) -> Response:
    """GET ``url``: the beginning of its body when it is HTML (or of no stated type)."""
    return get(
        url,
        purpose="link preview",
        accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        headers={"Accept-Language": "ja,en;q=0.8"},
        timeout=timeout,
        max_bytes=max_bytes,
        cut=True,
        reads=lambda content_type: not content_type or content_type in HTML_TYPES,
        timeout_option="--timeout",
    )


def is_html(response: Response) -> bool:
    """An HTML page, by its type, or by its first character when it states none."""
    return response.content_type in HTML_TYPES or (
        not response.content_type and response.body.lstrip()[:1] == b"<"
    )


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
