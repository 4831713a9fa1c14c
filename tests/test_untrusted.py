"""Nothing in a page reads the build machine's files or URLs: build and check agree.

A marker file outside the book stands for the build machine's files (``/etc/passwd``);
a server on 127.0.0.1 counts requests. A page names both in every way MyST and rST allow;
the built site must hold neither the marker nor any request, and ``newsarchive check``
must refuse the same lines as the build.
"""

from __future__ import annotations

import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest
from conftest import ROOTS, build_srcdir
from newsarchive.commands.editor.check import check_paths

MARKER = "HOST-SECRET-3141592653"


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = f"{MARKER},x\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def counting_server():
    requests: list[str] = []
    handler = type("Handler", (_Counting,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


def hostile_page(secret: Path, url: str) -> list[tuple[str, str]]:
    """(source text, what it is) for every way of reading ``secret`` or ``url``."""
    relative = f"../../{secret.parent.name}/{secret.name}"
    return [
        (f":::{{include}} {relative}\n:::", "include"),
        (f":::{{literalinclude}} {secret}\n:::", "literalinclude"),
        (f":::{{raw}} html\n:file: {relative}\n:::", "raw :file:"),
        (f":::{{raw}} html\n:url: {url}/raw\n:::", "raw :url:"),
        (f":::{{csv-table}}\n:file: {relative}\n:::", "csv-table :file:"),
        (f":::{{csv-table}}\n:url: {url}/csv\n:::", "csv-table :url:"),
        (f"![host file]({relative})", "markdown image"),
        (f":::{{figure}} {relative}\nA caption.\n:::", "figure"),
        (f"See [the file]({relative}).", "link to a local file"),
        (f"See {{download}}`{relative}`.", "download role"),
        (f"```{{eval-rst}}\nText.\n\n.. include:: {secret} <-\n```", "rST include"),
        (
            f"::::{{note}}\n:::{{literalinclude}} {relative} <-\n:::\n::::",
            "nested literalinclude",
        ),
        (
            f"::::{{link}} https://example.com/card\n:title: A card\n\n"
            f":::{{literalinclude}} {secret} <-\n:::\n::::",
            "literalinclude in a card",
        ),
    ]


def test_no_page_reads_a_host_file_or_url_and_check_agrees(tmp_path, counting_server):
    url, requests = counting_server
    secret = tmp_path / "host" / "hostname.txt"
    secret.parent.mkdir()
    secret.write_text(f"{MARKER}\n", encoding="utf-8")
    srcdir = tmp_path / "book"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    page = srcdir / "issues" / "0002.md"
    text = page.read_text(encoding="utf-8").rstrip("\n")
    expected: dict[int, str] = {}
    for source, what in hostile_page(secret, url):
        text += "\n\n"
        line = text.count("\n") + 1
        # Nested constructs are reported where they stand (a line marked "<-"), not at
        # the directive around them.
        rows = source.split("\n")
        offset = next((i for i, row in enumerate(rows) if row.endswith(" <-")), 0)
        expected[line + offset] = what
        source = source.replace(" <-", "")
        text += source
    page.write_text(text + "\n", encoding="utf-8")

    app = build_srcdir(srcdir)
    warnings = app._warning.getvalue()
    built_lines = {
        int(m[1]): m[2]
        for m in re.finditer(
            r"issues/0002\.md:(\d+): WARNING: (.*?) \[newsarchive\.untrusted\]", warnings
        )
    }
    # Every construct refused, with file and line.
    assert len(built_lines) == len(expected), (expected, warnings)
    # Nothing read, nothing copied, nothing fetched.
    assert requests == []
    for output in Path(app.outdir).rglob("*"):
        if output.is_file():
            assert MARKER.encode() not in output.read_bytes(), output
            assert output.name != secret.name, output
    # Check refuses the same lines with the same words, and says nothing else of them.
    problems = check_paths([page], None)
    assert {p.line for p in problems} == set(expected), problems
    checked = {p.line: p.message for p in problems}
    # MyST numbers the lines of a directive's content one too far (the build's only
    # difference); the check gives the line as written.
    nested = next(line for line, what in expected.items() if what == "nested literalinclude")
    checked[nested + 1] = checked.pop(nested)
    assert checked == built_lines


def test_raw_and_csv_table_without_a_file_still_work(tmp_path):
    srcdir = tmp_path / "book"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    page = srcdir / "issues" / "0001.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + '\n:::{csv-table}\n:header: "a", "b"\n\n1, 2\n:::\n\n:::{raw} html\n<b>x</b>\n:::\n'
        + "\n![remote](https://img.example.com/x.png)\n",
        encoding="utf-8",
    )
    app = build_srcdir(srcdir)
    assert "untrusted" not in app._warning.getvalue()
    html = (Path(app.outdir) / "issues" / "0001.html").read_text(encoding="utf-8")
    assert "<td><p>2</p></td>" in html
    from bs4 import BeautifulSoup

    text = BeautifulSoup(html, "html.parser").get_text()
    assert "<b>x</b>" in text and "<b>x</b>" not in html  # raw HTML shown as text, as before
    assert 'src="https://img.example.com/x.png"' in html
    assert not [p for p in check_paths([page], None) if "refused" in p.message]
