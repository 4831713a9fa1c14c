"""Misbehaving servers on 127.0.0.1 (raw sockets): a clear message per URL, never a traceback.

Each path of the server is one way an answer goes wrong: a status line that is not HTTP,
a header line longer than http.client accepts, a body shorter than its Content-Length,
a broken chunk, a connection closed before any answer, and headers sent one byte at a
time (which a per-read timeout never ends; the whole-request deadline does).
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
from pathlib import Path

import pytest
from newsarchive.commands import thumbs
from newsarchive.commands.cli import main
from newsarchive.core.sources import read_page
from PIL import Image


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png()
PAGE = b"<html><head><meta property='og:title' content='Fine page'></head></html>"


def _answer(status: bytes, headers: list[bytes], body: bytes) -> bytes:
    return status + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body


def behaviour(path: str, connection: socket.socket, stop: threading.Event) -> None:
    kind = "image/png" if path.endswith(".png") else "text/html"
    body = PNG if kind == "image/png" else PAGE
    if path.startswith("/fine"):
        connection.sendall(
            _answer(
                b"HTTP/1.1 200 OK",
                [b"Content-Type: " + kind.encode(), b"Content-Length: %d" % len(body)],
                body,
            )
        )
    elif path.startswith("/bad-status"):
        connection.sendall(b"ICY 200 OK but not HTTP\r\n\r\n")
    elif path.startswith("/long-line"):
        connection.sendall(b"HTTP/1.1 200 OK\r\nX-Filler: " + b"a" * 70_000 + b"\r\n\r\n")
    elif path.startswith("/incomplete"):
        head = [b"Content-Type: " + kind.encode(), b"Content-Length: %d" % len(body)]
        connection.sendall(_answer(b"HTTP/1.1 200 OK", head, body[: len(body) // 2]))
    elif path.startswith("/bad-chunk"):
        head = [b"Content-Type: " + kind.encode(), b"Transfer-Encoding: chunked"]
        connection.sendall(_answer(b"HTTP/1.1 200 OK", head, b"zz\r\nnot a chunk\r\n"))
    elif path.startswith("/hang-up"):
        pass  # closed without a word
    elif path.startswith("/trickle"):
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"." * 10_000:
            if stop.wait(0.2):
                return
            connection.sendall(bytes([byte]))


@pytest.fixture(scope="module")
def bad_server():
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve(connection: socket.socket) -> None:
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                data = connection.recv(4096)
                if not data:
                    return
                request += data
            path = request.split(b" ", 2)[1].decode("ascii")
            with contextlib.suppress(OSError):  # the client gave up: that is the point
                behaviour(path, connection, stop)

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()


MALFORMED = {
    "/bad-status": "cannot be read: ",
    "/long-line": "cannot be read: got more than 65536 bytes when reading header line",
    "/incomplete": "cannot be read: the answer was cut short (",
    "/bad-chunk": "cannot be read: ",
    "/hang-up": "cannot be read: Remote end closed connection without response",
}


@pytest.mark.parametrize("path", sorted(MALFORMED))
def test_add_names_a_malformed_answer_and_writes_nothing(bad_server, archive, capsys, path):
    page = archive / "issues/0002.md"
    before = page.read_bytes()
    status = main(["add", "--timeout", "10", f"{bad_server}{path}"])
    err = capsys.readouterr().err
    assert status == 1
    assert f"error: {bad_server}{path} {MALFORMED[path]}" in err
    assert "Traceback" not in err and "nothing written" in err
    assert page.read_bytes() == before


def test_add_gives_up_on_trickling_headers_at_the_deadline(bad_server, archive, capsys):
    # The server would send its headers for 30 minutes; each byte comes well within any
    # per-read timeout, so only a whole-request deadline ends the request.
    status = main(["add", "--timeout", "1", f"{bad_server}/trickle"])
    err = capsys.readouterr().err
    assert status == 1
    assert f"{bad_server}/trickle did not answer within 1 s (--timeout)" in err


def test_a_fine_answer_still_works(bad_server, archive, capsys):
    assert main(["add", f"{bad_server}/fine"]) == 0
    assert read_page(archive / "issues/0002.md").cards[-1].options["title"] == "Fine page"


def test_thumbs_go_on_past_bad_hosts_and_retry_what_may_work_later(bad_server, tmp_path):
    bad = [f"{bad_server}{path}/x.png" for path in (*MALFORMED, "/trickle")]
    good = f"{bad_server}/fine/x.png"
    manifest = thumbs.Manifest(tmp_path / "manifest.json")
    # The good image first: the host has answered, so it is never given up in this run.
    outcome = thumbs.mirror([good, *bad], manifest, jobs=1, timeout=1, progress=False)
    assert outcome.mirrored == [good]
    assert sorted(outcome.failed) == sorted(bad)
    # None of these is the image's fault: each is tried again by the next run.
    assert all(manifest.failed[url]["permanent"] is False for url in bad)
    assert "cut short" in outcome.failed[f"{bad_server}/incomplete/x.png"]
    assert "no answer within 1 s" in outcome.failed[f"{bad_server}/trickle/x.png"]
    saved = thumbs.Manifest.load(tmp_path / "manifest.json")
    assert saved.file_of(good) and (Path(saved.directory) / saved.file_of(good)).is_file()
