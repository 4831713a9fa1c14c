"""The commands' one HTTP client: ``add``, ``thumbs`` and ``import-feed`` fetch through it.

:func:`get` fetches one URL and either returns a :class:`Response` or raises a
:class:`FetchError` naming the URL and saying why, in words (never a traceback):

- **a deadline for the whole request** (connection, redirects, headers and body). A socket
  timeout bounds each read, not the request: a server that sends one byte of its headers a
  second never times out. Here a timer shuts every socket of the request down at the
  deadline, so whatever read is waiting ends at once; :class:`Deadline` then tells a
  timeout from a server that hung up;
- **a size limit** on the body as decoded: the caller keeps its beginning (a page's
  metadata is in its ``<head>``) or refuses it (an image cut in half is no image);
- **gzip and deflate**, asked for and decoded as the body arrives, never beyond the size
  limit (a compressed bomb stops there); any other encoding is refused;
- **redirects**: at most :data:`MAX_REDIRECTS`, to http(s) only, each hop recorded;
- **one user agent** (:data:`USER_AGENT`, with what the command fetches for);
- **IRIs** (``https://ja.wikipedia.org/wiki/機械学習``) sent as URIs, as HTTP requires;
- **a body only for the content types the caller reads** (a PDF is not downloaded to
  learn that it is not a page);
- **error answers kept for the caller**: their headers and the first
  :data:`ERROR_BODY_BYTES` of their body, so a command can tell a bot check
  (:func:`bot_check`: Cloudflare's "Just a moment..." page) from a plain refusal.

Built on the standard library's ``urllib.request`` and ``http.client`` (header limits,
chunked bodies, redirects). urllib3, which Sphinx's own dependencies bring, was weighed:
its timeouts bound each socket operation too, so the deadline below would be needed
either way, hooked into its connection pool's internals instead of urllib's documented
handler classes; it would save only the few lines of decoding.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import re
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from newsarchive import __version__
from newsarchive.core.urls import iri_to_uri, is_http_url

#: Every request says who asks, and (after the ``;``) for what.
USER_AGENT = f"newsarchive/{__version__} (Weekly Kaggle News archive; {{purpose}})"
MAX_REDIRECTS = 10
ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 64 * 1024
#: What is kept of an error answer's body (decoded): enough to recognize a challenge page.
ERROR_BODY_BYTES = 64 * 1024

#: What reading an answer raises besides urllib's errors: resets and refused connections
#: (OSError), a bad status line, over-long or too many headers, a body shorter than its
#: Content-Length or a broken chunk (http.client.HTTPException), bad URLs (ValueError), a
#: corrupt compressed body (zlib.error).
ANSWER_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    http.client.HTTPException,
    ValueError,
    zlib.error,
)


class FetchError(Exception):
    """A URL that could not be fetched.

    ``str()`` is a sentence naming the URL (for a command that fetches one URL);
    ``reason`` says the same without it (for a list of failures already keyed by URL).
    ``status`` is the HTTP status when the server answered with an error; ``transient``
    when trying again later may work (a timeout, a reset, a 503), not when it cannot (a
    404, a redirect to ``ftp:``, a body over the limit). An error answer also keeps its
    ``headers`` (names in lower case) and the beginning of its ``body`` (decoded, at most
    :data:`ERROR_BODY_BYTES`; b"" when it could not be read).
    """

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        transient: bool,
        status: int | None = None,
        sentence: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> None:
        super().__init__(sentence or f"{url} {reason}")
        self.url = url
        self.reason = reason
        self.transient = transient
        self.status = status
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.body = body


@dataclass
class Response:
    url: str  #: after redirects
    status: int
    content_type: str  #: media type only, lower case ("" when the server gave none)
    charset: str | None
    body: bytes  #: decoded; b"" when the caller does not read this content type
    redirects: list[tuple[int, str]] = field(default_factory=list)  #: (status, new URL)
    truncated: bool = False  #: the body was longer than the size limit (``cut=True``)


def get(
    url: str,
    *,
    purpose: str,
    accept: str,
    timeout: float,
    max_bytes: int,
    cut: bool = False,
    reads: Callable[[str], bool] = lambda content_type: True,
    headers: dict[str, str] | None = None,
    timeout_option: str | None = None,
    size_option: str | None = None,
) -> Response:
    """GET ``url`` within ``timeout`` seconds; a :class:`FetchError` for anything but a
    readable answer.

    The body is read when ``reads(content type)`` is true (the type is "" when the server
    gives none), up to ``max_bytes`` once decoded: beyond that it is cut (``cut=True``,
    ``Response.truncated``) or refused. ``timeout_option`` and ``size_option`` name the
    command's options that set the limits, for the messages.
    """
    limits = _Limits(url, timeout, max_bytes, timeout_option, size_option)
    if not is_http_url(url):
        raise FetchError(
            url,
            "cannot be fetched: only http and https URLs are",
            transient=False,
            sentence=f"only http and https links can be fetched, not {url!r}",
        )
    try:
        address = iri_to_uri(url)
    except ValueError as error:  # a host IDNA cannot encode
        raise FetchError(url, f"is not a valid address ({error})", transient=False) from None
    request = urllib.request.Request(
        address,
        headers={
            "User-Agent": USER_AGENT.format(purpose=purpose),
            "Accept": accept,
            "Accept-Encoding": ACCEPT_ENCODING,
            **(headers or {}),
        },
    )
    redirects = _RecordingRedirects(url)
    with _opener_with_deadline(timeout, redirects) as (opener, deadline):
        try:
            with opener.open(request, timeout=timeout) as answer:
                return _answer(answer, redirects, deadline, limits, cut, reads)
        except urllib.error.HTTPError as error:
            where = f" (after redirects to {error.url})" if redirects.hops else ""
            transient = error.code >= 500 or error.code in {408, 425, 429}
            raise FetchError(
                url,
                f"{error.code} {error.reason}",
                transient=transient,
                status=error.code,
                sentence=f"{url} answered {error.code} {error.reason}{where}",
                headers={name.lower(): value for name, value in error.headers.items()},
                body=_error_body(error, deadline, limits),
            ) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError) or deadline.passed:
                raise limits.timed_out() from None
            raise FetchError(url, f"cannot be reached: {error.reason}", transient=True) from None
        except ANSWER_ERRORS as error:  # resets, malformed answers
            if isinstance(error, TimeoutError) or deadline.passed:
                raise limits.timed_out() from None
            raise FetchError(url, f"cannot be read: {_describe(error)}", transient=True) from None


@dataclass(frozen=True)
class _Limits:
    url: str
    timeout: float
    max_bytes: int
    timeout_option: str | None
    size_option: str | None

    def timed_out(self) -> FetchError:
        option = f" ({self.timeout_option})" if self.timeout_option else ""
        return FetchError(
            self.url,
            f"no answer within {self.timeout:g} s{option}",
            transient=True,
            sentence=f"{self.url} did not answer within {self.timeout:g} s{option}",
        )

    def too_large(self, size: int | None = None) -> FetchError:
        option = f" ({self.size_option})" if self.size_option else ""
        if size is None:
            reason = f"too large: more than {self.max_bytes:,} bytes{option}"
        else:
            reason = f"too large: {size:,} bytes, more than {self.max_bytes:,}{option}"
        return FetchError(self.url, reason, transient=False, sentence=f"{self.url} is {reason}")


def _describe(error: BaseException) -> str:
    """What went wrong, in words (some of http.client's errors have an empty message)."""
    return str(error).strip() or type(error).__name__


def _answer(
    answer: Any,
    redirects: _RecordingRedirects,
    deadline: Deadline,
    limits: _Limits,
    cut: bool,
    reads: Callable[[str], bool],
) -> Response:
    headers = answer.headers
    content_type = headers.get_content_type() if headers.get("Content-Type") else ""
    body, truncated = b"", False
    if reads(content_type):
        body, truncated = _read_body(answer, deadline, limits, cut)
    return Response(
        url=answer.geturl(),
        status=answer.status,
        content_type=content_type,
        charset=headers.get_content_charset(),
        body=body,
        redirects=redirects.hops,
        truncated=truncated,
    )


class _Decoder:
    """The body's ``Content-Encoding`` undone, chunk by chunk, at most ``limit`` bytes out."""

    def __init__(self, encoding: str, url: str) -> None:
        self.encoding = encoding
        if encoding in {"gzip", "x-gzip"}:  # a gzip header, or zlib's: told apart by zlib
            self._zlib: Any = zlib.decompressobj(32 + zlib.MAX_WBITS)
        elif encoding == "deflate":  # zlib-wrapped as the standard says, or raw as some send
            self._zlib = None
        else:
            raise FetchError(
                url, f"sent in {encoding!r} encoding, which cannot be read", transient=False
            )

    def decode(self, data: bytes, limit: int) -> bytes:
        if self._zlib is None:
            wrapped = len(data) >= 2 and (data[0] * 256 + data[1]) % 31 == 0 and data[0] & 15 == 8
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        return bytes(self._zlib.decompress(data, limit))


def _decoder(headers: Any, url: str) -> _Decoder | None:
    encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
    return None if encoding in {"", "identity"} else _Decoder(encoding, url)


def _read_body(answer: Any, deadline: Deadline, limits: _Limits, cut: bool) -> tuple[bytes, bool]:
    """At most ``max_bytes`` of the body (decoded), giving up at the deadline even on a
    trickling server; a body over the limit is cut, or refused without reading it all."""
    decoder = _decoder(answer.headers, limits.url)
    length = answer.headers.get("Content-Length", "")
    if not cut and decoder is None and length.isdigit() and int(length) > limits.max_bytes:
        raise limits.too_large(int(length))
    chunks: list[bytes] = []
    size = 0
    while size <= limits.max_bytes:
        raw = answer.read1(_CHUNK)
        if deadline.passed:
            raise limits.timed_out()
        if not raw:
            if missing := getattr(answer, "length", None):  # Content-Length not reached
                raise FetchError(
                    limits.url,
                    f"cannot be read: the answer was cut short ({missing:,} bytes missing)",
                    transient=True,
                )
            break
        chunk = decoder.decode(raw, limits.max_bytes + 1 - size) if decoder else raw
        chunks.append(chunk)
        size += len(chunk)
    if size > limits.max_bytes and not cut:
        raise limits.too_large()
    return b"".join(chunks)[: limits.max_bytes], size > limits.max_bytes


def _error_body(error: urllib.error.HTTPError, deadline: Deadline, limits: _Limits) -> bytes:
    """The beginning of an error answer's body, decoded; b"" when it cannot be read."""
    if error.fp is None:
        return b""
    kept = dataclasses.replace(limits, max_bytes=min(limits.max_bytes, ERROR_BODY_BYTES))
    try:
        body, _ = _read_body(error, deadline, kept, cut=True)
    except FetchError:  # cut short, or in an encoding that cannot be read
        return b""
    except ANSWER_ERRORS:
        return b""
    return body


def bot_check(headers: Mapping[str, str], body: bytes) -> str | None:
    """What kind of bot check an answer is (a page a browser must run scripts on before
    the site answers), or None. Cloudflare's says so in a header (``cf-mitigated:
    challenge``); its page ("Just a moment...") loads ``/cdn-cgi/challenge-platform``."""
    mitigated = next((v for k, v in headers.items() if k.lower() == "cf-mitigated"), "")
    # A challenge page is small; its markers are near the top.
    text = body[:ERROR_BODY_BYTES].decode("utf-8", "replace")
    if (
        mitigated.strip().lower() == "challenge"
        or "/cdn-cgi/challenge-platform" in text
        or re.search(r"<title>\s*Just a moment\.\.\.\s*</title>", text, re.IGNORECASE)
    ):
        return 'Cloudflare\'s "Just a moment..." challenge'
    return None


class _RecordingRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only, remembering each hop."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, url: str) -> None:
        self.url = url
        self.hops: list[tuple[int, str]] = []

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        target = urljoin(req.full_url, newurl)
        if not is_http_url(target):
            raise FetchError(
                self.url, f"redirects to {target!r}, which is not http(s)", transient=False
            )
        self.hops.append((code, target))
        return super().redirect_request(req, fp, code, msg, headers, target)


# -- the deadline ----------------------------------------------------------------------------
class Deadline:
    """Shuts down the sockets registered with it when ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._expired = False
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True
        self._timer.start()

    @property
    def remaining(self) -> float:
        return self.at - time.monotonic()

    @property
    def passed(self) -> bool:
        return self._expired or self.remaining <= 0

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self._expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], deadline: Deadline) -> Any:
    class Watched(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            if deadline.passed:
                raise TimeoutError("the deadline passed before connecting")
            self.timeout = deadline.remaining
            super().connect()
            deadline.watch(self.sock)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self._connection = _watched(http.client.HTTPConnection, deadline)

    def http_open(self, req: Any) -> Any:
        return self.do_open(self._connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self._connection = _watched(http.client.HTTPSConnection, deadline)

    def https_open(self, req: Any) -> Any:
        return self.do_open(self._connection, req)


@contextlib.contextmanager
def _opener_with_deadline(
    seconds: float, *handlers: urllib.request.BaseHandler
) -> Iterator[tuple[urllib.request.OpenerDirector, Deadline]]:
    """An opener whose requests all end by ``seconds`` from now, and its deadline."""
    deadline = Deadline(seconds)
    try:
        yield (
            urllib.request.build_opener(*handlers, _HTTPHandler(deadline), _HTTPSHandler(deadline)),
            deadline,
        )
    finally:
        deadline.cancel()
