"""``import-feed``'s second route, the archive API, one rule at a time: which listed posts
are read, what of a post's answer is used (title, subtitle, date, source), and each
post that cannot be read named, counted and left out. The publication is
:mod:`substack_like`'s, given the posts of each test; answers Substack never gives are
sent by the server of :mod:`test_substack_feed_rules`."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOTS
from newsarchive.commands.substack.api import publication_of
from newsarchive.commands.substack.feed import EXIT_REFUSED
from substack_importing import page, run_import
from substack_like import CHALLENGE, PUBLICATION, Publication, post, serve_publication
from test_substack_feed_rules import Answer, Server, serve_answers

ARCHIVE = "/api/v1/archive?sort=new&offset=0&limit=25"


@pytest.fixture
def publication():
    yield from serve_publication()


@pytest.fixture
def server():
    yield from serve_answers()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(ROOTS / "test-basic", root)
    return root


def import_feed(archive: Path, base: str, *args: str) -> int:
    return run_import("import-feed", f"{base}/feed", archive, *args)


def listed(number: int, **fields: Any) -> dict[str, Any]:
    return post(number, post_id=200_000 + number, date="2023-02-09T22:00:00Z", **fields)


def test_what_is_counted_and_not_read(archive, publication: Publication, capsys):
    publication.posts = [
        listed(175, type="podcast"),
        listed(174, type="thread"),
        listed(173, audience="only_paid"),
        listed(172, audience="founding"),
        listed(171, type=None, audience=None),  # neither said: a newsletter post for all
        listed(170),
    ]
    assert import_feed(archive, publication.base) == 0
    out = capsys.readouterr().out
    assert "issues: 2 written" in out
    assert ", 2 not newsletter posts, 2 paid-only (not public)\n" in out
    read = [path for path in publication.asked if path.startswith("/api/v1/posts/")]
    assert read == ["/api/v1/posts/weekly-kaggle-news-171", "/api/v1/posts/weekly-kaggle-news-170"]


def test_listed_posts_without_a_usable_slug_are_named_and_counted(
    archive, publication: Publication, capsys
):
    publication.posts = [listed(172, slug="  "), listed(171, slug="a/b"), listed(170)]
    assert import_feed(archive, publication.base) == 1
    captured = capsys.readouterr()
    where = f"{publication.base}{ARCHIVE}"
    assert f"{where}: post 1: no usable slug; not imported\n" in captured.err
    assert f"{where}: post 2: no usable slug; not imported\n" in captured.err
    assert ", 2 not imported\n" in captured.out
    assert (archive / "issues" / "0170.md").exists()
    # The next page starts after every post listed, those left out too.
    assert publication.offsets() == [0, 3]


def test_a_list_with_other_than_posts_is_refused(archive, server: Server, capsys):
    server.answers["/feed"] = Answer(403, {"Content-Type": "text/plain"}, b"no")
    server.answers[ARCHIVE] = Answer(200, {"Content-Type": "application/json"}, b'[1, "x"]')
    assert import_feed(archive, server.base) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert (
        f"the archive API refused too: {server.base}{ARCHIVE}: answered JSON that is not "
        "Substack's list of posts." in err
    )


def test_the_post_s_own_answer_wins_over_the_list(archive, publication: Publication, capsys):
    full = listed(170, title="Weekly Kaggle News #170 (改訂)", subtitle="本文の要約")
    publication.posts = [full]
    assert import_feed(archive, publication.base) == 0, capsys.readouterr().err
    assert 'title: "Weekly Kaggle News #170 (改訂)"' in page(archive, 170)
    assert "\n本文の要約\n" in page(archive, 170)


@pytest.mark.parametrize(
    ("in_list", "in_post", "subtitle"),
    [
        ("一覧の要約", None, "一覧の要約"),  # the post does not say: the list's
        ("一覧の要約", "記事の要約", "記事の要約"),
        ("一覧の要約", "", ""),  # the post says there is none
        (None, json.loads("null"), ""),
    ],
)
def test_the_subtitle(archive, server: Server, capsys, in_list, in_post, subtitle):
    entry = listed(170, subtitle=in_list)
    answer = {**entry}
    if in_post is None and in_list is not None:
        del answer["subtitle"]
    else:
        answer["subtitle"] = in_post
    serve_one(server, entry, answer)
    assert import_feed(archive, server.base) == 0, capsys.readouterr().err
    text = page(archive, 170).split("---\n", 2)[2]
    expected = f"\n\n{subtitle}" if subtitle else ""
    assert text.startswith(f"# Weekly Kaggle News #170{expected}\n\n## News\n")


def serve_list(server: Server, entries: list[dict[str, Any]]) -> None:
    """The archive list of ``entries`` (then an empty page); the feed refused."""
    server.answers["/feed"] = Answer(403, {"Content-Type": "text/plain"}, b"no")
    listing = [{k: v for k, v in entry.items() if k != "body_html"} for entry in entries]
    for offset, answer in ((0, listing), (len(listing), [])):
        server.answers[ARCHIVE.replace("offset=0", f"offset={offset}")] = Answer(
            200, {"Content-Type": "application/json"}, json.dumps(answer).encode()
        )


def serve_one(server: Server, entry: dict[str, Any], answer: Any) -> None:
    """The list of ``entry`` alone, and ``answer`` for its post; the feed refused."""
    serve_list(server, [entry])
    server.answers[f"/api/v1/posts/{entry['slug']}"] = Answer(
        200, {"Content-Type": "application/json"}, json.dumps(answer).encode()
    )


def test_the_source_is_the_post_s_address_else_the_list_s_else_the_host_s(
    archive, server: Server, capsys
):
    entry = listed(170, canonical_url="https://news.example/p/listed")
    serve_one(server, entry, {**entry, "canonical_url": "https://news.example/p/own"})
    assert import_feed(archive, server.base) == 0, capsys.readouterr().err
    assert "\nsource: https://news.example/p/own\n" in page(archive, 170)
    serve_one(server, entry, {**entry, "canonical_url": None})
    assert import_feed(archive, server.base, "--force") == 0, capsys.readouterr().err
    assert "\nsource: https://news.example/p/listed\n" in page(archive, 170)
    entry = listed(170, canonical_url="ftp://news.example/p/x")
    serve_one(server, entry, {k: v for k, v in entry.items() if k != "canonical_url"})
    assert import_feed(archive, server.base, "--force") == 0, capsys.readouterr().err
    assert f"\nsource: {server.base}/p/weekly-kaggle-news-170\n" in page(archive, 170)


@pytest.mark.parametrize(
    ("listed_date", "answer_dates", "day"),
    [
        # The post's answer gives no date: the list's.
        ("2023-02-09T16:00:00Z", {"post_date": None}, "2023-02-10"),
        # The email's date first, then the post's.
        ("2023-01-01T00:00:00Z", {"email_sent_at": "2023-02-09T14:00:00Z"}, "2023-02-09"),
        # A time with its zone is taken as it is (15:00 UTC is midnight in Tokyo).
        ("2023-01-01T00:00:00Z", {"post_date": "2023-02-09T10:00:00-05:00"}, "2023-02-10"),
    ],
)
def test_the_send_date(archive, server: Server, capsys, listed_date, answer_dates, day):
    entry = listed(170, post_date=listed_date)
    serve_one(server, entry, {**entry, **answer_dates})
    assert import_feed(archive, server.base) == 0, capsys.readouterr().err
    assert f"\ndate: {day}\n" in page(archive, 170)


def test_a_post_s_notes_are_named_at_its_address(archive, publication: Publication, capsys):
    body = '<p><a href="/p/weekly-kaggle-news-169">前号</a>の続き。</p>'
    publication.posts = [listed(170, body_html=body)]
    assert import_feed(archive, publication.base) == 1
    err = capsys.readouterr().err
    where = f"{publication.base}/api/v1/posts/weekly-kaggle-news-170"
    assert f"\n{where}:1: link to '/p/weekly-kaggle-news-169' is not http(s); kept as text\n" in (
        err
    )


def test_posts_not_read_are_named_by_the_list(archive, publication: Publication, capsys):
    publication.posts = [listed(0, slug="year-end", title="年末特集"), listed(170)]
    assert import_feed(archive, publication.base) == 0
    err = capsys.readouterr().err
    assert (
        f"{publication.base}{ARCHIVE}: post 1: no issue number in the title '年末特集'; "
        "skipped (--number 200000.year-end=N imports it as issue N)\n" in err
    )


def test_a_post_without_a_number_is_imported_by_its_slug_or_its_address(
    archive, publication: Publication, capsys
):
    publication.posts = [
        listed(0, slug="year-end", title="年末特集"),
        listed(0, slug="summer", title="夏の特集", canonical_url=f"{PUBLICATION}/p/summer"),
    ]
    numbers = ("--number", "year-end=171", "--number", f"{PUBLICATION}/p/summer=170")
    assert import_feed(archive, publication.base, *numbers) == 0, capsys.readouterr().err
    assert 'title: "年末特集"' in page(archive, 171)
    assert 'title: "夏の特集"' in page(archive, 170)
    # Given again, the issues are in the archive: said so, not read again.
    publication.asked.clear()
    assert import_feed(archive, publication.base, *numbers) == 0
    assert "posts: 2 already in the archive (left alone), 0 without" in capsys.readouterr().out
    assert publication.asked == ["/feed", ARCHIVE]


def test_each_post_that_cannot_be_read_is_named_and_counted(archive, server: Server, capsys):
    entries = [listed(n) for n in (177, 176, 175, 174, 173, 172, 171, 170)]
    serve_list(server, entries)
    answers: dict[int, Any] = {
        177: (404, {"error": "Post not found"}),
        176: (404, {"error": "Post not found"}),
        175: (200, ["not", "a", "post"]),
        174: (200, "a post"),
        173: (200, {**entries[4], "body_html": "", "audience": "only_paid"}),
        172: (200, {**entries[5], "body_html": None, "audience": "founding"}),
        171: (200, {**entries[6], "post_date": "next week", "email_sent_at": None}),
        170: (200, {**entries[7], "body_html": " "}),
    }
    for number, (status, answer) in answers.items():
        server.answers[f"/api/v1/posts/weekly-kaggle-news-{number}"] = Answer(
            status, {"Content-Type": "application/json"}, json.dumps(answer).encode()
        )
    assert import_feed(archive, server.base) == 1
    captured = capsys.readouterr()
    url = f"{server.base}/api/v1/posts/weekly-kaggle-news-"
    for number in (177, 176):
        assert f"{url}{number}: HTTP 404 Not Found; not imported\n" in captured.err
    for number in (175, 174):
        assert f"{url}{number}: answered JSON that is not a post; not imported\n" in captured.err
    assert (
        f"{url}173: paid-only (audience only_paid); not imported: its text is not public\n"
        in captured.err
    )
    assert f"{url}172: paid-only (audience founding); not imported" in captured.err
    assert f"{url}171: no valid date ('2023-02-09T22:00:00Z'); not imported\n" in captured.err
    assert f"{url}170: no body_html; not imported\n" in captured.err
    assert "issues: 0 written" in captured.out and ", 6 not imported\n" in captured.out
    assert ", 2 paid-only (not public)\n" in captured.out


def test_the_api_is_asked_for_json_by_the_feed_import(archive, server: Server, capsys):
    entry = listed(170)
    serve_one(server, entry, entry)
    assert import_feed(archive, server.base) == 0, capsys.readouterr().err
    for request in server.requests[1:]:
        assert request["accept"] == "application/json"
        assert request["user-agent"].endswith("; feed import)")
    assert len(server.requests) == 4  # the feed, two pages of the list, the post


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"<p>Hello</p>", "answered HTTP 200 with an HTML page, not JSON"),
        (
            CHALLENGE,
            'answered HTTP 200 with a bot check (Cloudflare\'s "Just a moment..." challenge), '
            "not JSON",
        ),
    ],
)
def test_a_page_instead_of_json_is_named(archive, server: Server, capsys, body, said):
    server.answers["/feed"] = Answer(403, {"Content-Type": "text/plain"}, b"no")
    server.answers[ARCHIVE] = Answer(200, {"Content-Type": "text/html"}, body)
    assert import_feed(archive, server.base) == EXIT_REFUSED
    assert f"the archive API refused too: {server.base}{ARCHIVE}: {said}." in (
        capsys.readouterr().err
    )


def test_a_host_that_cannot_be_reached(archive, capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    assert import_feed(archive, base) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert f"; the archive API refused too: {base}{ARCHIVE}: cannot be fetched: " in err


def test_only_substack_s_feed_address_has_an_api():
    assert publication_of("https://news.example/feed/") == "https://news.example"
    assert publication_of("https://news.example/feedX") is None
    assert publication_of("https://news.example/feed?format=atom") is None


def test_the_title_is_the_post_s_own_else_the_list_s(archive, server: Server, capsys):
    entry = listed(170)
    serve_one(server, entry, {**entry, "title": "Weekly Kaggle News #170 (改訂)"})
    assert import_feed(archive, server.base) == 0, capsys.readouterr().err
    assert 'title: "Weekly Kaggle News #170 (改訂)"' in page(archive, 170)
    serve_one(server, entry, {**entry, "title": None})
    assert import_feed(archive, server.base, "--force") == 0, capsys.readouterr().err
    assert 'title: "Weekly Kaggle News #170"' in page(archive, 170)
