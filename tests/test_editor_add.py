"""``newsarchive add URL`` against real HTTP servers on 127.0.0.1, started by the tests."""

from __future__ import annotations

import gzip
import http.server
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from newsarchive.commands.cli import main
from newsarchive.core.sources import card_text, read_page

FULL_PAGE = b"""<!doctype html><html><head>
<meta charset="utf-8">
<title>Plain title (not used)</title>
<meta property="og:title" content="Kaggle Days &amp; the &quot;Grandmasters&quot;">
<meta property="og:description" content="Talks   from
 the event.">
<meta property="og:image" content="/images/card.png">
<meta name="twitter:title" content="Twitter title (not used)">
<meta name="description" content="Meta description (not used)">
</head><body><p>Hello</p></body></html>"""

TITLE_ONLY = "<html><head><title>\n  日本語の  タイトル\n</title></head><body>x</body></html>"

#: Quotes, backslashes, HTML, newlines, tabs and control characters in every value.
HOSTILE_TITLE = "He said \"hi\" \\ C:\\path\\n <b>bold</b>\n:::\n:title: fake & 'single'\t{{ x }}"
HOSTILE_PAGE = f"""<html><head>
<meta property="og:title" content="{HOSTILE_TITLE.replace("&", "&amp;").replace('"', "&quot;")}">
<meta property="og:description" content="&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;\x07
second line # not a comment">
<meta property="og:image" content="javascript:alert(1)">
</head></html>"""
HOSTILE_TITLE_ONE_LINE = " ".join(HOSTILE_TITLE.split())

HUGE_HEAD = b"<html><head><meta property='og:title' content='Big page'></head><body>"


