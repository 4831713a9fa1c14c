"""``import-feed``'s rules one at a time: which entries are read and how, what a server
sent instead of a feed, the request it was sent. Feeds are written here, served by a
server on 127.0.0.1 that answers what each test sets."""

from __future__ import annotations

import http.server
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOTS
from newsarchive.commands.httpclient import FetchError, get
from newsarchive.commands.substack import feed as feed_command
from newsarchive.commands.substack.refusals import BOT_CHECK_ADVICE, is_html, refused_answer
from substack_importing import run_import

BASE = "https://weeklykagglenews.substack.com/p"


def item(
    title: str = "Weekly Kaggle News #170",
    *,
    slug: str = "weekly-kaggle-news-170",
    date: str | None = "Thu, 09 Feb 2023 22:00:05 GMT",
    description: str | None = "今週の要約",
    content: str | None = "<p>本文です。</p>",
    link: bool = True,
) -> str:
    """One RSS item; None leaves the element out."""
    parts = [f"<title><![CDATA[{title}]]></title>"]
    if description is not None:
        parts.append(f"<description><![CDATA[{description}]]></description>")
    if link:
        parts.append(f"<link>{BASE}/{slug}</link>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    if content is not None:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return f"<item>{''.join(parts)}</item>"


def rss(*items: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Weekly Kaggle News</title>"
        "<link>https://weeklykagglenews.substack.com</link>"
        f"{''.join(items)}</channel></rss>"
    )


def atom(*entries: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Weekly Kaggle News</title><id>urn:weekly-kaggle-news</id>"
        f"<updated>2023-02-10T00:00:00Z</updated>{''.join(entries)}</feed>"
    )


def atom_entry(number: int, *, published: str | None, updated: str) -> str:
    return (
        f"<entry><title>Weekly Kaggle News #{number}</title>"
        f'<link href="{BASE}/weekly-kaggle-news-{number}"/><id>urn:{number}</id>'
        + (f"<published>{published}</published>" if published else "")
        + f"<updated>{updated}</updated>"
        '<content type="html">&lt;p&gt;本文です。&lt;/p&gt;</content></entry>'
    )


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", root)
    return root


def import_feed(archive: Path, source: str | Path, *args: str) -> int:
    return run_import("import-feed", source, archive, *args)


def written(tmp_path: Path, text: str, name: str = "feed.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def front(page: Path) -> str:
    """The page without its front matter."""
    return page.read_text("utf-8").split("---\n", 2)[2]


# Which entries are read, and what is said of the others.


def test_an_entry_lacking_everything_is_named_with_all_it_lacks(archive, tmp_path, capsys):
    source = written(
        tmp_path,
        rss(
            item("Weekly Kaggle News #171", link=False, date=None, content=None),
            item("", slug="untitled", link=False, content=None),
            item(slug="weekly-kaggle-news-170"),
        ),
    )
    assert import_feed(archive, source) == 1
    captured = capsys.readouterr()
    assert (
        f"{source}: entry 1 ('Weekly Kaggle News #171'): no link, no date, no content; "
        "not imported\n" in captured.err
    )
    assert f"{source}: entry 2 (''): no link, no content; not imported\n" in captured.err
    assert "issues: 1 written, 0 unchanged, 0 skipped (edited by hand), 0 kept" in captured.out
    assert ", 2 not imported\n" in captured.out
    # The entries after those that cannot be read are read.
    assert (archive / "issues" / "0170.md").exists()


def test_an_entry_without_a_number_is_named_by_its_feed_entry_and_link(archive, tmp_path, capsys):
    source = written(tmp_path, rss(item("年末特集", slug="year-end"), item(title="")))
    assert import_feed(archive, source) == 0
    err = capsys.readouterr().err
    assert (
        f"{source}: entry 1 ({BASE}/year-end): no issue number in the title '年末特集'; "
        "skipped (--number year-end=N imports it as issue N)\n" in err
    )
    assert (
        f"{source}: entry 2 ({BASE}/weekly-kaggle-news-170): no issue number in the title ''"
        in (err)
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('<?xml version="1.0"?><note>not a feed</note>', "not an RSS or Atom feed"),
        ("", "not an RSS or Atom feed (it is empty)"),
        (" \n", "not an RSS or Atom feed (it is empty)"),
        ("<!DOCTYPE html><title>x</title>", "not an RSS or Atom feed but an HTML page"),
    ],
)
def test_xml_that_is_no_feed_is_said_so(archive, tmp_path, capsys, text, message):
    source = written(tmp_path, text)
    assert import_feed(archive, source) == 1
    assert capsys.readouterr().err == f"{source}: {message}\n"


def test_a_broken_feed_without_entries_says_what_is_broken(archive, tmp_path, capsys):
    source = written(tmp_path, rss().replace("</channel>", "\n<oops></channel>"))
    assert import_feed(archive, source) == 1
    err = capsys.readouterr().err
    assert err == f"{source}:2: not an RSS or Atom feed (mismatched tag, column 9)\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntitle: not a feed\n---\n", 1),
        ("<rss version='2.0'>\n<channel>\n<title>x</title>\n</rss>\n", 4),
        ('<?xml version="1.0"?>\n<rss>\n</channel>\n', 3),
    ],
)
def test_a_feed_that_is_no_xml_is_reported_at_its_own_line(archive, tmp_path, capsys, text, line):
    # feedparser puts a declaration in front of a file without one, one line more.
    source = written(tmp_path, text)
    assert import_feed(archive, source) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{source}:{line}: not an RSS or Atom feed (")
    assert "<unknown>" not in err and err.count("\n") == 1


def test_a_feed_with_no_entries_imports_nothing(archive, tmp_path, capsys):
    assert import_feed(archive, written(tmp_path, rss())) == 0
    assert "issues: 0 written" in capsys.readouterr().out


def test_a_slightly_broken_feed_with_entries_is_read(archive, tmp_path, capsys):
    """feedparser reads what it can of a feed that is not well-formed XML (bozo)."""
    source = written(tmp_path, rss(item()).replace("<channel>", "<channel>&nbsp;"))
    assert import_feed(archive, source) == 0, capsys.readouterr().err
    assert (archive / "issues" / "0170.md").exists()


# How an entry becomes a page.


def test_the_subtitle_is_the_plain_text_description_only(archive, tmp_path, capsys):
    body = "<p>本文です。</p>"
    source = written(
        tmp_path,
        rss(
            item("#170", slug="a", description="今週の要約"),
            item("#171", slug="b", description=None),
            item("#172", slug="c", description="<p>HTML の要約</p>"),
            item("#173", slug="d", description=body, content=body),
        ),
    )
    assert import_feed(archive, source) == 0, capsys.readouterr().err
    issues = archive / "issues"
    assert front(issues / "0170.md") == "# #170\n\n今週の要約\n\n本文です。\n"
    for number in (171, 172, 173):
        assert front(issues / f"{number}.md".rjust(7, "0")) == f"# #{number}\n\n本文です。\n"


def test_links_in_the_content_are_read_as_written(archive, tmp_path, capsys):
    """feedparser does not resolve relative links against the feed's address: the body's
    reader says such a link, as it does for the export's."""
    content = '<p><a href="/p/weekly-kaggle-news-164">前号</a>の続きです。</p>'
    source = written(tmp_path, rss(item(content=content)))
    assert import_feed(archive, source) == 1
    err = capsys.readouterr().err
    assert ":1: link to '/p/weekly-kaggle-news-164' is not http(s); kept as text\n" in err
    assert "substack.com/p/weekly-kaggle-news-164" not in front(archive / "issues" / "0170.md")


def test_an_atom_entry_s_date_is_its_published_else_its_updated(archive, tmp_path, capsys):
    source = written(
        tmp_path,
        atom(
            atom_entry(171, published="2023-02-09T22:00:00Z", updated="2023-03-01T00:00:00Z"),
            atom_entry(170, published=None, updated="2023-02-02T16:00:00Z"),
        ),
    )
    assert import_feed(archive, source) == 0, capsys.readouterr().err
    assert "\ndate: 2023-02-10\n" in (archive / "issues" / "0171.md").read_text("utf-8")
    assert "\ndate: 2023-02-03\n" in (archive / "issues" / "0170.md").read_text("utf-8")
    # An Atom entry without a summary has no subtitle.
    assert front(archive / "issues" / "0170.md") == "# Weekly Kaggle News #170\n\n本文です。\n"


def test_the_day_in_tokyo_whatever_the_machine_s_zone(archive, tmp_path, capsys, monkeypatch):
    # 16:00 UTC is 01:00 the next day in Tokyo; 06:00 of the same day in Honolulu.
    source = written(tmp_path, rss(item(date="Thu, 09 Feb 2023 16:00:00 GMT")))
    try:
        monkeypatch.setenv("TZ", "Pacific/Honolulu")
        time.tzset()
        assert import_feed(archive, source) == 0, capsys.readouterr().err
    finally:
        monkeypatch.undo()
        time.tzset()
    assert "\ndate: 2023-02-10\n" in (archive / "issues" / "0170.md").read_text("utf-8")


# A feed file.


def test_a_feed_file_up_to_the_limit_is_read(archive, tmp_path, capsys, monkeypatch):
    source = written(tmp_path, rss(item()))
    size = source.stat().st_size
    monkeypatch.setattr(feed_command, "MAX_FEED_BYTES", size - 1)
    assert import_feed(archive, source) == 1
    assert capsys.readouterr().err == f"{source}: larger than {size - 1:,} bytes\n"
    monkeypatch.setattr(feed_command, "MAX_FEED_BYTES", size)
    assert import_feed(archive, source) == 0, capsys.readouterr().err


def test_a_missing_file_is_said_with_what_to_give(archive, tmp_path, capsys):
    assert import_feed(archive, tmp_path / "nothing.xml") == 1
    assert capsys.readouterr().err == (
        f"{tmp_path / 'nothing.xml'}: no such file (give a file or an http(s) URL)\n"
    )


# A server that answers what a test sets.


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/xml"})
    body: bytes = b""


@dataclass
class Server:
    base: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    #: the request headers of each GET, in order (names in lower case)
    requests: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[Server]:
    yield from serve_answers()


def serve_answers() -> Iterator[Server]:
    """A running :class:`Server` (for a fixture: yields, then stops it)."""
    state = Server()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append({k.lower(): v for k, v in self.headers.items()})
            answer = state.answers.get(self.path, Answer(404, {}, b"nothing here"))
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    httpd.shutdown()
    httpd.server_close()


def test_the_feed_is_asked_for_as_a_feed_by_the_feed_import(archive, server: Server, capsys):
    server.answers["/feed"] = Answer(body=rss(item()).encode("utf-8"))
    assert import_feed(archive, f"{server.base}/feed") == 0, capsys.readouterr().err
    (request,) = server.requests
    assert request["user-agent"].endswith("; feed import)")
    assert request["accept"] == (
        "application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.1"
    )


HTML_TYPES = ["text/html", "Text/HTML; charset=utf-8", "application/xhtml+xml"]


@pytest.mark.parametrize("content_type", HTML_TYPES)
def test_an_html_page_by_its_type_is_no_feed(archive, server: Server, capsys, content_type):
    server.answers["/feed.xml"] = Answer(200, {"Content-Type": content_type}, b"<p>Hello</p>")
    source = f"{server.base}/feed.xml"
    assert import_feed(archive, source) == feed_command.EXIT_REFUSED
    assert capsys.readouterr().err == (
        f"{source}: answered HTTP 200 with an HTML page, not the feed.\n"
    )


@pytest.mark.parametrize("content_type", HTML_TYPES)
def test_an_html_error_page_by_its_type_is_named_as_a_page(server: Server, content_type):
    server.answers["/feed.xml"] = Answer(403, {"Content-Type": content_type}, b"<p>Denied</p>")
    with pytest.raises(feed_command.Refused) as caught:
        feed_command.fetch(f"{server.base}/feed.xml")
    assert str(caught.value) == "answered HTTP 403 Forbidden with an HTML page, not the feed"
    assert caught.value.bot_check is False


@pytest.mark.parametrize(
    "headers", [{}, {"Content-Type": "text/plain"}, {"Content-Type": "text/plain; x=text/html"}]
)
def test_an_error_answer_that_is_no_page_is_named_by_its_status(server: Server, headers):
    server.answers["/feed.xml"] = Answer(429, headers, b"slow down")
    with pytest.raises(FetchError) as caught:
        get(f"{server.base}/feed.xml", purpose="test", accept="*/*", timeout=5, max_bytes=1000)
    refused = refused_answer(caught.value, "JSON")
    assert str(refused) == "HTTP 429 Too Many Requests" and refused.bot_check is False


def test_a_refusal_that_is_no_bot_check_comes_without_advice(archive, server: Server, capsys):
    server.answers["/feed"] = Answer(503, {"Content-Type": "text/plain"}, b"busy")
    source = f"{server.base}/feed"
    assert import_feed(archive, source, "--no-api") == feed_command.EXIT_REFUSED
    err = capsys.readouterr().err
    assert err == f"{source}: HTTP 503 Service Unavailable.\n"
    assert BOT_CHECK_ADVICE not in err


@pytest.mark.parametrize(
    ("content_type", "body", "html"),
    [
        ("text/html", b"", True),
        ("application/xhtml+xml", b"{}", True),
        ("text/plain", b"<html><body>x</body></html>", True),
        ("text/plain", b"<HTML LANG=ja>", True),
        ("", b" \r\n\t<!DOCTYPE html><title>x</title>", True),
        ("", b"<!doctype html>", True),
        ("application/xml", b"<?xml version='1.0'?><rss/>", False),
        ("text/plain", b"not <html> at first", False),
        ("application/json", b"[]", False),
        ("", b"", False),
    ],
)
def test_which_answers_are_html_pages(content_type, body, html):
    assert is_html(content_type, body) is html
