"""A static server on 127.0.0.1 that sends text files gzipped, as a web host would.

It counts the bytes it sends (headers and bodies), so a benchmark can tell how much a
page downloaded before something appeared.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import mimetypes
import threading
from pathlib import Path

#: Sent gzipped (level 6, like most hosts); everything else (images, pre-compressed
#: files such as a Pagefind bundle's) as it is.
COMPRESSED = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt"})


class ByteCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.sent = 0
        self.log: list[tuple[str, int]] = []

    def add(self, count: int, path: str) -> None:
        with self._lock:
            self.sent += count
            self.log.append((path, count))

    def sent_for(self, paths: list[str]) -> int:
        """The bytes sent for these paths (a query string aside), every time each was asked for."""
        wanted = set(paths)
        with self._lock:
            return sum(count for path, count in self.log if path.split("?")[0] in wanted)

    def reset(self) -> None:
        with self._lock:
            self.sent = 0
            self.log = []


class _Handler(http.server.SimpleHTTPRequestHandler):
    counter: ByteCounter
    cache: dict[Path, bytes]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".wasm":
            kind = "application/wasm"
        gzipped = path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            if path not in self.cache:
                self.cache[path] = gzip.compress(body, 6, mtime=0)
            body = self.cache[path]
        # Cached for ten minutes, as static hosts commonly do (GitHub Pages among them).
        headers = [
            ("Content-Type", kind),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "max-age=600"),
        ]
        if gzipped:
            headers.append(("Content-Encoding", "gzip"))
        self.send_response(200)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed while this file was on its way: not sent
        self.counter.add(len(body) + sum(len(n) + len(v) + 4 for n, v in headers) + 40, self.path)


def serve_gzipped(directory: Path) -> tuple[str, ByteCounter, http.server.ThreadingHTTPServer]:
    """Start the server: (base URL, its byte counter, the server to shut down)."""
    counter = ByteCounter()
    handler = type("Handler", (_Handler,), {"counter": counter, "cache": {}})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", counter, server