class Handler(http.server.BaseHTTPRequestHandler):
    """A few pages, one per path, each one scenario."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def answer(self, status: int, body: bytes, content_type: str = "text/html") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, status: int, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        route = self.path.split("?")[0]
        # /wiki/機械学習 (an IRI) comes percent-encoded, as HTTP sends it.
        if route in {"/full", "/wiki/%E6%A9%9F%E6%A2%B0%E5%AD%A6%E7%BF%92"}:
            self.answer(200, FULL_PAGE, "text/html; charset=utf-8")
        elif route == "/title-only":
            self.answer(200, TITLE_ONLY.encode("shift_jis"), "text/html; charset=shift_jis")
        elif route == "/no-meta":
            self.answer(200, b"<html><body><p>nothing here</p></body></html>")
        elif route == "/moved":
            self.redirect(301, "/hop?utm_source=newsletter")
        elif route == "/hop":
            self.redirect(302, "/full?id=7&utm_medium=email")
        elif route == "/loop":
            self.redirect(302, "/loop")
        elif route == "/to-ftp":
            self.redirect(302, "ftp://127.0.0.1/file")
        elif route == "/hostile":
            self.answer(200, HOSTILE_PAGE.encode(), "text/html; charset=utf-8")
        elif route == "/gzip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            self.wfile.write(gzip.compress(FULL_PAGE))
        elif route == "/gzip-bomb":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            self.wfile.write(gzip.compress(HUGE_HEAD + b" " * 20_000_000, compresslevel=1))
        elif route == "/paper.pdf":
            self.answer(200, b"%PDF-1.4 not html", "application/pdf")
        elif route == "/slow":
            time.sleep(3)
            self.answer(200, FULL_PAGE)
        elif route == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"<!-- still here -->")
                self.wfile.flush()
                time.sleep(0.1)
        elif route == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(HUGE_HEAD)
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            for _ in range(200):  # about 13 MB, far over the limit
                self.wfile.write(chunk)
        else:
            self.answer(404, b"<html><title>Not found</title></html>")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hung up on a slow or huge answer: that is the point


@pytest.fixture(scope="module")
def server():
    httpd = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def add(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["add", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def last_card(path: str = "issues/0002.md"):
    return read_page(Path(path)).cards[-1]


def test_full_open_graph(server, archive, capsys):
    status, out, err = add(capsys, f"{server}/full?utm_source=x&id=3&fbclid=abc")
    assert status == 0, err
    card = last_card()
    assert card.url == f"{server}/full?id=3"
    assert card.options == {
        "title": 'Kaggle Days & the "Grandmasters"',
        "image": f"{server}/images/card.png",
        "site": "127.0.0.1",
        "excerpt": "Talks from the event.",
    }
    assert card.body == ""
    assert f"issues/0002.md:{card.line}: card added for {server}/full?id=3" in out
    assert "removed tracking parameters: utm_source, fbclid" in out
    assert "title from og:title" in out
    assert err == ""


def test_only_a_title_element(server, archive, capsys):
    status, _, err = add(capsys, f"{server}/title-only")
    assert status == 0
    assert last_card().options == {"title": "日本語の タイトル", "site": "127.0.0.1"}
    assert "no excerpt, image found; fill in by hand" in err


def test_no_metadata_writes_what_is_known_and_lists_the_gaps(server, archive, capsys):
    status, _, err = add(capsys, f"{server}/no-meta")
    assert status == 0
    card = last_card()
    assert card.url == f"{server}/no-meta"
    assert card.options == {"title": "", "site": "127.0.0.1"}
    assert "no title, excerpt, image found" in err
    assert "title is required" in err
    assert main(["check"]) == 1  # the missing title is not forgotten
    assert "link card has no :title: (required)" in capsys.readouterr().out


def test_title_given_by_the_editor(server, archive, capsys):
    status, out, _ = add(capsys, "--title", "My own title", f"{server}/full")
    assert status == 0
    assert "title from --title" in out
    assert last_card().options["title"] == "My own title"


def test_redirects_are_followed_reported_and_cleaned(server, archive, capsys):
    status, out, _ = add(capsys, f"{server}/moved")
    assert status == 0
    assert f"redirected (301) to {server}/hop?utm_source=newsletter" in out
    assert f"redirected (302) to {server}/full?id=7&utm_medium=email" in out
    assert last_card().url == f"{server}/full?id=7"
    assert last_card().options["title"] == 'Kaggle Days & the "Grandmasters"'


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "answered 404 Not Found"),
        ("/loop", "answered 302"),
        ("/to-ftp", "which is not http(s)"),
    ],
)
def test_http_errors_write_nothing(server, archive, capsys, path, message):
    before = Path("issues/0002.md").read_text(encoding="utf-8")
    status, out, err = add(capsys, f"{server}{path}")
    assert status == 1
    assert message in err
    assert "nothing written" in err and "--offline" in err
    assert out == ""
    assert Path("issues/0002.md").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("path", ["/slow", "/trickle"])
def test_timeout(server, archive, capsys, path):
    """Both servers finish their answer after 3 s: an answer read whole would be a card, so
    the message is what shows the 1 s deadline ended the request (no clock in the test)."""
    status, _, err = add(capsys, "--timeout", "1", f"{server}{path}")
    assert status == 1
    assert "did not answer within 1 s" in err


def test_unreachable_server(archive, capsys):
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    status, _, err = add(capsys, "--timeout", "1", f"http://127.0.0.1:{port}/")
    assert status == 1
    assert "cannot be reached" in err


def test_huge_body_reads_only_the_beginning(server, archive, capsys):
    status, _, err = add(capsys, "--max-bytes", "100000", f"{server}/huge")
    assert status == 0
    assert last_card().options["title"] == "Big page"
    assert "larger than 100000 bytes; only its beginning was read" in err


def test_compressed_answer(server, archive, capsys):
    status, _, _ = add(capsys, f"{server}/gzip")
    assert status == 0
    assert last_card().options["title"] == 'Kaggle Days & the "Grandmasters"'


def test_compressed_bomb_stops_at_the_size_limit(server, archive, capsys):
    status, _, err = add(capsys, "--max-bytes", "100000", f"{server}/gzip-bomb")
    assert status == 0
    assert last_card().options["title"] == "Big page"
    assert "larger than 100000 bytes" in err


def test_non_html_answer(server, archive, capsys):
    status, _, err = add(capsys, "--title", "A paper", f"{server}/paper.pdf")
    assert status == 0
    assert last_card().options == {"title": "A paper", "site": "127.0.0.1"}
    assert "the answer is application/pdf, not an HTML page" in err


def test_hostile_values_parse_back_exactly(server, archive, capsys):
    status, _, err = add(capsys, f"{server}/hostile")
    assert status == 0
    card = last_card()
    assert card.options["title"] == HOSTILE_TITLE_ONE_LINE
    assert card.options["excerpt"] == ("</p><script>alert(1)</script> second line # not a comment")
    assert "image" not in card.options  # javascript: is never an image
    assert len(read_page(Path("issues/0002.md")).cards) == 1  # ":::" stayed inside the title
    assert "the title contains HTML" in err


def test_hostile_card_renders_exactly_in_sphinx(server, archive, capsys):
    """The written card, built by Sphinx, shows each value as the page gave it."""
    assert add(capsys, f"{server}/hostile")[0] == 0
    html = build(archive)
    card = html.select_one("#link-1")
    assert card.select_one(".wkn-card-title").get_text() == HOSTILE_TITLE_ONE_LINE
    assert card.select_one(".wkn-card-excerpt").get_text().startswith("</p><script>alert(1)")
    assert not [s for s in html.find_all("script") if "alert" in s.get_text()]


def test_already_in_the_archive_is_named(server, archive, capsys):
    page = Path("issues/0001.md")
    page.write_text(
        page.read_text(encoding="utf-8")
        + "\n"
        + card_text(f"{server}/full?id=7", title="Earlier")
        + "\n",
        encoding="utf-8",
    )
    status, _, err = add(capsys, f"{server}/moved")  # ends at /full?id=7
    assert status == 0
    assert f"{server}/full?id=7 is already in the archive: #1 (issues/0001.md:10)" in err


def test_already_in_this_issue_is_refused(server, archive, capsys):
    assert add(capsys, f"{server}/full")[0] == 0
    before = Path("issues/0002.md").read_text(encoding="utf-8")
    status, _, err = add(capsys, f"{server}/full?utm_campaign=again")
    assert status == 1
    assert "is already in this issue" in err
    assert Path("issues/0002.md").read_text(encoding="utf-8") == before


def test_issue_option_and_tags(server, archive, capsys):
    status, _, _ = add(capsys, "--issue", "1", "--tags", "NLP, 論文,nlp", f"{server}/full")
    assert status == 0
    assert last_card("issues/0001.md").options["tags"] == "nlp, paper"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--tags", "nlpp", "https://example.com/"], "unknown tag 'nlpp'; did you mean 'nlp'?"),
        (["--issue", "9", "https://example.com/"], "no issue #9"),
        (["ftp://example.com/file"], "only http and https links"),
        (["javascript:alert(1)"], "only http and https links"),
    ],
)
def test_bad_input_is_refused_before_fetching(archive, capsys, argv, message):
    status, out, err = add(capsys, *argv)
    assert status == 2
    assert message in err
    assert out == ""


def test_offline_card(archive, capsys):
    status, _, _ = add(capsys, "--offline", "--title", "Later", "https://example.com/a?b=1")
    assert status == 0
    assert last_card().url == "https://example.com/a?b=1"
    assert last_card().options == {"title": "Later", "site": "example.com"}


def test_new_add_check_build(server, tmp_path, monkeypatch, capsys):
    """From an empty archive: new, add, check and a Sphinx build give a correct card."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "issues").mkdir()
    assert main(["new", "--date", "2026-08-21"]) == 0
    assert capsys.readouterr().out.split() == ["issues/0001.md", "docs/years/2026.md"]
    assert add(capsys, f"{server}/full")[0] == 0
    page = Path("issues/0001.md")
    page.write_text(
        page.read_text(encoding="utf-8").replace("\n\n:::\n", "\n\n編集者のコメント。\n:::\n"),
        encoding="utf-8",
    )
    assert main(["check"]) == 0, capsys.readouterr().out
    card = build(tmp_path).select_one("#link-1")
    link = card.select_one(".wkn-card-title a")
    assert link["href"] == f"{server}/full"
    assert link.get_text() == 'Kaggle Days & the "Grandmasters"'
    assert card.select_one(".wkn-card-excerpt").get_text() == "Talks from the event."
    assert card.select_one("img")["src"] == f"{server}/images/card.png"
    assert card.select_one(".wkn-card-body").get_text().strip() == "編集者のコメント。"


