"""A deadline for a whole HTTP request (connection, redirects, headers and body), for urllib.

A socket timeout bounds each read, not the request: a server that sends one byte of its
headers a second never times out. Here a timer shuts every socket of the request down at
the deadline, so whatever read is waiting ends at once; ``Deadline.passed`` then tells a
timeout from a server that hung up. Also the one list of what a malformed or cut answer
raises (``ANSWER_ERRORS``), so that callers report it instead of printing a traceback.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

#: What reading an answer raises besides urllib's errors: resets and refused connections
#: (OSError), a bad status line, over-long or too many headers, a body shorter than its
#: Content-Length or a broken chunk (http.client.HTTPException), bad URLs (ValueError).
ANSWER_ERRORS: tuple[type[BaseException], ...] = (OSError, http.client.HTTPException, ValueError)


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
def opener_with_deadline(
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