def build(project: Path) -> BeautifulSoup:
    """Build ``project`` (issues/, docs/years/) with Sphinx; the first issue's HTML."""
    from sphinx.testing.util import SphinxTestApp

    (project / "conf.py").write_text(
        'extensions = ["myst_parser", "newsarchive"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'exclude_patterns = ["_build"]\n'
        "smartquotes = False\n",
        encoding="utf-8",
    )
    (project / "index.md").write_text(
        "# Archive\n\n```{toctree}\n:glob:\n\ndocs/years/*\nissues/*\n```\n", encoding="utf-8"
    )
    app = SphinxTestApp("html", srcdir=project, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    page = sorted((app.outdir / "issues").glob("*.html"))[-1]
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


# -- encodings, IRIs and editors working at once --------------------------------------------
def test_an_iri_is_fetched_and_kept_as_written(server, archive, capsys):
    iri = f"{server}/wiki/機械学習"
    status, _, err = add(capsys, iri)
    assert status == 0, err
    card = last_card()
    assert card.url == iri and card.options["title"] == 'Kaggle Days & the "Grandmasters"'


def test_a_bom_and_crlf_line_ends_are_kept(archive, capsys):
    page = archive / "issues/0002.md"
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes().replace(b"\n", b"\r\n"))
    status, _, err = add(capsys, "--offline", "--title", "T", "https://example.com/crlf")
    assert status == 0, err
    data = page.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == data.count(b"\r\n")
    assert last_card().url == "https://example.com/crlf"


def test_a_page_that_is_not_utf8_is_named(archive, capsys):
    page = archive / "issues/0002.md"
    page.write_bytes(page.read_bytes() + "本文\n".encode("shift_jis"))
    before = page.read_bytes()
    status, _, err = add(capsys, "--offline", "--title", "T", "https://example.com/sjis")
    assert status == 2
    assert f"{Path('issues/0002.md')}:9: not UTF-8 (byte 0x96" in err and "Traceback" not in err
    assert page.read_bytes() == before


def test_concurrent_adds_keep_every_card(archive):
    command = Path(sys.executable).with_name("newsarchive")
    urls = [f"https://example.com/concurrent/{n}" for n in range(8)]
    runs = [
        subprocess.Popen(
            [command, "add", "--offline", "--title", f"Card {n}", url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, url in enumerate(urls)
    ]
    # The same URL twice at once: one card, and the other add says so.
    twice = [
        subprocess.Popen(
            [command, "add", "--offline", "--title", "Twice", "https://example.com/twice"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(run.wait(), *run.communicate()) for run in runs]
    assert all(status == 0 and "card added" in out for status, out, _ in results), results
    statuses = sorted(run.wait() for run in twice)
    assert statuses == [0, 1], [run.communicate() for run in twice]
    cards = [card.url for card in read_page(archive / "issues/0002.md").cards]
    assert sorted(cards) == sorted([*urls, "https://example.com/twice"])
